// The worker and the outbox dispatcher run the same way: a few loops each taking a batch whenever
// one is due and sleeping briefly when none is, stopped by letting the batches in flight finish.

export interface PollOptions {
  /** Loops at once. */
  concurrency: number;
  /** Sleep when a batch found nothing (default 200 ms). */
  idleMs?: number;
  onError?: (e: unknown) => void;
  /** Called after every batch that handled something, with how much and how long it took (ms). */
  onBatch?: (handled: number, ms: number) => void;
  /** Called at every turn of every loop, busy or idle (readiness sees the loops alive by it). */
  onTurn?: () => void;
}

/**
 * Runs `batch` in `concurrency` loops until stopped; `batch` returns how much it handled (0 means
 * nothing was due, so the loop sleeps). The returned stop function wakes sleeping loops, waits for
 * the batches in flight, and resolves with the total handled.
 */
export function pollLoops(batch: () => Promise<number>, options: PollOptions): () => Promise<number> {
  let running = true;
  let handled = 0;
  const sleepers = new Set<() => void>();
  const loop = async () => {
    while (running) {
      options.onTurn?.();
      let n = 0;
      try {
        const started = performance.now();
        n = await batch();
        handled += n;
        if (n > 0) options.onBatch?.(n, performance.now() - started);
      } catch (e) {
        (options.onError ?? console.error)(e);
      }
      if (n === 0 && running) {
        await new Promise<void>((r) => {
          const wake = () => (sleepers.delete(wake), r());
          sleepers.add(wake);
          setTimeout(wake, options.idleMs ?? 200);
        });
      }
    }
  };
  const loops = Array.from({ length: options.concurrency }, loop);
  return async () => {
    running = false;
    for (const wake of [...sleepers]) wake();
    await Promise.all(loops);
    return handled;
  };
}
