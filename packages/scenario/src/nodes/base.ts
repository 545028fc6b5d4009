import { z } from 'zod';
import { idSchema } from '../common.ts';

/** Where each named output of a node leads: a node id, or null while unconnected. */
export const outputsSchema = z.record(z.string().min(1).max(64), idSchema.nullable());

/** Fields every node has, whatever its kind. */
export const nodeBase = {
  /** The marketer's label on the canvas. */
  name: z.string().max(200).optional(),
  note: z.string().max(2000).optional(),
  outputs: outputsSchema.default({}),
};

/** One output a node offers: its name, and whether the graph is incomplete without it. */
export interface OutputSpec {
  name: string;
  /** An unconnected optional output ends the enrollment there (a warning, not an error). */
  required: boolean;
}

/** Everything the format knows about one node kind; registered once in `registry.ts`. */
export interface NodeKindSpec<N> {
  kind: string;
  group: 'triggers' | 'messages' | 'sales' | 'timing' | 'logic' | 'data' | 'end';
  /** The outputs this node offers, given its configuration (branch cases, split variants). */
  outputs(node: N): OutputSpec[];
  /** True when reaching this node can stop an advance (a wait, or waiting for a person). */
  waits: boolean;
}
