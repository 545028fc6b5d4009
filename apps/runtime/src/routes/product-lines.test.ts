import { expect, test } from 'vitest';
import { getProductLineSettings } from '../scenarios/product-lines.ts';
import { refused } from '../scenarios/testing.ts';
import { eachRuntime } from '../testing.ts';

const settings = {
  scoring: {
    rules: [{ id: 'open', event: 'email_opened', points: 5, maxPerDay: 10 }],
    ranks: [
      { rank: 'A', minScore: 90 },
      { rank: 'B', minScore: 40 },
    ],
    hotThreshold: 70,
  },
  quietHours: { start: '20:00', end: '08:00' },
  frequencyCaps: { perWeek: 3 },
  sender: { name: 'CRM Cloud', email: 'news@crm.example.com' },
  salesEmail: 'sales@crm.example.com',
};

eachRuntime('product lines', (current) => {
  test('a new product line gets the default settings: ranks A/B/C, hot at 60, no caps', async () => {
    const t = current();
    const res = await t.call('POST', '/product-lines', { id: 'crm', name: 'CRM Cloud' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'crm', name: 'CRM Cloud', createdAt: '2026-04-06T00:00:00.000Z' });
    expect(res.body.settings).toMatchObject({
      scoring: { rules: [], ranks: [{ rank: 'A', minScore: 80 }, { rank: 'B', minScore: 50 }, { rank: 'C', minScore: 20 }], hotThreshold: 60 },
      frequencyCaps: {},
    });
    expect(res.body.settings.quietHours).toBeUndefined();
    const row = await t.rt.db.selectFrom('product_lines').select('settings').where('id', '=', 'crm').executeTakeFirstOrThrow();
    expect(row.settings).toEqual(res.body.settings);
  });

  test('settings are stored parsed, with the defaults of the parts left out', async () => {
    const t = current();
    const res = await t.call('POST', '/product-lines', { id: 'ma', name: 'MA Suite', settings });
    expect(res.status).toBe(201);
    expect(res.body.settings.scoring.rules).toEqual([{ id: 'open', event: 'email_opened', points: 5, maxPerDay: 10, filters: [] }]);
    expect(res.body.settings.quietHours).toEqual({ start: '20:00', end: '08:00', includeNonBusinessDays: false });
    const got = await t.call('GET', '/product-lines/ma');
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  test('a taken id is a 409 and the existing product line is untouched', async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'dup', name: 'First' });
    const res = await refused(t, 409, ['POST', '/product-lines', { id: 'dup', name: 'Second' }], 'body.id');
    expect(res.body.error.code).toBe('product_line_exists');
    expect((await t.call('GET', '/product-lines/dup')).body.name).toBe('First');
  });

  test('the list holds every product line by id', async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'zz-list', name: 'Last' });
    const res = await t.call('GET', '/product-lines');
    expect(res.status).toBe(200);
    const ids = res.body.productLines.map((p: { id: string }) => p.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain('zz-list');
  });

  test('PATCH renames, and replaces the settings as a whole', async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'patch-me', name: 'Old', settings });
    t.clock.advance(60_000);
    const renamed = await t.call('PATCH', '/product-lines/patch-me', { name: 'New' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'New', updatedAt: new Date(t.clock.now()).toISOString() });
    expect(renamed.body.settings.salesEmail).toBe('sales@crm.example.com');

    const replaced = await t.call('PATCH', '/product-lines/patch-me', { settings: { scoring: { hotThreshold: 30 } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toBe('New');
    expect(replaced.body.settings.scoring.hotThreshold).toBe(30);
    expect(replaced.body.settings.salesEmail).toBeUndefined();
  });

  test('getProductLineSettings gives parsed settings by id and leaves unknown ids out', async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'svc-a', name: 'A', settings });
    await t.call('POST', '/product-lines', { id: 'svc-b', name: 'B' });
    const map = await getProductLineSettings(t.rt.db, ['svc-a', 'svc-b', 'nope', 'svc-a']);
    expect([...map.keys()].sort()).toEqual(['svc-a', 'svc-b']);
    expect(map.get('svc-a')?.scoring.hotThreshold).toBe(70);
    expect(map.get('svc-b')?.scoring.ranks[0]).toEqual({ rank: 'A', minScore: 80 });
    expect((await getProductLineSettings(t.rt.db, [])).size).toBe(0);
  });

  test('an unknown product line is a 404', async () => {
    const t = current();
    await refused(t, 404, ['GET', '/product-lines/missing']);
    await refused(t, 404, ['PATCH', '/product-lines/missing', { name: 'x' }]);
  });

  test('bad input is a 400 naming the field, and nothing is written', async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'stable', name: 'Stable', settings });
    const cases: [request: [string, string, unknown?], path: string][] = [
      [['POST', '/product-lines', { id: 'no-name' }], 'body.name'],
      [['POST', '/product-lines', { id: 'blank', name: '   ' }], 'body.name'],
      [['POST', '/product-lines', { id: 'Bad Id', name: 'x' }], 'body.id'],
      [['POST', '/product-lines', { name: 'x' }], 'body.id'],
      [['POST', '/product-lines', { id: 'nul', name: 'a\u0000b' }], 'body.name'],
      [['POST', '/product-lines', { id: 'hot', name: 'x', settings: { scoring: { hotThreshold: 'high' } } }], 'body.settings.scoring.hotThreshold'],
      [['POST', '/product-lines', { id: 'rule', name: 'x', settings: { scoring: { rules: [{ id: 'r', event: 'Opened!', points: 1 }] } } }], 'body.settings.scoring.rules[0].event'],
      [['POST', '/product-lines', { id: 'quiet', name: 'x', settings: { quietHours: { start: '25:00', end: '08:00' } } }], 'body.settings.quietHours.start'],
      [['POST', '/product-lines', { id: 'cap', name: 'x', settings: { frequencyCaps: { perWeek: 0 } } }], 'body.settings.frequencyCaps.perWeek'],
      [['POST', '/product-lines', { id: 'sender', name: 'x', settings: { sender: { name: 'x', email: 'not-an-address' } } }], 'body.settings.sender.email'],
      [['POST', '/product-lines', { id: 'sales', name: 'x', settings: { salesEmail: 'nobody' } }], 'body.settings.salesEmail'],
      [['POST', '/product-lines', { id: 'nul-sender', name: 'x', settings: { sender: { name: 'x\u0000', email: 'a@b.co' } } }], 'body.settings.sender.name'],
      [['POST', '/product-lines', { id: 'extra', name: 'x', colour: 'red' }], 'body'],
      [['POST', '/product-lines', undefined], 'body'],
      [['PATCH', '/product-lines/stable', { settings: { scoring: { hotThreshold: 'high' } } }], 'body.settings.scoring.hotThreshold'],
      [['PATCH', '/product-lines/stable', { name: '' }], 'body.name'],
      [['PATCH', '/product-lines/stable', {}], 'body'],
      [['PATCH', '/product-lines/stable', { setings: {} }], 'body'],
      [['GET', '/product-lines/NOT_A_SLUG'], 'params.id'],
      [['PATCH', '/product-lines/NOT_A_SLUG', { name: 'x' }], 'params.id'],
    ];
    for (const [request, path] of cases) await refused(t, 400, request, path);
    const invalidJson = await refused(t, 400, ['POST', '/product-lines', '{"id": "x",'], 'body');
    expect(invalidJson.body.error.code).toBe('invalid_json');
  });
});
