// The dispatcher as a process runs it: claim loops over `dispatchDue` with every channel in one list
// (e-mail, webhooks, print jobs, hand-off notifications… each adds itself to the list main.ts
// passes), alongside the worker.
import { pollLoops } from '../core/poll-loops.ts';
import type { Runtime } from '../runtime.ts';
import { dispatchDue, type Channel, type DispatchOptions } from './dispatcher.ts';

export interface DispatcherLoopOptions extends DispatchOptions {
  /** Sleep when nothing is due (default 200 ms). */
  idleMs?: number;
  /**
   * Claim loops at once (default 4 on Postgres, where SKIP LOCKED lets batches overlap so one slow
   * SMTP or webhook round trip does not hold up the rest; 1 on the single-connection PGlite).
   */
  concurrency?: number;
  onError?: (e: unknown) => void;
}

/**
 * Runs the dispatcher until stopped. The returned stop function lets the batches in flight finish
 * (their outcomes are committed) and resolves with how many outbox rows were handled.
 */
export function startDispatcher(rt: Runtime, channels: readonly Channel[], options: DispatcherLoopOptions = {}): () => Promise<number> {
  return pollLoops(() => dispatchDue(rt, channels, options), {
    concurrency: options.concurrency ?? (rt.dialect === 'postgres' ? 4 : 1),
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
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
