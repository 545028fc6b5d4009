// The channels of the sales side of the outbox, for the dispatcher's list.
import type { Runtime } from '../runtime.ts';
import type { Channel } from './dispatcher.ts';
import { handoffChannel } from './handoff.ts';
import type { OutboundOptions } from './outbound-options.ts';
import { printJobChannel } from './print-job.ts';
import { webhookChannel } from './webhook.ts';

/**
 * Webhooks, sales hand-offs and print jobs. Call tasks have no channel: their outbox rows stay open
 * in inside sales' queue until someone completes them.
 */
export function salesChannels(rt: Runtime, options: OutboundOptions): Channel[] {
  return [webhookChannel(rt, options), handoffChannel(rt, options), printJobChannel(rt, options)];
}
