import { z } from 'zod';
import { idSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const goalNodeSchema = z.object({
  kind: z.literal('goal'),
  ...nodeBase,
  /** The KPI this goal counts toward (e.g. `appointment`, `conversion`). */
  goal: idSchema,
});
export type GoalNode = z.infer<typeof goalNodeSchema>;

export const goal: NodeKindSpec<GoalNode> = {
  kind: 'goal',
  group: 'end',
  outputs: () => [{ name: 'next', required: false }],
  waits: false,
};
