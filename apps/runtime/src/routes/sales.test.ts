// The sales view's lists: a product line's hot leads with why they are hot, and its hand-offs with
// their records and sales' answers — each product line sees only its own.
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { handoffChannel } from '../channels/handoff.ts';
import { dispatch, loopbackOptions } from '../channels/sales-testing.ts';
import { drain } from '../golden/drive.ts';
import { DAY, scoring, script } from '../scoring/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { ok, refusedUnchanged } from './testing.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Hot leads go to sales; a returned lead waits a month in nurturing. */
async function handoffScenario(t: TestRuntime, productLine: string): Promise<void> {
  await ok(t, 'POST', '/product-lines', { id: productLine, name: productLine, settings: { scoring: { rules: [{ id: 'seminar', event: 'seminar_attended', points: 70 }], hotThreshold: 60 } } });
  const g = aGraph({ productLine, scenarioId: `${productLine}-hot`, name: 'ホットリードを営業へ' })
    .trigger('t', { type: 'event', event: 'lead_became_hot' })
    .handoff('h1', { reason: 'セミナー参加でホット化' })
    .goal('g1', 'meeting')
    .from('h1', 'returned')
    .wait('nurture', dur(30, 'days'))
    .exit('x')
    .input();
  await ok(t, 'POST', '/scenarios', { id: g.scenarioId, productLine, name: g.name, draft: g });
  await ok(t, 'POST', `/scenarios/${g.scenarioId}/publish`, { note: 'test' });
}

async function attendSeminar(t: TestRuntime, productLine: string, lead: { id: string; name: string; company: string; phone: string }, at: number): Promise<void> {
  await ok(t, 'POST', '/leads', { ...lead, email: `${lead.id}@example.jp` });
  await ok(t, 'POST', '/events', { id: `${lead.id}-sem`, kind: 'seminar_attended', leadId: lead.id, productLine, at: iso(at) });
  await drain(t);
}

eachRuntime('sales view', (current) => {
  it('lists the hot leads of a product line, the most recently hot first, with their score history and recent events', async () => {
    const t = current();
    const T = await script(t);
    const page = await ok(t, 'GET', '/product-lines/pv/hot-leads', undefined, 200);
    expect(page).toMatchObject({ productLine: 'pv', total: 3, offset: 0, limit: 20 });
    expect(page.items.map((h: { lead: { id: string } }) => h.lead.id)).toEqual(['pv-4', 'pv-3', 'pv-1']);
    expect(page.items.map((h: { hotAt: string }) => h.hotAt)).toEqual([iso(T), iso(T - DAY + 6 * 3_600_000), iso(T - DAY)]);

    const [pv4, , pv1] = page.items;
    expect(pv1).toEqual({
      lead: { id: 'pv-1', email: 'pv1@example.jp', name: '坂本 美咲', company: '株式会社サクラ精機', phone: '03-1234-5678', tags: [], score: 65, rank: 'B', stage: 'prospect', hot: true },
      score: 65,
      rank: 'B',
      hotAt: iso(T - DAY),
      lastActivityAt: iso(T - DAY),
      scoreHistory: [
        { at: iso(T - 3 * DAY), points: 20, score: 20, source: 'event', kind: 'whitepaper_downloaded', eventId: 'e1', rules: ['wp'] },
        { at: iso(T - 2 * DAY), points: 30, score: 50, source: 'event', kind: 'seminar_attended', eventId: 'e2', rules: ['seminar'] },
        { at: iso(T - DAY), points: 15, score: 65, source: 'event', kind: 'page_visited', eventId: 'e3', rules: ['pricing'] },
      ],
      recentEvents: [
        { at: iso(T - DAY), kind: 'lead_became_hot', productLine: 'pv', scenarioId: null, data: { cause: 'e3' } },
        { at: iso(T - DAY), kind: 'page_visited', productLine: 'pv', scenarioId: null, data: { path: '/pricing' } },
        { at: iso(T - 2 * DAY), kind: 'seminar_attended', productLine: 'pv', scenarioId: null, data: {} },
        { at: iso(T - 3 * DAY), kind: 'whitepaper_downloaded', productLine: 'pv', scenarioId: null, data: {} },
      ],
    });
    // The score node that made pv-4 hot is in its history with the scenario, the node and its reason.
    expect(pv4.scoreHistory).toEqual([
      { at: iso(T - DAY), points: 15, score: 15, source: 'event', kind: 'page_visited', eventId: 'e10', rules: ['pricing'] },
      { at: iso(T), points: 50, score: 65, source: 'scenario', scenarioId: 'pv-boost', nodeId: 's1', reason: '個別相談会に参加' },
    ]);
    expect(pv4.recentEvents.map((e: { kind: string }) => e.kind)).toEqual(['lead_became_hot', 'page_visited', 'page_visited']);
  });

  it('pages through the hot leads, and shows each product line only its own', async () => {
    const t = current();
    const first = await ok(t, 'GET', '/product-lines/pv/hot-leads?limit=2');
    expect([first.total, first.items.map((h: { lead: { id: string } }) => h.lead.id)]).toEqual([3, ['pv-4', 'pv-3']]);
    const second = await ok(t, 'GET', '/product-lines/pv/hot-leads?limit=2&offset=2');
    expect([second.total, second.items.map((h: { lead: { id: string } }) => h.lead.id)]).toEqual([3, ['pv-1']]);
    // pv-6 is hot in `other` (20 + 10 ≥ 20) and cold in pv; its card and history there are `other`'s.
    const other = await ok(t, 'GET', '/product-lines/other/hot-leads');
    expect(other.total).toBe(1);
    expect(other.items[0]).toMatchObject({
      lead: { id: 'pv-6', name: '山本 愛', score: 30, hot: true },
      scoreHistory: [{ kind: 'whitepaper_downloaded', score: 20 }, { kind: 'form_submitted', score: 30 }],
    });
    expect(other.items[0].recentEvents.every((e: { productLine: string | null }) => e.productLine !== 'pv')).toBe(true);
    await refusedUnchanged(t, 404, ['GET', '/product-lines/nope/hot-leads']);
    await refusedUnchanged(t, 400, ['GET', '/product-lines/pv/hot-leads?limit=0'], 'query.limit');
    await refusedUnchanged(t, 400, ['GET', '/product-lines/pv/hot-leads?offset=-1'], 'query.offset');
  });

  it('lists open hand-offs with their records; accepted and returned ones move to answered with the answer', async () => {
    const t = current();
    await handoffScenario(t, 'sv');
    await handoffScenario(t, 'sv-b');
    const T = t.clock.now();
    await attendSeminar(t, 'sv', { id: 'sv-1', name: '木村 健', company: 'イプシロン株式会社', phone: '06-1111-2222' }, T - 2 * 3_600_000);
    await attendSeminar(t, 'sv', { id: 'sv-2', name: '林 美咲', company: 'ゼータ株式会社', phone: '03-3333-4444' }, T - 3_600_000);
    await attendSeminar(t, 'sv-b', { id: 'sv-3', name: '森 大輝', company: 'エータ株式会社', phone: '092-555-6666' }, T - 3_600_000);
    // No sales address: the channel writes the record and the hand-off waits in the list.
    expect(await dispatch(t, 'sv', [handoffChannel(t.rt, loopbackOptions())])).toBe(2);

    const open = await ok(t, 'GET', '/product-lines/sv/handoffs', undefined, 200);
    expect(open).toMatchObject({ productLine: 'sv', state: 'open', total: 2, offset: 0, limit: 20 });
    expect(open.items.map((h: { lead: { id: string } }) => h.lead.id)).toEqual(['sv-2', 'sv-1']);
    expect(open.items[1]).toMatchObject({
      status: 'sent',
      open: true,
      scenarioId: 'sv-hot',
      node: { id: 'h1', reason: 'セミナー参加でホット化', to: 'sales' },
      lead: { id: 'sv-1', name: '木村 健', company: 'イプシロン株式会社', phone: '06-1111-2222', score: 70, rank: 'B', hot: true },
      record: {
        node: { id: 'h1', reason: 'セミナー参加でホット化' },
        scoreHistory: [{ source: 'event', kind: 'seminar_attended', points: 70, score: 70 }],
        path: [{ nodeId: 't' }, { nodeId: 'h1' }],
      },
      notification: { via: 'none', status: 'none' },
      answer: null,
    });
    expect(open.items[1].record.recentEvents.map((e: { kind: string }) => e.kind)).toEqual(['lead_became_hot', 'seminar_attended']);

    const [second, first] = open.items.map((h: { key: string }) => encodeURIComponent(h.key));
    await ok(t, 'POST', `/handoffs/${first}/accept`, { note: '来週訪問します' });
    t.clock.advance(60_000);
    await ok(t, 'POST', `/handoffs/${second}/return`, { note: '予算は来期' });
    await drain(t);

    expect((await ok(t, 'GET', '/product-lines/sv/handoffs')).total).toBe(0);
    const answered = await ok(t, 'GET', '/product-lines/sv/handoffs?state=answered');
    expect(answered.items.map((h: { lead: { id: string }; status: string; open: boolean; answer: unknown }) => [h.lead.id, h.status, h.open, h.answer])).toEqual([
      ['sv-2', 'done', false, { outcome: 'returned', at: iso(T + 60_000), note: '予算は来期' }],
      ['sv-1', 'done', false, { outcome: 'accepted', at: iso(T), note: '来週訪問します' }],
    ]);
    // The returned lead went back to nurturing.
    const { items } = await ok(t, 'GET', '/enrollments?leadId=sv-2&scenarioId=sv-hot');
    expect(items[0]).toMatchObject({ status: 'waiting', nodeId: 'nurture' });

    // sv-b's hand-off is listed under sv-b alone, still open and without a record (not dispatched).
    const b = await ok(t, 'GET', '/product-lines/sv-b/handoffs?state=all');
    expect(b.items.map((h: { lead: { id: string }; status: string; record: unknown }) => [h.lead.id, h.status, h.record])).toEqual([['sv-3', 'pending', null]]);
    expect((await ok(t, 'GET', '/product-lines/sv/handoffs?state=all')).total).toBe(2);
    await refusedUnchanged(t, 400, ['GET', '/product-lines/sv/handoffs?state=closed'], 'query.state');
    await refusedUnchanged(t, 404, ['GET', '/product-lines/nope/handoffs']);
  });

  it('sales and analysts of a product line read its lists; other product lines are 404; only those who may simulate preview scoring', async () => {
    const t = current();
    const sales = t.as(await t.token({ roles: { pv: 'sales' } }));
    const analyst = t.as(await t.token({ roles: { pv: 'analyst' } }));
    const editorOfOther = t.as(await t.token({ roles: { other: 'editor' } }));
    const preview = ['POST', '/product-lines/pv/scoring/preview', { scoring: { ...scoring, hotThreshold: 10 } }] as const;
    for (const path of ['/product-lines/pv/hot-leads', '/product-lines/pv/handoffs']) {
      expect((await sales('GET', path)).status, path).toBe(200);
      expect((await analyst('GET', path)).status, path).toBe(200);
      expect((await editorOfOther('GET', path)).status, path).toBe(404);
      expect((await t.as(null)('GET', path)).status, path).toBe(401);
    }
    expect((await sales('GET', '/product-lines/pv/hot-leads')).body.total).toBe(3);
    expect((await sales('GET', '/product-lines/other/hot-leads')).status).toBe(404);
    expect((await sales(...preview)).status).toBe(403);
    expect((await editorOfOther(...preview)).status).toBe(404);
    expect((await analyst(...preview)).body).toMatchObject({ leads: 7, proposed: { hot: 4 } });
  });
});
