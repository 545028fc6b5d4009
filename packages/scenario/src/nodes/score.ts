import { z } from 'zod';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const scoreNodeSchema = z.object({
  kind: z.literal('score'),
  ...nodeBase,
  points: z.number().int({ error: 'must be a whole number' }).min(-10_000).max(10_000),
  reason: z.string().max(200).default(''),
});
export type ScoreNode = z.infer<typeof scoreNodeSchema>;

export const score: NodeKindSpec<ScoreNode> = {
  kind: 'score',
  group: 'data',
  outputs: () => [{ name: 'next', required: true }],
  waits: false,
};
