// Isolation between product lines: lists show a caller only their product lines' objects, a lead
// (one person across product lines) shows only their product lines' standing, enrollments, events
// and steps, and writes may name only product lines the caller may write to.
import { aGraph } from '@nurtureflow/scenario/testing';
import { beforeAll, expect, it } from 'vitest';
import { eachRuntime, type Call, type TestRuntime } from '../testing.ts';

const A = 'iso-a';
const B = 'iso-b';

async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

/** The product lines of a list's items. */
function productLinesOf(items: { productLine: string }[]): string[] {
  return [...new Set(items.map((i) => i.productLine))].sort();
}

eachRuntime('isolation between product lines', (current) => {
  let analyst: Call;
  let editor: Call;
  let sales: Call;
  let outsider: Call;

  beforeAll(async () => {
    const t = current();
    for (const pl of [A, B]) {
      await ok(t, 'POST', '/product-lines', { id: pl, name: pl });
      await ok(t, 'PUT', `/product-lines/${pl}/templates/tpl`, { name: 'Template', subject: 'Hi {{ lead.name }}', html: '<p>Hi</p>' });
      const calls = aGraph({ productLine: pl, scenarioId: `${pl}-calls`, name: 'Calls' }).trigger('t', { type: 'import' }).email('m1', 'tpl').callTask('c1', { maxAttempts: 1 }).exit('x').connect('c1', 'noAnswer', 'x').connect('c1', 'appointment', 'x').connect('c1', 'refused', 'x').input();
      const handoffs = aGraph({ productLine: pl, scenarioId: `${pl}-handoffs`, name: 'Hand-offs' }).trigger('t', { type: 'import' }).handoff('h1').exit('x').connect('h1', 'returned', 'x').input();
      for (const g of [calls, handoffs]) {
        await ok(t, 'POST', '/scenarios', { id: g.scenarioId, productLine: pl, name: g.name, draft: g });
        await ok(t, 'POST', `/scenarios/${g.scenarioId}/publish`, { note: 'isolation' });
      }
      // One person on both product lines, and one on this product line only.
      await ok(t, 'POST', '/leads', { id: 'iso-shared', email: 'shared@iso.example.jp', name: '共有 太郎', company: '共有商事', products: { [pl]: {} } });
      await ok(t, 'POST', '/leads', { id: `${pl}-only`, email: `${pl}-only@iso.example.jp`, products: { [pl]: {} } });
      await ok(t, 'POST', '/enrollments', { scenarioId: `${pl}-calls`, leadIds: ['iso-shared'] });
      await ok(t, 'POST', '/enrollments', { scenarioId: `${pl}-handoffs`, leadIds: ['iso-shared', `${pl}-only`] });
      await ok(t, 'POST', '/events', { id: `iso-visit-${pl}`, kind: 'page_visited', leadId: 'iso-shared', productLine: pl, data: { page: `/${pl}` } });
      const dead = (await ok(t, 'GET', `/handoffs?leadId=${pl}-only`)).items[0].key;
      await t.rt.db.updateTable('outbox').set({ status: 'failed', last_error: 'isolation' }).where('key', '=', dead).execute();
      await t.rt.db.insertInto('mailbox').values({ lead_id: 'iso-shared', key: `${pl}-mail`, product_line: pl, to: 'shared@iso.example.jp', from: 'x@iso.example.jp', subject: pl, html: '<p/>', text: '' }).execute();
      const enrollment = (await ok(t, 'GET', `/enrollments?leadId=${pl}-only`)).items[0];
      await t.rt.db
        .insertInto('outbox')
        .values({ lead_id: `${pl}-only`, key: `${pl}-print`, enrollment_id: enrollment.id, scenario_id: enrollment.scenarioId, product_line: pl, type: 'printJob', payload: { type: 'printJob', nodeId: 'p1' } as never, status: 'pending' })
        .execute();
    }
    // An event for every product line belongs to the person.
    await ok(t, 'POST', '/events', { id: 'iso-everyone', kind: 'page_visited', leadId: 'iso-shared', data: { page: '/' } });
    analyst = t.as(await t.token({ roles: { [A]: 'analyst' } }));
    editor = t.as(await t.token({ roles: { [A]: 'editor' } }));
    sales = t.as(await t.token({ roles: { [A]: 'sales' } }));
    outsider = t.as(await t.token({ roles: {} }));
  }, 120_000);

  it("lists show only the caller's product lines, whatever product line the query names", async () => {
    for (const [path, key] of [
      ['/outbox', 'items'],
      ['/messages', 'items'],
      ['/call-tasks', 'items'],
      ['/handoffs', 'items'],
      ['/mailbox', 'items'],
      ['/print-jobs', 'items'],
      ['/webhooks/dead-letters', 'items'],
      ['/enrollments', 'items'],
      ['/scenarios', 'scenarios'],
    ] as const) {
      const all = await current().call('GET', path);
      expect(productLinesOf(all.body[key]), `${path} for an organisation admin`).toEqual(expect.arrayContaining([A, B]));
      const mine = await analyst('GET', path);
      expect(mine.status, path).toBe(200);
      expect(productLinesOf(mine.body[key]), path).toEqual([A]);
      // Asking for B's by name gives nothing either.
      const askB = path === '/enrollments' ? `scenarioId=${B}-calls` : `productLine=${B}`;
      expect((await analyst('GET', `${path}?${askB}`)).body[key], `${path}?${askB}`).toEqual([]);
      expect((await current().call('GET', `${path}?${askB}`)).body[key].length, `${path}?${askB} for an organisation admin`).toBeGreaterThan(0);
      expect((await outsider('GET', path)).body[key], `${path} for a caller with no role`).toEqual([]);
    }
    expect((await analyst('GET', '/product-lines')).body.productLines.map((p: { id: string }) => p.id)).toEqual([A]);
    expect((await outsider('GET', '/product-lines')).body.productLines).toEqual([]);
    const csv = await analyst('GET', '/print-jobs/export.csv');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).not.toContain(B);
  });

  it('sales see their hand-offs, call tasks and leads, and not the rest of the outbox or the scenarios', async () => {
    expect(productLinesOf((await sales('GET', '/handoffs')).body.items)).toEqual([A]);
    expect(productLinesOf((await sales('GET', '/call-tasks')).body.items)).toEqual([A]);
    expect((await sales('GET', '/outbox')).body.items).toEqual([]);
    expect((await sales('GET', '/mailbox')).body.items).toEqual([]);
    expect((await sales('GET', '/scenarios')).body.scenarios).toEqual([]);
    expect((await sales('GET', '/leads/iso-shared')).status).toBe(200);
  });

  it("a lead is one person: its identity is shared, another product line's standing, enrollments, events and steps are not shown", async () => {
    const mine = (await analyst('GET', '/leads?limit=200')).body.leads.map((l: { id: string }) => l.id).sort();
    expect(mine).toEqual([`${A}-only`, 'iso-shared']);
    expect((await analyst('GET', `/leads?email=${B}-only@iso.example.jp`)).body.leads).toEqual([]);
    expect((await analyst('GET', `/leads/${B}-only`)).status).toBe(404);
    expect((await outsider('GET', '/leads/iso-shared')).status).toBe(404);

    const all = (await current().call('GET', '/leads/iso-shared?timelineLimit=1000')).body;
    const lead = (await analyst('GET', '/leads/iso-shared?timelineLimit=1000')).body;
    expect(lead).toMatchObject({ id: 'iso-shared', email: 'shared@iso.example.jp', name: '共有 太郎', company: '共有商事' });
    expect(productLinesOf(all.products)).toEqual([A, B]);
    expect(productLinesOf(lead.products)).toEqual([A]);
    expect(productLinesOf(all.enrollments)).toEqual([A, B]);
    expect(productLinesOf(lead.enrollments)).toEqual([A]);
    const events = (l: { timeline: { type: string; id?: string }[] }) => l.timeline.filter((e) => e.type === 'event').map((e) => e.id).sort();
    expect(events(all)).toEqual(['iso-everyone', `iso-visit-${A}`, `iso-visit-${B}`]);
    expect(events(lead)).toEqual(['iso-everyone', `iso-visit-${A}`]);
    const mineEnrollments = new Set(lead.enrollments.map((e: { id: string }) => e.id));
    const steps = lead.timeline.filter((e: { type: string }) => e.type === 'step');
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s: { enrollmentId: string }) => mineEnrollments.has(s.enrollmentId))).toBe(true);
    expect(all.timeline.filter((e: { type: string }) => e.type === 'step').length).toBeGreaterThan(steps.length);
  });

  it('writes may name only product lines the caller may write to', async () => {
    const t = current();
    const noProducts = await editor('POST', '/leads', { email: 'new@iso.example.jp' });
    expect(noProducts.status).toBe(400);
    expect(noProducts.body.error.issues[0].path).toBe('body.products');
    const theirs = await editor('POST', '/leads', { email: 'new@iso.example.jp', products: { [B]: {} } });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.issues[0].path).toBe(`body.products.${B}`);
    expect((await analyst('POST', '/leads', { email: 'new@iso.example.jp', products: { [A]: {} } })).status).toBe(403);
    // The person B knows, taken up by A (名寄せ by e-mail): A sees them with A's standing only.
    const taken = await editor('POST', '/leads', { email: `${B}-only@iso.example.jp`, products: { [A]: { stage: 'prospect' } } });
    expect(taken.status).toBe(200);
    expect(taken.body.lead.id).toBe(`${B}-only`);
    expect(productLinesOf(taken.body.lead.products)).toEqual([A]);
    expect(productLinesOf((await t.call('GET', `/leads/${B}-only`)).body.products)).toEqual([A, B]);

    expect((await editor('PATCH', `/leads/${A}-only`, { tags: ['vip'] })).status).toBe(200);
    expect((await analyst('PATCH', `/leads/${A}-only`, { tags: ['vip'] })).status).toBe(403);
    const crossing = await editor('PATCH', '/leads/iso-shared', { products: { [B]: { stage: 'existing' } } });
    expect(crossing.status).toBe(404);
    expect(crossing.body.error.issues[0].path).toBe(`body.products.${B}`);

    const event = (productLine?: string) => ({ id: `iso-ev-${productLine ?? 'all'}-${Math.random()}`, kind: 'page_visited', leadId: 'iso-shared', ...(productLine ? { productLine } : {}) });
    expect((await editor('POST', '/events', event(A))).status).toBe(202);
    const toB = await editor('POST', '/events', event(B));
    expect([toB.status, toB.body.error.issues[0].path]).toEqual([404, 'body.productLine']);
    const toAll = await editor('POST', '/events', event());
    expect([toAll.status, toAll.body.error.issues[0].path]).toEqual([403, 'body.productLine']);
    expect((await analyst('POST', '/events', event(A))).status).toBe(403);
    const batch = await editor('POST', '/events/batch', { events: [event(A), event(B)] });
    expect(batch.status).toBe(202);
    expect(batch.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
    expect(batch.body.results[1].issues[0].path).toBe('events[1].productLine');

    const csv = 'email\nimported@iso.example.jp\n';
    expect((await editor('POST', '/leads/import', csv, { 'content-type': 'text/csv' })).body.error.issues[0].path).toBe('query.productLine');
    expect((await editor('POST', `/leads/import?productLine=${B}`, csv, { 'content-type': 'text/csv' })).status).toBe(404);
    const imported = await editor('POST', `/leads/import?productLine=${A}`, csv, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    const id = imported.body.rows[0].leadId;
    expect(productLinesOf((await editor('GET', `/leads/${id}`)).body.products)).toEqual([A]);

    const preview = await analyst('POST', `/product-lines/${A}/templates/tpl/preview`, { leadId: `${B}-only-nobody` });
    expect([preview.status, preview.body.error.issues[0].path]).toEqual([404, 'body.leadId']);
    expect((await analyst('POST', `/product-lines/${A}/templates/tpl/preview`, { leadId: 'iso-shared' })).status).toBe(200);
    const sweep = await editor('POST', '/triggers/sweep', { scenarioId: `${B}-calls` });
    expect([sweep.status, sweep.body.error.issues[0].path]).toEqual([404, 'body.scenarioId']);
    expect((await editor('POST', '/triggers/sweep', {})).status).toBe(200);
  });
});
