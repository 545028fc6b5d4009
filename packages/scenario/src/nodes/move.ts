import { z } from 'zod';
import { idSchema, productLineIdSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const moveNodeSchema = z.object({
  kind: z.literal('move'),
  ...nodeBase,
  /** The target product line; the scenario's own when absent (cross-sell names another). */
  productLine: productLineIdSchema.optional(),
  scenarioId: idSchema,
  /** Leave this scenario (the usual case) or stay and continue on `next`. */
  exitCurrent: z.boolean().default(true),
});
export type MoveNode = z.infer<typeof moveNodeSchema>;

export const move: NodeKindSpec<MoveNode> = {
  kind: 'move',
  group: 'end',
  outputs: (n) => (n.exitCurrent ? [] : [{ name: 'next', required: true }]),
  waits: false,
};
