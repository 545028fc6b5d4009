import { z } from 'zod';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const exitNodeSchema = z.object({
  kind: z.literal('exit'),
  ...nodeBase,
  reason: z.string().max(200).default(''),
});
export type ExitNode = z.infer<typeof exitNodeSchema>;

export const exit: NodeKindSpec<ExitNode> = {
  kind: 'exit',
  group: 'end',
  outputs: () => [],
  waits: false,
};
