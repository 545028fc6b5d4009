// The webhook node's channel (SNS, LINE, CRM and anything else that takes a POST).
import type { Effect } from '@nurtureflow/engine';
import type { Runtime } from '../runtime.ts';
import type { Channel, Delivery } from './dispatcher.ts';
import { leadCards } from './lead-summary.ts';
import { NO_SECRET, signingSecret, type OutboundOptions } from './outbound-options.ts';
import { postSigned } from './signed-post.ts';

type WebhookEffect = Extract<Effect, { type: 'callWebhook' }>;

/**
 * POSTs each callWebhook effect to its URL: the lead's card in the product line, the scenario, the
 * node, the node's payload and the effect key, signed with HMAC-SHA256 (X-Nurtureflow-Signature)
 * and keyed for idempotency (X-Nurtureflow-Key). The dispatcher retries what may pass later and
 * keeps what fails for good as a dead letter (GET /webhooks/dead-letters).
 */
export function webhookChannel(rt: Runtime, options: OutboundOptions): Channel {
  return {
    type: 'callWebhook',
    async deliver(row, db): Promise<Delivery> {
      const effect = row.payload as WebhookEffect;
      const secret = await signingSecret(db, row.product_line, options);
      if (secret === null) return { status: 'failed', error: NO_SECRET };
      const lead = (await leadCards(db, [row.lead_id], row.product_line)).get(row.lead_id) ?? { id: row.lead_id };
      const body = {
        type: 'nurtureflow.webhook',
        key: row.key,
        channel: effect.channel,
        sentAt: new Date(rt.clock.now()).toISOString(),
        attempt: row.attempts + 1,
        productLine: row.product_line,
        scenario: { id: row.scenario_id, enrollmentId: row.enrollment_id },
        node: { id: effect.nodeId },
        lead,
        payload: effect.payload,
      };
      return postSigned(effect.url, body, { secret, key: row.key, timeoutMs: options.timeoutMs, policy: options.policy });
    },
  };
}
