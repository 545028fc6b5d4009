import { z } from 'zod';
import { durationSchema, eventKindSchema, fieldTestSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const waitForEventNodeSchema = z.object({
  kind: z.literal('waitForEvent'),
  ...nodeBase,
  event: eventKindSchema,
  filters: z.array(fieldTestSchema).max(20).default([]),
  /** Only events caused by this scenario's own messages count (an open of *this* scenario's mail). */
  sameScenario: z.boolean().default(false),
  timeout: durationSchema,
});
export type WaitForEventNode = z.infer<typeof waitForEventNodeSchema>;

export const waitForEvent: NodeKindSpec<WaitForEventNode> = {
  kind: 'waitForEvent',
  group: 'timing',
  outputs: () => [
    { name: 'event', required: true },
    { name: 'timeout', required: true },
  ],
  waits: true,
};
