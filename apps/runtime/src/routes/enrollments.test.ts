import { aGraph } from '@nurtureflow/scenario/testing';
import { beforeAll, expect, it } from 'vitest';
import { aScenario, publish } from '../scenarios/testing.ts';
import { eachRuntime } from '../testing.ts';
import { ok, refusedUnchanged } from './testing.ts';

eachRuntime('enrollments API', (current) => {
  beforeAll(async () => {
    const t = current();
    await ok(t, 'POST', '/product-lines', { id: 'en', name: 'Enrollments' }, 201);
    // Form → welcome mail → wait 3 days → follow-up → exit.
    await aScenario(t, 'en', 'en-drip');
    await publish(t, 'en-drip');
    await aScenario(t, 'en', 'en-paused');
    await publish(t, 'en-paused');
    await ok(t, 'POST', '/scenarios/en-paused/pause', undefined, 200);
    const calls = aGraph({ productLine: 'en', scenarioId: 'en-calls', name: 'Calls' }).trigger('t', { type: 'import' }).callTask('c1').exit('x').connect('c1', 'noAnswer', 'x').connect('c1', 'appointment', 'x').input();
    await aScenario(t, 'en', 'en-calls', calls);
    await publish(t, 'en-calls');
    for (let i = 1; i <= 6; i++) await ok(t, 'POST', '/leads', { id: `en-${i}`, email: `en-${i}@enrollments.example.jp` }, 201);
  });

  it('bad queries and ids on the enrollment reads are 400s naming the field', async () => {
    const t = current();
    const cases: [path: string, field: string][] = [
      ['/enrollments?limit=0', 'query.limit'],
      ['/enrollments?limit=1001', 'query.limit'],
      ['/enrollments?limit=ten', 'query.limit'],
      ['/enrollments?limit=2.5', 'query.limit'],
      ['/enrollments?status=done', 'query.status'],
      [`/enrollments?scenarioId=${'s'.repeat(201)}`, 'query.scenarioId'],
      [`/enrollments?nodeId=${'n'.repeat(65)}`, 'query.nodeId'],
      ['/enrollments/counts', 'query.scenarioId'],
      ['/enrollments/counts?scenarioId=', 'query.scenarioId'],
      ['/enrollments/counts?scenarioId=en-drip&version=0', 'query.version'],
      ['/enrollments/counts?scenarioId=en-drip&version=first', 'query.version'],
      [`/enrollments/${'e'.repeat(201)}`, 'params.id'],
    ];
    for (const [path, field] of cases) await refusedUnchanged(t, 400, ['GET', path], field);
    await refusedUnchanged(t, 404, ['GET', '/enrollments/en_nowhere'], 'params.id');
  });

  it('a malformed enrolment is a 400 naming the field, and nobody is enrolled', async () => {
    const t = current();
    const cases: [body: unknown, field: string][] = [
      [{}, 'body.scenarioId'],
      [{ scenarioId: 5, leadIds: ['en-1'] }, 'body.scenarioId'],
      [{ scenarioId: '', leadIds: ['en-1'] }, 'body.scenarioId'],
      [{ scenarioId: 'en-drip' }, 'body.leadIds'],
      [{ scenarioId: 'en-drip', leadIds: [] }, 'body.leadIds'],
      [{ scenarioId: 'en-drip', leadIds: 'en-1' }, 'body.leadIds'],
      [{ scenarioId: 'en-drip', leadIds: ['en-1', ''] }, 'body.leadIds[1]'],
      [{ scenarioId: 'en-drip', leadIds: Array.from({ length: 10_001 }, (_, i) => `en-x${i}`) }, 'body.leadIds'],
      [{ scenarioId: 'en-drip', leadIds: ['en-1'], triggerNodeId: 't'.repeat(65) }, 'body.triggerNodeId'],
      [[{ scenarioId: 'en-drip', leadIds: ['en-1'] }], 'body'],
      [undefined, 'body'],
      ['{"scenarioId": "en-drip",', 'body'],
    ];
    for (const [body, field] of cases) await refusedUnchanged(t, 400, ['POST', '/enrollments', body], field);
  });

  it('an unknown scenario is a 404 and a trigger node that is not one a 422, each naming the field', async () => {
    const t = current();
    await refusedUnchanged(t, 404, ['POST', '/enrollments', { scenarioId: 'no-such-scenario', leadIds: ['en-1'] }], 'body.scenarioId');
    const notTrigger = await refusedUnchanged(t, 422, ['POST', '/enrollments', { scenarioId: 'en-drip', leadIds: ['en-1'], triggerNodeId: 'm1' }], 'body.triggerNodeId');
    expect(notTrigger.body.error.issues).toEqual([{ path: 'body.triggerNodeId', message: 'is a node of kind email, not a trigger' }]);
    await refusedUnchanged(t, 422, ['POST', '/enrollments', { scenarioId: 'en-drip', leadIds: ['en-1'], triggerNodeId: 'gone' }], 'body.triggerNodeId');
  });

  it('enrolment into a paused scenario is a 409 naming body.scenarioId, and nobody is enrolled until it resumes', async () => {
    const t = current();
    const res = await refusedUnchanged(t, 409, ['POST', '/enrollments', { scenarioId: 'en-paused', leadIds: ['en-1'] }], 'body.scenarioId');
    expect(res.body.error.code).toBe('scenario_not_active');
    await ok(t, 'POST', '/scenarios/en-paused/resume', undefined, 200);
    expect(await ok(t, 'POST', '/enrollments', { scenarioId: 'en-paused', leadIds: ['en-1'] }, 201)).toMatchObject({ enrolled: 1, refused: 0 });
  });

  it('leads that cannot enter are refused one by one with the reason, and the others are enrolled', async () => {
    const t = current();
    const res = await ok(t, 'POST', '/enrollments', { scenarioId: 'en-drip', leadIds: ['en-2', 'no-such-lead', 'en-2'] }, 201);
    expect(res).toMatchObject({ enrolled: 1, refused: 2 });
    expect(res.results.map((r: { leadId: string; enrolled: boolean; reason?: string }) => [r.leadId, r.enrolled, r.reason ?? null])).toEqual([
      ['en-2', true, null],
      ['no-such-lead', false, 'leadNotFound'],
      ['en-2', false, 'alreadyActive'],
    ]);
  });

  it('exiting by hand ends the enrollment once, with a history row the state counts; a second exit is a 409', async () => {
    const t = current();
    const { results } = await ok(t, 'POST', '/enrollments', { scenarioId: 'en-drip', leadIds: ['en-3'] }, 201);
    const id: string = results[0].enrollmentId;
    t.clock.advance(3_600_000);
    await refusedUnchanged(t, 400, ['POST', `/enrollments/${id}/exit`, { reason: 5 }], 'body.reason');
    await refusedUnchanged(t, 400, ['POST', `/enrollments/${id}/exit`, { reason: 'r'.repeat(201) }], 'body.reason');
    await refusedUnchanged(t, 404, ['POST', '/enrollments/en_nowhere/exit', {}], 'params.id');

    const exited = await ok(t, 'POST', `/enrollments/${id}/exit`, { reason: 'asked by sales' }, 200);
    expect(exited).toMatchObject({ id, status: 'exited', nodeId: 'w', wakeAt: null, updatedAt: new Date(t.clock.now()).toISOString() });
    const detail = await ok(t, 'GET', `/enrollments/${id}`);
    expect(detail.state).toMatchObject({ status: 'exited', endReason: 'asked by sales', endedAt: t.clock.now(), waiting: null, pendingKey: null });
    const seqs = detail.history.map((h: { seq: number }) => h.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(detail.history.at(-1)).toMatchObject({ nodeId: 'w', reason: { code: 'exit', why: 'asked by sales' } });
    expect(detail.state.seq, 'the state counts the exit row, as archiving does').toBe(seqs.length);

    const again = await refusedUnchanged(t, 409, ['POST', `/enrollments/${id}/exit`, {}], 'params.id');
    expect(again.body.error.code).toBe('enrollment_ended');
  });

  it('a lead taken out while it waits on a call task no longer waits on it', async () => {
    const t = current();
    const { results } = await ok(t, 'POST', '/enrollments', { scenarioId: 'en-calls', leadIds: ['en-4'] }, 201);
    const id: string = results[0].enrollmentId;
    expect((await ok(t, 'GET', `/enrollments/${id}`)).state).toMatchObject({ status: 'waiting', nodeId: 'c1', pendingKey: expect.any(String) });
    await ok(t, 'POST', `/enrollments/${id}/exit`, {}, 200);
    const detail = await ok(t, 'GET', `/enrollments/${id}`);
    expect(detail.state).toMatchObject({ status: 'exited', endReason: 'manual', waiting: null, pendingKey: null, seq: detail.history.length });
  });

  it('a sweep names the scenario it cannot find', async () => {
    const t = current();
    await refusedUnchanged(t, 404, ['POST', '/triggers/sweep', { scenarioId: 'no-such-scenario' }], 'body.scenarioId');
    await refusedUnchanged(t, 400, ['POST', '/triggers/sweep', { scenarioId: '' }], 'body.scenarioId');
    await refusedUnchanged(t, 400, ['POST', '/triggers/sweep', { scenarioId: 7 }], 'body.scenarioId');
    expect(await ok(t, 'POST', '/triggers/sweep', { scenarioId: 'en-drip' }, 200)).toEqual({ enrolled: 0 });
  });
});
