// Failed logins per e-mail address and client address: after MAX_FAILURES within the window the
// pair is refused until the oldest failure leaves the window. Kept in memory: a restart forgets.
import type { Clock } from '../clock.ts';

/** Failed attempts allowed per e-mail and client address within WINDOW_MS. */
export const MAX_FAILURES = 5;
/** The window failures are counted in. */
export const WINDOW_MS = 15 * 60 * 1000;
/** Pairs remembered at most (the oldest are forgotten first), so a flood cannot fill memory. */
const MAX_KEYS = 100_000;

/** Counts failed logins and says when a pair must wait. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Milliseconds the pair must wait before trying again; 0 when it may try now. */
  retryAfter(email: string, client: string): number {
    const now = this.clock.now();
    const times = this.recent(key(email, client), now);
    return times.length < MAX_FAILURES ? 0 : times[0]! + WINDOW_MS - now;
  }

  /** Records a failed attempt. */
  failed(email: string, client: string): void {
    const k = key(email, client);
    const times = this.recent(k, this.clock.now());
    times.push(this.clock.now());
    this.failures.delete(k);
    this.failures.set(k, times);
    if (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  /** Forgets the pair's failures (a successful login). */
  succeeded(email: string, client: string): void {
    this.failures.delete(key(email, client));
  }

  private recent(k: string, now: number): number[] {
    const times = (this.failures.get(k) ?? []).filter((t) => t > now - WINDOW_MS);
    if (times.length === 0) this.failures.delete(k);
    else this.failures.set(k, times);
    return times;
  }
}

function key(email: string, client: string): string {
  return `${email}\u0000${client}`;
}
