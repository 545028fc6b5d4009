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

/** Applies an event's built-in meaning and scoring to the lead, and keeps it in the lead's recent events when the graphs look back. */
export function applyEvent(world: World, book: ScoreBook, lead: LeadView, event: LeadEvent): Applied {
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
  if (event.kind !== 'lead_became_hot') {
    for (const [pl, s] of world.settings) {
      if (event.productLine !== null && event.productLine !== pl) continue;
      if (!world.scoredKinds.get(pl)!.has(event.kind)) continue;
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
    const kept = lead.recentEvents.length > 0 && lead.recentEvents[0]!.at < from ? lead.recentEvents.filter((e) => e.at >= from) : lead.recentEvents;
    lead = { ...lead, recentEvents: [...kept, event] };
  }
  return { lead, changed, becameHot };
}
