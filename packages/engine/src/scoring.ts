import type { Rank, Scoring } from '@nurtureflow/scenario';
import { matchFieldTests } from './field-test.ts';
import type { LeadEvent, Millis } from './types.ts';

const DAY = 86_400_000;

/** A lead's scoring standing in one product line, as the runtime stores it. */
export interface ScoreStanding {
  score: number;
  rank: Rank | null;
  hot: boolean;
  /** The anchor decay counts from: the last scored activity, moved forward by decay already applied. */
  lastActivityAt: Millis | null;
}

/** A new standing after scoring or decay. */
export interface ScoreChange {
  score: number;
  rank: Rank;
  hot: boolean;
  /** New score minus the standing's score. */
  delta: number;
  /** Store this as the standing's `lastActivityAt`. */
  lastActivityAt: Millis | null;
  /** Points taken off by decay in this change (0 or negative). */
  decayed: number;
}

const sortedRanks = new WeakMap<Scoring['ranks'], Scoring['ranks']>();
// A one-entry memo in front of the map: most calls in a row score one product line.
let lastRanks: Scoring['ranks'] | null = null;
let lastSorted: Scoring['ranks'] = [];

/** The rank a score earns: the first threshold it reaches, highest first, else D. */
export function rankFor(scoring: Scoring, score: number): Rank {
  let ranks = scoring.ranks === lastRanks ? lastSorted : sortedRanks.get(scoring.ranks);
  if (ranks === undefined) {
    ranks = [...scoring.ranks].sort((a, b) => b.minScore - a.minScore);
    sortedRanks.set(scoring.ranks, ranks);
  }
  lastRanks = scoring.ranks;
  lastSorted = ranks;
  for (let i = 0; i < ranks.length; i++) if (score >= ranks[i]!.minScore) return ranks[i]!.rank;
  return 'D';
}

/**
 * Decay owed at `now`: `points` off for every whole `everyDays` (24-hour days) since the anchor,
 * never below the floor (a score already under it is left alone). The anchor moves forward by the
 * periods applied, so calling again later only takes off the periods that are new.
 */
export function applyDecay(scoring: Scoring, standing: ScoreStanding, now: Millis): ScoreChange {
  const decay = scoring.decay;
  const last = standing.lastActivityAt;
  let score = standing.score;
  let anchor = last;
  if (decay !== undefined && last !== null && now > last) {
    const period = decay.everyDays * DAY;
    const periods = Math.floor((now - last) / period);
    if (periods > 0) {
      anchor = last + periods * period;
      if (score > decay.floor) score = Math.max(decay.floor, score - periods * decay.points);
    }
  }
  const hot = score >= scoring.hotThreshold;
  return { score, rank: rankFor(scoring, score), hot, delta: score - standing.score, lastActivityAt: anchor, decayed: score - standing.score };
}

const rulesByKind = new WeakMap<Scoring['rules'], Map<string, Scoring['rules']>>();
const NO_RULES: Scoring['rules'] = Object.freeze([]) as unknown as Scoring['rules'];

/** The rules of an event kind, in their order (cached per rule list: an event meets only its own). */
function rulesFor(scoring: Scoring, kind: string): Scoring['rules'] {
  let byKind = rulesByKind.get(scoring.rules);
  if (byKind === undefined) {
    byKind = new Map();
    for (const rule of scoring.rules) {
      const list = byKind.get(rule.event);
      if (list === undefined) byKind.set(rule.event, [rule]);
      else list.push(rule);
    }
    rulesByKind.set(scoring.rules, byKind);
  }
  return byKind.get(kind) ?? NO_RULES;
}

/**
 * Scores one event by the product line's rules: decay owed up to `now` first, then every rule
 * whose event kind and filters match, each limited by its `maxPerDay` given what it already gave
 * today. `becameHot` is set only when the hot threshold is crossed upward, so a lead is handed over
 * once per crossing. The caller decides which product lines an event counts for.
 */
export function applyScoringEvent(
  scoring: Scoring,
  standing: ScoreStanding,
  event: LeadEvent,
  recentSameDay: (ruleId: string) => number,
  now: Millis,
): ScoreChange & { matched: { ruleId: string; points: number }[]; becameHot: boolean } {
  // Without decay nothing is owed: the standing's score and anchor as they are.
  const decayed = scoring.decay === undefined ? null : applyDecay(scoring, standing, now);
  let score = decayed === null ? standing.score : decayed.score;
  const matched: { ruleId: string; points: number }[] = [];
  const rules = rulesFor(scoring, event.kind);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.filters.length > 0 && !matchFieldTests(rule.filters, event.data)) continue;
    let points = rule.points;
    if (rule.maxPerDay !== undefined) {
      const room = Math.max(0, rule.maxPerDay - Math.abs(recentSameDay(rule.id)));
      const capped = Math.min(Math.abs(points), room);
      points = capped === 0 ? 0 : points < 0 ? -capped : capped;
    }
    score += points;
    matched.push({ ruleId: rule.id, points });
  }
  const hot = score >= scoring.hotThreshold;
  return {
    score,
    rank: rankFor(scoring, score),
    hot,
    delta: score - standing.score,
    // A matched rule is activity, even when its daily maximum left it no points.
    lastActivityAt: matched.length > 0 ? now : decayed === null ? standing.lastActivityAt : decayed.lastActivityAt,
    // (Without decay: the standing's score minus itself, exactly as applyDecay works it out.)
    decayed: decayed === null ? standing.score - standing.score : decayed.decayed,
    matched,
    becameHot: hot && !standing.hot,
  };
}
