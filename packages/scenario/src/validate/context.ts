import type { Graph } from '../graph.ts';
import type { GraphNode } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';

/** Names that exist outside the graph; a check runs only when its list is given. */
export interface References {
  templates?: readonly string[];
  productLines?: readonly string[];
  scenarios?: readonly { productLine: string; scenarioId: string }[];
}

/** What is known of a node that did not match the format: enough to follow its connections. */
export interface BrokenNode {
  kind: string | undefined;
  outputs: Record<string, string>;
}

/** A graph as far as it could be read: every check works on this, so one bad part hides nothing else. */
export interface ValidationContext {
  /** The document's fields that matched the format (nodes aside). */
  doc: Partial<Omit<Graph, 'nodes'>>;
  /** Nodes that matched the format. */
  nodes: ReadonlyMap<string, GraphNode>;
  /** Nodes that did not. */
  broken: ReadonlyMap<string, BrokenNode>;
  /** Every node id, sorted, so checks visit nodes in a fixed order. */
  ids: readonly string[];
  refs: References;
}

/** One family of checks over the whole graph. */
export type Check = (ctx: ValidationContext) => Problem[];
