import { aGraph, dur, ev } from '@nurtureflow/scenario/testing';
import { expect, test } from 'vitest';
import { aProductLine, aScenario, publish, refused, snapshot } from '../scenarios/testing.ts';
import { eachRuntime } from '../testing.ts';

const START = '2026-04-06T09:00:00+09:00';

/** Form → welcome mail → wait for the open (3 days) → call, or a reminder → exit. */
function welcome(productLine: string) {
  return aGraph({ productLine, scenarioId: 'x', version: 0, name: 'Welcome' })
    .trigger('t', ev('form_submitted'))
    .email('m1', 'welcome')
    .waitForEvent('w1', 'email_opened', dur(3, 'days'))
    .callTask('c1', { maxAttempts: 2 })
    .exit('x1')
    .connect('c1', 'noAnswer', 'x1')
    .connect('c1', 'appointment', 'x1')
    .connect('c1', 'refused', 'x1')
    .from('w1', 'timeout')
    .email('m2', 'reminder')
    .connect('m2', 'sent', 'x1')
    .connect('m2', 'skipped', 'x1')
    .connect('m1', 'skipped', 'x1')
    .input();
}

eachRuntime('simulate', (current) => {
  test('a draft runs over generated leads and reports per-node counts, writing nothing', async () => {
    const t = current();
    await aProductLine(t, 'sim');
    await aScenario(t, 'sim', 'sim-welcome', welcome('sim'));
    const before = await snapshot(t.rt.db);
    const res = await t.call('POST', '/scenarios/sim-welcome/simulate', { draft: true, generate: 500, days: 30, seed: 1, start: START, arrivalDays: 5 });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body).toMatchObject({ format: 'nurtureflow.simulation', leads: 500, seed: 1, days: 30, behaviour: 'personas' });
    const nodes = Object.fromEntries(res.body.scenarios[0].nodes.map((n: { id: string; entered: number }) => [n.id, n.entered]));
    expect(nodes['t']).toBe(500);
    expect(nodes['m1']).toBe(500);
    expect(nodes['c1'] + nodes['m2']).toBe(500);
    expect(res.body.kpis.sent).toBeGreaterThanOrEqual(500);
    expect(await snapshot(t.rt.db)).toEqual(before);
    // The same request gives the same report.
    expect((await t.call('POST', '/scenarios/sim-welcome/simulate', { draft: true, generate: 500, days: 30, seed: 1, start: START, arrivalDays: 5 })).body).toEqual(res.body);
  });

  test('the published version is simulated by default, a version when named, and leads may be sent with a trace', async () => {
    const t = current();
    await aProductLine(t, 'simv');
    await aScenario(t, 'simv', 'simv-welcome', welcome('simv'));
    await publish(t, 'simv-welcome');
    const leads = [{ id: 'a', name: '山田 太郎', products: { simv: { score: 10 } } }, { id: 'b' }];
    const res = await t.call('POST', '/scenarios/simv-welcome/simulate', { leads, days: 14, start: START, trace: ['a'], personas: [{ id: 'all-open', open: 1, click: 0 }] });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.scenarios[0].version).toBe(1);
    expect(res.body.kpis.openRate).toBe(1);
    expect(res.body.traces[0]).toMatchObject({ leadId: 'a', persona: 'all-open' });
    expect((await t.call('POST', '/scenarios/simv-welcome/simulate', { version: 1, generate: 10, start: START })).status).toBe(200);
    expect((await t.call('POST', '/scenarios/simv-welcome/simulate', { version: 9, generate: 10 })).status).toBe(404);
  });

  test('a scripted timeline drives the leads instead of personas', async () => {
    const t = current();
    await aProductLine(t, 'sims');
    await aScenario(t, 'sims', 'sims-welcome', welcome('sims'));
    const timeline = [
      { at: START, lead: 'a', event: { kind: 'form_submitted', productLine: 'sims' } },
      { at: '2026-04-07T10:00:00+09:00', lead: 'a', event: { kind: 'email_opened', productLine: 'sims' } },
      { at: '2026-04-08T10:00:00+09:00', lead: 'a', callOutcome: { scenarioId: 'sims-welcome', outcome: 'appointment' } },
    ];
    const res = await t.call('POST', '/scenarios/sims-welcome/simulate', { draft: true, leads: [{ id: 'a' }], timeline, days: 7, start: START, trace: ['a'] });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const path = res.body.traces[0].rows.filter((r: { type: string; to: string | null }) => r.type === 'step' && r.to !== null).map((r: { to: string }) => r.to);
    expect(path).toEqual(['m1', 'w1', 'c1', 'x1']);
  });

  test('bad input is a 400 naming the field; a draft with errors is a 422 listing them', async () => {
    const t = current();
    await aProductLine(t, 'simx');
    await aScenario(t, 'simx', 'simx-welcome', welcome('simx'));
    const url = '/scenarios/simx-welcome/simulate';
    await refused(t, 400, ['POST', url, { generate: 20_001 }], 'body.generate');
    await refused(t, 400, ['POST', url, { days: 30 }], 'body.leads');
    await refused(t, 400, ['POST', url, { generate: 5, leads: [{ id: 'a' }] }], 'body.generate');
    await refused(t, 400, ['POST', url, { generate: 5, version: 1, draft: true }], 'body.draft');
    await refused(t, 400, ['POST', url, { generate: 5, days: 400 }], 'body.days');
    await refused(t, 400, ['POST', url, { leads: [{ id: 'a', products: { simx: { score: 'high' } } }] }], 'body.leads[0].products.simx.score');
    await refused(t, 400, ['POST', url, { draft: true, leads: [{ id: 'a' }], timeline: [{ at: START, lead: 'zz', enroll: 'simx-welcome' }] }], 'body.timeline[0].lead');
    await refused(t, 400, ['POST', url, { draft: true, leads: [{ id: 'a' }, { id: 'a' }] }], 'body.leads[1].id');
    await aScenario(t, 'simx', 'simx-broken', aGraph({ productLine: 'simx', scenarioId: 'x', version: 0, name: 'Broken' }).trigger('t').waitForEvent('w', 'email_opened', dur(3)).input());
    const res = await refused(t, 422, ['POST', '/scenarios/simx-broken/simulate', { generate: 5 }], 'draft.nodes.w.outputs.timeout');
    expect(res.body.error.code).toBe('invalid_graph');
    expect((await t.call('POST', '/scenarios/nope/simulate', { generate: 5 })).status).toBe(404);
  });

  test('a move into another scenario is followed into that scenario’s published version', async () => {
    const t = current();
    await aProductLine(t, 'sima');
    await aProductLine(t, 'simb');
    await aScenario(t, 'simb', 'simb-upsell', aGraph({ productLine: 'simb', scenarioId: 'x', version: 0, name: 'Upsell' }).trigger('t', { type: 'manual' }).email('m', 'offer').exit('x').connect('m', 'skipped', 'x').input());
    await publish(t, 'simb-upsell');
    await aScenario(t, 'sima', 'sima-cross', aGraph({ productLine: 'sima', scenarioId: 'x', version: 0, name: 'Cross' }).trigger('t', { type: 'import' }).move('mv', 'simb-upsell', 'simb').input());
    const res = await t.call('POST', '/scenarios/sima-cross/simulate', { draft: true, generate: 20, days: 3, start: START });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.scenarios.map((s: { scenarioId: string; enrollments: { total: number } }) => [s.scenarioId, s.enrollments.total])).toEqual([
      ['sima-cross', 20],
      ['simb-upsell', 20],
    ]);
  });
});
