import { expect, test } from 'vitest';
import { activeScenarios } from '../scenarios/published-graph.ts';
import { aProductLine, aScenario, enrollmentRow, insertEnrollment, publish, refused } from '../scenarios/testing.ts';
import { eachRuntime } from '../testing.ts';

eachRuntime('scenario status', (current) => {
  test('pause and resume switch an active scenario on and off; only active scenarios are offered to the worker', async () => {
    const t = current();
    await aProductLine(t, 'flow');
    await aScenario(t, 'flow', 'switch');
    await publish(t, 'switch');
    const paused = await t.call('POST', '/scenarios/switch/pause');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ scenario: { status: 'paused', publishedVersion: 1 }, exited: 0 });
    expect((await activeScenarios(t.rt.db, ['flow'])).map((s) => s.id)).toEqual([]);

    const resumed = await t.call('POST', '/scenarios/switch/resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body.scenario.status).toBe('active');
    expect((await activeScenarios(t.rt.db, ['flow'])).map((s) => s.id)).toEqual(['switch']);
  });

  test('transitions the status does not allow are 409s that change nothing', async () => {
    const t = current();
    await aProductLine(t, 'rules');
    await aScenario(t, 'rules', 'unpublished');
    await aScenario(t, 'rules', 'running');
    await publish(t, 'running');
    for (const [path, code] of [
      ['/scenarios/unpublished/pause', 'invalid_transition'],
      ['/scenarios/unpublished/resume', 'invalid_transition'],
      ['/scenarios/running/resume', 'invalid_transition'],
    ] as const) {
      const res = await refused(t, 409, ['POST', path]);
      expect(res.body.error.code).toBe(code);
    }
    await t.call('POST', '/scenarios/running/pause');
    await refused(t, 409, ['POST', '/scenarios/running/pause']);
  });

  test('archiving exits running enrollments in one go, explains why in their history, and leaves finished ones alone', async () => {
    const t = current();
    await aProductLine(t, 'arch');
    await aScenario(t, 'arch', 'old-news');
    await publish(t, 'old-news');
    const seed = { scenarioId: 'old-news', productLine: 'arch', version: 1, at: t.clock.now() };
    const waiting = await insertEnrollment(t.rt.db, { ...seed, leadId: 'arch-a', id: 'e1', status: 'waiting', nodeId: 'w', seq: 4 });
    await insertEnrollment(t.rt.db, { ...seed, leadId: 'arch-b', id: 'e1', status: 'active', nodeId: 'm1', seq: 2 });
    const done = await insertEnrollment(t.rt.db, { ...seed, leadId: 'arch-c', id: 'e1', status: 'completed', nodeId: 'done' });
    t.clock.advance(3_600_000);

    const res = await t.call('POST', '/scenarios/old-news/archive');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scenario: { status: 'archived' }, exited: 2 });

    const a = await enrollmentRow(t.rt.db, 'arch-a', 'e1');
    expect(a).toMatchObject({ status: 'exited', node_id: 'w', wake_at: null, wait_events: null });
    expect(a.state).toEqual({ ...waiting, status: 'exited', seq: 5, waiting: null, endedAt: t.clock.now(), endReason: 'archived' });
    const b = await enrollmentRow(t.rt.db, 'arch-b', 'e1');
    expect(b.state).toMatchObject({ status: 'exited', seq: 3, endReason: 'archived', endedAt: t.clock.now() });
    expect((await enrollmentRow(t.rt.db, 'arch-c', 'e1')).state).toEqual(done);

    const history = await t.rt.db.selectFrom('enrollment_history').selectAll().where('lead_id', 'in', ['arch-a', 'arch-b', 'arch-c']).orderBy('lead_id').execute();
    expect(history.map((h) => [h.lead_id, h.seq, h.node_id, h.at.getTime(), h.reason])).toEqual([
      ['arch-a', 5, 'w', t.clock.now(), { code: 'exit', why: 'archived' }],
      ['arch-b', 3, 'm1', t.clock.now(), { code: 'exit', why: 'archived' }],
    ]);
    expect((await t.call('GET', '/scenarios/old-news')).body.enrollments).toMatchObject({ exited: 2, completed: 1, waiting: 0, active: 0 });
  });

  test('an archived scenario is read-only: draft, publish, pause, resume and archive are 409s', async () => {
    const t = current();
    await aProductLine(t, 'frozen');
    await aScenario(t, 'frozen', 'gone');
    await t.call('POST', '/scenarios/gone/archive');
    for (const [method, path, body] of [
      ['PUT', '/scenarios/gone/draft', { name: 'again' }],
      ['POST', '/scenarios/gone/publish', { note: 'again' }],
      ['POST', '/scenarios/gone/pause'],
      ['POST', '/scenarios/gone/resume'],
      ['POST', '/scenarios/gone/archive'],
    ] as const) {
      await refused(t, 409, [method, path, body]);
    }
    expect((await t.call('POST', '/scenarios/gone/validate')).status).toBe(200);
  });
});
