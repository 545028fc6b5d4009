import type { GraphInput, Layout } from '../graph.ts';
import { nodeSchema, outputsOf } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';
import type { References } from '../validate/context.ts';
import { validate } from '../validate/index.ts';
import { nodeLabel, outputLabel, problem, sortProblems } from '../validate/problem.ts';
import { autoPositions } from './auto-layout.ts';
import type { EditorDocumentInput } from './document.ts';

type NodeInput = GraphInput['nodes'][string];

/** What `compile` gives: the graph as drawn, and every problem with it. */
export interface CompileResult {
  graph: GraphInput;
  problems: Problem[];
}

// The one output a node offers, for an edge that does not name its output.
function soleOutput(node: Record<string, unknown>): string | undefined {
  const parsed = nodeSchema.safeParse(node);
  if (!parsed.success) return undefined;
  const specs = outputsOf(parsed.data);
  return specs.length === 1 ? specs[0]?.name : undefined;
}

/**
 * The graph an editor document describes, with the problems of the drawing itself (duplicate node
 * or edge ids, a connection from a missing node or with no output, two connections from one
 * output) followed by everything `validate` finds in the graph.
 */
export function compile(doc: EditorDocumentInput, refs: References = {}): CompileResult {
  const problems: Problem[] = [];
  const { nodes: editorNodes, edges, ...fields } = doc;

  // Maps, not objects, so that no id or output name (even `__proto__`) is special.
  const nodes = new Map<string, { body: Record<string, unknown>; kind: string; outputs: Map<string, string | null> }>();
  const positions = new Map<string, { x: number; y: number; auto: boolean }>();
  editorNodes.forEach((n, i) => {
    if (nodes.has(n.id)) {
      problems.push(problem('SCN011', 'error', n.id, 'id',
        `Two nodes on the canvas have the id "${n.id}"; only the first is kept (node ${i + 1} in the document).`,
        `キャンバス上に id が「${n.id}」のノードが複数あります。最初のものだけが使われます（文書内の ${i + 1} 番目のノード）。`));
      return;
    }
    const outputs = new Map<string, string | null>((n.openOutputs ?? []).map((name) => [name, null]));
    nodes.set(n.id, { body: structuredClone(n.data), kind: n.type, outputs });
    positions.set(n.id, { x: n.position.x, y: n.position.y, auto: n.autoPlaced === true });
  });

  const edgeIds = new Set<string>();
  edges.forEach((e, i) => {
    if (edgeIds.has(e.id)) {
      problems.push(problem('SCN011', 'error', null, `edges.${i}.id`,
        `Two connections on the canvas have the id "${e.id}".`,
        `キャンバス上に id が「${e.id}」の接続が複数あります。`));
    }
    edgeIds.add(e.id);
    const source = nodes.get(e.source);
    if (!source) {
      problems.push(problem('SCN021', 'error', null, `edges.${i}.source`,
        `A connection starts from node "${e.source}", which is not on the canvas; it is ignored.`,
        `キャンバスにないノード「${e.source}」から始まる接続があります。この接続は無視されます。`));
      return;
    }
    const who = nodeLabel(e.source, typeof source.body.name === 'string' ? source.body.name : undefined);
    const output = e.sourceHandle ?? soleOutput({ ...source.body, kind: source.kind, outputs: {} });
    if (output === undefined) {
      problems.push(problem('SCN005', 'error', e.source, 'outputs',
        `A connection from ${who.en} does not say which output it leaves from; reconnect it from one of the node's outputs.`,
        `${who.ja}からの接続に出力が指定されていません。ノードの出力からつなぎ直してください。`));
      return;
    }
    const existing = source.outputs.get(output);
    if (typeof existing === 'string') {
      const out = outputLabel(source.kind, output);
      problems.push(problem('SCN020', 'error', e.source, `outputs.${output}`,
        `The ${out.en} output of ${who.en} is connected to more than one node; leads can only go one way, so only the connection to "${existing}" is kept. Use a branch or a split to send leads different ways.`,
        `${who.ja}の${out.ja}出力が複数のノードにつながっています。リードの行き先は1つなので「${existing}」への接続だけが使われます。行き先を分けるには条件分岐かランダム分岐を使ってください。`));
      return;
    }
    source.outputs.set(output, e.target);
  });

  const graphNodes: Record<string, NodeInput> = Object.fromEntries(
    [...nodes].map(([id, n]) => [id, { ...n.body, kind: n.kind, outputs: Object.fromEntries(n.outputs) } as NodeInput]),
  );
  const placed: Layout = Object.fromEntries([...positions].filter(([, p]) => !p.auto).map(([id, p]) => [id, { x: p.x, y: p.y }]));
  const auto = autoPositions(graphNodes, placed);
  const layout: Layout = Object.fromEntries(
    [...positions]
      .filter(([id, p]) => {
        const a = auto[id];
        return !(p.auto && a && a.x === p.x && a.y === p.y);
      })
      .map(([id, p]) => [id, { x: p.x, y: p.y }]),
  );

  const graph = { ...structuredClone(fields), nodes: graphNodes, layout } as GraphInput;
  return { graph, problems: sortProblems([...problems, ...validate(graph, refs)]) };
}
