import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { drain } from '../golden/drive.ts';
import { eachRuntime } from '../testing.ts';
import { enrollmentOf, ok, publish } from './sales-testing.ts';

const DAY = 86_400_000;

eachRuntime('call-task queue', (current) => {
  it("shows inside sales each lead's summary, due time and attempt in due order; completing moves the lead on", async () => {
    const t = current();
    const graph = aGraph({ productLine: 'ct', scenarioId: 'ct-calls', name: '資料DL後の架電' })
      .trigger('t', { type: 'import' })
      .callTask('c1', { script: '資料の感想を伺う', dueIn: dur(2, 'days'), maxAttempts: 3, retryInterval: dur(1, 'days') })
      .goal('g1', 'appointment')
      .from('c1', 'appointment')
      .goal('g2', 'appointment')
      .from('c1', 'noAnswer')
      .exit('x1', 'no answer')
      .from('c1', 'refused')
      .exit('x2', 'refused')
      .input();
    await publish(t, graph, { scoring: { rules: [{ id: 'wp', event: 'whitepaper_downloaded', points: 25 }] } });
    await ok(t, 'POST', '/leads', { id: 'ct-1', email: 'yamada@kappa.example.jp', name: '山田 太郎', company: 'カッパ株式会社', phone: '03-5555-0101' });
    await ok(t, 'POST', '/leads', { id: 'ct-2', email: 'inoue@lambda.example.jp', name: '井上 愛', company: 'ラムダ工業', phone: '045-222-3333' });
    await ok(t, 'POST', '/events', { id: 'ct-2-wp', kind: 'whitepaper_downloaded', leadId: 'ct-2', productLine: 'ct', data: { title: '導入事例集' } });
    // ct-2 enters first, so its call falls due first.
    await ok(t, 'POST', '/enrollments', { scenarioId: 'ct-calls', leadIds: ['ct-2'] });
    await drain(t);
    t.clock.advance(3_600_000);
    await ok(t, 'POST', '/enrollments', { scenarioId: 'ct-calls', leadIds: ['ct-1'] });
    await drain(t);
    const start = t.clock.now();

    const queue = await ok(t, 'GET', '/product-lines/ct/call-tasks');
    expect(queue.productLine).toBe('ct');
    expect(queue.items.map((i: { lead: { id: string } }) => i.lead.id)).toEqual(['ct-2', 'ct-1']);
    expect(queue.items[0]).toMatchObject({
      status: 'pending',
      dueAt: new Date(start - 3_600_000 + 2 * DAY).toISOString(),
      due: false,
      attempt: 1,
      maxAttempts: 3,
      script: '資料の感想を伺う',
      scenarioId: 'ct-calls',
      nodeId: 'c1',
      lead: { id: 'ct-2', name: '井上 愛', company: 'ラムダ工業', phone: '045-222-3333', email: 'inoue@lambda.example.jp', score: 25, rank: 'C' },
    });
    expect(queue.items[0].lead.recentEvents).toMatchObject([{ kind: 'whitepaper_downloaded', productLine: 'ct', data: { title: '導入事例集' } }]);
    expect(queue.items[1].lead).toMatchObject({ id: 'ct-1', name: '山田 太郎', score: 0, rank: null, recentEvents: [] });

    // Two days on, the first call is due; nobody answers, so the lead waits a day for attempt 2.
    t.clock.set(start + 2 * DAY - 3_600_000);
    expect((await ok(t, 'GET', '/product-lines/ct/call-tasks')).items.map((i: { due: boolean }) => i.due)).toEqual([true, false]);
    await ok(t, 'POST', `/call-tasks/${encodeURIComponent(queue.items[0].key)}/complete`, { outcome: 'noAnswer' });
    await drain(t);
    expect((await ok(t, 'GET', '/product-lines/ct/call-tasks')).items.map((i: { lead: { id: string } }) => i.lead.id)).toEqual(['ct-1']);
    t.clock.advance(DAY);
    await drain(t);
    const second = await ok(t, 'GET', '/product-lines/ct/call-tasks');
    expect(second.items.map((i: { lead: { id: string }; attempt: number }) => [i.lead.id, i.attempt])).toEqual([
      ['ct-1', 1],
      ['ct-2', 2],
    ]);

    // An appointment ends the calls: the lead reaches the goal and leaves the queue.
    const retry = second.items[1];
    await ok(t, 'POST', `/call-tasks/${encodeURIComponent(retry.key)}/complete`, { outcome: 'appointment', note: '来週火曜に訪問' });
    await drain(t);
    expect(await enrollmentOf(t, 'ct-2', 'ct-calls')).toMatchObject({ status: 'completed', nodeId: 'g2' });
    expect((await ok(t, 'GET', '/product-lines/ct/call-tasks')).items.map((i: { lead: { id: string } }) => i.lead.id)).toEqual(['ct-1']);
    const done = await ok(t, 'GET', '/product-lines/ct/call-tasks?state=done');
    expect(done.items.map((i: { attempt: number; status: string }) => [i.attempt, i.status])).toEqual([
      [1, 'done'],
      [2, 'done'],
    ]);
  });

  it('an unknown product line is a 404, a bad state a 400', async () => {
    const t = current();
    expect((await t.call('GET', '/product-lines/no-such-line/call-tasks')).status).toBe(404);
    const bad = await t.call('GET', '/product-lines/ct/call-tasks?state=later');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('query.state');
  });
});
