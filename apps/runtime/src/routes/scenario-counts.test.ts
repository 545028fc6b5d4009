// Node counts for the canvas, from a scripted run through the real worker: ten leads enrolled, three
// of them open the mail they wait for, the rest time out into a long wait; later a second version
// takes two more. Each node's leads there now, leads that reached it and enrollments that ended
// there are exact, for all versions and for each.
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { beforeAll, expect, it } from 'vitest';
import { stepDue } from '../core/worker.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { ok, refusedUnchanged } from './testing.ts';

const PL = 'nc';
const DAY = 86_400_000;

/** Import → wait for an opened mail (3 days) → opened: exit; timed out: wait 30 days → exit. */
const graph = aGraph({ productLine: PL, scenarioId: 'nc-s', name: 'Counts' })
  .trigger('t', { type: 'import' })
  .waitForEvent('we', 'email_opened', dur(3, 'days'))
  .exit('opened')
  .from('we', 'timeout')
  .wait('long', dur(30, 'days'))
  .exit('x')
  .input();

async function drain(t: TestRuntime): Promise<void> {
  while ((await stepDue(t.rt, 500)) > 0);
}

const counts = async (t: TestRuntime, query = '') => (await ok(t, 'GET', `/scenarios/nc-s/node-counts${query}`, undefined, 200)).nodes;

eachRuntime('node counts', (current) => {
  beforeAll(async () => {
    const t = current();
    await ok(t, 'POST', '/product-lines', { id: PL, name: 'Node counts' }, 201);
    await ok(t, 'POST', '/scenarios', { id: 'nc-s', productLine: PL, name: 'Counts', draft: graph }, 201);
    await ok(t, 'POST', '/scenarios/nc-s/publish', { note: 'v1' }, 201);
    const leads: string[] = [];
    for (let i = 1; i <= 12; i++) leads.push((await ok(t, 'POST', '/leads', { email: `nc-${i}@counts.example.jp` }, 201)).lead.id);
    await ok(t, 'POST', '/enrollments', { scenarioId: 'nc-s', leadIds: leads.slice(0, 10) }, 201);
    await drain(t);
    t.clock.advance(DAY);
    for (const lead of leads.slice(0, 3)) await ok(t, 'POST', '/events', { id: `open-${lead}`, kind: 'email_opened', leadId: lead, productLine: PL }, 202);
    await drain(t);
    t.clock.advance(3 * DAY);
    await drain(t);
    // Version 2, the same journey; two more leads enter it and wait for their mail to be opened.
    await ok(t, 'POST', '/scenarios/nc-s/publish', { note: 'v2' }, 201);
    await ok(t, 'POST', '/enrollments', { scenarioId: 'nc-s', leadIds: leads.slice(10) }, 201);
    await drain(t);
  });

  it('all versions: 12 reached the wait for the mail, 2 wait there, 3 opened and ended, 7 wait 30 days', async () => {
    expect(await counts(current())).toEqual([
      { nodeId: 'long', now: 7, passed: 7, ended: 0 },
      { nodeId: 'opened', now: 0, passed: 3, ended: 3 },
      { nodeId: 't', now: 0, passed: 12, ended: 0 },
      { nodeId: 'we', now: 2, passed: 12, ended: 0 },
    ]);
  });

  it('one version: version 1 had the ten, version 2 the two still waiting for their mail', async () => {
    const t = current();
    expect(await counts(t, '?version=1')).toEqual([
      { nodeId: 'long', now: 7, passed: 7, ended: 0 },
      { nodeId: 'opened', now: 0, passed: 3, ended: 3 },
      { nodeId: 't', now: 0, passed: 10, ended: 0 },
      { nodeId: 'we', now: 0, passed: 10, ended: 0 },
    ]);
    expect(await counts(t, '?version=2')).toEqual([
      { nodeId: 't', now: 0, passed: 2, ended: 0 },
      { nodeId: 'we', now: 2, passed: 2, ended: 0 },
    ]);
  });

  it('after the long wait every lead has ended at one of the two exits', async () => {
    const t = current();
    t.clock.advance(31 * DAY);
    await drain(t);
    expect(await counts(t, '?version=1')).toEqual([
      { nodeId: 'long', now: 0, passed: 7, ended: 0 },
      { nodeId: 'opened', now: 0, passed: 3, ended: 3 },
      { nodeId: 't', now: 0, passed: 10, ended: 0 },
      { nodeId: 'we', now: 0, passed: 10, ended: 0 },
      { nodeId: 'x', now: 0, passed: 7, ended: 7 },
    ]);
  });

  it('bad queries are 400s naming the field; an unknown scenario or version a 404', async () => {
    const t = current();
    for (const [path, field] of [
      ['/scenarios/nc-s/node-counts?version=0', 'query.version'],
      ['/scenarios/nc-s/node-counts?version=one', 'query.version'],
      ['/scenarios/nc-s/node-counts?version=1.5', 'query.version'],
    ] as const) {
      await refusedUnchanged(t, 400, ['GET', path], field);
    }
    await refusedUnchanged(t, 404, ['GET', '/scenarios/nc-s/node-counts?version=9'], 'query.version');
    await refusedUnchanged(t, 404, ['GET', '/scenarios/no-such/node-counts']);
  });
});
