import { beforeAll, expect, it } from 'vitest';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { ok, refusedUnchanged, writtenRows } from './testing.ts';

const at = '2026-04-06T09:00:00+09:00';

async function scoreOf(t: TestRuntime, leadId: string): Promise<number | undefined> {
  const lead = await ok(t, 'GET', `/leads/${leadId}?timelineLimit=0`);
  return lead.products.find((p: { productLine: string }) => p.productLine === 'ev')?.score;
}

eachRuntime('events API', (current) => {
  beforeAll(async () => {
    const t = current();
    await ok(t, 'POST', '/product-lines', { id: 'ev', name: 'Events', settings: { scoring: { rules: [{ id: 'wp', event: 'whitepaper_downloaded', points: 20 }], hotThreshold: 500 } } });
    for (const id of ['ev-dup', 'ev-batch', 'ev-bad']) await ok(t, 'POST', '/leads', { id, email: `${id}@events.example.jp` }, 201);
  });

  it('a malformed event is a 400 naming the field, and nothing is written', async () => {
    const t = current();
    const good = { id: 'bad-1', kind: 'whitepaper_downloaded', leadId: 'ev-bad', at };
    const cases: [body: unknown, field: string][] = [
      [{ ...good, kind: undefined }, 'body.kind'],
      [{ ...good, kind: 'Whitepaper Downloaded' }, 'body.kind'],
      [{ ...good, id: '' }, 'body.id'],
      [{ ...good, id: 'x'.repeat(201) }, 'body.id'],
      [{ ...good, leadId: 42 }, 'body.leadId'],
      [{ ...good, at: 'yesterday' }, 'body.at'],
      [{ ...good, at: '2026-04-06T09:00:00' }, 'body.at'],
      [{ ...good, productLine: 'Not A Line' }, 'body.productLine'],
      [{ ...good, data: { nested: { no: 1 } } }, 'body.data.nested'],
      [{ ...good, effectKey: 'k'.repeat(401) }, 'body.effectKey'],
      [[good], 'body'],
      [undefined, 'body'],
    ];
    for (const [body, field] of cases) await refusedUnchanged(t, 400, ['POST', '/events', body], field);
    // JSON text that does not parse.
    const res = await refusedUnchanged(t, 400, ['POST', '/events', '{"id": '], 'body');
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('an event for an unknown lead or product line is a 422 naming the field, and nothing is written', async () => {
    const t = current();
    const res = await refusedUnchanged(t, 422, ['POST', '/events', { id: 'ghost-1', kind: 'whitepaper_downloaded', leadId: 'no-such-lead', at }], 'body.leadId');
    expect(res.body.error.code).toBe('event_rejected');
    await refusedUnchanged(t, 422, ['POST', '/events', { id: 'ghost-2', kind: 'whitepaper_downloaded', leadId: 'ev-bad', productLine: 'no-such-line', at }], 'body.productLine');
  });

  it('the same event id sent twice is a duplicate the second time and scores once', async () => {
    const t = current();
    const event = { id: 'wp-2026-04-06', kind: 'whitepaper_downloaded', leadId: 'ev-dup', productLine: 'ev', at };
    expect(await ok(t, 'POST', '/events', event, 202)).toEqual({ index: 0, id: event.id, status: 'accepted', leadId: 'ev-dup' });
    expect(await scoreOf(t, 'ev-dup')).toBe(20);
    const before = await writtenRows(t.rt.db);
    expect(await ok(t, 'POST', '/events', event, 202)).toEqual({ index: 0, id: event.id, status: 'duplicate', leadId: 'ev-dup' });
    // Even in a batch, beside itself: still a duplicate, still no new points.
    const batch = await ok(t, 'POST', '/events/batch', { events: [event, { ...event, at: '2026-04-07T09:00:00+09:00' }] }, 202);
    expect(batch).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
    expect(await writtenRows(t.rt.db)).toEqual(before);
    expect(await scoreOf(t, 'ev-dup')).toBe(20);
  });

  it('a batch keeps its good events and reports each bad one by its index, naming the field', async () => {
    const t = current();
    const e = (id: string, extra: object = {}) => ({ id, kind: 'whitepaper_downloaded', leadId: 'ev-batch', productLine: 'ev', at, ...extra });
    const before = await writtenRows(t.rt.db);
    const res = await ok(
      t,
      'POST',
      '/events/batch',
      {
        events: [
          e('b-0'),
          e('b-1', { kind: undefined }),
          7,
          e('b-3', { leadId: 'no-such-lead' }),
          e('b-0'),
          e('b-5', { kind: 'page_viewed' }),
          e('b-6', { at: 'soon' }),
          e('b-7', { productLine: 'no-such-line' }),
        ],
      },
      202,
    );
    expect(res).toMatchObject({ accepted: 2, duplicates: 1, rejected: 5 });
    expect(res.results.map((r: { index: number; status: string; issues?: { path: string }[] }) => [r.index, r.status, ...(r.issues ?? []).map((i) => i.path)])).toEqual([
      [0, 'accepted'],
      [1, 'rejected', 'events[1].kind'],
      [2, 'rejected', 'events[2]'],
      [3, 'rejected', 'events[3].leadId'],
      [4, 'duplicate'],
      [5, 'accepted'],
      [6, 'rejected', 'events[6].at'],
      [7, 'rejected', 'events[7].productLine'],
    ]);
    expect(res.results[1]).toMatchObject({ id: 'b-1' });
    expect(res.results[2]).toMatchObject({ id: null });
    const after = await writtenRows(t.rt.db);
    expect((after.events as { id: string }[]).length - (before.events as unknown[]).length).toBe(2);
    expect(await scoreOf(t, 'ev-batch')).toBe(20);
  });

  it('a batch in which every event is bad is a 422 naming each, and nothing is written', async () => {
    const t = current();
    const res = await refusedUnchanged(t, 422, ['POST', '/events/batch', { events: [{ id: 'all-0', leadId: 'ev-bad' }, { id: 'all-1', kind: 'page_viewed', leadId: 'no-such-lead' }] }]);
    expect(res.body.error.code).toBe('events_rejected');
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['events[0].kind', 'events[1].leadId']);
  });

  it('a batch that is not a list of 1 to 10,000 events is a 400 naming body.events', async () => {
    const t = current();
    for (const body of [{}, { events: [] }, { events: 'all of them' }, { events: Array.from({ length: 10_001 }, (_, i) => ({ id: `many-${i}` })) }, [{ id: 'x' }]]) {
      await refusedUnchanged(t, 400, ['POST', '/events/batch', body], Array.isArray(body) ? 'body' : 'body.events');
    }
  });
});
