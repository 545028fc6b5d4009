import { z } from 'zod';
import { durationSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const CALL_OUTCOMES = ['connected', 'noAnswer', 'appointment', 'refused'] as const;
export const callOutcomeSchema = z.enum(CALL_OUTCOMES, { error: `must be one of ${CALL_OUTCOMES.join(', ')}` });
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

export const callTaskNodeSchema = z.object({
  kind: z.literal('callTask'),
  ...nodeBase,
  /** What the inside-sales rep should say or check. */
  script: z.string().max(5000).default(''),
  /** When the call is due after the lead arrives (e.g. 2 business days after the mail). */
  dueIn: durationSchema.default({ amount: 0, unit: 'minutes' }),
  maxAttempts: z.number().int().min(1, { error: 'must be at least 1' }).max(20, { error: 'must be at most 20' }).default(3),
  retryInterval: durationSchema.default({ amount: 1, unit: 'businessDays' }),
});
export type CallTaskNode = z.infer<typeof callTaskNodeSchema>;

export const callTask: NodeKindSpec<CallTaskNode> = {
  kind: 'callTask',
  group: 'sales',
  outputs: () => CALL_OUTCOMES.map((name) => ({ name, required: name !== 'refused' })),
  waits: true,
};
