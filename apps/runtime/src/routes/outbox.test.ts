import { aGraph } from '@nurtureflow/scenario/testing';
import { beforeAll, expect, it } from 'vitest';
import { stepDue } from '../core/worker.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { ok, refusedUnchanged } from './testing.ts';

/** The one pending effect of a type for a lead, from the API. */
async function pendingKey(t: TestRuntime, list: '/call-tasks' | '/handoffs', leadId: string): Promise<string> {
  const { items } = await ok(t, 'GET', `${list}?leadId=${leadId}&status=pending`);
  expect(items).toHaveLength(1);
  return items[0].key;
}

async function enrollment(t: TestRuntime, leadId: string) {
  const { items } = await ok(t, 'GET', `/enrollments?leadId=${leadId}`);
  return ok(t, 'GET', `/enrollments/${items[0].id}`);
}

eachRuntime('outbox API', (current) => {
  beforeAll(async () => {
    const t = current();
    await ok(t, 'POST', '/product-lines', { id: 'ob', name: 'Outbox' }, 201);
    const calls = aGraph({ productLine: 'ob', scenarioId: 'ob-calls', name: 'Calls' })
      .trigger('t', { type: 'import' })
      .callTask('c1', { maxAttempts: 1 })
      .exit('x')
      .connect('c1', 'noAnswer', 'x')
      .connect('c1', 'appointment', 'x')
      .connect('c1', 'refused', 'x')
      .input();
    const handoffs = aGraph({ productLine: 'ob', scenarioId: 'ob-handoffs', name: 'Hand-offs' }).trigger('t', { type: 'import' }).handoff('h1').exit('x').connect('h1', 'returned', 'x').input();
    for (const g of [calls, handoffs]) {
      await ok(t, 'POST', '/scenarios', { id: g.scenarioId, productLine: 'ob', name: g.name, draft: g }, 201);
      await ok(t, 'POST', `/scenarios/${g.scenarioId}/publish`, { note: 'outbox' }, 201);
    }
    for (const id of ['ob-1', 'ob-2', 'ob-3']) await ok(t, 'POST', '/leads', { id, email: `${id}@outbox.example.jp` }, 201);
    await ok(t, 'POST', '/enrollments', { scenarioId: 'ob-calls', leadIds: ['ob-1', 'ob-2'] }, 201);
    await ok(t, 'POST', '/enrollments', { scenarioId: 'ob-handoffs', leadIds: ['ob-3'] }, 201);
  });

  it('bad filters on the outbox lists are 400s naming the field', async () => {
    const t = current();
    for (const list of ['/outbox', '/messages', '/call-tasks', '/handoffs', '/print-jobs', '/webhooks']) {
      for (const [query, field] of [
        ['limit=0', 'query.limit'],
        ['limit=1001', 'query.limit'],
        ['limit=many', 'query.limit'],
        ['status=lost', 'query.status'],
        [`productLine=${'p'.repeat(65)}`, 'query.productLine'],
        [`leadId=${'l'.repeat(201)}`, 'query.leadId'],
      ] as const) {
        await refusedUnchanged(t, 400, ['GET', `${list}?${query}`], field);
      }
    }
    await refusedUnchanged(t, 400, ['GET', '/outbox?type=sms'], 'query.type');
  });

  it('completing a call task with a bad outcome, note or key is a 400 naming the field, and the task stays open', async () => {
    const t = current();
    const key = await pendingKey(t, '/call-tasks', 'ob-1');
    const cases: [path: string, body: unknown, field: string][] = [
      [`/call-tasks/${key}/complete`, { outcome: 'voicemail' }, 'body.outcome'],
      [`/call-tasks/${key}/complete`, {}, 'body.outcome'],
      [`/call-tasks/${key}/complete`, { outcome: 'connected', note: 7 }, 'body.note'],
      [`/call-tasks/${key}/complete`, { outcome: 'connected', note: 'n'.repeat(2001) }, 'body.note'],
      [`/call-tasks/${key}/complete`, undefined, 'body'],
      [`/call-tasks/${key}/complete`, '{"outcome":', 'body'],
      [`/call-tasks/${'k'.repeat(401)}/complete`, { outcome: 'connected' }, 'params.key'],
      [`/handoffs/${key}/accept`, { note: ['a'] }, 'body.note'],
    ];
    for (const [path, body, field] of cases) await refusedUnchanged(t, 400, ['POST', path, body], field);
    expect(await pendingKey(t, '/call-tasks', 'ob-1')).toBe(key);
  });

  it('an unknown key is a 404 naming params.key, also a call task’s key answered as a hand-off', async () => {
    const t = current();
    await refusedUnchanged(t, 404, ['POST', '/call-tasks/no-such-key/complete', { outcome: 'connected' }], 'params.key');
    await refusedUnchanged(t, 404, ['POST', '/handoffs/no-such-key/accept', {}], 'params.key');
    await refusedUnchanged(t, 404, ['POST', '/handoffs/no-such-key/return', {}], 'params.key');
    const callKey = await pendingKey(t, '/call-tasks', 'ob-2');
    await refusedUnchanged(t, 404, ['POST', `/handoffs/${callKey}/accept`, {}], 'params.key');
    const handoffKey = await pendingKey(t, '/handoffs', 'ob-3');
    await refusedUnchanged(t, 404, ['POST', `/call-tasks/${handoffKey}/complete`, { outcome: 'connected' }], 'params.key');
  });

  it('a call task completed twice is a 409 the second time and changes nothing; the first answer moves the lead on', async () => {
    const t = current();
    const key = await pendingKey(t, '/call-tasks', 'ob-2');
    expect(await ok(t, 'POST', `/call-tasks/${key}/complete`, { outcome: 'appointment', note: '来週訪問' }, 200)).toEqual({ key, leadId: 'ob-2', event: `answer:${key}` });
    const again = await refusedUnchanged(t, 409, ['POST', `/call-tasks/${key}/complete`, { outcome: 'connected' }], 'params.key');
    expect(again.body.error.code).toBe('already_answered');

    while ((await stepDue(t.rt)) > 0);
    const e = await enrollment(t, 'ob-2');
    expect(e).toMatchObject({ status: 'completed', nodeId: 'x' });
    expect(e.history.find((h: { nodeId: string; output: string | null }) => h.nodeId === 'c1' && h.output !== null)).toMatchObject({ output: 'appointment', to: 'x' });
    // Answered after the lead moved on: still refused, still nothing written.
    await refusedUnchanged(t, 409, ['POST', `/call-tasks/${key}/complete`, { outcome: 'refused' }], 'params.key');
  });

  it('a hand-off accepted once cannot be accepted or returned again', async () => {
    const t = current();
    const key = await pendingKey(t, '/handoffs', 'ob-3');
    expect(await ok(t, 'POST', `/handoffs/${key}/accept`, { note: '商談化' }, 200)).toMatchObject({ key, leadId: 'ob-3' });
    await refusedUnchanged(t, 409, ['POST', `/handoffs/${key}/accept`, {}], 'params.key');
    await refusedUnchanged(t, 409, ['POST', `/handoffs/${key}/return`, { note: 'やはり保留' }], 'params.key');
  });
});
