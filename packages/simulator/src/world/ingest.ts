// What an event does to the lead before any scenario hears it, as the runtime's ingestion does:
// `unsubscribed` stops mail (of one product line, or all), and each product line whose rules look
// at the kind scores it — decay owed first, each rule within its daily maximum counted in the
// product line's own calendar days.
import { applyScoringEvent, type LeadEvent, type LeadView, type ProductStanding } from '@nurtureflow/engine';
import type { World } from './prepare.ts';

/** A lead's scoring memory per product line: decay's anchor and what each rule gave today. */
export type ScoreBook = Map<string, { lastActivityAt: number | null; day: number; points: Map<string, number> }>;

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
    if (event.productLine === null) lead = { ...lead, unsubscribedAll: true };
    else {
      const p = lead.products[event.productLine];
      if (p !== undefined) lead = { ...lead, products: { ...lead.products, [event.productLine]: { ...p, unsubscribed: true } } };
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
      let memory = book.get(pl);
      if (memory === undefined) book.set(pl, (memory = { lastActivityAt: null, day: -1, points: new Map() }));
      const day = world.dayOf(pl, event.at);
      if (memory.day !== day) {
        memory.day = day;
        memory.points = new Map();
      }
      const points = memory.points;
      const r = applyScoringEvent(
        s.scoring,
        { score: standing.score, rank: standing.rank, hot: standing.hot, lastActivityAt: memory.lastActivityAt },
        event,
        (ruleId) => points.get(ruleId) ?? 0,
        event.at,
      );
      if (r.matched.length === 0 && r.decayed === 0) continue;
      for (const m of r.matched) points.set(m.ruleId, (points.get(m.ruleId) ?? 0) + m.points);
      memory.lastActivityAt = r.lastActivityAt;
      lead = { ...lead, products: { ...lead.products, [pl]: { ...standing, score: r.score, rank: r.rank, hot: r.hot } } };
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
    if (lead.recentEvents !== recent) lead = { ...lead, recentEvents: recent };
  }
  return { lead, changed, becameHot };
}
