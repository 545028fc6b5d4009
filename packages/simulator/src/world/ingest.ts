// What an event does to the lead before any scenario hears it, as the runtime's ingestion does:
// `unsubscribed` stops mail (of one product line, or all), and each product line whose rules look
// at the kind scores it — decay owed first, each rule within its daily maximum counted in the
// product line's own calendar days.
import { applyScoringEvent, withStanding, type LeadEvent, type LeadView, type ProductStanding } from '@nurtureflow/engine';
import { standing as standingOf, viewWith } from './lead-view.ts';
import type { World } from './prepare.ts';

/** A lead's scoring memory in one product line: decay's anchor and what each rule gave today. */
class ScoreMemory {
  /** The lead it belongs to (see ScoreBook.next); a memory of an earlier lead reads as empty. */
  lead: number;
  lastActivityAt: number | null = null;
  day = -1;
  /** Today's points by rule: a handful of rules, so two short lists beat a map. */
  private readonly rules: string[] = [];
  private readonly points: number[] = [];
  private n = 0;
  /** What a rule gave today (made once, handed to the engine's scoring for every event). */
  readonly givenToday = (ruleId: string): number => {
    for (let i = 0; i < this.n; i++) if (this.rules[i] === ruleId) return this.points[i]!;
    return 0;
  };

  constructor(
    readonly productLine: string,
    lead: number,
  ) {
    this.lead = lead;
  }

  /** Forget what the rules gave (a new day, or a new lead). */
  clearDay(): void {
    this.n = 0;
  }

  give(ruleId: string, points: number): void {
    for (let i = 0; i < this.n; i++) {
      if (this.rules[i] === ruleId) {
        this.points[i]! += points;
        return;
      }
    }
    this.rules[this.n] = ruleId;
    this.points[this.n++] = points;
  }
}

/** The current lead's scoring memory per product line, kept from lead to lead so a run allocates it once. */
export class ScoreBook {
  private readonly lines = new Map<string, ScoreMemory>();
  /** The memory last asked for (most runs score one product line). */
  private last: ScoreMemory | null = null;
  private lead = 0;

  /** A new lead: every memory starts empty. */
  next(): void {
    this.lead++;
  }

  /** The current lead's memory in a product line. */
  of(productLine: string): ScoreMemory {
    let memory = this.last !== null && this.last.productLine === productLine ? this.last : this.lines.get(productLine);
    if (memory === undefined) this.lines.set(productLine, (memory = new ScoreMemory(productLine, this.lead)));
    else if (memory.lead !== this.lead) {
      memory.lead = this.lead;
      memory.lastActivityAt = null;
      memory.day = -1;
      memory.clearDay();
    }
    this.last = memory;
    return memory;
  }
}

/** The lead after the event, whether its standing changed, and the product lines where it became hot. */
export interface Applied {
  lead: LeadView;
  changed: boolean;
  becameHot: string[];
}

const NO_HOT: string[] = [];

/**
 * Applies an event's built-in meaning and scoring to the lead, and keeps it in the lead's recent
 * events when the graphs look back. `recent` is the lead's own list of recent events, appended to
 * in place: the engine never changes a lead view, and never counts an event after its `now`.
 */
export function applyEvent(world: World, book: ScoreBook, lead: LeadView, event: LeadEvent, recent: LeadEvent[]): Applied {
  let changed = false;
  let becameHot = NO_HOT;
  if (event.kind === 'unsubscribed') {
    changed = true;
    if (event.productLine === null) lead = viewWith(lead, lead.products, true, lead.recentEvents, lead.messages);
    else {
      const p = lead.products[event.productLine];
      if (p !== undefined) {
        const products = withStanding(lead.products, event.productLine, standingOf(p.score, p.rank, p.stage, p.hot, true));
        lead = viewWith(lead, products, lead.unsubscribedAll, lead.recentEvents, lead.messages);
      }
    }
  }
  // Hot crossings are not scored again: that would let a rule on them feed itself.
  const scorers = event.kind === 'lead_became_hot' ? undefined : world.scoredBy.get(event.kind);
  if (scorers !== undefined) {
    for (let i = 0; i < scorers.length; i++) {
      const { productLine: pl, settings: s } = scorers[i]!;
      if (event.productLine !== null && event.productLine !== pl) continue;
      const standing: ProductStanding | undefined = lead.products[pl];
      if (standing === undefined) continue;
      const memory = book.of(pl);
      const day = world.dayOf(pl, event.at);
      if (memory.day !== day) {
        memory.day = day;
        memory.clearDay();
      }
      const r = applyScoringEvent(
        s.scoring,
        { score: standing.score, rank: standing.rank, hot: standing.hot, lastActivityAt: memory.lastActivityAt },
        event,
        memory.givenToday,
        event.at,
      );
      if (r.matched.length === 0 && r.decayed === 0) continue;
      for (let m = 0; m < r.matched.length; m++) memory.give(r.matched[m]!.ruleId, r.matched[m]!.points);
      memory.lastActivityAt = r.lastActivityAt;
      const products = withStanding(lead.products, pl, standingOf(r.score, r.rank, standing.stage, r.hot, standing.unsubscribed));
      lead = viewWith(lead, products, lead.unsubscribedAll, lead.recentEvents, lead.messages);
      changed = true;
      if (r.becameHot) becameHot = becameHot === NO_HOT ? [pl] : [...becameHot, pl];
    }
  }
  const window = world.eventWindowMs;
  if (window !== null) {
    const from = event.at - window;
    let old = 0;
    while (old < recent.length && recent[old]!.at < from) old++;
    if (old > 0) recent.splice(0, old);
    recent.push(event);
    if (lead.recentEvents !== recent) lead = viewWith(lead, lead.products, lead.unsubscribedAll, recent, lead.messages);
  }
  return { lead, changed, becameHot };
}
