import fc, { type Arbitrary } from 'fast-check';
import { FORMAT, FORMAT_VERSION, graphSchema, type Graph, type GraphInput, type Layout } from '../graph.ts';
import { NODE_KIND_NAMES, nodeSchema, outputsOf, nodeWaits, type GraphNode, type NodeKind } from '../nodes/index.ts';
import { arbitraryCondition, arbitrarySatisfiableCondition } from './arbitrary-conditions.ts';
import { arbitraryNodeBody, arbitraryTrigger, type NodeBody, type NodeMode } from './arbitrary-nodes.ts';

export * from './arbitrary-conditions.ts';
export * from './arbitrary-nodes.ts';

/** Size limits for generated graphs. */
export interface ArbitraryGraphOptions {
  /** Most nodes in a graph, triggers included (default 30). */
  maxNodes?: number;
}

const BODY_KINDS = NODE_KIND_NAMES.filter((k): k is Exclude<NodeKind, 'trigger'> => k !== 'trigger');
const PRODUCT_LINE = 'crm';

/** Reads choices from a list of numbers; past its end, from a fixed sequence, so every list gives a graph. */
class Choices {
  private at = 0;
  constructor(private readonly stream: readonly number[]) {}
  /** An index below n. */
  pick(n: number): number {
    const i = this.at++;
    const v = this.stream[i] ?? (i * 2654435761) >>> 0;
    return n <= 1 ? 0 : v % n;
  }
  /** True with probability about p. */
  chance(p: number): boolean {
    return this.pick(1000) < p * 1000;
  }
}

const choiceStream = () => fc.array(fc.nat(), { minLength: 128, maxLength: 128 });

function parseNode(body: NodeBody): GraphNode {
  return nodeSchema.parse({ ...body, outputs: {} });
}

function envelope(valid: boolean): Arbitrary<Omit<GraphInput, 'nodes' | 'layout'>> {
  const mode = valid ? arbitrarySatisfiableCondition(PRODUCT_LINE) : arbitraryCondition();
  const goal = fc.tuple(fc.constantFrom('won', 'appointment', 'unsubscribed'), mode).map(([id, condition]) => ({ id, name: '', condition }));
  return fc.record({
    format: fc.constant(FORMAT),
    formatVersion: fc.constant(FORMAT_VERSION),
    productLine: fc.constant(PRODUCT_LINE),
    scenarioId: fc.constantFrom('welcome-series', 'seminar-follow-up', 'reactivation'),
    version: fc.integer({ min: 0, max: 5 }),
    name: fc.constantFrom('Welcome series', '資料請求フォロー', 'Seminar follow-up'),
    description: fc.constantFrom('', 'Nurture new leads until they are ready for sales.'),
    entry: fc.record(
      {
        audience: mode,
        reEntry: fc.oneof(
          fc.constant({ mode: 'never' as const }),
          fc.constant({ mode: 'always' as const }),
          fc.record({ mode: fc.constant('after' as const), period: fc.record({ amount: fc.integer({ min: 1, max: 90 }), unit: fc.constant('days' as const) }) }),
        ),
        excludeUnsubscribed: fc.boolean(),
      },
      { requiredKeys: ['reEntry', 'excludeUnsubscribed'] },
    ),
    goals: valid ? fc.uniqueArray(goal, { maxLength: 2, selector: (g) => g.id }) : fc.array(goal, { maxLength: 2 }),
    settings: fc.record(
      {
        timezone: fc.constantFrom('Asia/Tokyo', 'UTC', 'America/New_York'),
        quietHours: fc.record({ start: fc.constantFrom('20:00', '22:30'), end: fc.constantFrom('08:00', '09:00'), includeNonBusinessDays: fc.boolean() }),
        businessDays: fc.record({ weekdays: fc.constantFrom([1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6]), holidays: fc.constantFrom('jp' as const, 'none' as const), extraHolidays: fc.constantFrom([], ['2025-12-29', '2025-12-30']) }),
        frequencyCaps: fc.record({ perWeek: fc.integer({ min: 1, max: 7 }), perDay: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: [] }),
        horizonDays: valid ? fc.integer({ min: 365, max: 3650 }) : fc.integer({ min: 1, max: 3650 }),
      },
      { requiredKeys: ['timezone', 'businessDays', 'frequencyCaps', 'horizonDays'] },
    ),
  });
}

function arbitraryLayout(ids: readonly string[]): Arbitrary<Layout> {
  return fc
    .tuple(fc.subarray([...ids]), fc.array(fc.tuple(fc.integer({ min: -2000, max: 4000 }), fc.integer({ min: -2000, max: 4000 })), { minLength: ids.length, maxLength: ids.length }))
    .map(([placed, points]) => Object.fromEntries(placed.map((id, i) => [id, { x: points[i]?.[0] ?? 0, y: points[i]?.[1] ?? 0 }])));
}

function finish(doc: Omit<GraphInput, 'nodes' | 'layout'>, nodes: Record<string, GraphNode>, layout: Layout): Graph {
  return graphSchema.parse({ ...doc, nodes, layout });
}

function bodies(mode: NodeMode, count: { min: number; max: number }): Arbitrary<NodeBody[]> {
  return fc.array(fc.constantFrom(...BODY_KINDS), { minLength: count.min, maxLength: count.max, size: 'max' }).chain((kinds) => (kinds.length === 0 ? fc.constant([]) : fc.tuple(...kinds.map((k) => arbitraryNodeBody(k, mode)))));
}

/**
 * Graphs that pass `validate` with no errors (warnings allowed): nodes in a random order after one
 * to three triggers, each reached from an earlier node's output; every required output leads
 * forward, or back into a waiting node, so every loop waits; a final exit catches what is left.
 */
export function arbitraryValidGraph(options: ArbitraryGraphOptions = {}): Arbitrary<Graph> {
  const maxNodes = Math.max(2, options.maxNodes ?? 30);
  const mode: NodeMode = { valid: true, productLine: PRODUCT_LINE, maxWaitDays: 60 };
  return fc
    .tuple(envelope(true), fc.array(arbitraryTrigger(mode), { minLength: 1, maxLength: Math.min(3, maxNodes - 1) }), choiceStream())
    .chain(([doc, triggers, stream]) =>
      fc.tuple(fc.constant(doc), fc.constant(triggers), bodies(mode, { min: 0, max: maxNodes - triggers.length - 1 }), fc.constant(stream)),
    )
    .chain(([doc, triggers, body, stream]) => {
      const nodes = wireValid(triggers.map(parseNode), body.map(parseNode), new Choices(stream));
      return arbitraryLayout(Object.keys(nodes)).map((layout) => finish(doc, nodes, layout));
    });
}

function wireValid(triggers: GraphNode[], body: GraphNode[], choose: Choices): Record<string, GraphNode> {
  const order: { id: string; node: GraphNode }[] = [];
  const slots: { at: number; output: string; required: boolean }[] = [];
  const add = (id: string, node: GraphNode) => {
    order.push({ id, node });
    for (const spec of outputsOf(node)) slots.push({ at: order.length - 1, output: spec.name, required: spec.required });
  };
  triggers.forEach((t, i) => add(`trigger${i + 1}`, t));
  const rest = [...body.map((node, i) => ({ id: `${node.kind}${i + 1}`, node })), { id: 'end', node: { kind: 'exit', reason: '', outputs: {} } as GraphNode }];
  for (const { id, node } of rest) {
    // Reach the node from a free output of an earlier one; with none left, it cannot be reached.
    if (slots.length === 0) break;
    const [slot] = slots.splice(choose.pick(slots.length), 1);
    if (!slot) break;
    (order[slot.at] as { node: GraphNode }).node.outputs[slot.output] = id;
    add(id, node);
  }
  for (const slot of slots) {
    if (!slot.required && !choose.chance(0.6)) continue;
    const targets = order.filter((o, i) => o.node.kind !== 'trigger' && (i > slot.at || nodeWaits(o.node)));
    const target = targets[choose.pick(targets.length)];
    if (target) (order[slot.at] as { node: GraphNode }).node.outputs[slot.output] = target.id;
  }
  return Object.fromEntries(order.map(({ id, node }) => [id, node]));
}

/**
 * Graphs that match the format but may be wrong in every other way: no trigger, outputs left
 * empty, into missing nodes or triggers, outputs a node does not offer, loops without waits,
 * contradictory cases, duplicate ids, zero weights, waits beyond the horizon. A quarter are valid.
 */
export function arbitraryGraph(options: ArbitraryGraphOptions = {}): Arbitrary<Graph> {
  const maxNodes = Math.max(1, options.maxNodes ?? 30);
  const mode: NodeMode = { valid: false, productLine: PRODUCT_LINE, maxWaitDays: 60 };
  const random = fc
    .tuple(envelope(false), fc.array(arbitraryTrigger(mode), { maxLength: 3 }), bodies(mode, { min: 0, max: Math.max(0, maxNodes - 3) }), choiceStream())
    .chain(([doc, triggers, body, stream]) => {
      const nodes = wireRandom([...triggers, ...body].map(parseNode), new Choices(stream));
      return arbitraryLayout(Object.keys(nodes)).map((layout) => finish(doc, nodes, layout));
    });
  return fc.oneof({ arbitrary: random, weight: 3 }, { arbitrary: arbitraryValidGraph(options), weight: 1 });
}

function wireRandom(list: GraphNode[], choose: Choices): Record<string, GraphNode> {
  const ids = list.map((n, i) => `${n.kind}${i + 1}`);
  list.forEach((node) => {
    for (const spec of outputsOf(node)) {
      const c = choose.pick(10);
      if (c === 0) continue;
      node.outputs[spec.name] = c === 1 ? null : c === 2 ? 'ghost' : (ids[choose.pick(ids.length)] ?? null);
    }
    if (choose.chance(0.1)) node.outputs['stale'] = choose.chance(0.5) ? null : (ids[choose.pick(ids.length)] ?? null);
  });
  return Object.fromEntries(list.map((node, i) => [ids[i] as string, node]));
}
