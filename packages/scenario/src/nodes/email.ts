import { z } from 'zod';
import { idSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const emailNodeSchema = z.object({
  kind: z.literal('email'),
  ...nodeBase,
  template: idSchema,
  /** Overrides the template's subject line. */
  subject: z.string().max(500).optional(),
  /** What to do when the frequency cap is reached: wait for room, or skip this mail. */
  onCap: z.enum(['defer', 'skip']).default('defer'),
  /** Respect the scenario's quiet hours (transactional mails may opt out). */
  respectQuietHours: z.boolean().default(true),
});
export type EmailNode = z.infer<typeof emailNodeSchema>;

export const email: NodeKindSpec<EmailNode> = {
  kind: 'email',
  group: 'messages',
  outputs: () => [
    { name: 'sent', required: true },
    { name: 'skipped', required: false },
  ],
  // A mail deferred by quiet hours or a cap waits; a loop through a mail alone still counts as
  // a loop without a wait, because a mail that is sent does not wait.
  waits: false,
};
