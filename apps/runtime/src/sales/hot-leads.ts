// A product line's hot leads as sales look at them: the newest crossings first, each with the
// reasons — how the score was earned (replayed through the product line's rules) and what the lead
// did lately — so a rep sees at once why a lead is worth a call.
import type { ProductLineSettings } from '@nurtureflow/scenario';
import type { Db } from '../core/bulk.ts';
import { leadCards, recentEvents, type LeadCard, type RecentEvent } from '../channels/lead-summary.ts';
import { loadScoreSteps, replayScore, scoredKinds, type ScoreEntry } from '../scoring/replay.ts';

/** One hot lead with why it is hot. */
export interface HotLead {
  lead: LeadCard | { id: string };
  score: number;
  rank: string | null;
  /** When the lead last crossed the hot threshold. */
  hotAt: string | null;
  lastActivityAt: string | null;
  /** Oldest first, the last SCORE_ENTRIES changes. */
  scoreHistory: ScoreEntry[];
  /** Newest first. */
  recentEvents: RecentEvent[];
}

/** A page of hot leads. */
export interface HotLeadPage {
  productLine: string;
  total: number;
  offset: number;
  limit: number;
  items: HotLead[];
}

const SCORE_ENTRIES = 10;
const RECENT_EVENTS = 10;
/** Scored events replayed at most per lead, as for the hand-off record. */
const REPLAY_LIMIT = 5000;

/** The product line's hot leads, the most recently hot first (then by id), `limit` from `offset`. */
export async function hotLeads(db: Db, productLine: string, settings: ProductLineSettings, page: { limit: number; offset: number }): Promise<HotLeadPage> {
  const base = db
    .selectFrom('lead_products as p')
    .innerJoin('leads as l', 'l.id', 'p.lead_id')
    .where('p.product_line', '=', productLine)
    .where('p.hot', '=', true)
    .where('l.merged_into', 'is', null);
  const [counted, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['p.lead_id', 'p.score', 'p.rank', 'p.hot_at', 'p.last_activity_at'])
      .orderBy('p.hot_at', (ob) => ob.desc().nullsLast())
      .orderBy('p.lead_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  ]);
  const ids = rows.map((r) => r.lead_id);
  const [cards, events, steps] = await Promise.all([
    leadCards(db, ids, productLine),
    recentEvents(db, ids, productLine, RECENT_EVENTS),
    loadScoreSteps(db, ids, productLine, scoredKinds(settings.scoring), { perLead: REPLAY_LIMIT }),
  ]);
  return {
    productLine,
    total: Number(counted.n),
    offset: page.offset,
    limit: page.limit,
    items: rows.map((r) => ({
      lead: cards.get(r.lead_id) ?? { id: r.lead_id },
      score: r.score,
      rank: r.rank,
      hotAt: r.hot_at?.toISOString() ?? null,
      lastActivityAt: r.last_activity_at?.toISOString() ?? null,
      scoreHistory: replayScore(settings, steps.get(r.lead_id) ?? [], { entries: true }).entries.slice(-SCORE_ENTRIES),
      recentEvents: events.get(r.lead_id) ?? [],
    })),
  };
}
