import { advance, type AdvanceResult, type EnrollmentState, type LeadView } from '@nurtureflow/engine';
import { sql } from 'kysely';
import { errorField, type Logger } from '../ops/logger.ts';
import { observeStepBatch } from '../ops/metrics.ts';
import type { Runtime } from '../runtime.ts';
import { withRetry } from './bulk.ts';
import { pollLoops } from './poll-loops.ts';
import { commitSteps, noFollowUps, type Stepped } from './commit.ts';
import { settle } from './ingest.ts';
import { needsOf, publishedGraphs, versionKey, widest } from './graphs.ts';
import { loadLeadViews, toLeadEvent } from './lead-views.ts';
import { capsMessages, engineContext, loadSettings } from './settings.ts';

interface Claimed {
  lead_id: string;
  id: string;
  scenario_id: string;
  version: number;
  state: EnrollmentState;
  event_cursor: number;
  wait_events: string[] | null;
  wake_at: Date;
}

/**
 * Steps one batch of due enrollments in one transaction: claims them with FOR UPDATE SKIP LOCKED
 * (any number of processes share the work, none takes a step twice), feeds each its inbox of
 * events and the clock, and commits state, history and outbox together. Returns how many it took.
 */
export async function stepDue(rt: Runtime, limit = 500, observe?: (wakeAts: readonly number[], committedAt: number) => void): Promise<number> {
  let wakeAts: number[] = [];
  const started = performance.now();
  const n = await withRetry(() =>
    rt.db.transaction().execute(async (trx) => {
      const now = rt.clock.now();
      const active = sql`select id from scenarios where status = 'active'${rt.productLines ? sql` and product_line in (${sql.join(rt.productLines.length ? [...rt.productLines] : [''])})` : sql``}`;
      const claimed = await sql<Claimed>`
        select lead_id, id, scenario_id, version, state, event_cursor, wait_events, wake_at from enrollments
        where status = 'waiting' and wake_at <= ${new Date(now)} and scenario_id in (${active})
        order by wake_at limit ${limit}
        for update skip locked`.execute(trx);
      const rows = claimed.rows;
      if (rows.length === 0) return 0;
      wakeAts = rows.map((r) => r.wake_at.getTime());
      const leadIds = [...new Set(rows.map((r) => r.lead_id))];
      const [graphs, settings] = await Promise.all([publishedGraphs(trx, rows.map((r) => ({ scenarioId: r.scenario_id, version: r.version }))), loadSettings(trx)]);
      const views = await loadLeadViews(trx, leadIds, widest([...graphs.values()].map((g) => needsOf(g, capsMessages(settings.get(g.productLine))))), now);
      const inbox = await loadInbox(trx, rows);
      const ctx = engineContext(settings);
      const stepped: Stepped[] = [];
      for (const row of rows) {
        const graph = graphs.get(versionKey(row.scenario_id, row.version));
        let view: LeadView | undefined = views.get(row.lead_id);
        if (!graph || !view) {
          // Nothing can step it (its version cannot be read, or its lead is gone): end it as failed, with the reason,
          // rather than leave it due for every batch to claim again.
          stepped.push(unsteppable(row, graph ? 'leadMissing' : 'versionUnreadable', now));
          continue;
        }
        let state = row.state;
        const merged: AdvanceResult = { state, effects: [], trace: [], next: { type: 'done', status: 'completed' }, lead: view, transitions: 0 };
        const feed = (r: AdvanceResult) => {
          merged.effects.push(...r.effects);
          merged.trace.push(...r.trace);
          merged.transitions += r.transitions;
          merged.next = r.next;
          state = r.state;
          view = r.lead;
        };
        let cursor = row.event_cursor;
        for (const e of inbox.get(row.lead_id) ?? []) {
          if (e.seq <= row.event_cursor) continue;
          cursor = Math.max(cursor, e.seq);
          if (state.status !== 'waiting' || !state.waiting?.events.includes(e.event.kind)) continue;
          feed(advance(graph, state, { type: 'event', now, event: e.event }, view, ctx));
        }
        feed(advance(graph, state, { type: 'tick', now }, view, ctx));
        merged.state = state;
        merged.lead = view;
        views.set(row.lead_id, view);
        stepped.push({ isNew: false, result: merged, cursor: Math.max(cursor, inbox.maxSeq.get(row.lead_id) ?? 0) });
      }
      const follow = noFollowUps();
      await commitSteps(trx, stepped, settings, follow, rt.workerId);
      await settle(trx, rt, settings, follow);
      return rows.length;
    }),
  );
  if (n > 0) observeStepBatch(wakeAts, performance.now() - started, rt.clock.now());
  // For the lag benchmark: when each claimed enrollment was due, and when its step was committed.
  if (observe && n > 0) observe(wakeAts, Date.now());
  return n;
}

function unsteppable(row: Claimed, why: string, now: number): Stepped {
  const seq = row.state.seq + 1;
  const state: EnrollmentState = { ...row.state, status: 'failed', waiting: null, pendingKey: null, seq, endedAt: now, endReason: why };
  const lead: LeadView = { id: row.lead_id, attributes: {}, tags: [], products: {}, unsubscribedAll: false, recentEvents: [], messages: [] };
  return {
    isNew: false,
    cursor: row.event_cursor,
    result: { state, effects: [], trace: [{ seq, at: now, nodeId: row.state.nodeId, output: null, to: null, reason: { code: 'exit', why } }], next: { type: 'done', status: 'failed' }, lead, transitions: 0 },
  };
}

/** Events past each claimed enrollment's cursor, by lead, in order of arrival; and each lead's latest seq. */
async function loadInbox(db: Parameters<typeof loadLeadViews>[0], rows: readonly Claimed[]) {
  const byLead = new Map<string, { seq: number; event: ReturnType<typeof toLeadEvent> }[]>() as Map<string, { seq: number; event: ReturnType<typeof toLeadEvent> }[]> & {
    maxSeq: Map<string, number>;
  };
  byLead.maxSeq = new Map();
  const waiting = rows.filter((r) => r.wait_events && r.wait_events.length > 0);
  const leadIds = [...new Set(rows.map((r) => r.lead_id))];
  const max = await sql<{ lead_id: string; seq: number }>`
    select lead_id, max(seq) as seq from events where lead_id in (${sql.join(leadIds)}) group by lead_id`.execute(db);
  for (const m of max.rows) byLead.maxSeq.set(m.lead_id, Number(m.seq));
  if (waiting.length === 0) return byLead;
  const minCursor = Math.min(...waiting.map((r) => Number(r.event_cursor)));
  const kinds = [...new Set(waiting.flatMap((r) => r.wait_events ?? []))];
  const events = await db
    .selectFrom('events')
    .select(['lead_id', 'id', 'kind', 'at', 'product_line', 'scenario_id', 'node_id', 'effect_key', 'data', 'seq'])
    .where('lead_id', 'in', [...new Set(waiting.map((r) => r.lead_id))])
    .where('seq', '>', minCursor)
    .where('kind', 'in', kinds)
    .orderBy('seq')
    .execute();
  for (const e of events) {
    const list = byLead.get(e.lead_id) ?? [];
    list.push({ seq: Number(e.seq), event: toLeadEvent(e) });
    byLead.set(e.lead_id, list);
  }
  return byLead;
}

/** How many batches a process steps at once: two keep both cores of a Postgres busy; PGlite has one connection. */
export function defaultConcurrency(rt: Runtime): number {
  return rt.dialect === 'postgres' ? 2 : 1;
}

/** Steps everything due now, with `concurrency` claim loops, until nothing is left; returns how many steps. */
export async function drainDue(rt: Runtime, options: { batch?: number; concurrency?: number } = {}): Promise<number> {
  let total = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? defaultConcurrency(rt) }, async () => {
      for (;;) {
        const n = await stepDue(rt, options.batch ?? 500);
        total += n;
        if (n === 0) return;
      }
    }),
  );
  return total;
}

/**
 * Runs the worker until stopped: `concurrency` claim loops, each taking a batch whenever enrollments
 * are due and sleeping briefly when none are. The returned stop function lets the current batches
 * finish (their claims are released by their commits) and resolves with the number of steps taken.
 */
export function startWorker(
  rt: Runtime,
  options: {
    batch?: number;
    idleMs?: number;
    concurrency?: number;
    onError?: (e: unknown) => void;
    observe?: (wakeAts: readonly number[], committedAt: number) => void;
    /** Logs each batch (steps, ms) at info and each failed batch at error (default: the runtime's log, if any). */
    log?: Logger;
  } = {},
): () => Promise<number> {
  const log = options.log ?? rt.log;
  const standing = rt.process?.loop('worker');
  const onError = options.onError ?? (log ? (e: unknown) => log.error({ err: errorField(e) }, 'worker batch failed; its claims were rolled back') : undefined);
  const stop = pollLoops(() => stepDue(rt, options.batch ?? 500, options.observe), {
    concurrency: options.concurrency ?? defaultConcurrency(rt),
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    ...(onError ? { onError } : {}),
    ...(log ? { onBatch: (steps: number, ms: number) => log.info({ steps, ms: Math.round(ms) }, 'worker batch') } : {}),
    ...(standing ? { onTurn: standing.turn } : {}),
  });
  return async () => {
    const n = await stop();
    standing?.stopped();
    return n;
  };
}
