import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { eachRuntime } from '../testing.ts';

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
