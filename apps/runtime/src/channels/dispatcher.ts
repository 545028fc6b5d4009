import type { Effect } from '@nurtureflow/engine';
import type { OutboxTable } from '@nurtureflow/db';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Runtime } from '../runtime.ts';
import { records, type Db } from '../core/bulk.ts';
import { deliveries, deliveryFailures } from '../ops/metrics.ts';

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

/**
 * Delivers one kind of effect. Runs outside any transaction: the dispatcher's lease on the row keeps
 * other dispatchers off it while a server answers, and the outcome is recorded after.
 */
export interface Channel {
  type: Effect['type'];
  deliver(row: OutboxRow, db: Db): Promise<Delivery>;
  /** Delivers a whole batch (one lookup, concurrent sends); the outcomes in the rows' order. */
  deliverMany?(rows: readonly OutboxRow[], db: Db): Promise<Delivery[]>;
}

export interface DispatchOptions {
  batch?: number;
  /** Attempts before a row is marked failed (default 8). */
  maxAttempts?: number;
  /** Backoff before attempt n+1: base × 2^(n-1), capped (defaults 5 s and 1 h). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * How long a claimed row stays with its dispatcher (default 5 min): longer than any delivery
   * takes, since a row not finished by then (its process died) is claimed and delivered again.
   */
  leaseMs?: number;
  /**
   * Aborted when the process stops: claimed rows whose delivery has not started are given back
   * (their claim undone, due again at once for any dispatcher) instead of being delivered.
   */
  signal?: AbortSignal;
}

/** What one batch did: the claimed rows and each one's outcome; `undefined` for a row given back unstarted. */
export interface DispatchedBatch {
  rows: OutboxRow[];
  results: (Delivery | undefined)[];
}

/** The wait before the next attempt, doubling from `base` and capped, so a dead server is not hammered. */
export function backoff(attempt: number, base = 5_000, max = 3_600_000): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/** Rows delivered at once by a channel that delivers one row at a time. */
const ONE_BY_ONE_CONCURRENCY = 8;

/**
 * Delivers one batch of due outbox rows through their channels: claims them (one statement), delivers
 * with no transaction open, and records every outcome (one statement). Returns how many rows it handled.
 *
 * A claim moves the row's `next_attempt_at` past a lease and counts the attempt, under FOR UPDATE
 * SKIP LOCKED, so any number of dispatchers in any number of processes never take the same row
 * while its lease runs. The outcome is written only if the row still carries that attempt (and is
 * still pending): a row whose lease ran out and was claimed again, or that was answered meanwhile,
 * is left to whoever holds it now. A crash after a channel handed a message over but before the
 * outcome is recorded delivers it again when the lease ends: at least once, with the row's key as
 * idempotency key so the receiving side can tell.
 */
export async function dispatchDue(rt: Runtime, channels: readonly Channel[], options: DispatchOptions = {}): Promise<number> {
  return (await dispatchBatch(rt, channels, options)).rows.length;
}

/** `dispatchDue`, returning the rows and their outcomes (for the dispatcher loop's log). */
export async function dispatchBatch(rt: Runtime, channels: readonly Channel[], options: DispatchOptions = {}): Promise<DispatchedBatch> {
  const byType = new Map(channels.map((c) => [c.type, c]));
  if (byType.size === 0) return { rows: [], results: [] };
  const rows = await claimDue(rt, [...byType.keys()], options);
  if (rows.length === 0) return { rows, results: [] };
  const results = await deliverClaimed(rt, byType, rows, options.signal);
  const started = rows.flatMap((row, i) => (results[i] ? [{ row, result: results[i] }] : []));
  const unstarted = rows.filter((_, i) => !results[i]);
  await Promise.all([
    started.length > 0 ? recordOutcomes(rt, started.map((s) => s.row), started.map((s) => s.result), options) : undefined,
    unstarted.length > 0 ? releaseClaims(rt, unstarted) : undefined,
  ]);
  for (const { row, result } of started) {
    deliveries.inc({ channel: row.type, outcome: result.status });
    if (result.status === 'retry' || result.status === 'failed') deliveryFailures.inc({ channel: row.type, kind: result.status });
  }
  for (const row of unstarted) deliveries.inc({ channel: row.type, outcome: 'released' });
  return { rows, results };
}

/** Claims up to `batch` due rows of these types for one lease; the rows as they were before the claim. */
export async function claimDue(rt: Runtime, types: readonly string[], options: DispatchOptions = {}): Promise<OutboxRow[]> {
  const now = rt.clock.now();
  const claimed = await sql<OutboxRow>`
    update outbox o set attempts = o.attempts + 1, next_attempt_at = ${new Date(now + (options.leaseMs ?? 300_000))}
    from (
      select lead_id, key, attempts, next_attempt_at from outbox
      where status = 'pending' and next_attempt_at <= ${new Date(now)} and type in (${sql.join([...types])})
        ${rt.productLines ? sql`and product_line in (${sql.join(rt.productLines.length ? [...rt.productLines] : [''])})` : sql``}
      order by next_attempt_at limit ${options.batch ?? 100}
      for update skip locked
    ) c
    where o.lead_id = c.lead_id and o.key = c.key
    returning o.lead_id, o.key, o.enrollment_id, o.scenario_id, o.product_line, o.type, o.payload, o.status,
      c.attempts, c.next_attempt_at, o.last_error, o.created_at, o.updated_at`.execute(rt.db);
  return claimed.rows.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Delivers claimed rows through their channels; a channel that throws leaves its rows to retry.
 * Once `signal` is aborted no further delivery starts: those rows' results stay `undefined`.
 */
export async function deliverClaimed(rt: Runtime, byType: ReadonlyMap<string, Channel>, rows: readonly OutboxRow[], signal?: AbortSignal): Promise<(Delivery | undefined)[]> {
  const results: (Delivery | undefined)[] = new Array(rows.length);
  if (signal?.aborted) return results;
  const retry = (e: unknown): Delivery => ({ status: 'retry', error: e instanceof Error ? e.message : String(e) });
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => groups.set(row.type, [...(groups.get(row.type) ?? []), i]));
  await Promise.all(
    [...groups].map(async ([type, indexes]) => {
      const channel = byType.get(type)!;
      if (channel.deliverMany) {
        const many = await channel.deliverMany(indexes.map((i) => rows[i]!), rt.db).catch((e: unknown) => indexes.map(() => retry(e)));
        indexes.forEach((i, k) => (results[i] = many[k] ?? retry('no outcome')));
        return;
      }
      let next = 0;
      const lane = async () => {
        while (next < indexes.length && !signal?.aborted) {
          const i = indexes[next++]!;
          results[i] = await channel.deliver(rows[i]!, rt.db).catch(retry);
        }
      };
      await Promise.all(Array.from({ length: Math.min(ONE_BY_ONE_CONCURRENCY, indexes.length) }, lane));
    }),
  );
  return results;
}

/**
 * Gives claimed rows back unstarted: the claim's attempt is taken back and the row is due again at
 * its old time, so another dispatcher (or this one after a restart) takes it at once rather than
 * after the lease. Only rows still carrying this claim are touched.
 */
export async function releaseClaims(rt: Runtime, rows: readonly OutboxRow[]): Promise<void> {
  const claims = rows.map((row) => ({ lead_id: row.lead_id, key: row.key, attempts: row.attempts, next_attempt_at: row.next_attempt_at.toISOString() }));
  await sql`
    update outbox o set attempts = r.attempts, next_attempt_at = r.next_attempt_at
    from ${records(claims)} as r(lead_id text, key text, attempts int, next_attempt_at timestamptz)
    where o.lead_id = r.lead_id and o.key = r.key and o.status = 'pending' and o.attempts = r.attempts + 1`.execute(rt.db);
}

/** Records the outcomes of claimed rows in one statement, each only while the row still carries its claim. */
export async function recordOutcomes(rt: Runtime, rows: readonly OutboxRow[], results: readonly Delivery[], options: DispatchOptions = {}): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const at = rt.clock.now();
  const outcomes = rows.map((row, i) => {
    const result = results[i]!;
    const attempts = row.attempts + 1;
    const done = { lead_id: row.lead_id, key: row.key, attempts, next_attempt_at: row.next_attempt_at.toISOString() };
    if (result.status === 'sent') return { ...done, status: 'sent', last_error: null };
    if (result.status === 'skipped') return { ...done, status: 'skipped', last_error: result.reason };
    if (result.status === 'failed' || attempts >= maxAttempts) return { ...done, status: 'failed', last_error: result.error };
    return { ...done, status: 'pending', last_error: result.error, next_attempt_at: new Date(at + backoff(attempts, options.backoffBaseMs, options.backoffMaxMs)).toISOString() };
  });
  await sql`
    update outbox o set status = r.status, attempts = r.attempts, last_error = r.last_error, next_attempt_at = r.next_attempt_at, updated_at = ${new Date(at)}
    from ${records(outcomes)} as r(lead_id text, key text, attempts int, status text, last_error text, next_attempt_at timestamptz)
    where o.lead_id = r.lead_id and o.key = r.key and o.status = 'pending' and o.attempts = r.attempts`.execute(rt.db);
}
