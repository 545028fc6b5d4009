import { z } from 'zod';
import { durationSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const handoffNodeSchema = z.object({
  kind: z.literal('handoff'),
  ...nodeBase,
  /** Who receives it: the product line's sales team by default, or an address / webhook key. */
  to: z.string().max(320).default('sales'),
  /** The reason shown to sales, in their words. */
  reason: z.string().max(2000).default(''),
  /** Returned leads come back through `returned`; silence past this goes to `timeout`. */
  responseTimeout: durationSchema.optional(),
});
export type HandoffNode = z.infer<typeof handoffNodeSchema>;

export const handoff: NodeKindSpec<HandoffNode> = {
  kind: 'handoff',
  group: 'sales',
  outputs: (n) => [
    { name: 'accepted', required: false },
    { name: 'returned', required: true },
    ...(n.responseTimeout ? [{ name: 'timeout', required: true }] : []),
  ],
  waits: true,
};
