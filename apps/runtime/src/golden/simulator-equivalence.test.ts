// The simulator and the durable runtime agree: the same leads, events and clock give the same
// per-node counts and the same effects. Personas make up the behaviour once; the simulator writes
// down what the leads did as a timeline, which is then driven through the runtime over HTTP (on
// both databases) and replayed by the simulator as a script.
import type { GoldenFixture, GoldenLead, GoldenStep } from '@nurtureflow/engine/golden';
import type { GraphInput } from '@nurtureflow/scenario';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { generateLeads, replayFixture, Simulation, type RecordedStep, type ScenarioReport } from '@nurtureflow/simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { eachRuntime } from '../testing.ts';
import { driveFixture, type DrivenRun } from './drive.ts';

const START = '2026-04-06T09:00:00+09:00';
const DAYS = 21;

/** Mail, a wait for the open, a score branch, a split, calls with a retry, a hand-off with a timeout, a goal. */
const graph: GraphInput = aGraph({ productLine: 'eq-crm', scenarioId: 'eq-nurture', name: 'Equivalence' })
  .with({ settings: { frequencyCaps: { perDay: 1 } } })
  .trigger('t', { type: 'import' })
  .email('m1', 'welcome')
  .waitForEvent('w1', 'email_opened', dur(3, 'days'), { sameScenario: true })
  .branch('b1', [{ id: 'warm', condition: { type: 'score', op: 'gte', value: 5 } }])
  .callTask('c1', { maxAttempts: 2, retryInterval: dur(1, 'businessDays'), dueIn: dur(1, 'businessDays') })
  .handoff('h1', { reason: 'appointment', responseTimeout: dur(3, 'businessDays') })
  .update('u1', [{ op: 'setStage', stage: 'newCustomer' }])
  .goal('g1', 'customer')
  .from('b1', 'default')
  .split('sp', [
    { id: 'a', weight: 50 },
    { id: 'b', weight: 50 },
  ])
  .email('m2a', 'case-a')
  .wait('wt', dur(2, 'businessDays'))
  .score('s1', 10, 'nurtured')
  .exit('x1')
  .from('sp', 'b')
  .email('m2b', 'case-b')
  .connect('m2b', 'sent', 'wt')
  .from('c1', 'noAnswer')
  .wait('w7', dur(7, 'days'))
  .email('m3', 'news')
  .connect('m3', 'sent', 'x1')
  .connect('m3', 'skipped', 'x1')
  .connect('c1', 'appointment', 'h1')
  .connect('c1', 'connected', 'x1')
  .connect('c1', 'refused', 'x1')
  .connect('h1', 'returned', 'w7')
  .connect('h1', 'timeout', 'w7')
  .connect('w1', 'timeout', 'b1')
  .connect('m1', 'skipped', 'w1')
  .connect('m2a', 'skipped', 'wt')
  .connect('m2b', 'skipped', 'wt')
  .input();

const productLines = [
  {
    id: 'eq-crm',
    name: 'Equivalence CRM',
    settings: {
      scoring: {
        rules: [
          { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 5 },
          { id: 'clicked', event: 'link_clicked', points: 10 },
          { id: 'whitepaper', event: 'whitepaper_downloaded', points: 20 },
        ],
        hotThreshold: 30,
      },
      quietHours: { start: '20:00', end: '08:00', includeNonBusinessDays: false },
    },
  },
];

const persona = { id: 'lively', open: 0.7, click: 0.3, download: 0.5, unsubscribe: 0.1, callConnected: 0.6, appointment: 0.5, refused: 0.1, handoffAccepted: 0.5 };

/** Per node: visits and enrollments there at the end, from enrollments' paths. */
function countsOf(runs: readonly Pick<DrivenRun, 'path' | 'status' | 'nodeId' | 'scenarioId'>[]): Record<string, { entered: number; there: number }> {
  const counts: Record<string, { entered: number; there: number }> = {};
  for (const r of runs) {
    for (const node of r.path) (counts[node] ??= { entered: 0, there: 0 }).entered++;
    if ((r.status === 'waiting' || r.status === 'active') && r.nodeId !== null) counts[r.nodeId]!.there++;
  }
  return counts;
}

function reported(s: ScenarioReport): Record<string, { entered: number; there: number }> {
  return Object.fromEntries(s.nodes.filter((n) => n.entered > 0).map((n) => [n.id, { entered: n.entered, there: n.there }]));
}

/** A recorded step as a golden fixture writes it (what the runtime's driver reads). */
function goldenStep(s: RecordedStep): GoldenStep {
  if ('event' in s) {
    const { kind, productLine, scenarioId, data } = s.event;
    return { at: s.at, lead: s.lead, event: { kind, ...(productLine ? { productLine } : {}), ...(scenarioId ? { scenarioId } : {}), ...(data ? { data } : {}) } };
  }
  if ('sweep' in s) {
    if (s.lead !== undefined) throw new Error('a sweep of one lead cannot be driven through the runtime');
    return { at: s.at, sweep: true };
  }
  return s;
}

const comparable = (runs: readonly DrivenRun[]) =>
  runs.map(({ lead, scenarioId, path, status, nodeId, effects }) => ({ lead, scenarioId, path, status, nodeId, effects })).sort((a, b) => (a.lead < b.lead ? -1 : a.lead > b.lead ? 1 : 0));

let fixture: GoldenFixture;
let simulated: ScenarioReport;

beforeAll(() => {
  const leads: GoldenLead[] = generateLeads(10, { seed: 3, idPrefix: 'eq-' }).map(({ id, name, company, email }) => ({
    id,
    ...(name ? { name } : {}),
    ...(company ? { company } : {}),
    ...(email ? { email } : {}),
  }));
  const sim = new Simulation({
    graph,
    productLines: Object.fromEntries(productLines.map((p) => [p.id, p.settings])),
    leads,
    behaviour: { personas: [persona], arrival: { days: 2 } },
    start: START,
    days: DAYS,
    seed: 11,
    recordTimeline: true,
  });
  while (!sim.finished) sim.step(100);
  simulated = sim.report().scenarios[0]!;
  const until = new Date(Date.parse(START) + DAYS * 86_400_000).toISOString();
  fixture = { name: 'simulator-equivalence', description: 'persona behaviour, recorded', productLines, graphs: [graph], leads, timeline: sim.timeline().map(goldenStep), until, expect: [] };
});

describe('the simulator and the runtime', () => {
  it('have something to compare: the leads went many ways', () => {
    const visited = simulated.nodes.filter((n) => n.entered > 0).map((n) => n.id);
    expect(visited).toEqual(expect.arrayContaining(['m1', 'w1', 'b1', 'c1', 'h1', 'sp', 'wt', 'w7', 'x1']));
    expect(fixture.timeline.length).toBeGreaterThan(30);
  });

  it('replaying the recorded timeline as a script gives the per-node counts the personas gave', () => {
    const { runs, report } = replayFixture(fixture);
    expect(reported(report.scenarios[0]!)).toEqual(reported(simulated));
    expect(countsOf(runs)).toEqual(reported(simulated));
  });

  eachRuntime('simulator equivalence', (current) => {
    it('the runtime, fed the same leads, events and clock, reaches the same per-node counts and the same effects', async () => {
      const driven = await driveFixture(current(), fixture);
      expect(countsOf(driven)).toEqual(reported(simulated));
      const { runs } = replayFixture(fixture);
      expect(comparable(driven)).toEqual(comparable(runs));
    });
  });
});
