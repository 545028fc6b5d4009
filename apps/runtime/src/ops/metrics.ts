// The process's figures in Prometheus text format (GET /metrics). Counters and histograms belong to
// the process, as a scrape of one process means: the worker, the dispatcher, ingestion and the HTTP
// layer add to them as they go. The outbox depth is a count in the database, read at each scrape.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Db } from '../core/bulk.ts';

/** The registry GET /metrics serialises. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'nurtureflow_' });

/** Enrollments stepped by this process's worker (one per claimed enrollment, however many nodes it passed). */
export const stepsTaken = new Counter({ name: 'nurtureflow_steps_total', help: 'Enrollments stepped by the worker (committed).', registers: [registry] });

/** How long one worker batch took, claim to commit. */
export const stepBatchSeconds = new Histogram({
  name: 'nurtureflow_step_batch_duration_seconds',
  help: 'Duration of one worker batch, from the claim to the commit.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Due time to commit, per stepped enrollment. */
export const wakeLagSeconds = new Histogram({
  name: 'nurtureflow_wakeup_lag_seconds',
  help: 'Time from an enrollment being due (wake_at) to its step being committed.',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [registry],
});

/** Outbox rows by type and status, counted in the database at scrape time. */
export const outboxRows = new Gauge({ name: 'nurtureflow_outbox_rows', help: 'Outbox rows by effect type and status (read at scrape time).', labelNames: ['type', 'status'] as const, registers: [registry] });

/** Delivery attempts by channel and outcome (sent, skipped, retry, failed, released). */
export const deliveries = new Counter({
  name: 'nurtureflow_deliveries_total',
  help: 'Outbox delivery attempts by channel (effect type) and outcome: sent, skipped, retry, failed, released (claimed, not started, given back at shutdown).',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

/** Delivery attempts that did not succeed: to be retried, or failed for good. */
export const deliveryFailures = new Counter({
  name: 'nurtureflow_delivery_failures_total',
  help: 'Outbox delivery attempts that failed, by channel and kind: retry (will be tried again) or failed (for good).',
  labelNames: ['channel', 'kind'] as const,
  registers: [registry],
});

/** Events through ingestion, by outcome (accepted, duplicate, rejected). */
export const eventsIngested = new Counter({ name: 'nurtureflow_events_ingested_total', help: 'Events through ingestion by outcome: accepted, duplicate, rejected.', labelNames: ['outcome'] as const, registers: [registry] });

/** HTTP requests by method, route pattern and status. */
export const httpSeconds = new Histogram({
  name: 'nurtureflow_http_request_duration_seconds',
  help: 'HTTP request duration by method, route pattern (not the raw path) and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Records one worker batch: its size, how long it took (ms) and each enrollment's lag to `committedAt` (the runtime's clock, ms). */
export function observeStepBatch(wakeAts: readonly number[], batchMs: number, committedAt: number): void {
  stepsTaken.inc(wakeAts.length);
  stepBatchSeconds.observe(batchMs / 1000);
  for (const w of wakeAts) wakeLagSeconds.observe(Math.max(0, committedAt - w) / 1000);
}

/** The text a scrape gets: the outbox depth read now from `db`, then every figure. */
export async function scrape(db: Db): Promise<string> {
  const depth = await sql<{ type: string; status: string; n: string }>`select type, status, count(*) as n from outbox group by type, status`.execute(db);
  outboxRows.reset();
  for (const r of depth.rows) outboxRows.set({ type: r.type, status: r.status }, Number(r.n));
  return registry.metrics();
}
