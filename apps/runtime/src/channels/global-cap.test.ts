import { aGraph } from '@nurtureflow/scenario/testing';
import { afterEach, expect, it } from 'vitest';
import { stepDue } from '../core/worker.ts';
import { ok } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';

const WEEK = 7 * 86_400_000;

async function setup(t: TestRuntime) {
  if ((await t.call('GET', '/product-lines/cap-a')).status === 200) return;
  for (const pl of ['cap-a', 'cap-b']) {
    await ok(t, 'POST', '/product-lines', { id: pl, name: pl });
    const g = aGraph({ productLine: pl, scenarioId: `${pl}-flow`, name: pl }).trigger('t', { type: 'import' }).email('m1', 'news').exit('x1').input();
    await ok(t, 'POST', '/scenarios', { id: `${pl}-flow`, productLine: pl, name: pl, draft: g });
    await ok(t, 'POST', `/scenarios/${pl}-flow/publish`, { note: 'v1' });
  }
}

async function enrollInBoth(t: TestRuntime, leadId: string) {
  await ok(t, 'POST', '/leads', { id: leadId, email: `${leadId}@example.jp` });
  for (const s of ['cap-a-flow', 'cap-b-flow']) await ok(t, 'POST', '/enrollments', { scenarioId: s, leadIds: [leadId] });
  const rows = await ok(t, 'GET', `/enrollments?leadId=${leadId}`);
  return Object.fromEntries(rows.items.map((e: { scenarioId: string; status: string; nodeId: string }) => [e.scenarioId, `${e.status}@${e.nodeId}`]));
}

eachRuntime('global frequency cap', (current) => {
  afterEach(() => {
    delete process.env['GLOBAL_CAP_PER_WEEK'];
  });

  it('GLOBAL_CAP_PER_WEEK holds back a second product line’s mail until the week has room', async () => {
    const t = current();
    await setup(t);
    process.env['GLOBAL_CAP_PER_WEEK'] = '1';
    expect(await enrollInBoth(t, 'capped')).toEqual({ 'cap-a-flow': 'completed@x1', 'cap-b-flow': 'waiting@m1' });
    const b = (await ok(t, 'GET', '/enrollments?leadId=capped&scenarioId=cap-b-flow')).items[0];
    expect(JSON.stringify(await ok(t, 'GET', `/enrollments/${b.id}`))).toContain('"why":"frequencyCap"');

    t.clock.advance(WEEK);
    while ((await stepDue(t.rt)) > 0);
    const sent = await ok(t, 'GET', '/messages?leadId=capped');
    expect(sent.items.map((m: { productLine: string }) => m.productLine).sort()).toEqual(['cap-a', 'cap-b']);
  });

  it('without it, each product line mails on its own caps', async () => {
    const t = current();
    await setup(t);
    expect(await enrollInBoth(t, 'uncapped')).toEqual({ 'cap-a-flow': 'completed@x1', 'cap-b-flow': 'completed@x1' });
  });
});
