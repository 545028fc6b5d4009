// What readiness needs to know about this process that the database cannot tell: whether it is
// stopping, and whether the loops it runs (worker, dispatcher, schedules) are alive.

/** A loop's standing: started, its last turn (ms since the epoch), stopped. */
interface LoopStanding {
  lastTurnAt: number;
  stopped: boolean;
}

/** The loops a process runs and whether it is stopping; one per process, shared through the Runtime. */
export class ProcessState {
  /** Set when a stop signal arrives: readiness turns 503 so load balancers stop sending work. */
  stopping = false;
  private readonly loops = new Map<string, LoopStanding>();

  /** Registers a loop by name; the returned functions mark each turn and its stop. */
  loop(name: string): { turn(): void; stopped(): void } {
    const standing: LoopStanding = { lastTurnAt: Date.now(), stopped: false };
    this.loops.set(name, standing);
    return { turn: () => void (standing.lastTurnAt = Date.now()), stopped: () => void (standing.stopped = true) };
  }

  /**
   * Each loop's state: `running`, `stopped`, or `stalled` when its last turn is older than `staleMs`
   * (a batch stuck on a dead connection). A loop turns at least every idle period, so a healthy one
   * is never stale for long.
   */
  loopStates(staleMs: number, now = Date.now()): Record<string, 'running' | 'stopped' | 'stalled'> {
    return Object.fromEntries([...this.loops].map(([name, l]) => [name, l.stopped ? 'stopped' : now - l.lastTurnAt > staleMs ? 'stalled' : 'running']));
  }
}
