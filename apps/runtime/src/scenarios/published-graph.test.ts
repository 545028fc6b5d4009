import { expect, test } from 'vitest';
import { eachRuntime } from '../testing.ts';
import { activeScenarios, loadPublishedGraph } from './published-graph.ts';
import { aProductLine, aScenario, publish } from './testing.ts';

const v0Graph = {
  format: 'nurtureflow.scenario',
  formatVersion: 0,
  productLine: 'legacy',
  scenarioId: 'imported',
  version: 1,
  name: 'Imported',
  settings: { tz: 'Asia/Tokyo' },
  nodes: [
    { id: 't', type: 'trigger', trigger: { type: 'manual' }, next: 'w', position: { x: 0, y: 0 } },
    { id: 'w', type: 'wait', wait: { days: 3 }, next: { next: 'x' } },
    { id: 'x', type: 'exit' },
  ],
};

eachRuntime('published graphs', (current) => {
  test('a published graph is read once, parsed with defaults, and then served from memory, also inside transactions', async () => {
    const t = current();
    await aProductLine(t, 'cache');
    await aScenario(t, 'cache', 'cached');
    await publish(t, 'cached');
    const graph = await loadPublishedGraph(t.rt.db, 'cached', 1);
    expect(graph).toMatchObject({ scenarioId: 'cached', productLine: 'cache', version: 1, settings: { horizonDays: 365 } });
    expect(Object.keys(graph.nodes).sort()).toEqual(['done', 'm1', 'm2', 't', 'w']);

    // Versions never change, so a changed row would not be read again: proof the cache answers.
    await t.rt.db.updateTable('scenario_versions').set({ graph: {} }).where('scenario_id', '=', 'cached').execute();
    expect(await loadPublishedGraph(t.rt.db, 'cached', 1)).toBe(graph);
    expect(await t.rt.db.transaction().execute((trx) => loadPublishedGraph(trx, 'cached', 1))).toBe(graph);
  });

  test('a version stored in an older format is upgraded when loaded', async () => {
    const t = current();
    await aProductLine(t, 'legacy');
    await aScenario(t, 'legacy', 'imported');
    await t.rt.db.insertInto('scenario_versions').values({ scenario_id: 'imported', version: 1, graph: v0Graph, note: 'imported' }).execute();
    const graph = await loadPublishedGraph(t.rt.db, 'imported', 1);
    expect(graph.formatVersion).toBe(1);
    expect(graph.nodes['w']).toMatchObject({ kind: 'wait', wait: { mode: 'for', duration: { amount: 3, unit: 'days' } }, outputs: { next: 'x' } });
    expect(graph.settings.timezone).toBe('Asia/Tokyo');
  });

  test('a version that does not exist is a 404, and is not remembered as missing', async () => {
    const t = current();
    await aProductLine(t, 'later');
    await aScenario(t, 'later', 'not-yet');
    await expect(loadPublishedGraph(t.rt.db, 'not-yet', 1)).rejects.toMatchObject({ status: 404 });
    await publish(t, 'not-yet');
    expect((await loadPublishedGraph(t.rt.db, 'not-yet', 1)).version).toBe(1);
  });

  test('activeScenarios gives active scenarios with their published graph, optionally of some product lines', async () => {
    const t = current();
    await aProductLine(t, 'act-a');
    await aProductLine(t, 'act-b');
    await aScenario(t, 'act-a', 'act-a-live');
    await aScenario(t, 'act-a', 'act-a-draft');
    await aScenario(t, 'act-a', 'act-a-paused');
    await aScenario(t, 'act-b', 'act-b-live');
    for (const id of ['act-a-live', 'act-a-paused', 'act-b-live']) await publish(t, id);
    await publish(t, 'act-a-live', { note: 'second' });
    await t.call('POST', '/scenarios/act-a-paused/pause');

    const onlyA = await activeScenarios(t.rt.db, ['act-a']);
    expect(onlyA.map((s) => [s.id, s.productLine, s.version, s.graph.version])).toEqual([['act-a-live', 'act-a', 2, 2]]);
    const both = (await activeScenarios(t.rt.db)).map((s) => s.id);
    expect((await activeScenarios(t.rt.db, null)).map((s) => s.id)).toEqual(both);
    expect(both).toEqual(expect.arrayContaining(['act-a-live', 'act-b-live']));
    expect(both).not.toContain('act-a-paused');
    expect(both).not.toContain('act-a-draft');
    expect(await activeScenarios(t.rt.db, [])).toEqual([]);
  });
});
