// A lead's pending inputs in time order: a binary min-heap on (at, seq), so inputs at the same
// time are taken in the order they were written or scheduled.

/** Something that happens to one lead at a time. */
export type Item =
  /** Enrol through a trigger (the scenario's import, manual or first trigger when absent). */
  | { type: 'enroll'; scenarioId: string; trigger: string | undefined }
  /** The lead does something. */
  | {
      type: 'event';
      kind: string;
      productLine: string | null;
      scenarioId: string | null;
      nodeId: string | null;
      effectKey: string | null;
      data: Readonly<Record<string, string | number | boolean | null>>;
    }
  /**
   * Inside sales or sales answer the lead's open call task or hand-off in a scenario: the one with
   * `key` (dropped when that is no longer open), or whichever is open when `key` is null.
   */
  | { type: 'answer'; scenarioId: string; kind: 'call_completed' | 'handoff_accepted' | 'handoff_returned'; outcome: string | null; key: string | null }
  /** Segment and score triggers (`lead`) and schedule triggers (all, or one node's) look at the lead. */
  | { type: 'sweep'; lead: boolean; schedule: 'all' | { scenarioId: string; nodeId: string } | null };

export interface Entry {
  at: number;
  seq: number;
  item: Item;
}

/** Earlier first; at the same time, lower seq first. */
export function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** A min-heap of entries, reused from lead to lead. */
export class Queue {
  private items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items.length = 0;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Entry): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = a[parent]!;
      if (!before(entry, up)) break;
      a[i] = up;
      i = parent;
    }
    a[i] = entry;
  }

  pop(): Entry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        const down = a[m]!;
        a[m] = a[i]!;
        a[i] = down;
        i = m;
      }
    }
    return top;
  }
}
