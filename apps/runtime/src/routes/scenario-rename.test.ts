// Renaming a scenario: PATCH /scenarios/:id changes the scenario's name and its draft's name and
// description together, in any status, and the audit log says who did it; a bad body is a 400
// naming the field and changes nothing, an unknown scenario a 404.
import { expect, it } from 'vitest';
import { ok } from './testing.ts';
import { aProductLine, aScenario, publish, refused } from '../scenarios/testing.ts';
import { eachRuntime } from '../testing.ts';

eachRuntime('renaming a scenario', (current) => {
  it('a rename changes the name the list, the scenario and its draft give, keeps published versions as they were, and is recorded', async () => {
    const t = current();
    await aProductLine(t, 'rn');
    await aScenario(t, 'rn', 'rn-welcome');
    await publish(t, 'rn-welcome');
    t.clock.advance(60_000);

    const renamed = await ok(t, 'PATCH', '/scenarios/rn-welcome', { name: '新規リード育成', description: '資料請求から商談まで' }, 200);
    expect(renamed).toMatchObject({ id: 'rn-welcome', name: '新規リード育成', status: 'active', publishedVersion: 1, updatedAt: new Date(t.clock.now()).toISOString() });
    expect(renamed.draft).toMatchObject({ name: '新規リード育成', description: '資料請求から商談まで' });
    // The draft's nodes are untouched.
    expect(Object.keys(renamed.draft.nodes).sort()).toEqual(['done', 'm1', 'm2', 't', 'w']);
    expect((await ok(t, 'GET', '/scenarios?productLine=rn')).scenarios.map((s: { name: string }) => s.name)).toEqual(['新規リード育成']);
    expect((await ok(t, 'GET', '/scenarios/rn-welcome/versions/1')).graph.name).toBe('Welcome');

    // Only the description: the name stays, the description changes.
    const described = await ok(t, 'PATCH', '/scenarios/rn-welcome', { name: '新規リード育成', description: '' }, 200);
    expect(described.draft).toMatchObject({ name: '新規リード育成', description: '' });

    const { items } = await ok(t, 'GET', '/product-lines/rn/audit?objectKind=scenario&objectId=rn-welcome&action=scenario.renamed');
    expect(items.map((e: { action: string; details: unknown }) => [e.action, e.details])).toEqual([['scenario.renamed', { from: 'Welcome', to: '新規リード育成' }]]);
  });

  it('works in every status, an archived scenario too', async () => {
    const t = current();
    await aProductLine(t, 'rs');
    await aScenario(t, 'rs', 'rs-draft');
    await aScenario(t, 'rs', 'rs-paused');
    await publish(t, 'rs-paused');
    await ok(t, 'POST', '/scenarios/rs-paused/pause', undefined, 200);
    await aScenario(t, 'rs', 'rs-archived');
    await ok(t, 'POST', '/scenarios/rs-archived/archive', undefined, 200);
    for (const [id, status] of [['rs-draft', 'draft'], ['rs-paused', 'paused'], ['rs-archived', 'archived']] as const) {
      const res = await ok(t, 'PATCH', `/scenarios/${id}`, { name: `${status} の新しい名前` }, 200);
      expect(res).toMatchObject({ name: `${status} の新しい名前`, status });
      expect(res.draft.name).toBe(`${status} の新しい名前`);
    }
  });

  it('a bad body is a 400 naming the field and changes nothing; an unknown scenario is a 404', async () => {
    const t = current();
    await aProductLine(t, 'rb');
    await aScenario(t, 'rb', 'rb-s');
    const cases: [body: unknown, field: string][] = [
      [{}, 'body.name'],
      [{ name: '' }, 'body.name'],
      [{ name: '   ' }, 'body.name'],
      [{ name: 5 }, 'body.name'],
      [{ name: 'x'.repeat(201) }, 'body.name'],
      [{ name: 'ok', description: 7 }, 'body.description'],
      [{ name: 'ok', description: 'd'.repeat(5001) }, 'body.description'],
      [{ name: 'ok', description: 'nul \u0000' }, 'body.description'],
      [{ name: 'ok', status: 'archived' }, 'body'],
      [['ok'], 'body'],
    ];
    for (const [body, field] of cases) await refused(t, 400, ['PATCH', '/scenarios/rb-s', body], field);
    const res = await refused(t, 404, ['PATCH', '/scenarios/no-such-scenario', { name: 'Nobody' }]);
    expect(res.body.error.code).toBe('not_found');
  });
});
