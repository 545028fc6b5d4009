// The sales hand-off's channel: keep the record of why, then tell sales.
import type { Effect } from '@nurtureflow/engine';
import type { ProductLineSettings } from '@nurtureflow/scenario';
import { productLineSettingsSchema } from '@nurtureflow/scenario';
import type { Db } from '../core/bulk.ts';
import type { Runtime } from '../runtime.ts';
import type { Channel, Delivery, OutboxRow } from './dispatcher.ts';
import { HandoffMailer, handoffMessage, type HandoffLinks } from './handoff-mail.ts';
import { buildHandoffRecord, type HandoffRecord } from './handoff-record.ts';
import { NO_SECRET, signingSecret, type OutboundOptions } from './outbound-options.ts';
import { postSigned } from './signed-post.ts';

type HandoffEffect = Extract<Effect, { type: 'handOff' }>;

/** Where sales hear of a hand-off. */
export type SalesTarget = { via: 'webhook'; to: string } | { via: 'email'; to: string } | { via: 'none' };

/**
 * Whom to tell: the node's `to` when it is a URL or an e-mail address, else (`sales`, the default)
 * the product line's sales webhook, then its sales address, else nobody — the record still waits in
 * GET /handoffs.
 */
export function salesTarget(to: string, settings: ProductLineSettings | undefined): SalesTarget {
  const own = to.trim();
  if (/^https?:\/\//i.test(own)) return { via: 'webhook', to: own };
  if (/^[^@\s]+@[^@\s]+$/.test(own)) return { via: 'email', to: own };
  if (settings?.salesWebhook) return { via: 'webhook', to: settings.salesWebhook };
  if (settings?.salesEmail) return { via: 'email', to: settings.salesEmail };
  return { via: 'none' };
}

/**
 * Delivers handOff effects: the hand-off record (lead, standing, score history, recent events, the
 * path through the scenario, the node's reason) is written once, at the first attempt, and then
 * sales are told — a signed POST of the record to the sales webhook, or a mail to the address
 * (handoff-mail.ts), both retried with the dispatcher's backoff. The row is `sent` once sales were
 * told; they answer through POST /handoffs/:key/accept or /return.
 */
export function handoffChannel(rt: Runtime, options: OutboundOptions): Channel & { close(): void } {
  const mailer = new HandoffMailer(options.smtpUrl);
  return {
    type: 'handOff',
    close: () => mailer.close(),
    async deliver(row, db): Promise<Delivery> {
      const effect = row.payload as HandoffEffect;
      const { settings, name } = await settingsOf(db, row.product_line);
      const record = await ensureRecord(db, row, effect, settings, rt.clock.now());
      const links = answerLinks(options.publicUrl, row.key);
      const target = salesTarget(effect.to, settings);
      const at = new Date(rt.clock.now()).toISOString();
      if (target.via === 'none') {
        await setNotification(db, row, { via: 'none', status: 'none', at, note: 'the product line names no salesWebhook or salesEmail: the hand-off waits in GET /handoffs' });
        return { status: 'sent' };
      }
      if (target.via === 'email') {
        const message = handoffMessage(record, name, links);
        const sent = await mailer.send(db, row, settings, name, target.to, message, new Date(at));
        await setNotification(db, row, {
          via: 'email',
          to: target.to,
          status: sent.status === 'sent' ? 'sent' : sent.status === 'failed' ? 'failed' : 'retrying',
          at,
          attempts: row.attempts + 1,
          transport: sent.transport,
          messageId: sent.messageId,
          error: sent.status === 'retry' || sent.status === 'failed' ? sent.error : null,
          subject: message.subject,
          text: message.text,
        });
        return sent;
      }
      const secret = await signingSecret(db, row.product_line, options);
      const result: Delivery =
        secret === null
          ? { status: 'failed', error: NO_SECRET }
          : await postSigned(
              target.to,
              { type: 'nurtureflow.handoff', key: row.key, sentAt: at, attempt: row.attempts + 1, links, handoff: record },
              { secret, key: row.key, timeoutMs: options.timeoutMs, policy: options.policy },
            );
      await setNotification(db, row, {
        via: 'webhook',
        to: target.to,
        status: result.status === 'sent' ? 'sent' : result.status === 'failed' ? 'failed' : 'retrying',
        at,
        attempts: row.attempts + 1,
        error: result.status === 'retry' || result.status === 'failed' ? result.error : null,
      });
      return result;
    },
  };
}

/** The API links of a hand-off: the record, and the answers sales give. */
export function answerLinks(publicUrl: string, key: string): HandoffLinks {
  const base = `${publicUrl}/api/v1/handoffs/${encodeURIComponent(key)}`;
  return { view: base, accept: `${base}/accept`, return: `${base}/return` };
}

async function settingsOf(db: Db, productLine: string): Promise<{ settings: ProductLineSettings | undefined; name: string }> {
  const row = await db.selectFrom('product_lines').select(['settings', 'name']).where('id', '=', productLine).executeTakeFirst();
  const parsed = row ? productLineSettingsSchema.safeParse(row.settings) : null;
  return { settings: parsed?.success ? parsed.data : undefined, name: row?.name ?? productLine };
}

/** The record as first written: a retry tells sales what was true when the lead was handed off. */
async function ensureRecord(db: Db, row: OutboxRow, effect: HandoffEffect, settings: ProductLineSettings | undefined, now: number): Promise<HandoffRecord> {
  // By key alone: a lead merge may have moved the outbox row to another lead id since the first attempt.
  const found = await db.selectFrom('handoffs').select('record').where('key', '=', row.key).executeTakeFirst();
  if (found) return found.record as unknown as HandoffRecord;
  const record = await buildHandoffRecord(db, row, settings, now);
  await db
    .insertInto('handoffs')
    .values({
      lead_id: row.lead_id,
      key: row.key,
      product_line: row.product_line,
      scenario_id: row.scenario_id,
      enrollment_id: row.enrollment_id,
      node_id: effect.nodeId,
      reason: effect.reason,
      record: record as unknown as object,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .onConflict((oc) => oc.columns(['lead_id', 'key']).doNothing())
    .execute();
  return record;
}

async function setNotification(db: Db, row: OutboxRow, notification: { at: string } & Record<string, unknown>): Promise<void> {
  await db
    .updateTable('handoffs')
    .set({ notification: notification as object, updated_at: new Date(notification.at) })
    .where('key', '=', row.key)
    .execute();
}
