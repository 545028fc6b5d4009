import type { Durations } from './types.ts';

/** A growable list of durations, summarised into percentiles at the end. */
export class DurationList {
  private data = new Float64Array(64);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = ms;
  }

  /** The durations added so far (a copy). */
  values(): Float64Array {
    return this.data.slice(0, this.n);
  }

  /** Adds another list's durations. */
  addAll(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) this.add(values[i]!);
  }

  /** Count, mean, nearest-rank percentiles and maximum; null when nothing was added. */
  summary(): Durations | null {
    const n = this.n;
    if (n === 0) return null;
    const sorted = this.data.subarray(0, n).sort();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i]!;
    const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
    return { count: n, meanMs: Math.round(sum / n), p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: sorted[n - 1]! };
  }
}

/** Nearest-rank percentile of a histogram (index = value). */
export function histogramPercentile(histogram: readonly number[], p: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v]!;
    if (seen >= rank) return v;
  }
  return histogram.length - 1;
}
