// What sales get with a hand-off: who the lead is, why now (how the score was earned, what the lead
// did lately, the path it took through the scenario) and the marketer's own reason. Sales keep
// trusting hand-offs only when they can see why each one came.
import type { Effect } from '@nurtureflow/engine';
import type { ProductLineSettings } from '@nurtureflow/scenario';
import type { Db } from '../core/bulk.ts';
import { loadScoreSteps, replayScore, scoredKinds, type ScoreEntry } from '../scoring/replay.ts';
import type { OutboxRow } from './dispatcher.ts';
import { leadCards, recentEvents, type LeadCard, type RecentEvent } from './lead-summary.ts';

export type { ScoreEntry } from '../scoring/replay.ts';

/** The hand-off record as stored and shown. */
export interface HandoffRecord {
  handedOffAt: string;
  productLine: string;
  scenario: { id: string; enrollmentId: string };
  node: { id: string; reason: string; to: string };
  lead: LeadCard | { id: string };
  standing: { score: number; rank: string | null; stage: string; hot: boolean; hotAt: string | null };
  /** Oldest first, the last SCORE_ENTRIES changes, replayed with the product line's rules as they are now. */
  scoreHistory: ScoreEntry[];
  /** Newest first. */
  recentEvents: RecentEvent[];
  /** The nodes the lead went through in this scenario up to the hand-off, oldest first. */
  path: { at: string; nodeId: string | null; output: string | null; toNode: string | null; reason: unknown }[];
}

const SCORE_ENTRIES = 50;
const RECENT_EVENTS = 20;
const PATH_STEPS = 50;
/** Scored events replayed at most; older ones are rare for a lead that just became hot. */
const REPLAY_LIMIT = 5000;

type HandoffEffect = Extract<Effect, { type: 'handOff' }>;

/** Builds the record of a handOff outbox row from what the database holds now. */
export async function buildHandoffRecord(db: Db, row: OutboxRow, settings: ProductLineSettings | undefined, now: number): Promise<HandoffRecord> {
  const effect = row.payload as HandoffEffect;
  const pl = row.product_line;
  const [cards, events, standing, history, scoreHistory] = await Promise.all([
    leadCards(db, [row.lead_id], pl),
    recentEvents(db, [row.lead_id], pl, RECENT_EVENTS),
    db.selectFrom('lead_products').select(['score', 'rank', 'stage', 'hot', 'hot_at']).where('lead_id', '=', row.lead_id).where('product_line', '=', pl).executeTakeFirst(),
    db
      .selectFrom('enrollment_history')
      .select(['at', 'node_id', 'output', 'to_node', 'reason'])
      .where('lead_id', '=', row.lead_id)
      .where('enrollment_id', '=', row.enrollment_id)
      .orderBy('seq', 'desc')
      .limit(PATH_STEPS)
      .execute(),
    settings ? scoreHistoryOf(db, row.lead_id, pl, settings) : Promise.resolve([]),
  ]);
  return {
    handedOffAt: new Date(now).toISOString(),
    productLine: pl,
    scenario: { id: row.scenario_id, enrollmentId: row.enrollment_id },
    node: { id: effect.nodeId, reason: effect.reason, to: effect.to },
    lead: cards.get(row.lead_id) ?? { id: row.lead_id },
    standing: {
      score: standing?.score ?? 0,
      rank: standing?.rank ?? null,
      stage: standing?.stage ?? 'prospect',
      hot: standing?.hot ?? false,
      hotAt: standing?.hot_at?.toISOString() ?? null,
    },
    scoreHistory,
    recentEvents: events.get(row.lead_id) ?? [],
    path: history.reverse().map((h) => ({ at: h.at.toISOString(), nodeId: h.node_id, output: h.output, toNode: h.to_node, reason: h.reason })),
  };
}

/**
 * How the lead's score was earned: its scored events replayed through the product line's rules
 * (daily caps and decay included) merged in time with the score nodes that changed it. No table
 * keeps each change, so this is the rules' account as they are now; the stored score is beside it.
 */
export async function scoreHistoryOf(db: Db, leadId: string, productLine: string, settings: ProductLineSettings): Promise<ScoreEntry[]> {
  const steps = await loadScoreSteps(db, [leadId], productLine, scoredKinds(settings.scoring), { perLead: REPLAY_LIMIT });
  return replayScore(settings, steps.get(leadId) ?? [], { entries: true }).entries.slice(-SCORE_ENTRIES);
}
