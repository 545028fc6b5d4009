import type { Effect } from '@nurtureflow/engine';
import type { OutboxTable } from '@nurtureflow/db';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Runtime } from '../runtime.ts';
import type { Db } from '../core/bulk.ts';

/** An outbox row as a channel sees it. */
export type OutboxRow = Selectable<OutboxTable>;

/** What a channel made of one delivery attempt. */
export type Delivery =
  /** Handed over (to the SMTP server, the webhook target, the print queue…). */
  | { status: 'sent'; detail?: Record<string, unknown> }
  /** Not sent on purpose, with the reason (unsubscribed at send time, bounced address…). */
  | { status: 'skipped'; reason: string }
  /** Failed for now; try again. The dispatcher backs off and gives up after `maxAttempts`. */
  | { status: 'retry'; error: string }
  /** Failed for good (a permanent SMTP rejection, a target the operator forbids). */
  | { status: 'failed'; error: string };

/** Delivers one kind of effect. Runs inside the dispatcher's transaction, which holds the row. */
export interface Channel {
  type: Effect['type'];
  deliver(row: OutboxRow, db: Db): Promise<Delivery>;
}

export interface DispatchOptions {
  batch?: number;
  /** Attempts before a row is marked failed (default 8). */
  maxAttempts?: number;
  /** Backoff before attempt n+1: base × 2^(n-1), capped (defaults 5 s and 1 h). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** The wait before the next attempt, doubling from `base` and capped, so a dead server is not hammered. */
export function backoff(attempt: number, base = 5_000, max = 3_600_000): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/**
 * Delivers one batch of due outbox rows through their channels: claims them with FOR UPDATE SKIP
 * LOCKED (any number of dispatchers, none delivers a row twice while it holds it), delivers, and
 * records the outcome in the same transaction. A crash after a channel handed a message over but
 * before the commit delivers it again: at least once, with the row's key as idempotency key so the
 * receiving side can tell. Returns how many rows it handled.
 */
export async function dispatchDue(rt: Runtime, channels: readonly Channel[], options: DispatchOptions = {}): Promise<number> {
  const byType = new Map(channels.map((c) => [c.type, c]));
  if (byType.size === 0) return 0;
  const maxAttempts = options.maxAttempts ?? 8;
  return rt.db.transaction().execute(async (trx) => {
    const now = rt.clock.now();
    const rows = await sql<OutboxRow>`
      select * from outbox
      where status = 'pending' and next_attempt_at <= ${new Date(now)} and type in (${sql.join([...byType.keys()])})
        ${rt.productLines ? sql`and product_line in (${sql.join(rt.productLines.length ? [...rt.productLines] : [''])})` : sql``}
      order by next_attempt_at limit ${options.batch ?? 100}
      for update skip locked`.execute(trx);
    for (const row of rows.rows) {
      let result: Delivery;
      try {
        result = await byType.get(row.type)!.deliver(row, trx);
      } catch (e) {
        result = { status: 'retry', error: e instanceof Error ? e.message : String(e) };
      }
      const attempts = row.attempts + 1;
      const at = new Date(rt.clock.now());
      const base = trx.updateTable('outbox').where('lead_id', '=', row.lead_id).where('key', '=', row.key);
      if (result.status === 'sent') await base.set({ status: 'sent', attempts, last_error: null, updated_at: at }).execute();
      else if (result.status === 'skipped') await base.set({ status: 'skipped', attempts, last_error: result.reason, updated_at: at }).execute();
      else if (result.status === 'failed' || attempts >= maxAttempts)
        await base.set({ status: 'failed', attempts, last_error: result.error, updated_at: at }).execute();
      else
        await base
          .set({ attempts, last_error: result.error, next_attempt_at: new Date(at.getTime() + backoff(attempts, options.backoffBaseMs, options.backoffMaxMs)), updated_at: at })
          .execute();
    }
    return rows.rows.length;
  });
}
