// What a bounce or a complaint does to a lead, wherever it was learnt (the SMTP server refusing the
// recipient, a DSN or ARF report mailed back, a provider's notification):
// - hard: an `email_bounced` event (product line, scenario, node, outbox key) and the address kept
//   in `bounced_addresses`, so no product line mails it again while it is the lead's address;
// - soft: an `email_soft_bounced` event; SOFT_BOUNCE_LIMIT (3) messages in a row that soft-bounced
//   (no open or click of a mail since) make it a hard bounce;
// - complaint: an `email_complained` event and an `unsubscribed` event for all mail.
// Events go through ingestion, so they score, wake scenarios waiting for them and trigger others.
import type { ProductLineSettings } from '@nurtureflow/scenario';
import { sql } from 'kysely';
import type { Db } from '../core/bulk.ts';
import { noFollowUps } from '../core/commit.ts';
import { ingestInTransaction, settle, type EventInput } from '../core/ingest.ts';
import { loadSettings } from '../core/settings.ts';
import { normalizeEmail } from '../leads/normalize.ts';
import type { Runtime } from '../runtime.ts';
import { storableText } from '../scenarios/storable-json.ts';

export type BounceType = 'hard' | 'soft' | 'complaint';
export type BounceSource = 'smtp' | 'dsn' | 'arf' | 'notification';

/** The message a report is about: what its events carry. */
export interface BouncedMessage {
  key: string;
  productLine: string;
  scenarioId: string;
  nodeId: string;
}

/** One bounce or complaint, as a channel or an inbound endpoint learnt it. */
export interface BounceReport {
  type: BounceType;
  /** The lead the message or the address names (a merged lead's id leads to the survivor). */
  leadId: string;
  /** The address that failed: the one the message was sent to. */
  address: string;
  /** The message, when the report names one. */
  message: BouncedMessage | null;
  /** When no message is named: the product line the events count for (null: every one). */
  productLine?: string | null;
  reason: string;
  source: BounceSource;
  /** Unique per report: the same id again records nothing new (a DSN mailed twice, a notification retried). */
  id: string;
}

/** What a report did. */
export interface BounceOutcome {
  outcome: 'hardBounce' | 'softBounce' | 'complaint';
  leadId: string;
  /** False when this report was already recorded. */
  recorded: boolean;
  /** A soft bounce that made the address undeliverable (SOFT_BOUNCE_LIMIT in a row). */
  becameHard: boolean;
}

/** Soft bounces in a row that make an address undeliverable: SOFT_BOUNCE_LIMIT, default 3. */
export function softBounceLimit(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const n = Number(env['SOFT_BOUNCE_LIMIT'] ?? 3);
  return Number.isInteger(n) && n >= 1 ? n : 3;
}

const EVENT_KIND: Record<BounceType, string> = { hard: 'email_bounced', soft: 'email_soft_bounced', complaint: 'email_complained' };

/** Records reports in the caller's transaction (the dispatcher's, or one of its own for an inbound request). */
export async function recordBounces(db: Db, rt: Runtime, reports: readonly BounceReport[]): Promise<BounceOutcome[]> {
  if (reports.length === 0) return [];
  const settings = await loadSettings(db);
  const follow = noFollowUps();
  const at = new Date(rt.clock.now()).toISOString();
  const eventOf = (r: BounceReport, kind: string, id: string, extra: Record<string, string> = {}): EventInput => ({
    id,
    kind,
    leadId: r.leadId,
    at,
    productLine: productLineOf(r, settings),
    scenarioId: r.message?.scenarioId ?? null,
    nodeId: r.message?.nodeId ?? null,
    effectKey: r.message?.key ?? null,
    data: { type: r.type, reason: storableText(r.reason.slice(0, 1000)), source: r.source, address: normalizeEmail(r.address) ?? r.address, ...extra },
  });

  const events: EventInput[] = [];
  for (const r of reports) {
    events.push(eventOf(r, EVENT_KIND[r.type], `${r.type === 'hard' ? 'bounce' : r.type === 'soft' ? 'soft-bounce' : 'complaint'}:${r.id}`));
    if (r.type === 'complaint') events.push({ ...eventOf(r, 'unsubscribed', `complaint-unsubscribe:${r.id}`, { via: 'complaint', scope: 'all' }), productLine: null });
  }
  const outcomes = await ingestInTransaction(db, rt, events, settings, follow);

  const results: BounceOutcome[] = [];
  const hard: { report: BounceReport; leadId: string; reason: string }[] = [];
  const limit = softBounceLimit();
  let i = 0;
  for (const r of reports) {
    const first = outcomes[i]!;
    i += r.type === 'complaint' ? 2 : 1;
    if (first.status === 'rejected') throw new Error(`bounce for lead "${r.leadId}" not recorded: ${first.issues.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
    const recorded = first.status === 'accepted';
    const result: BounceOutcome = { outcome: r.type === 'hard' ? 'hardBounce' : r.type === 'soft' ? 'softBounce' : 'complaint', leadId: first.leadId, recorded, becameHard: false };
    if (r.type === 'hard') hard.push({ report: r, leadId: first.leadId, reason: r.reason });
    if (r.type === 'soft' && recorded) {
      const inARow = await softBouncesInARow(db, first.leadId, normalizeEmail(r.address) ?? r.address);
      if (inARow >= limit) {
        const reason = `${inARow} soft bounces in a row; the last: ${r.reason}`;
        await ingestInTransaction(db, rt, [{ ...eventOf({ ...r, type: 'hard', reason }, 'email_bounced', `bounce:${r.id}`), leadId: first.leadId }], settings, follow);
        hard.push({ report: r, leadId: first.leadId, reason });
        result.becameHard = true;
      }
    }
    results.push(result);
  }
  for (const h of hard) await markUndeliverable(db, h.leadId, h.report, h.reason, at);
  await settle(db, rt, settings, follow);
  return results;
}

/** Why mail to this lead is held back: its current address bounced for good. Null when it may be mailed. */
export function bouncedReason(address: string | null, bounced: { reason: string; at: Date } | null): string | null {
  if (!bounced || !address) return null;
  return `bounced: ${address} bounced for good on ${bounced.at.toISOString().slice(0, 10)} (${bounced.reason}); mail resumes when the lead's e-mail changes`;
}

/** The bounce record of the lead's current address, if it bounced for good. */
export async function bounceOf(db: Db, leadId: string): Promise<{ reason: string; at: Date } | null> {
  const row = await db
    .selectFrom('bounced_addresses as b')
    .innerJoin('leads as l', (j) => j.onRef('l.id', '=', 'b.lead_id').onRef('l.email_norm', '=', 'b.email_norm'))
    .select(['b.reason', 'b.at'])
    .where('b.lead_id', '=', leadId)
    .executeTakeFirst();
  return row ?? null;
}

function productLineOf(r: BounceReport, settings: ReadonlyMap<string, ProductLineSettings>): string | null {
  const pl = r.message?.productLine ?? r.productLine ?? null;
  // A product line deleted since the message was sent: the event counts for none in particular.
  return pl !== null && settings.has(pl) ? pl : null;
}

/** Messages that soft-bounced at this address since the lead last opened or clicked a mail (the proof one arrived). */
async function softBouncesInARow(db: Db, leadId: string, address: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(distinct coalesce(effect_key, id))::int as n from events
    where lead_id = ${leadId} and kind = 'email_soft_bounced' and data->>'address' = ${address}
      and at > coalesce((select max(at) from events where lead_id = ${leadId} and kind in ('email_opened', 'link_clicked')), '-infinity'::timestamptz)`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

async function markUndeliverable(db: Db, leadId: string, r: BounceReport, reason: string, at: string): Promise<void> {
  const email = normalizeEmail(r.address);
  if (email === null) return;
  const row = {
    lead_id: leadId,
    email_norm: email,
    // Cut first, then made storable: a cut through a surrogate pair leaves half of it.
    reason: storableText(reason.slice(0, 1000)),
    source: r.source,
    product_line: r.message?.productLine ?? r.productLine ?? null,
    scenario_id: r.message?.scenarioId ?? null,
    node_id: r.message?.nodeId ?? null,
    outbox_key: r.message?.key ?? null,
    at: new Date(at),
  };
  await db
    .insertInto('bounced_addresses')
    .values(row)
    .onConflict((oc) => oc.columns(['lead_id', 'email_norm']).doUpdateSet({ reason: row.reason, source: row.source, product_line: row.product_line, scenario_id: row.scenario_id, node_id: row.node_id, outbox_key: row.outbox_key, at: row.at }))
    .execute();
}

/** The SMTP server refused the recipient for good (5xx to RCPT TO) while the message was being sent: a hard bounce of that message. */
export function bounceAtSend(db: Db, rt: Runtime, row: { lead_id: string; key: string; product_line: string; scenario_id: string }, nodeId: string, address: string, reason: string): Promise<BounceOutcome[]> {
  const message = { key: row.key, productLine: row.product_line, scenarioId: row.scenario_id, nodeId };
  return recordBounces(db, rt, [{ type: 'hard', leadId: row.lead_id, address, message, reason, source: 'smtp', id: row.key }]);
}
