import { FORMAT } from '@nurtureflow/scenario';
import { decompile, graphSchema } from '@nurtureflow/scenario';
import { expect, test } from 'vitest';
import { MAX_DRAFT_BYTES } from '../scenarios/draft-document.ts';
import { aProductLine, aScenario, insertEnrollment, refused, welcomeChain, welcomeDraft } from '../scenarios/testing.ts';
import { eachRuntime } from '../testing.ts';

eachRuntime('scenarios', (current) => {
  test('a new scenario is a draft whose starter document already names its scenario and product line', async () => {
    const t = current();
    await aProductLine(t, 'crm');
    const res = await t.call('POST', '/scenarios', { id: 'welcome', productLine: 'crm', name: 'Welcome series' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'welcome', productLine: 'crm', name: 'Welcome series', status: 'draft', publishedVersion: null });
    expect(res.body.draft).toEqual({ format: FORMAT, formatVersion: 1, productLine: 'crm', scenarioId: 'welcome', version: 0, name: 'Welcome series', nodes: {} });
    expect(res.body.enrollments).toEqual({ active: 0, waiting: 0, completed: 0, exited: 0, failed: 0, total: 0 });
  });

  test('without an id, one is made from the name that fits in a URL', async () => {
    const t = current();
    await aProductLine(t, 'gen');
    const a = await t.call('POST', '/scenarios', { productLine: 'gen', name: 'Café Seminar — 2026!' });
    const b = await t.call('POST', '/scenarios', { productLine: 'gen', name: 'セミナー後フォロー' });
    expect(a.status).toBe(201);
    expect(a.body.id).toMatch(/^cafe-seminar-2026-[0-9a-f]{8}$/);
    expect(b.body.id).toMatch(/^scenario-[0-9a-f]{8}$/);
    expect((await t.call('GET', `/scenarios/${a.body.id}`)).status).toBe(200);
  });

  test('a scenario on a product line that does not exist is a 422 naming body.productLine', async () => {
    const t = current();
    const res = await refused(t, 422, ['POST', '/scenarios', { id: 'orphan', productLine: 'nowhere', name: 'x' }], 'body.productLine');
    expect(res.body.error.code).toBe('unknown_product_line');
  });

  test('a taken id is a 409 and the first scenario is untouched', async () => {
    const t = current();
    await aProductLine(t, 'dup-pl');
    await aScenario(t, 'dup-pl', 'taken');
    await refused(t, 409, ['POST', '/scenarios', { id: 'taken', productLine: 'dup-pl', name: 'Other' }], 'body.id');
  });

  test('the list filters by product line and status', async () => {
    const t = current();
    await aProductLine(t, 'list-a');
    await aProductLine(t, 'list-b');
    await aScenario(t, 'list-a', 'list-a1');
    await aScenario(t, 'list-a', 'list-a2');
    await aScenario(t, 'list-b', 'list-b1');
    await t.call('POST', '/scenarios/list-a2/publish', { note: 'go' });

    const ids = async (q: string) => (await t.call('GET', `/scenarios${q}`)).body.scenarios.map((s: { id: string }) => s.id);
    expect(await ids('?productLine=list-a')).toEqual(['list-a1', 'list-a2']);
    expect(await ids('?productLine=list-a&status=active')).toEqual(['list-a2']);
    expect(await ids('?productLine=list-b&status=draft')).toEqual(['list-b1']);
    const all = await t.call('GET', '/scenarios');
    expect(all.status).toBe(200);
    expect(all.body.scenarios[0]).not.toHaveProperty('draft');
  });

  test('a scenario shows its enrollments counted by status over every version', async () => {
    const t = current();
    await aProductLine(t, 'count');
    await aScenario(t, 'count', 'counted');
    await t.call('POST', '/scenarios/counted/publish', { note: 'v1' });
    const at = t.clock.now();
    const seed = { scenarioId: 'counted', productLine: 'count', version: 1, at };
    await insertEnrollment(t.rt.db, { ...seed, leadId: 'count-l1', id: 'e1', status: 'waiting', nodeId: 'w' });
    await insertEnrollment(t.rt.db, { ...seed, leadId: 'count-l2', id: 'e2', status: 'waiting', nodeId: 'w' });
    await insertEnrollment(t.rt.db, { ...seed, leadId: 'count-l3', id: 'e3', status: 'completed', nodeId: 'done' });
    const res = await t.call('GET', '/scenarios/counted');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', publishedVersion: 1 });
    expect(res.body.enrollments).toEqual({ active: 0, waiting: 2, completed: 1, exited: 0, failed: 0, total: 3 });
  });

  test('a draft is saved in any state, and its problems come back without blocking the save', async () => {
    const t = current();
    await aProductLine(t, 'drafts');
    await aScenario(t, 'drafts', 'drafty');
    const broken = welcomeDraft('drafts', (g) => g.email('m1', 'welcome').connect('m1', 'sent', 'nowhere'));
    t.clock.advance(1000);
    const res = await t.call('PUT', '/scenarios/drafty/draft', broken);
    expect(res.status).toBe(200);
    expect(res.body.scenario.updatedAt).toBe(new Date(t.clock.now()).toISOString());
    expect(res.body.errors).toBeGreaterThan(0);
    expect(res.body.problems).toContainEqual(expect.objectContaining({ code: 'SCN004', nodeId: 'm1', field: 'outputs.sent' }));
    expect((await t.call('GET', '/scenarios/drafty')).body.draft).toEqual(broken);

    const notEvenAGraph = await t.call('PUT', '/scenarios/drafty/draft', { hello: 'world' });
    expect(notEvenAGraph.status).toBe(200);
    expect(notEvenAGraph.body.problems.map((p: { code: string }) => p.code)).toEqual(['SCN019']);
    expect((await t.call('GET', '/scenarios/drafty')).body.draft).toEqual({ hello: 'world' });
  });

  test('validate checks the stored draft, or a document in the body, with product lines from the database', async () => {
    const t = current();
    await aProductLine(t, 'val');
    await aScenario(t, 'val', 'checked');
    const stored = await t.call('POST', '/scenarios/checked/validate');
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ errors: 0 });
    expect(stored.body.warnings).toBe(stored.body.problems.length);

    const crossSell = welcomeDraft('val', (g) =>
      g.email('m1', 'welcome').branch('b', [{ id: 'hot', condition: { type: 'score', productLine: 'ghost-line', op: 'gte', value: 50 } }]).exit('done').from('b', 'default').exit('cold'),
    );
    const body = await t.call('POST', '/scenarios/checked/validate', crossSell);
    expect(body.status).toBe(200);
    expect(body.body.problems).toContainEqual(expect.objectContaining({ code: 'SCN009', nodeId: 'b' }));
    expect(body.body.errors).toBe(body.body.problems.filter((p: { severity: string }) => p.severity === 'error').length);

    await aProductLine(t, 'ghost-line');
    const again = await t.call('POST', '/scenarios/checked/validate', crossSell);
    expect(again.body.problems).not.toContainEqual(expect.objectContaining({ code: 'SCN009' }));
  });

  test('the scenario owns its id and product line: a draft claiming others is checked as this scenario', async () => {
    const t = current();
    await aProductLine(t, 'owner');
    await aScenario(t, 'owner', 'owned');
    const elsewhere = { ...welcomeDraft('owner', welcomeChain), productLine: 'unknown-line', scenarioId: 'someone-else' };
    const res = await t.call('POST', '/scenarios/owned/validate', elsewhere);
    expect(res.body.errors).toBe(0);
  });

  test('an editor document (React Flow nodes and edges) is a draft too', async () => {
    const t = current();
    await aProductLine(t, 'canvas');
    await aScenario(t, 'canvas', 'drawn');
    const graph = graphSchema.parse({ ...welcomeDraft('canvas', welcomeChain), scenarioId: 'drawn', version: 0 });
    const doc = decompile(graph);
    const saved = await t.call('PUT', '/scenarios/drawn/draft', doc);
    expect(saved.status).toBe(200);
    expect(saved.body.errors).toBe(0);
    const published = await t.call('POST', '/scenarios/drawn/publish', { note: 'from the canvas' });
    expect(published.status).toBe(201);
    const v1 = await t.call('GET', '/scenarios/drawn/versions/1');
    expect(Object.keys(v1.body.graph.nodes).sort()).toEqual(['done', 'm1', 'm2', 't', 'w']);

    const dangling = { ...doc, edges: [...doc.edges, { id: 'x', source: 'ghost', target: 'm1' }] };
    const res = await t.call('POST', '/scenarios/drawn/validate', dangling);
    expect(res.body.problems).toContainEqual(expect.objectContaining({ code: 'SCN021' }));
  });

  test('a draft in an older format version is upgraded when checked and when published', async () => {
    const t = current();
    await aProductLine(t, 'old-format');
    const v0 = {
      format: FORMAT,
      formatVersion: 0,
      productLine: 'old-format',
      scenarioId: 'x',
      version: 0,
      name: 'From the importer',
      nodes: [
        { id: 't', type: 'trigger', trigger: { type: 'manual' }, next: 'w' },
        { id: 'w', type: 'wait', wait: { days: 3 }, next: { next: 'x' } },
        { id: 'x', type: 'exit' },
      ],
    };
    await aScenario(t, 'old-format', 'v0-draft', v0);
    expect((await t.call('POST', '/scenarios/v0-draft/validate')).body.errors).toBe(0);
    const published = await t.call('POST', '/scenarios/v0-draft/publish', { note: 'upgraded' });
    expect(published.status).toBe(201);
    const v1 = await t.call('GET', '/scenarios/v0-draft/versions/1');
    expect(v1.body.graph).toMatchObject({ formatVersion: 1, nodes: { w: { kind: 'wait', outputs: { next: 'x' } } } });
  });

  test('an unknown scenario is a 404 on every route', async () => {
    const t = current();
    for (const [method, path, body] of [
      ['GET', '/scenarios/missing'],
      ['PUT', '/scenarios/missing/draft', {}],
      ['POST', '/scenarios/missing/validate'],
      ['POST', '/scenarios/missing/publish', { note: 'x' }],
      ['GET', '/scenarios/missing/versions'],
      ['GET', '/scenarios/missing/versions/1'],
      ['POST', '/scenarios/missing/pause'],
      ['POST', '/scenarios/missing/resume'],
      ['POST', '/scenarios/missing/archive'],
    ] as const) {
      await refused(t, 404, [method, path, body]);
    }
  });

  test('bad input is a 4xx naming the field, and nothing is written', async () => {
    const t = current();
    await aProductLine(t, 'bad');
    await aScenario(t, 'bad', 'steady');
    const huge = { ...welcomeDraft('bad', welcomeChain), description: 'x'.repeat(MAX_DRAFT_BYTES) };
    const cases: [status: number, request: [string, string, unknown?], path: string][] = [
      [400, ['POST', '/scenarios', { productLine: 'bad' }], 'body.name'],
      [400, ['POST', '/scenarios', { name: 'x' }], 'body.productLine'],
      [400, ['POST', '/scenarios', { id: 'has space', productLine: 'bad', name: 'x' }], 'body.id'],
      [400, ['POST', '/scenarios', { id: '__proto__', productLine: 'bad', name: 'x' }], 'body.id'],
      [400, ['POST', '/scenarios', { id: 'arr', productLine: 'bad', name: 'x', draft: [] }], 'body.draft'],
      [400, ['POST', '/scenarios', { id: 'nul', productLine: 'bad', name: 'x', draft: { nodes: { a: { name: 'x\u0000' } } } }], 'body.draft.nodes.a.name'],
      [413, ['POST', '/scenarios', { id: 'huge', productLine: 'bad', name: 'x', draft: huge }], 'body.draft'],
      [400, ['POST', '/scenarios', { id: 'extra', productLine: 'bad', name: 'x', status: 'active' }], 'body'],
      [400, ['GET', '/scenarios?status=running'], 'query.status'],
      [400, ['GET', '/scenarios?productLine=Not%20A%20Slug'], 'query.productLine'],
      [400, ['GET', '/scenarios/bad%20id'], 'params.id'],
      [400, ['PUT', '/scenarios/steady/draft', [1, 2, 3]], 'body'],
      [400, ['PUT', '/scenarios/steady/draft', 'text'], 'body'],
      [400, ['PUT', '/scenarios/steady/draft', undefined], 'body'],
      [400, ['PUT', '/scenarios/steady/draft', { name: '\uD800' }], 'body.name'],
      [413, ['PUT', '/scenarios/steady/draft', huge], 'body'],
      [400, ['POST', '/scenarios/steady/validate', [1]], 'body'],
      [400, ['POST', '/scenarios/steady/publish', {}], 'body.note'],
      [400, ['POST', '/scenarios/steady/publish', { note: '  ' }], 'body.note'],
      [400, ['POST', '/scenarios/steady/publish', { note: 'x', moveEnrollments: 'yes' }], 'body.moveEnrollments'],
      [400, ['GET', '/scenarios/steady/versions/0'], 'params.version'],
      [400, ['GET', '/scenarios/steady/versions/one'], 'params.version'],
      [400, ['GET', '/scenarios/steady/versions/1.5'], 'params.version'],
      [400, ['POST', '/scenarios/bad%20id/pause'], 'params.id'],
    ];
    for (const [status, request, path] of cases) await refused(t, status, request, path);
  });

  test('the OpenAPI document lists every product line and scenario route', async () => {
    const t = current();
    const res = await t.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const routes = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /product-lines',
        'GET /product-lines',
        'GET /product-lines/{id}',
        'PATCH /product-lines/{id}',
        'POST /scenarios',
        'GET /scenarios',
        'GET /scenarios/{id}',
        'PUT /scenarios/{id}/draft',
        'POST /scenarios/{id}/validate',
        'POST /scenarios/{id}/publish',
        'GET /scenarios/{id}/versions',
        'GET /scenarios/{id}/versions/{version}',
        'POST /scenarios/{id}/pause',
        'POST /scenarios/{id}/resume',
        'POST /scenarios/{id}/archive',
      ]),
    );
    const settings = (paths['/product-lines']!['post'] as any).requestBody.content['application/json'].schema.properties.settings;
    expect(JSON.stringify(settings)).toContain('hotThreshold');
  });
});
