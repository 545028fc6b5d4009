import { expect, test } from 'vitest';
import { aProductLine, aScenario, enrollmentRow, insertEnrollment, issuePaths, publish, refused, welcomeChain, welcomeDraft } from '../scenarios/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';

/** A scenario published once, with running and finished enrollments on version 1. */
async function withLeadsOnV1(t: TestRuntime, pl: string, id: string) {
  await aProductLine(t, pl);
  await aScenario(t, pl, id);
  await publish(t, id, { note: 'v1' });
  const seed = { scenarioId: id, productLine: pl, version: 1, at: t.clock.now() };
  await insertEnrollment(t.rt.db, { ...seed, leadId: `${id}-a`, id: 'e1', status: 'waiting', nodeId: 'w' });
  await insertEnrollment(t.rt.db, { ...seed, leadId: `${id}-b`, id: 'e1', status: 'active', nodeId: 'm1' });
  await insertEnrollment(t.rt.db, { ...seed, leadId: `${id}-c`, id: 'e1', status: 'completed', nodeId: 'done' });
}

/** v2 renames the first mail: leads waiting at `w` can move, a lead at `m1` cannot. */
const renamedFirstMail = (pl: string) => welcomeDraft(pl, (g) => welcomeChain(g, { first: 'm1b', wait: 'w', second: 'm2' }));

eachRuntime('publishing', (current) => {
  test('publishing stores the draft as version 1, parsed with defaults, with its note, and makes the scenario active', async () => {
    const t = current();
    await aProductLine(t, 'pub');
    await aScenario(t, 'pub', 'first-pub', { ...welcomeDraft('pub', welcomeChain), scenarioId: 'wrong', productLine: 'wrong', version: 7 });
    t.clock.advance(5000);
    const body = await publish(t, 'first-pub', { note: 'Launch' });
    expect(body).toMatchObject({ version: 1, note: 'Launch', publishedAt: new Date(t.clock.now()).toISOString(), moved: 0, stayed: 0 });
    expect(body.scenario).toMatchObject({ status: 'active', publishedVersion: 1 });
    expect(body.problems.every((p: { severity: string }) => p.severity === 'warning')).toBe(true);

    const row = await t.rt.db.selectFrom('scenario_versions').selectAll().where('scenario_id', '=', 'first-pub').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 1, note: 'Launch' });
    expect(row.graph).toMatchObject({ scenarioId: 'first-pub', productLine: 'pub', version: 1, settings: { timezone: 'Asia/Tokyo', horizonDays: 365 }, entry: { reEntry: { mode: 'never' } } });

    const v1 = await t.call('GET', '/scenarios/first-pub/versions/1');
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ scenarioId: 'first-pub', version: 1, note: 'Launch', current: true });
    expect(v1.body.graph).toEqual(row.graph);
  });

  test('versions are numbered on, listed newest first, and never change', async () => {
    const t = current();
    await aProductLine(t, 'numbered');
    await aScenario(t, 'numbered', 'num');
    await publish(t, 'num', { note: 'one' });
    const v1 = (await t.call('GET', '/scenarios/num/versions/1')).body.graph;
    await t.call('PUT', '/scenarios/num/draft', renamedFirstMail('numbered'));
    t.clock.advance(60_000);
    expect((await publish(t, 'num', { note: 'two' })).version).toBe(2);

    const list = await t.call('GET', '/scenarios/num/versions');
    expect(list.status).toBe(200);
    expect(list.body.versions.map((v: { version: number; note: string; current: boolean }) => [v.version, v.note, v.current])).toEqual([
      [2, 'two', true],
      [1, 'one', false],
    ]);
    expect((await t.call('GET', '/scenarios/num/versions/1')).body.graph).toEqual(v1);
    expect(Object.keys((await t.call('GET', '/scenarios/num/versions/2')).body.graph.nodes)).toContain('m1b');
    await refused(t, 404, ['GET', '/scenarios/num/versions/3']);
  });

  test('a draft with errors is refused with 422 listing each error by SCN code and path, and no version is written', async () => {
    const t = current();
    await aProductLine(t, 'invalid');
    const broken = welcomeDraft('invalid', (g) => welcomeChain(g).connect('m2', 'sent', 'ghost'));
    delete (broken.nodes['m1'] as { template?: string }).template;
    await aScenario(t, 'invalid', 'broken', broken);
    const res = await refused(t, 422, ['POST', '/scenarios/broken/publish', { note: 'try' }]);
    expect(res.body.error.code).toBe('invalid_scenario');
    expect(issuePaths(res)).toEqual(expect.arrayContaining(['nodes.m1.template', 'nodes.m2.outputs.sent']));
    const messages = res.body.error.issues.map((i: { message: string }) => i.message);
    expect(messages.some((m: string) => m.startsWith('SCN001:'))).toBe(true);
    expect(messages.some((m: string) => m.startsWith('SCN004:'))).toBe(true);
    expect(await t.rt.db.selectFrom('scenario_versions').selectAll().where('scenario_id', '=', 'broken').execute()).toEqual([]);
    expect((await t.call('GET', '/scenarios/broken')).body).toMatchObject({ status: 'draft', publishedVersion: null });
  });

  test('v2 without moving: running enrollments stay on v1', async () => {
    const t = current();
    await withLeadsOnV1(t, 'stay', 'stay-put');
    await t.call('PUT', '/scenarios/stay-put/draft', renamedFirstMail('stay'));
    const body = await publish(t, 'stay-put', { note: 'v2' });
    expect(body).toMatchObject({ version: 2, moved: 0, stayed: 2 });
    for (const lead of ['stay-put-a', 'stay-put-b', 'stay-put-c']) {
      const row = await enrollmentRow(t.rt.db, lead, 'e1');
      expect([row.version, row.state.version]).toEqual([1, 1]);
    }
  });

  test('v2 with moveEnrollments: running enrollments whose node still exists move, row and state, the rest stay', async () => {
    const t = current();
    await withLeadsOnV1(t, 'move', 'mover');
    const before = await enrollmentRow(t.rt.db, 'mover-a', 'e1');
    await t.call('PUT', '/scenarios/mover/draft', renamedFirstMail('move'));
    const body = await publish(t, 'mover', { note: 'v2', moveEnrollments: true });
    expect(body).toMatchObject({ version: 2, moved: 1, stayed: 1 });

    const moved = await enrollmentRow(t.rt.db, 'mover-a', 'e1');
    expect([moved.version, moved.state.version]).toEqual([2, 2]);
    expect({ ...moved.state, version: 1 }).toEqual(before.state);
    expect([moved.node_id, moved.status, moved.wake_at, moved.wait_events]).toEqual([before.node_id, before.status, before.wake_at, before.wait_events]);

    const atGoneNode = await enrollmentRow(t.rt.db, 'mover-b', 'e1');
    expect([atGoneNode.version, atGoneNode.state.version]).toEqual([1, 1]);
    const finished = await enrollmentRow(t.rt.db, 'mover-c', 'e1');
    expect([finished.version, finished.state.version]).toEqual([1, 1]);

    // v3 keeps m1 again: the lead left behind on v1 moves straight to v3.
    await t.call('PUT', '/scenarios/mover/draft', welcomeDraft('move', welcomeChain));
    expect(await publish(t, 'mover', { note: 'v3', moveEnrollments: true })).toMatchObject({ version: 3, moved: 2, stayed: 0 });
    expect((await enrollmentRow(t.rt.db, 'mover-b', 'e1')).version).toBe(3);
  });

  test('publishing a paused scenario makes it active again', async () => {
    const t = current();
    await aProductLine(t, 'repub');
    await aScenario(t, 'repub', 'paused-pub');
    await publish(t, 'paused-pub');
    await t.call('POST', '/scenarios/paused-pub/pause');
    expect((await publish(t, 'paused-pub', { note: 'fix' })).scenario.status).toBe('active');
  });
});
