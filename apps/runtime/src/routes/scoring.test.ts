// The scoring preview: proposed rules replayed over the product line's current leads from their
// stored events and score nodes, counted per rank and hot beside where the leads stand now.
import { expect, it } from 'vitest';
import { script, scoring } from '../scoring/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { ok, refusedUnchanged } from './testing.ts';

const preview = (t: TestRuntime, proposed: object) => ok(t, 'POST', '/product-lines/pv/scoring/preview', { scoring: proposed }, 200);
const counts = (A: number, B: number, C: number, D: number, hot: number) => ({ ranks: { A, B, C, D }, hot });

eachRuntime('scoring preview', (current) => {
  it('counts the leads per rank and hot now; the saved rules replayed give the same counts, with no lead changed', async () => {
    const t = current();
    await script(t);
    // The stored standings the counts come from.
    const stored = await t.rt.db.selectFrom('lead_products').select(['lead_id', 'score', 'rank', 'hot']).where('product_line', '=', 'pv').orderBy('lead_id').execute();
    expect(stored.map((s) => [s.lead_id, s.score, s.rank, s.hot])).toEqual([
      ['pv-1', 65, 'B', true],
      ['pv-2', 25, 'C', false],
      ['pv-3', 60, 'B', true],
      ['pv-4', 65, 'B', true],
      ['pv-5', 0, null, false],
      ['pv-6', 0, null, false],
    ]);
    const same = await preview(t, scoring);
    expect(same).toEqual({
      productLine: 'pv',
      leads: 7,
      now: counts(0, 3, 1, 3, 3),
      proposed: counts(0, 3, 1, 3, 3),
      changed: { rank: 0, hot: 0, becomeHot: 0, leaveHot: 0 },
      moves: [],
    });
  });

  it('a lower hot threshold makes more leads hot and leaves the ranks alone', async () => {
    const t = current();
    const r = await preview(t, { ...scoring, hotThreshold: 25 });
    expect(r).toMatchObject({ leads: 7, now: counts(0, 3, 1, 3, 3), proposed: counts(0, 3, 1, 3, 4), changed: { rank: 0, hot: 1, becomeHot: 1, leaveHot: 0 }, moves: [] });
  });

  it('more points and no daily cap move leads up a rank', async () => {
    const t = current();
    const rules = [
      { id: 'opened', event: 'email_opened', points: 5 },
      { id: 'wp', event: 'whitepaper_downloaded', points: 40 },
      scoring.rules[2],
      scoring.rules[3],
    ];
    // pv-1 40 + 30 + 15 = 85 (A); pv-2 5 × 3 + 40 = 55 (B, not hot); the others as they are.
    const r = await preview(t, { ...scoring, rules });
    expect(r).toMatchObject({
      proposed: counts(1, 3, 0, 3, 3),
      changed: { rank: 2, hot: 0 },
      moves: [
        { from: 'B', to: 'A', count: 1 },
        { from: 'C', to: 'B', count: 1 },
      ],
    });
  });

  it('decay takes points off between events as the runtime does; score nodes are added as they were', async () => {
    const t = current();
    // 10 points a day: pv-1 20 → 10 + 30 = 40 → 30 + 15 = 45 (C); pv-3 30 → two days later 10 + 30 = 40 (C);
    // pv-2 all in one day, 25 (C); pv-4 15 then the node's +50 = 65 (B, hot).
    const r = await preview(t, { ...scoring, decay: { points: 10, everyDays: 1 } });
    expect(r).toMatchObject({ proposed: counts(0, 1, 3, 3, 1), changed: { rank: 2, hot: 2, becomeHot: 0, leaveHot: 2 }, moves: [{ from: 'B', to: 'C', count: 2 }] });
  });

  it("a new rule scores stored events no rule scored before, and never another product line's", async () => {
    const t = current();
    // pv-7's form (no product line) gives 70; pv-6's form was for `other` and gives nothing here.
    const r = await preview(t, { ...scoring, rules: [...scoring.rules, { id: 'form', event: 'form_submitted', points: 70 }] });
    expect(r).toMatchObject({ proposed: counts(0, 4, 1, 2, 4), changed: { rank: 1, hot: 1, becomeHot: 1 }, moves: [{ from: 'D', to: 'B', count: 1 }] });
  });

  it('other ranks thresholds re-rank every lead', async () => {
    const t = current();
    const r = await preview(t, { ...scoring, ranks: [{ rank: 'A', minScore: 60 }, { rank: 'B', minScore: 20 }] });
    // 65, 60, 65 → A; 25 → B; 0s → D.
    expect(r).toMatchObject({ proposed: counts(3, 1, 0, 3, 3), moves: [{ from: 'B', to: 'A', count: 3 }, { from: 'C', to: 'B', count: 1 }] });
  });

  it('saves nothing: the stored settings and standings are as they were', async () => {
    const t = current();
    await refusedUnchanged(t, 400, ['POST', '/product-lines/pv/scoring/preview', { scoring: { ...scoring, rules: [{ id: 'bad', event: 'email_opened', points: 1.5 }] } }], 'body.scoring.rules[0].points');
    await refusedUnchanged(t, 400, ['POST', '/product-lines/pv/scoring/preview', { scoring: { ...scoring, decay: { points: 0, everyDays: 1 } } }], 'body.scoring.decay.points');
    await refusedUnchanged(t, 400, ['POST', '/product-lines/pv/scoring/preview', { scoring, extra: true }]);
    await refusedUnchanged(t, 404, ['POST', '/product-lines/nope/scoring/preview', { scoring }]);
    const before = await ok(t, 'GET', '/product-lines/pv');
    await preview(t, { ...scoring, hotThreshold: 1 });
    expect(await ok(t, 'GET', '/product-lines/pv')).toEqual(before);
    expect((await preview(t, scoring)).proposed).toEqual(counts(0, 3, 1, 3, 3));
  });
});
