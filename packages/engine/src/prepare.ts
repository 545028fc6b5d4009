import type { ExitGoal, Graph, GraphNode, TriggerNode } from '@nurtureflow/scenario';
import { compileCondition, type ConditionScope, type ConditionTest } from './conditions.ts';
import type { NodeHandler, PreparedNode } from './nodes/handler.ts';
import { HANDLERS } from './nodes/index.ts';

/** Everything the engine derives from a graph once: node lookups, handlers, compiled conditions. */
export interface PreparedGraph {
  graph: Graph;
  nodes: ReadonlyMap<string, PreparedNode>;
  triggers: readonly { id: string; node: TriggerNode }[];
  goals: readonly { goal: ExitGoal; test: ConditionTest }[];
  /** The scope conditions of this graph are evaluated in, its time set before each use (conditions only read it). */
  scope: ConditionScope;
}

const cache = new WeakMap<Graph, PreparedGraph>();
// A one-entry memo in front of the map: a run calls the engine on one graph many times in a row.
let lastGraph: Graph | null = null;
let lastPrepared: PreparedGraph | null = null;

/** The prepared form of a parsed graph, computed once per graph object (graphs are never mutated). */
export function prepare(graph: Graph): PreparedGraph {
  if (graph === lastGraph) return lastPrepared!;
  let prepared = cache.get(graph);
  if (prepared === undefined) {
    prepared = build(graph);
    cache.set(graph, prepared);
  }
  lastGraph = graph;
  lastPrepared = prepared;
  return prepared;
}

const uniformed = new Map<NodeHandler<GraphNode>, NodeHandler<GraphNode>>();

/**
 * A handler with every method present (undefined where the kind has none), all in one order: the
 * engine's calls through `handler.arrive` and the like then meet one object shape, whatever the
 * node kind, instead of fifteen.
 */
function uniform(handler: NodeHandler<GraphNode>): NodeHandler<GraphNode> {
  let u = uniformed.get(handler);
  if (u === undefined) {
    u = { prepare: handler.prepare, arrive: handler.arrive, wake: handler.wake, accepts: handler.accepts, event: handler.event } as NodeHandler<GraphNode>;
    uniformed.set(handler, u);
  }
  return u;
}

function build(graph: Graph): PreparedGraph {
  const nodes = new Map<string, PreparedNode>();
  const triggers: { id: string; node: TriggerNode }[] = [];
  for (const id of Object.keys(graph.nodes)) {
    const node = graph.nodes[id]!;
    const handler = uniform(HANDLERS[node.kind] as NodeHandler<GraphNode>);
    const outputs = new Map<string, string | null>(Object.entries(node.outputs));
    nodes.set(id, { id, node, outputs, targetOutputs: [], targetNodes: [], handler, aux: handler.prepare?.(node, graph) });
    if (node.kind === 'trigger') triggers.push({ id, node });
  }
  for (const p of nodes.values()) {
    for (const [output, to] of p.outputs) {
      const target = to === null ? undefined : nodes.get(to);
      if (target === undefined) continue;
      (p.targetOutputs as string[]).push(output);
      (p.targetNodes as PreparedNode[]).push(target);
    }
  }
  const goals = graph.goals.map((goal) => ({ goal, test: compileCondition(goal.condition) }));
  return { graph, nodes, triggers, goals, scope: { productLine: graph.productLine, now: 0, settings: graph.settings } };
}
