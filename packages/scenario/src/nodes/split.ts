import { z } from 'zod';
import { idSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const splitVariantSchema = z.object({
  id: idSchema,
  label: z.string().max(200).default(''),
  weight: z.number().min(0, { error: 'must not be negative' }).max(1_000_000),
  /** A holdout variant receives nothing; it measures what the journey adds. */
  holdout: z.boolean().default(false),
});
export type SplitVariant = z.infer<typeof splitVariantSchema>;

export const splitNodeSchema = z.object({
  kind: z.literal('split'),
  ...nodeBase,
  variants: z.array(splitVariantSchema).max(20),
});
export type SplitNode = z.infer<typeof splitNodeSchema>;

export const split: NodeKindSpec<SplitNode> = {
  kind: 'split',
  group: 'logic',
  outputs: (n) => n.variants.map((v) => ({ name: v.id, required: true })),
  waits: false,
};
