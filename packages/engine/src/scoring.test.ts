import { scoringSchema, type ScoringRule } from '@nurtureflow/scenario';
import { describe, expect, it } from 'vitest';
import { applyDecay, applyScoringEvent, rankFor } from './scoring.ts';
import { anEvent, jst } from './testing/a-lead.ts';

const DAY = 86_400_000;
const rules = (list: Partial<ScoringRule>[]) => list.map((r, i) => ({ id: `r${i}`, event: 'email_opened', filters: [], points: 5, ...r }));
const scoring = scoringSchema.parse({
  rules: rules([
    { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 5 },
    { id: 'pricing', event: 'page_visited', points: 15, filters: [{ field: 'path', op: 'eq', value: '/pricing' }] },
    { id: 'visit', event: 'page_visited', points: 2 },
    { id: 'whitepaper', event: 'whitepaper_downloaded', points: 20 },
    { id: 'bounce', event: 'email_bounced', points: -10 },
  ]),
  decay: { points: 5, everyDays: 30, floor: 10 },
  hotThreshold: 60,
});
const standing = (score: number, extra: { hot?: boolean; lastActivityAt?: number | null } = {}) => ({ score, rank: rankFor(scoring, score), hot: extra.hot ?? score >= 60, lastActivityAt: extra.lastActivityAt ?? null });
const none = () => 0;
const at = jst('2026-04-15T09:00');

describe('rankFor', () => {
  it('takes the first threshold reached, highest first, else D', () => {
    expect([95, 80, 79, 50, 20, 19, -5].map((s) => rankFor(scoring, s))).toEqual(['A', 'A', 'B', 'B', 'C', 'D', 'D']);
  });

  it('does not depend on the order thresholds are written in', () => {
    const shuffled = scoringSchema.parse({ ranks: [{ rank: 'C', minScore: 20 }, { rank: 'A', minScore: 80 }, { rank: 'B', minScore: 50 }] });
    expect(rankFor(shuffled, 60)).toBe('B');
  });
});

describe('applyScoringEvent', () => {
  it('adds the points of every rule whose event and filters match', () => {
    const r = applyScoringEvent(scoring, standing(10), anEvent('page_visited', at, { data: { path: '/pricing' } }), none, at);
    expect(r).toMatchObject({ score: 27, delta: 17, rank: 'C', hot: false, becameHot: false });
    expect(r.matched).toEqual([{ ruleId: 'pricing', points: 15 }, { ruleId: 'visit', points: 2 }]);
  });

  it('ignores events no rule is about', () => {
    const r = applyScoringEvent(scoring, standing(10), anEvent('purchased', at), none, at);
    expect(r).toMatchObject({ score: 10, delta: 0, matched: [] });
  });

  it('gives at most maxPerDay points a day from a rule: a second open the same day adds nothing', () => {
    const first = applyScoringEvent(scoring, standing(30), anEvent('email_opened', at), () => 0, at);
    expect(first.matched).toEqual([{ ruleId: 'opened', points: 5 }]);
    const second = applyScoringEvent(scoring, standing(35), anEvent('email_opened', at), (id) => (id === 'opened' ? 5 : 0), at);
    expect(second).toMatchObject({ score: 35, delta: 0, matched: [{ ruleId: 'opened', points: 0 }] });
  });

  it('takes points off for negative rules', () => {
    expect(applyScoringEvent(scoring, standing(30), anEvent('email_bounced', at), none, at).score).toBe(20);
  });

  it('sets becameHot once, when the hot threshold is crossed upward', () => {
    const crossing = applyScoringEvent(scoring, standing(45), anEvent('whitepaper_downloaded', at), none, at);
    expect(crossing).toMatchObject({ score: 65, hot: true, becameHot: true, rank: 'B' });
    const again = applyScoringEvent(scoring, standing(65, { hot: true }), anEvent('whitepaper_downloaded', at), none, at);
    expect(again).toMatchObject({ score: 85, hot: true, becameHot: false, rank: 'A' });
  });

  it('applies the decay owed before adding, and makes the event the new activity', () => {
    const r = applyScoringEvent(scoring, standing(50, { lastActivityAt: at - 61 * DAY }), anEvent('whitepaper_downloaded', at), none, at);
    expect(r).toMatchObject({ score: 60, decayed: -10, delta: 10, lastActivityAt: at, becameHot: true });
  });
});

describe('applyDecay', () => {
  it('takes points off for every whole period without activity', () => {
    expect(applyDecay(scoring, standing(50, { lastActivityAt: at - 29 * DAY }), at)).toMatchObject({ score: 50, delta: 0 });
    expect(applyDecay(scoring, standing(50, { lastActivityAt: at - 30 * DAY }), at)).toMatchObject({ score: 45, delta: -5 });
    expect(applyDecay(scoring, standing(50, { lastActivityAt: at - 95 * DAY }), at)).toMatchObject({ score: 35, rank: 'C' });
  });

  it('never goes below the floor, and leaves a score already under it alone', () => {
    expect(applyDecay(scoring, standing(20, { lastActivityAt: at - 365 * DAY }), at).score).toBe(10);
    expect(applyDecay(scoring, standing(5, { lastActivityAt: at - 365 * DAY }), at).score).toBe(5);
  });

  it('moves its anchor so that decaying again later takes only the new periods', () => {
    const first = applyDecay(scoring, standing(50, { lastActivityAt: at - 45 * DAY }), at);
    expect(first).toMatchObject({ score: 45, lastActivityAt: at - 15 * DAY });
    const nextDay = applyDecay(scoring, { ...standing(45), lastActivityAt: first.lastActivityAt }, at + DAY);
    expect(nextDay.score).toBe(45);
    const later = applyDecay(scoring, { ...standing(45), lastActivityAt: first.lastActivityAt }, at + 15 * DAY);
    expect(later.score).toBe(40);
  });

  it('does nothing without a decay rule or any activity to count from', () => {
    expect(applyDecay(scoringSchema.parse({}), standing(50, { lastActivityAt: at - 365 * DAY }), at).score).toBe(50);
    expect(applyDecay(scoring, standing(50), at).score).toBe(50);
  });

  it('drops hot when decay takes the score under the threshold', () => {
    expect(applyDecay(scoring, standing(62, { hot: true, lastActivityAt: at - 30 * DAY }), at)).toMatchObject({ score: 57, hot: false });
  });
});
