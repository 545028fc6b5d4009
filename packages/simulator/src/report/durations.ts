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
    const values = this.data.subarray(0, n);
    const rank = (p: number) => Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
    const r50 = rank(0.5);
    const r90 = rank(0.9);
    const r99 = rank(0.99);
    let sum = 0;
    let max = -Infinity;
    let whole = true;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      sum += v;
      if (v > max) max = v;
      if (!Number.isInteger(v) || v < 0) whole = false;
    }
    // Whole, non-negative milliseconds add up exactly in any order below 2^53; anything else is
    // summed in ascending order, as it always was.
    if (whole && Number.isSafeInteger(sum)) {
      // Three order statistics by selection instead of a full sort: each one found leaves the
      // smaller values before it, where the next is looked for.
      select(values, 0, n - 1, r99);
      if (r90 < r99) select(values, 0, r99 - 1, r90);
      if (r50 < r90) select(values, 0, r90 - 1, r50);
    } else {
      values.sort();
      sum = 0;
      for (let i = 0; i < n; i++) sum += values[i]!;
      max = values[n - 1]!;
    }
    return { count: n, meanMs: Math.round(sum / n), p50Ms: values[r50]!, p90Ms: values[r90]!, p99Ms: values[r99]!, maxMs: max };
  }
}

/**
 * Rearranges `a[lo..hi]` so that `a[k]` holds the value a sort would put there, with nothing
 * greater before it and nothing smaller after it (Hoare's selection, three-way partitions so long
 * runs of equal durations cost nothing; a range that will not shrink is sorted instead).
 */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  let rounds = 0;
  while (hi > lo) {
    if (++rounds > 64) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    // Median of three as the pivot.
    const x = a[lo]!;
    const y = a[(lo + hi) >>> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // a[lo..lt-1] < pivot, a[lt..i-1] = pivot, a[gt+1..hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt++] = v;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt--] = v;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return;
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
