import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { generateLeads, simulate, type SimulationInput } from '@nurtureflow/simulator';
import { describe, expect, it } from 'vitest';
import { edgeWidth, flowKey, hotBars, kpiDiff, MAX_WIDTH, MIN_WIDTH, nodeDiff, overlayOf, replayFrames } from './overlay.ts';
import { forceVariant, settingIssues, defaultSettings, startInstant } from './settings.ts';

const START = '2026-04-06T09:00:00+09:00';

/** A welcome mail, a wait for the click, an A/B split of follow-ups, a goal for the clickers. */
const graph = aGraph({ productLine: 'crm', scenarioId: 'ab' })
  .trigger('t', { type: 'import' })
  .email('m1', 'welcome')
  .waitForEvent('w1', 'link_clicked', dur(5, 'days'))
  .score('s1', 30, 'clicked')
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

const input = (g = graph): SimulationInput => ({
  graph: g,
  productLines: { crm: { scoring: { rules: [{ id: 'open', event: 'email_opened', points: 5 }], hotThreshold: 10 } } },
  leads: generateLeads(400, { seed: 3, productLine: 'crm' }),
  behaviour: { arrival: { days: 7 } },
  start: START,
  days: 30,
  seed: 5,
});

describe('a report on the canvas', () => {
  const report = simulate(input());
  const overlay = overlayOf(report, 'ab');

  it('puts each node its entered, there and exited counts from the report', () => {
    const s = report.scenarios[0]!;
    expect(Object.keys(overlay.nodes).sort()).toEqual(s.nodes.map((n) => n.id).sort());
    for (const n of s.nodes) expect(overlay.nodes[n.id]).toEqual({ entered: n.entered, there: n.there, exited: n.exited });
    expect(overlay.nodes['t']!.entered).toBe(400);
    // The 60-day wait holds its leads past the 30-day horizon.
    expect(overlay.nodes['wb']!.there).toBeGreaterThan(0);
    expect(overlay.nodes['wb']!.exited).toBe(0);
  });

  it('gives each connection the leads that took it, the busiest drawn widest', () => {
    const s = report.scenarios[0]!;
    for (const e of s.edges.filter((x) => x.to !== null)) expect(overlay.flows[flowKey(e.from, e.output)]?.count).toBe(e.count);
    expect(overlay.maxFlow).toBe(400);
    expect(overlay.flows[flowKey('t', 'next')]!.width).toBe(MAX_WIDTH);
    const a = overlay.flows[flowKey('sp', 'a')]!;
    const b = overlay.flows[flowKey('sp', 'b')]!;
    expect(a.count + b.count).toBe(overlay.nodes['sp']!.entered);
    expect(a.count > b.count).toBe(a.width > b.width);
  });

  it('draws widths in proportion to the flow, a thin line for none', () => {
    expect(edgeWidth(0, 100)).toBe(1);
    expect(edgeWidth(100, 100)).toBe(MAX_WIDTH);
    expect(edgeWidth(50, 100)).toBeCloseTo(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) / 2, 2);
    expect(edgeWidth(10, 100) - MIN_WIDTH).toBeCloseTo((edgeWidth(20, 100) - MIN_WIDTH) / 2, 1);
  });

  it('groups the days leads became hot into at most the bars asked for', () => {
    const bars = hotBars(report.hot.byDay, report.days, 10);
    expect(bars.length).toBeLessThanOrEqual(10);
    expect(bars.reduce((a, b) => a + b.count, 0)).toBe(report.hot.byDay.reduce((a, b) => a + b, 0));
    expect(bars[0]!.from).toBe(0);
  });
});

describe('two runs compared', () => {
  const onlyA = simulate(input(forceVariant(graph, 'sp', 'a')));
  const onlyB = simulate(input(forceVariant(graph, 'sp', 'b')));

  it('sends every lead down the chosen variant of a split', () => {
    const a = overlayOf(onlyA, 'ab');
    const b = overlayOf(onlyB, 'ab');
    expect(a.flows[flowKey('sp', 'b')]).toBeUndefined();
    expect(a.flows[flowKey('sp', 'a')]!.count).toBe(a.nodes['sp']!.entered);
    expect(b.nodes['ma']!.entered).toBe(0);
    // The same leads with the same seed: the split is the only difference, so the same leads reach it.
    expect(a.nodes['sp']!.entered).toBe(b.nodes['sp']!.entered);
  });

  it('gives each KPI of both runs and the difference', () => {
    const diff = kpiDiff(onlyA.kpis, onlyB.kpis);
    const sent = diff.find((d) => d.key === 'sent')!;
    expect(sent).toEqual({ key: 'sent', a: onlyA.kpis.sent, b: onlyB.kpis.sent, diff: onlyB.kpis.sent - onlyA.kpis.sent, rate: false });
    expect(diff.find((d) => d.key === 'openRate')!.rate).toBe(true);
    expect(diff.find((d) => d.key === 'handoffs')!.a).toBe(onlyA.kpis.handoffs.sent);
  });

  it('lists the nodes of both, with the ones only one run has', () => {
    const other = aGraph({ productLine: 'crm', scenarioId: 'ab' }).trigger('t', { type: 'import' }).email('m1', 'welcome').exit('extra').connect('m1', 'skipped', 'extra').input();
    const rows = nodeDiff(overlayOf(onlyA, 'ab'), overlayOf(simulate(input(other)), 'ab'));
    const extra = rows.find((r) => r.id === 'extra')!;
    expect(extra.a).toBeNull();
    expect(extra.b!.entered).toBe(400);
    expect(extra.diff).toBe(400);
    const w1 = rows.find((r) => r.id === 'w1')!;
    expect(w1.b).toBeNull();
    expect(w1.a!.entered).toBe(400);
    expect(w1.diff).toBe(-400);
  });
});

describe('a lead replayed', () => {
  it('moves from node to node along its steps, keeping the connections it took', () => {
    const leads = generateLeads(60, { seed: 3, productLine: 'crm' });
    const ids = leads.map((l) => l.id);
    const report = simulate({ ...input(), leads, trace: ids });
    const trace = report.traces.find((t) => t.rows.some((r) => r.type === 'step' && r.nodeId === 'sp'))!;
    const frames = replayFrames(trace, 'ab');
    expect(frames).toHaveLength(trace.rows.length);
    const steps = trace.rows.flatMap((r) => (r.type === 'step' && r.to !== null ? [r] : []));
    const last = frames.at(-1)!;
    expect(Object.keys(last.taken).sort()).toEqual([...new Set(steps.map((s) => flowKey(s.nodeId!, s.output)))].sort());
    expect(frames[0]!.nodeId).toBe('m1');
    // Each frame is at the node the latest step took it to (or stayed at).
    frames.forEach((f, i) => {
      const latest = trace.rows.slice(0, i + 1).filter((r) => r.type === 'step').at(-1);
      if (latest?.type === 'step') expect(f.nodeId).toBe(latest.to ?? latest.nodeId);
    });
  });
});

describe('the panel settings', () => {
  it('names the field of a bad setting', () => {
    const s = defaultSettings();
    expect(settingIssues(s)).toEqual([]);
    expect(settingIssues({ ...s, days: 0 })).toEqual([{ path: 'days', message: 'must be at least 1', code: 'min', limit: 1 }]);
    expect(settingIssues({ ...s, count: 1.5 })).toMatchObject([{ path: 'count', code: 'whole' }]);
    expect(settingIssues({ ...s, startDate: '2026-13-01' })).toMatchObject([{ path: 'startDate', code: 'date' }]);
    const personas = s.personas.map((p, i) => (i === 1 ? { ...p, open: 0.1, click: 0.5 } : i === 2 ? { ...p, unsubscribe: 1.2 } : p));
    expect(settingIssues({ ...s, personas }).map((i) => [i.path, i.code, i.limit])).toEqual([
      ['personas.1.click', 'clickAboveOpen', undefined],
      ['personas.2.unsubscribe', 'max', 1],
    ]);
  });

  it('starts the run at 09:00 on the start date in the scenario’s time zone', () => {
    expect(new Date(startInstant('2026-04-06', 'Asia/Tokyo')).toISOString()).toBe('2026-04-06T00:00:00.000Z');
    expect(new Date(startInstant('2026-07-01', 'America/New_York')).toISOString()).toBe('2026-07-01T13:00:00.000Z');
  });
});
