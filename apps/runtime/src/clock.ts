/** Where the runtime reads the time. Injected, so tests drive time and the engine never reads it. */
export interface Clock {
  now(): number;
}

/** Real time. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  /** The current virtual time in ms. */
  now(): number {
    return this.t;
  }
  /** Jump to an absolute time (ISO string or ms); never backwards. */
  set(at: string | number): void {
    const t = typeof at === 'string' ? Date.parse(at) : at;
    if (Number.isNaN(t)) throw new Error(`not a time: ${at}`);
    this.t = Math.max(this.t, t);
  }
  /** Move forward by ms. */
  advance(ms: number): void {
    this.t += ms;
  }
}
