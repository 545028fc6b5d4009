import type { Graph } from '../graph.ts';
import { autoPositions } from './auto-layout.ts';
import type { EditorDocument, EditorEdge, EditorNode } from './document.ts';

/** The editor document for a graph: a React Flow node per node, an edge per connected output (id `${source}:${output}`). */
export function decompile(graph: Graph): EditorDocument {
  const { nodes, layout, ...rest } = graph;
  // Positions of nodes that no longer exist are dropped, and must not push the others aside.
  const placed = Object.fromEntries(Object.entries(layout).filter(([id]) => Object.hasOwn(nodes, id)));
  const auto = autoPositions(nodes, placed);
  const editorNodes: EditorNode[] = [];
  const edges: EditorEdge[] = [];
  for (const [id, node] of Object.entries(nodes)) {
    const { kind, outputs, ...data } = node;
    const at = placed[id];
    const open = Object.keys(outputs).filter((name) => outputs[name] === null);
    editorNodes.push({
      id,
      type: kind,
      position: { ...(at ?? auto[id] ?? { x: 0, y: 0 }) },
      data: structuredClone(data),
      ...(open.length > 0 ? { openOutputs: open } : {}),
      ...(at ? {} : { autoPlaced: true }),
    });
    for (const [output, target] of Object.entries(outputs)) {
      if (target !== null) edges.push({ id: `${id}:${output}`, source: id, sourceHandle: output, target });
    }
  }
  return { ...structuredClone(rest), nodes: editorNodes, edges };
}
