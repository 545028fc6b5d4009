import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { generateLeads, simulate } from '@nurtureflow/simulator';
import { describe, expect, it } from 'vitest';
import { SimulationClient, type WorkerLike } from './client.ts';
import { overlayOf } from './overlay.ts';
import type { WorkerRequest } from './protocol.ts';
import { forceVariant, startInstant, type RunTarget } from './settings.ts';
import { createSimulationStore } from './store.ts';
import { serveEditorWorker } from './worker-handler.ts';

/**
 * The worker's own handler in the test's thread: messages are cloned and delivered on a later
 * task, as a browser's are, and terminate stops delivery both ways.
 */
function inThreadWorker(log: WorkerRequest[] = []): WorkerLike {
  const toPage: ((e: { data: unknown }) => void)[] = [];
  let toWorker: ((e: { data: unknown }) => void) | undefined;
  let alive = true;
  serveEditorWorker({
    postMessage: (m) => void setTimeout(() => alive && toPage.forEach((l) => l({ data: structuredClone(m) }))),
    addEventListener: (_t, l) => void (toWorker = l),
  });
  return {
    postMessage: (m) => {
      log.push(m);
      setTimeout(() => alive && toWorker?.({ data: structuredClone(m) }));
    },
    addEventListener: (_t, l) => void toPage.push(l),
    terminate: () => void (alive = false),
  };
}

const graph = aGraph({ productLine: 'crm', scenarioId: 'ab', name: 'A/B' })
  .trigger('t', { type: 'import' })
  .email('m1', 'welcome')
  .waitForEvent('w1', 'link_clicked', dur(5, 'days'))
  .goal('g1', 'clicked')
  .from('w1', 'timeout')
  .split('sp', [
    { id: 'a', weight: 50 },
    { id: 'b', weight: 50 },
  ])
  .email('ma', 'case-a')
  .exit('xa')
  .from('sp', 'b')
  .email('mb', 'case-b')
  .wait('wb', dur(60, 'days'))
  .exit('xb')
  .connect('m1', 'skipped', 'xa')
  .connect('ma', 'skipped', 'xa')
  .connect('mb', 'skipped', 'wb')
  .input();
const productLines = { crm: { scoring: { rules: [{ id: 'click', event: 'link_clicked', points: 40 }], hotThreshold: 30 } } };
const draft: RunTarget = { label: 'draft', graphs: [graph], productLines };
const settings = { count: 3000, leadSeed: 4, seed: 9, days: 40, arrivalDays: 10, startDate: '2026-04-06' };

/** What the simulator gives in node for the panel's settings above. */
function inNode(g = graph, extra: { trace?: string[] } = {}) {
  return simulate({
    graphs: [g],
    productLines,
    leads: generateLeads(settings.count, { seed: settings.leadSeed, productLine: 'crm', locales: { ja: 7, en: 3 } }),
    behaviour: { arrival: { days: settings.arrivalDays } },
    start: startInstant(settings.startDate, 'Asia/Tokyo'),
    days: settings.days,
    seed: settings.seed,
    ...extra,
  });
}

describe('the simulation panel’s store', () => {
  it('runs the draft in the worker and puts on the canvas the counts the simulator gives in node', async () => {
    const sent: WorkerRequest[] = [];
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker(sent)), settings);
    const seen: number[] = [];
    store.subscribe((s) => s.progress && seen.push(s.progress.done));
    await store.getState().run(draft);
    const s = store.getState();
    expect(s.status).toBe('done');
    expect(s.leads?.count).toBe(3000);
    expect(s.a!.overlay).toEqual(overlayOf(inNode(), 'ab'));
    expect(s.a!.report.kpis).toEqual(inNode().kpis);
    expect(seen).toContain(2000);
    expect(seen.at(-1)).toBe(3000);
    // The leads are made once, in the worker; the run carries none.
    expect(sent.map((m) => m.type)).toEqual(['leads', 'run']);
  });

  it('makes the leads again only when their settings change', async () => {
    const sent: WorkerRequest[] = [];
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker(sent)), settings);
    await store.getState().run(draft);
    store.getState().update({ days: 20 });
    await store.getState().run(draft);
    store.getState().update({ count: 100 });
    await store.getState().run(draft);
    expect(sent.map((m) => m.type)).toEqual(['leads', 'run', 'run', 'leads', 'run']);
    expect(store.getState().a!.report.leads).toBe(100);
  });

  it('cancels a run under way, and runs again afterwards with a fresh worker', async () => {
    let workers = 0;
    const store = createSimulationStore(new SimulationClient(() => (workers++, inThreadWorker())), settings);
    const running = store.getState().run(draft);
    await new Promise((r) => setTimeout(r, 0));
    store.getState().cancel();
    await running;
    expect(store.getState().status).toBe('cancelled');
    expect(store.getState().a).toBeNull();
    await store.getState().run(draft);
    expect(store.getState().status).toBe('done');
    expect(workers).toBe(2);
  });

  it('clears the results so the canvas is drawn as before', async () => {
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker()), settings);
    await store.getState().run(draft);
    await store.getState().openReplay('lead-000001');
    store.getState().clear();
    expect(store.getState()).toMatchObject({ a: null, b: null, replay: null, status: 'idle' });
  });

  it('compares two split variants over the same leads and seed', async () => {
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker()), settings);
    await store.getState().compare({ ...draft, label: 'A', graphs: [forceVariant(graph, 'sp', 'a')] }, { ...draft, label: 'B', graphs: [forceVariant(graph, 'sp', 'b')] });
    const { a, b } = store.getState();
    expect(a!.overlay).toEqual(overlayOf(inNode(forceVariant(graph, 'sp', 'a')), 'ab'));
    expect(b!.overlay).toEqual(overlayOf(inNode(forceVariant(graph, 'sp', 'b')), 'ab'));
    expect(a!.overlay.nodes['mb']!.entered).toBe(0);
    expect(b!.overlay.nodes['ma']!.entered).toBe(0);
  });

  it('replays one lead of the run: the same path it took among all the others', async () => {
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker()), settings);
    await store.getState().run(draft);
    const found = await store.getState().searchLeads('lead-00004');
    expect(found.total).toBe(10);
    const id = found.leads[2]!.id;
    await store.getState().openReplay(id);
    const replay = store.getState().replay!;
    expect(replay.trace).toEqual(inNode(graph, { trace: [id] }).traces[0]);
    expect(replay.index).toBe(0);
    store.getState().replayStep(1);
    store.getState().replayStep(1);
    expect(store.getState().replay!.index).toBe(2);
    store.getState().replayTo(10_000);
    expect(store.getState().replay!.index).toBe(replay.frames.length - 1);
    store.getState().replayStep(-1_000);
    expect(store.getState().replay!.index).toBe(0);
  });

  it('finds leads by name as well as id', async () => {
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker()), settings);
    await store.getState().run(draft);
    const name = generateLeads(settings.count, { seed: settings.leadSeed, productLine: 'crm', locales: { ja: 7, en: 3 } })[123]!.name!;
    const found = await store.getState().searchLeads(name.split(' ')[0]!);
    expect(found.leads.some((l) => l.name === name)).toBe(true);
  });

  it('reads leads from a CSV file, keeps the good rows and names each bad one', async () => {
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker()), settings);
    const csv = 'リードID,氏名,会社名,従業員数\nL1,山田 太郎,株式会社A,120\nL2,佐藤 花子,株式会社B,たくさん\nL3,John Smith,Acme,40\n';
    await store.getState().chooseFile({ name: 'leads.csv', bytes: new TextEncoder().encode(csv).buffer as ArrayBuffer });
    expect(store.getState().leads).toMatchObject({ count: 2, errors: [{ row: 2, field: '従業員数', message: '"たくさん" is not a number' }], encoding: 'utf-8' });
    await store.getState().run(draft);
    expect(store.getState().a!.report.leads).toBe(2);
    expect(store.getState().a!.overlay.nodes['t']!.entered).toBe(2);
  });

  it('says what is wrong with the draft, naming node and field, and with a setting before running', async () => {
    const store = createSimulationStore(new SimulationClient(() => inThreadWorker()), settings);
    const broken = aGraph({ productLine: 'crm', scenarioId: 'b' }).trigger('t').waitForEvent('w', 'email_opened', dur(3)).input();
    await store.getState().run({ ...draft, graphs: [broken] });
    expect(store.getState().status).toBe('failed');
    expect(store.getState().failure!.issues).toContainEqual({ path: 'nodes.w.outputs.timeout', message: expect.stringMatching(/^SCN003: /) });
    store.getState().update({ days: 400 });
    await store.getState().run(draft);
    expect(store.getState().failure!.issues).toEqual([{ path: 'days', message: 'must be at most 365', code: 'max', limit: 365 }]);
  });
});
