import { z } from 'zod';
import { durationSchema, timeOfDaySchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const waitSpecSchema = z.discriminatedUnion('mode', [
  /** Wait a duration (minutes … weeks, or business days). */
  z.object({ mode: z.literal('for'), duration: durationSchema }),
  /** Wait until the next time of day, optionally only on business days. */
  z.object({ mode: z.literal('until'), time: timeOfDaySchema, businessDaysOnly: z.boolean().default(false) }),
]);
export type WaitSpec = z.infer<typeof waitSpecSchema>;

export const waitNodeSchema = z.object({ kind: z.literal('wait'), ...nodeBase, wait: waitSpecSchema });
export type WaitNode = z.infer<typeof waitNodeSchema>;

export const wait: NodeKindSpec<WaitNode> = {
  kind: 'wait',
  group: 'timing',
  outputs: () => [{ name: 'next', required: true }],
  waits: true,
};
