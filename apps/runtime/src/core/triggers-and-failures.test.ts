import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { eachRuntime } from '../testing.ts';
import { stepDue } from './worker.ts';

eachRuntime('segment and score triggers', (current) => {
  it('a lead created dormant enters the dormant scenario; a lead who crosses a score enters once', async () => {
    const t = current();
    const ok = async (method: string, path: string, body?: unknown) => {
      const r = await t.call(method, path, body);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      return r.body;
    };
    await ok('POST', '/product-lines', { id: 'seg', name: 'Seg', settings: { scoring: { rules: [{ id: 'wp', event: 'whitepaper_downloaded', points: 30 }], hotThreshold: 100 } } });
    const dormant = aGraph({ productLine: 'seg', scenarioId: 'seg-dormant', name: 'dormant' })
      .trigger('t', { type: 'segment', condition: { type: 'stage', op: 'in', stages: ['dormant'] } })
      .wait('w', dur(3, 'days'))
      .exit('x')
      .input();
    const scored = aGraph({ productLine: 'seg', scenarioId: 'seg-score', name: 'score' }).trigger('t', { type: 'score', min: 50 }).wait('w', dur(3, 'days')).exit('x').input();
    for (const g of [dormant, scored]) {
      await ok('POST', '/scenarios', { id: g.scenarioId, productLine: 'seg', name: g.name, draft: g });
      await ok('POST', `/scenarios/${g.scenarioId}/publish`, { note: 'v1' });
    }
    const sleeper = (await ok('POST', '/leads', { email: 'sleeper@example.jp', products: { seg: { stage: 'dormant' } } })).lead.id;
    const active = (await ok('POST', '/leads', { email: 'active@example.jp' })).lead.id;
    const enrolled = async (scenarioId: string) => (await ok('GET', `/enrollments?scenarioId=${scenarioId}`)).items.map((e: { leadId: string }) => e.leadId);
    expect(await enrolled('seg-dormant')).toEqual([sleeper]);

    // 30 points: not yet; 60: crosses 50 and enters; 90: already in, enters no second time.
    for (const [i, expected] of [[1, []], [2, [active]], [3, [active]]] as const) {
      await ok('POST', '/events', { id: `wp-${i}`, kind: 'whitepaper_downloaded', leadId: active, productLine: 'seg' });
      expect(await enrolled('seg-score')).toEqual(expected);
    }
    // Waking the sleeper through an edit takes them out of the segment, but the running enrollment stays.
    await ok('PATCH', `/leads/${sleeper}`, { products: { seg: { stage: 'existing' } } });
    expect(await enrolled('seg-dormant')).toEqual([sleeper]);
  });
});

eachRuntime('an enrollment nothing can step', (current) => {
  it('is ended as failed with the reason, and does not stop the rest of its batch', async () => {
    const t = current();
    const ok = async (method: string, path: string, body?: unknown) => {
      const r = await t.call(method, path, body);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      return r.body;
    };
    await ok('POST', '/product-lines', { id: 'gone', name: 'Gone' });
    const g = aGraph({ productLine: 'gone', scenarioId: 'gone-s', name: 'g' }).trigger('t', { type: 'import' }).wait('w', dur(1, 'days')).exit('x').input();
    await ok('POST', '/scenarios', { id: 'gone-s', productLine: 'gone', name: 'g', draft: g });
    await ok('POST', '/scenarios/gone-s/publish', { note: 'v1' });
    const [a, b] = [(await ok('POST', '/leads', { email: 'a@gone.example.jp' })).lead.id, (await ok('POST', '/leads', { email: 'b@gone.example.jp' })).lead.id];
    const enrolled = (await ok('POST', '/enrollments', { scenarioId: 'gone-s', leadIds: [a, b] })).results;
    // A version 2 whose stored graph cannot be read, and b's enrollment on it.
    await t.rt.db.insertInto('scenario_versions').values({ scenario_id: 'gone-s', version: 2, graph: { broken: true } }).execute();
    const bId = enrolled.find((r: { leadId: string }) => r.leadId === b).enrollmentId;
    await t.rt.db.updateTable('enrollments').set({ version: 2 }).where('id', '=', bId).execute();
    t.clock.advance(2 * 86_400_000);
    expect(await stepDue(t.rt)).toBe(2);
    expect(await stepDue(t.rt)).toBe(0);
    const aId = enrolled.find((r: { leadId: string }) => r.leadId === a).enrollmentId;
    expect((await ok('GET', `/enrollments/${aId}`)).status).toBe('completed');
    const broken = await ok('GET', `/enrollments/${bId}`);
    expect(broken.status).toBe('failed');
    expect(broken.history.at(-1).reason).toEqual({ code: 'exit', why: 'versionUnreadable' });
  });
});
