import type { Graph, GraphNode } from '@nurtureflow/scenario';
import type { Run } from '../run.ts';
import type { LeadEvent, Millis } from '../types.ts';

/** A node with what the engine precomputed for it once per graph. */
export interface PreparedNode<N extends GraphNode = GraphNode> {
  id: string;
  node: N;
  /** Output name → target node id (null while unconnected). A Map, so no output name can hit Object.prototype. */
  outputs: ReadonlyMap<string, string | null>;
  /**
   * The outputs connected to a node the graph has, and those nodes, side by side: a node has a
   * handful of outputs, and a short scan of interned names beats a hash look-up.
   */
  targetOutputs: readonly string[];
  targetNodes: readonly PreparedNode[];
  handler: NodeHandler<N>;
  /** Whatever the handler's `prepare` returned (split thresholds, compiled cases…). */
  aux: unknown;
}

/** What a handler may look at to decide whether an event is for it. */
export interface EventView {
  pendingKey: string | null;
  scenarioId: string;
  productLine: string;
}

/**
 * How one node kind behaves. Every method ends in exactly one of `run.take` (leave by an output),
 * `run.stay` (wait here) or `run.finish` (end the enrollment).
 */
export interface NodeHandler<N extends GraphNode> {
  /** Precompute per graph; the result is `PreparedNode.aux`. */
  prepare?(node: N, graph: Graph): unknown;
  /** The lead arrives at the node at logical time `at`. */
  arrive(run: Run, p: PreparedNode<N>, at: Millis): void;
  /** The node's wait reached its `until`; `at` is that time. */
  wake?(run: Run, p: PreparedNode<N>, at: Millis): void;
  /** True when this event (of a kind the wait lists) is one the node waits for. Pure. */
  accepts?(p: PreparedNode<N>, event: LeadEvent, view: EventView): boolean;
  /** An accepted event arrived at logical time `at`. */
  event?(run: Run, p: PreparedNode<N>, event: LeadEvent, at: Millis): void;
}
