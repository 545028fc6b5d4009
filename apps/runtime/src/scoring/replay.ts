// How a lead's score in one product line comes about, from what is stored: its scored events run
// through a set of rules by the engine's own scoring functions (daily caps and decay as ingestion
// applies them), merged in time with the score nodes of its scenarios. The hand-off record shows
// this account as sales read it; the scoring preview runs it with rules not yet saved.
import { applyScoringEvent, rankFor, type Effect, type ScoreStanding } from '@nurtureflow/engine';
import type { ProductLineSettings, Scoring } from '@nurtureflow/scenario';
import { sql } from 'kysely';
import type { Db } from '../core/bulk.ts';
import { dayIn } from '../core/ingest.ts';
import { toLeadEvent } from '../core/lead-views.ts';

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

/** A stored event as the replay reads it. */
export interface StoredEvent {
  id: string;
  kind: string;
  at: Date;
  product_line: string | null;
  scenario_id: string | null;
  node_id: string | null;
  effect_key: string | null;
  data: unknown;
}

/** A score node's change as the outbox keeps it. */
export interface StoredScoreChange {
  payload: Effect;
  scenario_id: string;
  created_at: Date;
}

/** Something that moved the score: an event, or a score node; in time order. */
export type ScoreStep = { at: number; event: StoredEvent; node?: undefined } | { at: number; node: StoredScoreChange; event?: undefined };

/** The rules to replay with and the time zone whose calendar days the daily caps count. */
export type ReplayRules = { scoring: Scoring; timezone: ProductLineSettings['timezone'] };

/** The lead's standing at the end of the replay, and each change on the way when asked for. */
export interface Replayed {
  standing: ScoreStanding;
  entries: ScoreEntry[];
}

/**
 * Replays a lead's steps (sorted by time, events before score nodes at the same instant) through
 * `rules`: each event by `applyScoringEvent` with the points its rules already gave that day, each
 * score node added as the worker adds it (no decay, no daily cap). Decay counts as it does when the
 * runtime scores: owed at the next scored event, not up to the moment of the replay.
 */
export function replayScore(rules: ReplayRules, steps: readonly ScoreStep[], options: { entries: boolean }): Replayed {
  const { scoring, timezone } = rules;
  let standing: ScoreStanding = { score: 0, rank: null, hot: false, lastActivityAt: null };
  let daily: { day: string; points: Record<string, number> } = { day: '', points: {} };
  const entries: ScoreEntry[] = [];
  for (const s of steps) {
    if (s.node !== undefined) {
      const p = s.node.payload as Extract<Effect, { type: 'changeScore' }>;
      const score = standing.score + p.points;
      standing = { ...standing, score, rank: rankFor(scoring, score), hot: score >= scoring.hotThreshold };
      if (options.entries) entries.push({ at: new Date(s.at).toISOString(), points: p.points, score, source: 'scenario', scenarioId: s.node.scenario_id, nodeId: p.nodeId, reason: p.reason });
      continue;
    }
    const e = s.event;
    const day = dayIn(s.at, timezone);
    if (daily.day !== day) daily = { day, points: {} };
    const r = applyScoringEvent(scoring, standing, toLeadEvent(e), (id) => daily.points[id] ?? 0, s.at);
    for (const m of r.matched) daily.points[m.ruleId] = (daily.points[m.ruleId] ?? 0) + m.points;
    if (options.entries) {
      const at = new Date(s.at).toISOString();
      if (r.decayed !== 0) entries.push({ at, points: r.decayed, score: standing.score + r.decayed, source: 'decay' });
      const points = r.matched.reduce((sum, m) => sum + m.points, 0);
      if (r.matched.length > 0) entries.push({ at, points, score: r.score, source: 'event', kind: e.kind, eventId: e.id, rules: r.matched.map((m) => m.ruleId) });
    }
    standing = { score: r.score, rank: r.rank, hot: r.hot, lastActivityAt: r.lastActivityAt };
  }
  return { standing, entries };
}

/** The event kinds the rules score (a hot crossing is never scored itself, as in ingestion). */
export function scoredKinds(scoring: Scoring): string[] {
  return [...new Set(scoring.rules.map((r) => r.event))].filter((k) => k !== 'lead_became_hot');
}

/**
 * Each lead's score steps in one product line, in time order: its events of the scored kinds that
 * count there (its own and those of no product line) and its scenarios' score nodes. `perLead`
 * keeps only the newest that many of each.
 */
export async function loadScoreSteps(db: Db, leadIds: readonly string[], productLine: string, kinds: readonly string[], options: { perLead?: number } = {}): Promise<Map<string, ScoreStep[]>> {
  const ids = [...new Set(leadIds)];
  const out = new Map<string, ScoreStep[]>();
  if (ids.length === 0) return out;
  const limit = options.perLead;
  type EventRow = StoredEvent & { lead_id: string };
  type NodeRow = StoredScoreChange & { lead_id: string };
  const [events, nodes] = await Promise.all([
    kinds.length === 0
      ? Promise.resolve([] as EventRow[])
      : limit === undefined
        ? db
            .selectFrom('events')
            .select(['lead_id', 'id', 'kind', 'at', 'product_line', 'scenario_id', 'node_id', 'effect_key', 'data'])
            .where('lead_id', 'in', ids)
            .where((eb) => eb.or([eb('product_line', '=', productLine), eb('product_line', 'is', null)]))
            .where('kind', 'in', [...kinds])
            .orderBy('lead_id')
            .orderBy('at')
            .orderBy('seq')
            .execute()
        : sql<EventRow>`
            select lead_id, id, kind, at, product_line, scenario_id, node_id, effect_key, data from (
              select lead_id, id, kind, at, product_line, scenario_id, node_id, effect_key, data, seq,
                row_number() over (partition by lead_id order by at desc, seq desc) as n
              from events
              where lead_id in (${sql.join(ids)}) and (product_line = ${productLine} or product_line is null) and kind in (${sql.join(kinds)})
            ) e where n <= ${limit}
            order by lead_id, at, seq`
            .execute(db)
            .then((r) => r.rows),
    limit === undefined
      ? db
          .selectFrom('outbox')
          .select(['lead_id', 'payload', 'scenario_id', 'created_at'])
          .where('lead_id', 'in', ids)
          .where('type', '=', 'changeScore')
          .where('product_line', '=', productLine)
          .orderBy('lead_id')
          .orderBy('created_at')
          .execute()
      : sql<NodeRow>`
          select lead_id, payload, scenario_id, created_at from (
            select lead_id, payload, scenario_id, created_at,
              row_number() over (partition by lead_id order by created_at desc, key desc) as n
            from outbox
            where lead_id in (${sql.join(ids)}) and type = 'changeScore' and product_line = ${productLine}
          ) o where n <= ${limit}
          order by lead_id, created_at`
          .execute(db)
          .then((r) => r.rows),
  ]);
  for (const e of events) push(out, e.lead_id, { at: e.at.getTime(), event: e });
  for (const n of nodes) push(out, n.lead_id, { at: n.created_at.getTime(), node: n });
  // Stable: events (pushed first, in order) stay before score nodes of the same instant.
  for (const steps of out.values()) steps.sort((a, b) => a.at - b.at);
  return out;
}

function push(map: Map<string, ScoreStep[]>, leadId: string, step: ScoreStep): void {
  const list = map.get(leadId);
  if (list) list.push(step);
  else map.set(leadId, [step]);
}
