import { z } from 'zod';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const webhookNodeSchema = z.object({
  kind: z.literal('webhook'),
  ...nodeBase,
  url: z.url({ error: 'must be a full URL (https://…)' }),
  /** Extra JSON merged into the body next to the lead and the scenario. */
  payload: z.record(z.string().max(128, { error: 'must be at most 128 characters' }), z.unknown()).default({}),
  /** A label for the target (SNS, LINE, CRM…), shown on the canvas and in reports. */
  channel: z.string().max(64).default('webhook'),
});
export type WebhookNode = z.infer<typeof webhookNodeSchema>;

export const webhook: NodeKindSpec<WebhookNode> = {
  kind: 'webhook',
  group: 'messages',
  outputs: () => [{ name: 'next', required: true }],
  waits: false,
};
