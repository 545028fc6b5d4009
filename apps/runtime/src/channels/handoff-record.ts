// What sales get with a hand-off: who the lead is, why now (how the score was earned, what the lead
// did lately, the path it took through the scenario) and the marketer's own reason. Sales keep
// trusting hand-offs only when they can see why each one came.
import { applyScoringEvent, rankFor, type Effect, type ScoreStanding } from '@nurtureflow/engine';
import type { ProductLineSettings } from '@nurtureflow/scenario';
import type { Db } from '../core/bulk.ts';
import { dayIn } from '../core/ingest.ts';
import { toLeadEvent } from '../core/lead-views.ts';
import type { OutboxRow } from './dispatcher.ts';
import { leadCards, recentEvents, type LeadCard, type RecentEvent } from './lead-summary.ts';

/** One change of the lead's score in the product line, with the running total after it. */
export interface ScoreEntry {
  at: string;
  points: number;
  score: number;
  /** An event scored by the product line's rules, a score node of a scenario, or decay for silence. */
  source: 'event' | 'scenario' | 'decay';
  kind?: string;
  eventId?: string;
  rules?: string[];
  scenarioId?: string;
  nodeId?: string;
  reason?: string;
}

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
  const scoring = settings.scoring;
  const kinds = [...new Set(scoring.rules.map((r) => r.event))].filter((k) => k !== 'lead_became_hot');
  const [events, nodes] = await Promise.all([
    kinds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('events')
          .select(['id', 'kind', 'at', 'product_line', 'scenario_id', 'node_id', 'effect_key', 'data'])
          .where('lead_id', '=', leadId)
          .where((eb) => eb.or([eb('product_line', '=', productLine), eb('product_line', 'is', null)]))
          .where('kind', 'in', kinds)
          .orderBy('at', 'desc')
          .orderBy('seq', 'desc')
          .limit(REPLAY_LIMIT)
          .execute(),
    db
      .selectFrom('outbox')
      .select(['payload', 'scenario_id', 'created_at'])
      .where('lead_id', '=', leadId)
      .where('type', '=', 'changeScore')
      .where('product_line', '=', productLine)
      .orderBy('created_at')
      .limit(REPLAY_LIMIT)
      .execute(),
  ]);
  type Step = { at: number; event?: (typeof events)[number]; node?: (typeof nodes)[number] };
  const steps: Step[] = [...events.reverse().map((e) => ({ at: e.at.getTime(), event: e })), ...nodes.map((n) => ({ at: n.created_at.getTime(), node: n }))];
  steps.sort((a, b) => a.at - b.at);

  let standing: ScoreStanding = { score: 0, rank: null, hot: false, lastActivityAt: null };
  let daily: { day: string; points: Record<string, number> } = { day: '', points: {} };
  const out: ScoreEntry[] = [];
  for (const s of steps) {
    const at = new Date(s.at).toISOString();
    if (s.node) {
      const p = s.node.payload as Extract<Effect, { type: 'changeScore' }>;
      const score = standing.score + p.points;
      standing = { ...standing, score, rank: rankFor(scoring, score), hot: score >= scoring.hotThreshold };
      out.push({ at, points: p.points, score, source: 'scenario', scenarioId: s.node.scenario_id, nodeId: p.nodeId, reason: p.reason });
      continue;
    }
    const e = s.event!;
    const day = dayIn(s.at, settings.timezone);
    if (daily.day !== day) daily = { day, points: {} };
    const r = applyScoringEvent(scoring, standing, toLeadEvent(e), (id) => daily.points[id] ?? 0, s.at);
    if (r.decayed !== 0) out.push({ at, points: r.decayed, score: standing.score + r.decayed, source: 'decay' });
    for (const m of r.matched) daily.points[m.ruleId] = (daily.points[m.ruleId] ?? 0) + m.points;
    const points = r.matched.reduce((sum, m) => sum + m.points, 0);
    if (r.matched.length > 0) out.push({ at, points, score: r.score, source: 'event', kind: e.kind, eventId: e.id, rules: r.matched.map((m) => m.ruleId) });
    standing = { score: r.score, rank: r.rank, hot: r.hot, lastActivityAt: r.lastActivityAt };
  }
  return out.slice(-SCORE_ENTRIES);
}
