import type { Condition, Duration } from '../common.ts';
import { FORMAT, FORMAT_VERSION, graphSchema, type Graph, type GraphInput } from '../graph.ts';
import { nodeSchema, outputsOf, type GraphNode } from '../nodes/index.ts';
import type { z } from 'zod';

type NodeInput = z.input<typeof nodeSchema>;
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type NodeBody = Without<NodeInput, 'outputs'>;

/** `dur(3, 'businessDays')`. */
export function dur(amount: number, unit: Duration['unit'] = 'days'): Duration {
  return { amount, unit };
}

/**
 * Builds graphs for tests and fixtures, reading like the journey:
 * `aGraph().trigger('t', ev('form_submitted')).email('m1', 'welcome').wait('w', dur(3)).exit('x')`.
 * Each node added is connected from the cursor (the previous node's first output) unless `from` moved it.
 */
export class GraphBuilder {
  private readonly doc: GraphInput & { nodes: Record<string, NodeInput> };
  private cursor: { nodeId: string; output: string } | null = null;

  constructor(init: Partial<GraphInput> = {}) {
    this.doc = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      productLine: 'crm',
      scenarioId: 'scenario-1',
      version: 1,
      name: 'Test scenario',
      ...init,
      nodes: { ...(init.nodes as Record<string, NodeInput> | undefined) },
    };
  }

  /** Continue from a given node's output. */
  from(nodeId: string, output: string): this {
    this.cursor = { nodeId, output };
    return this;
  }

  /** Stop auto-connecting: the next node starts a new, unconnected chain. */
  detached(): this {
    this.cursor = null;
    return this;
  }

  /** Point `nodeId.output` at `target`. */
  connect(nodeId: string, output: string, target: string | null): this {
    const node = this.doc.nodes[nodeId];
    if (!node) throw new Error(`no node ${nodeId}`);
    node.outputs = { ...node.outputs, [output]: target };
    return this;
  }

  /** Add any node; connects from the cursor and moves the cursor to the node's first output. */
  add(id: string, body: NodeBody): this {
    if (this.cursor) this.connect(this.cursor.nodeId, this.cursor.output, id);
    this.doc.nodes[id] = { ...body, outputs: {} } as NodeInput;
    const parsed = nodeSchema.safeParse(this.doc.nodes[id]);
    const first = parsed.success ? outputsOf(parsed.data)[0] : undefined;
    this.cursor = first ? { nodeId: id, output: first.name } : null;
    return this;
  }

  trigger(id: string, trigger: Extract<NodeBody, { kind: 'trigger' }>['trigger'] = { type: 'manual' }): this {
    return this.detached().add(id, { kind: 'trigger', trigger });
  }
  email(id: string, template: string, extra: Partial<Extract<NodeBody, { kind: 'email' }>> = {}): this {
    return this.add(id, { kind: 'email', template, ...extra });
  }
  wait(id: string, duration: Duration): this {
    return this.add(id, { kind: 'wait', wait: { mode: 'for', duration } });
  }
  waitUntil(id: string, time: string, businessDaysOnly = false): this {
    return this.add(id, { kind: 'wait', wait: { mode: 'until', time, businessDaysOnly } });
  }
  waitForEvent(id: string, event: string, timeout: Duration, extra: Partial<Extract<NodeBody, { kind: 'waitForEvent' }>> = {}): this {
    return this.add(id, { kind: 'waitForEvent', event, timeout, ...extra });
  }
  callTask(id: string, extra: Partial<Extract<NodeBody, { kind: 'callTask' }>> = {}): this {
    return this.add(id, { kind: 'callTask', ...extra });
  }
  handoff(id: string, extra: Partial<Extract<NodeBody, { kind: 'handoff' }>> = {}): this {
    return this.add(id, { kind: 'handoff', ...extra });
  }
  directMail(id: string, template: string, landingUrl = 'https://example.com/campaign', medium: 'mail' | 'fax' = 'mail'): this {
    return this.add(id, { kind: 'directMail', template, landingUrl, medium });
  }
  webhook(id: string, url = 'https://hooks.example.com/crm', channel = 'crm'): this {
    return this.add(id, { kind: 'webhook', url, channel });
  }
  branch(id: string, cases: { id: string; condition: Condition; label?: string }[]): this {
    return this.add(id, { kind: 'branch', cases });
  }
  split(id: string, variants: { id: string; weight: number; holdout?: boolean }[]): this {
    return this.add(id, { kind: 'split', variants });
  }
  score(id: string, points: number, reason = ''): this {
    return this.add(id, { kind: 'score', points, reason });
  }
  update(id: string, changes: Extract<NodeBody, { kind: 'update' }>['changes']): this {
    return this.add(id, { kind: 'update', changes });
  }
  move(id: string, scenarioId: string, productLine?: string, exitCurrent = true): this {
    return this.add(id, { kind: 'move', scenarioId, exitCurrent, ...(productLine ? { productLine } : {}) });
  }
  goal(id: string, goal: string): this {
    return this.add(id, { kind: 'goal', goal });
  }
  exit(id: string, reason = ''): this {
    return this.add(id, { kind: 'exit', reason });
  }

  /** Change document-level fields (settings, entry, goals, name…). */
  with(patch: Partial<GraphInput>): this {
    Object.assign(this.doc, patch);
    return this;
  }

  /** The document as written, without defaults; may be invalid on purpose. */
  input(): GraphInput {
    return structuredClone(this.doc);
  }

  /** The parsed graph with defaults; throws if the document does not match the schema. */
  build(): Graph {
    return graphSchema.parse(this.input());
  }
}

/** Start a graph for a test or fixture. */
export function aGraph(init: Partial<GraphInput> = {}): GraphBuilder {
  return new GraphBuilder(init);
}

/** Shorthand for an event trigger. */
export function ev(event: string): { type: 'event'; event: string } {
  return { type: 'event', event };
}

export type { GraphNode };
