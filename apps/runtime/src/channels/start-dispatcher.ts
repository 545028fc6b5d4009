// The dispatcher as a process runs it: claim loops over `dispatchDue` with every channel in one list
// (e-mail, webhooks, print jobs, hand-off notifications… each adds itself to the list main.ts
// passes), alongside the worker.
import { pollLoops } from '../core/poll-loops.ts';
import type { Runtime } from '../runtime.ts';
import { errorField, type Logger } from '../ops/logger.ts';
import { dispatchBatch, dispatchDue, type Channel, type Delivery, type DispatchOptions, type OutboxRow } from './dispatcher.ts';

export interface DispatcherLoopOptions extends DispatchOptions {
  /** Sleep when nothing is due (default 200 ms). */
  idleMs?: number;
  /**
   * Claim loops at once (default 4 on Postgres, where SKIP LOCKED lets batches overlap so one slow
   * SMTP or webhook round trip does not hold up the rest; 1 on the single-connection PGlite).
   */
  concurrency?: number;
  onError?: (e: unknown) => void;
  /** (Default: the runtime's log, if any.) Logs each batch's failures (warn: will retry; error: failed for good), rows given back at a stop, and errors. */
  log?: Logger;
}

/**
 * Runs the dispatcher until stopped. The returned stop function lets the deliveries in flight finish
 * (their outcomes are committed), gives back the rows its batches claimed but had not started, and
 * resolves with how many outbox rows were handled.
 */
export function startDispatcher(rt: Runtime, channels: readonly Channel[], options: DispatcherLoopOptions = {}): () => Promise<number> {
  const stopping = new AbortController();
  const log = options.log ?? rt.log;
  const standing = rt.process?.loop('dispatcher');
  const onError = options.onError ?? (log ? (e: unknown) => log.error({ err: errorField(e) }, 'dispatcher batch failed; its rows are retried when their lease ends') : undefined);
  const stop = pollLoops(
    async () => {
      const { rows, results } = await dispatchBatch(rt, channels, { ...options, signal: stopping.signal });
      if (log) logBatch(log, rows, results);
      return rows.length;
    },
    {
      concurrency: options.concurrency ?? (rt.dialect === 'postgres' ? 4 : 1),
      ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
      ...(onError ? { onError } : {}),
      ...(standing ? { onTurn: standing.turn } : {}),
    },
  );
  return async () => {
    stopping.abort();
    const n = await stop();
    standing?.stopped();
    return n;
  };
}

/**
 * One line per batch (debug); failures grouped per channel, outcome and error, one line each (warn
 * for retries, error for rows failed for good) with the count and the first keys, so an SMTP server
 * that is down writes one line per batch, not one per message; one line for rows given back.
 */
function logBatch(log: Logger, rows: readonly OutboxRow[], results: readonly (Delivery | undefined)[]): void {
  const counts: Record<string, number> = {};
  const failures = new Map<string, { channel: string; status: 'retry' | 'failed'; error: string; rows: number; keys: string[]; productLines: Set<string> }>();
  rows.forEach((row, i) => {
    const r = results[i];
    counts[r?.status ?? 'released'] = (counts[r?.status ?? 'released'] ?? 0) + 1;
    if (r?.status === 'retry' || r?.status === 'failed') {
      const k = `${row.type}\u0000${r.status}\u0000${r.error}`;
      const f = failures.get(k) ?? { channel: row.type, status: r.status, error: r.error, rows: 0, keys: [], productLines: new Set<string>() };
      f.rows++;
      if (f.keys.length < 5) f.keys.push(row.key);
      f.productLines.add(row.product_line);
      failures.set(k, f);
    }
  });
  for (const f of failures.values()) {
    const fields = { channel: f.channel, error: f.error, rows: f.rows, keys: f.keys, productLines: [...f.productLines] };
    if (f.status === 'retry') log.warn(fields, 'delivery failed; will retry');
    else log.error(fields, 'delivery failed for good');
  }
  if (counts['released']) log.info({ released: counts['released'] }, 'dispatcher stopping: claimed rows not started were given back');
  log.debug({ rows: rows.length, ...counts }, 'dispatcher batch');
}

/** Dispatches until nothing is due at the current time; returns how many rows were handled. */
export async function dispatchAllDue(rt: Runtime, channels: readonly Channel[], options: DispatchOptions = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await dispatchDue(rt, channels, options);
    total += n;
    if (n === 0) return total;
  }
}

/**
 * The dispatcher's tuning from the environment, each unset by default: DISPATCH_LEASE_MS (how long a
 * claimed row stays with its process before another may deliver it again), DISPATCH_BACKOFF_BASE_MS
 * and DISPATCH_BACKOFF_MAX_MS (the wait before a retry doubles from the base up to the max),
 * DISPATCH_MAX_ATTEMPTS, DISPATCH_BATCH and DISPATCH_IDLE_MS. A value that is not a positive number is ignored.
 */
export function dispatchOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): DispatcherLoopOptions {
  const read = (name: string): number | undefined => {
    const raw = env[name];
    const n = Number(raw);
    return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const options: DispatcherLoopOptions = {};
  const set = <K extends keyof DispatcherLoopOptions>(key: K, value: DispatcherLoopOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('leaseMs', read('DISPATCH_LEASE_MS'));
  set('backoffBaseMs', read('DISPATCH_BACKOFF_BASE_MS'));
  set('backoffMaxMs', read('DISPATCH_BACKOFF_MAX_MS'));
  set('maxAttempts', read('DISPATCH_MAX_ATTEMPTS'));
  set('batch', read('DISPATCH_BATCH'));
  set('idleMs', read('DISPATCH_IDLE_MS'));
  return options;
}
