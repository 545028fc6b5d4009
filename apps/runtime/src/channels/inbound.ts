// What the inbound endpoints do with a bounce, a complaint or an unsubscribe by mail: find the
// message (by its signed token, or a provider's outbox key) or the lead (by address) and record it
// (bounces.ts), or unsubscribe the lead from the message's product line as the link would.
import { z } from 'zod';
import { withRetry, type Db } from '../core/bulk.ts';
import { ingestEvents } from '../core/ingest.ts';
import { ApiError } from '../errors.ts';
import { normalizeEmail } from '../leads/normalize.ts';
import type { Runtime } from '../runtime.ts';
import { trackingSigner } from '../tracking/tokens.ts';
import { recordBounces, type BounceOutcome, type BounceReport } from './bounces.ts';
import { readInboundMail } from './inbound-mail.ts';
import { returnId } from './return-path.ts';
import { refineStorable } from '../scenarios/storable-json.ts';

/** What an inbound message or notification did. */
export interface InboundResult {
  outcome: 'hardBounce' | 'softBounce' | 'complaint' | 'unsubscribed' | 'ignored';
  /** Why it was ignored, or what was recorded. */
  reason: string;
  leadId?: string;
  outboxKey?: string;
  productLine?: string | null;
  /** False when the same report had been recorded before. */
  recorded?: boolean;
  /** A soft bounce that made the address undeliverable. */
  becameHard?: boolean;
}

interface SentMessage {
  lead_id: string;
  key: string;
  product_line: string;
  scenario_id: string;
  node_id: string;
  to: string;
}

/** A provider's JSON notification of a bounce or a complaint. */
export const bounceNotificationSchema = z
  .strictObject({
    type: z.enum(['hard', 'soft', 'complaint'], { error: 'must be hard, soft or complaint' }),
    email: z.email({ error: 'must be an e-mail address' }).max(320).optional(),
    outboxKey: z.string().min(1).max(400).optional(),
    reason: z.string().max(1000).default(''),
    /** The provider's id of the notification: the same id again records nothing new. */
    id: z.string().min(1).max(200).optional(),
  })
  .refine((b) => b.email !== undefined || b.outboxKey !== undefined, { error: 'give email or outboxKey', path: ['email'] })
  .superRefine(refineStorable);
export type BounceNotification = z.infer<typeof bounceNotificationSchema>;

/** Reads and acts on a raw message mailed back (DSN, ARF complaint, mail to an unsubscribe address). */
export async function handleInboundMail(rt: Runtime, raw: Buffer, envelopeRecipient: string | null): Promise<InboundResult> {
  const signer = await trackingSigner(rt.db, rt.db);
  const reading = await readInboundMail(raw, signer, envelopeRecipient);
  if (reading.kind === 'ignored') return { outcome: 'ignored', reason: reading.reason };
  if (reading.token === null) return { outcome: 'ignored', reason: `a ${reading.kind} report that names no message of ours (no valid token)` };
  const message = await sentByReturnId(rt.db, reading.token.returnId);
  if (!message) return { outcome: 'ignored', reason: 'the token names no message that was sent' };
  const about = { leadId: message.lead_id, outboxKey: message.key, productLine: message.product_line };

  if (reading.kind === 'unsubscribe') {
    const now = rt.clock.now();
    const [outcome] = await ingestEvents(rt, [
      {
        // One per mail received: the mail's own Message-ID when it has one.
        id: `unsubscribe:${message.product_line}:${message.key}:mailto:${reading.messageId ?? now}`.slice(0, 200),
        kind: 'unsubscribed',
        leadId: message.lead_id,
        at: new Date(now).toISOString(),
        productLine: message.product_line,
        effectKey: message.key,
        data: { via: 'mailto', scope: 'productLine', productLine: message.product_line },
      },
    ]);
    if (outcome?.status === 'rejected') return { outcome: 'ignored', reason: outcome.issues.map((i) => i.message).join('; ') };
    return { outcome: 'unsubscribed', reason: `unsubscribed from product line "${message.product_line}" by mail`, ...about, leadId: outcome?.leadId ?? message.lead_id, recorded: outcome?.status === 'accepted' };
  }

  const report: BounceReport = {
    type: reading.kind === 'complaint' ? 'complaint' : reading.type,
    leadId: message.lead_id,
    address: message.to,
    message: { key: message.key, productLine: message.product_line, scenarioId: message.scenario_id, nodeId: message.node_id },
    reason: reading.reason,
    source: reading.kind === 'complaint' ? 'arf' : 'dsn',
    // One per message and kind: a report mailed twice, or after the SMTP server refused at send time, counts once.
    id: message.key,
  };
  const [done] = await inTransaction(rt, (db) => recordBounces(db, rt, [report]));
  return { ...about, ...resultOf(done!, reading.reason) };
}

/**
 * Acts on a provider's notification. `scope` is the product line whose inboundSecret authenticated
 * it (null for the server's INBOUND_SECRET): a scoped notification may only name that product line's
 * messages, and its address-only reports count for that product line.
 */
export async function handleBounceNotification(rt: Runtime, body: BounceNotification, scope: string | null): Promise<InboundResult[]> {
  const reports: BounceReport[] = [];
  const base = { type: body.type, reason: body.reason || `${body.type} (notification)`, source: 'notification' as const };
  if (body.outboxKey !== undefined) {
    const message = await sentByKey(rt.db, body.outboxKey);
    if (!message || (scope !== null && message.product_line !== scope)) {
      throw new ApiError(404, 'not_found', `no e-mail was sent with outbox key "${body.outboxKey}"`, [{ path: 'body.outboxKey', message: 'names no e-mail that was sent' }]);
    }
    reports.push({
      ...base,
      leadId: message.lead_id,
      address: body.email ?? message.to,
      message: { key: message.key, productLine: message.product_line, scenarioId: message.scenario_id, nodeId: message.node_id },
      id: body.id ? `notification:${body.id}` : message.key,
    });
  } else {
    const email = normalizeEmail(body.email);
    const leads = email === null ? [] : await rt.db.selectFrom('leads').select('id').where('email_norm', '=', email).where('merged_into', 'is', null).orderBy('id').execute();
    if (leads.length === 0) throw new ApiError(404, 'not_found', `no lead has the address "${body.email}"`, [{ path: 'body.email', message: 'is no lead\'s address' }]);
    const id = body.id ? `notification:${body.id}` : `notification:${email}:${rt.clock.now()}`;
    for (const lead of leads) reports.push({ ...base, leadId: lead.id, address: body.email!, message: null, productLine: scope, id: leads.length > 1 ? `${id}:${lead.id}` : id });
  }
  const done = await inTransaction(rt, (db) => recordBounces(db, rt, reports));
  return done.map((d, i) => {
    const message = reports[i]!.message;
    return { ...resultOf(d, reports[i]!.reason), ...(message ? { outboxKey: message.key } : {}), productLine: message?.productLine ?? scope };
  });
}

function resultOf(done: BounceOutcome, reason: string): InboundResult {
  return { outcome: done.outcome, reason, leadId: done.leadId, recorded: done.recorded, becameHard: done.becameHard };
}

function inTransaction<T>(rt: Runtime, work: (db: Db) => Promise<T>): Promise<T> {
  return withRetry(() => rt.db.transaction().execute(work));
}

const SENT_COLUMNS = ['lead_id', 'key', 'product_line', 'scenario_id', 'node_id', 'to'] as const;

async function sentByReturnId(db: Db, id: string): Promise<SentMessage | undefined> {
  return db.selectFrom('sent_emails').select(SENT_COLUMNS).where('return_id', '=', id).orderBy('sent_at', 'desc').limit(1).executeTakeFirst();
}

/** By outbox key, through the return id's index (the id is the key's hash). */
async function sentByKey(db: Db, key: string): Promise<SentMessage | undefined> {
  return db.selectFrom('sent_emails').select(SENT_COLUMNS).where('return_id', '=', returnId(key)).where('key', '=', key).limit(1).executeTakeFirst();
}
