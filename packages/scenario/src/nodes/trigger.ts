import { z } from 'zod';
import { conditionSchema, eventKindSchema, fieldTestSchema, rankSchema, timeOfDaySchema, productLineIdSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const triggerSourceSchema = z.discriminatedUnion('type', [
  /** Enter when the lead does something (form, download, seminar, hot lead…). */
  z.object({ type: z.literal('event'), event: eventKindSchema, filters: z.array(fieldTestSchema).max(20).default([]) }),
  /** Enter when the lead comes to match a condition (segment). */
  z.object({ type: z.literal('segment'), condition: conditionSchema }),
  /** Enter when the product line's score reaches a threshold. */
  z.object({ type: z.literal('score'), productLine: productLineIdSchema.optional(), min: z.number() }),
  /** Enter when the lead's rank becomes one of these. */
  z.object({ type: z.literal('rank'), productLine: productLineIdSchema.optional(), ranks: z.array(rankSchema).min(1, { error: 'choose at least one rank' }) }),
  /** Enter by import or by hand. */
  z.object({ type: z.literal('import') }),
  z.object({ type: z.literal('manual') }),
  /** Sweep the audience on a schedule. */
  z.object({
    type: z.literal('schedule'),
    every: z.enum(['day', 'week', 'month']),
    at: timeOfDaySchema,
    /** 0 = Sunday … 6 = Saturday, for `week`. */
    weekday: z.number().int().min(0).max(6).optional(),
    /** 1–28, for `month`. */
    dayOfMonth: z.number().int().min(1).max(28).optional(),
    condition: conditionSchema.optional(),
  }),
]);
export type TriggerSource = z.infer<typeof triggerSourceSchema>;

export const triggerNodeSchema = z.object({ kind: z.literal('trigger'), ...nodeBase, trigger: triggerSourceSchema });
export type TriggerNode = z.infer<typeof triggerNodeSchema>;

export const trigger: NodeKindSpec<TriggerNode> = {
  kind: 'trigger',
  group: 'triggers',
  outputs: () => [{ name: 'next', required: true }],
  waits: false,
};
