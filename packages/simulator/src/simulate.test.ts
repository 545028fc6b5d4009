import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { describe, expect, it } from 'vitest';
import { generateLeads } from './leads/generate.ts';
import { splitInput } from './run/split.ts';
import { simulate, Simulation } from './simulate.ts';
import { NURTURE_PRODUCT_LINE, nurtureScenarioInput } from './testing/nurture-scenario.ts';
import type { SampleLead } from './schemas.ts';

const START = '2026-04-06T09:00:00+09:00';
const nurture = { graph: nurtureScenarioInput(), productLines: { crm: NURTURE_PRODUCT_LINE.settings } };

/** A mail and one call attempt: every lead gets exactly one of each. */
const mailAndCall = aGraph({ productLine: 'crm', scenarioId: 'mail-call' })
  .trigger('t', { type: 'import' })
  .email('m1', 'welcome')
  .callTask('c1', { maxAttempts: 1 })
  .exit('x1')
  .connect('c1', 'connected', 'x1')
  .connect('c1', 'appointment', 'x1')
  .connect('c1', 'noAnswer', 'x1')
  .connect('c1', 'refused', 'x1')
  .connect('m1', 'skipped', 'c1')
  .input();

function plainLeads(n: number): SampleLead[] {
  return Array.from({ length: n }, (_, i) => ({ id: `L${i}` }));
}

describe('a simulation', () => {
  const leads = generateLeads(2_000, { seed: 7, productLine: 'crm' });
  const run = (seed: number) => simulate({ ...nurture, leads, behaviour: { arrival: { days: 14 } }, start: START, days: 60, seed, trace: ['lead-000001'] });
  let first: ReturnType<typeof run> | undefined;
  const seedOne = () => (first ??= run(1));

  it('gives an identical report for the same seed', () => {
    expect(run(1)).toEqual(seedOne());
  });

  it('gives a different report for another seed', () => {
    const a = seedOne();
    const b = run(2);
    expect(b).not.toEqual(a);
    expect(b.kpis.opens).not.toBe(a.kpis.opens);
  });

  it('counts every visit of a node as entered, then there at the horizon or exited', () => {
    const r = seedOne();
    const s = r.scenarios[0]!;
    expect(s.nodes).toHaveLength(20);
    for (const n of s.nodes) expect(n.exited).toBe(n.entered - n.there);
    // Every visit but the trigger's came over an edge into the node.
    const into = new Map<string, number>();
    for (const e of s.edges) if (e.to !== null) into.set(e.to, (into.get(e.to) ?? 0) + e.count);
    for (const n of s.nodes) if (n.kind !== 'trigger') expect(into.get(n.id) ?? 0).toBe(n.entered);
    expect(s.nodes.find((n) => n.id === 't')!.entered).toBe(leads.length);
    // Enrollments still under way are the ones at a node at the horizon.
    expect(s.stuck.total).toBe(s.nodes.reduce((a, n) => a + n.there, 0));
    expect(s.enrollments.waiting + s.enrollments.active).toBe(s.stuck.total);
  });

  it('reports hot leads with the day each became hot, and a trace of the chosen lead', () => {
    const r = seedOne();
    expect(r.hot.leads).toBeGreaterThan(0);
    expect(r.hot.list.length).toBeGreaterThanOrEqual(r.hot.leads);
    expect(r.hot.byDay.reduce((a, b) => a + b, 0)).toBe(r.hot.list.length);
    for (const h of r.hot.list.slice(0, 20)) expect(Math.floor((Date.parse(h.at) - Date.parse(START)) / 86_400_000)).toBe(h.day);
    const [trace] = r.traces;
    expect(trace?.leadId).toBe('lead-000001');
    expect(trace?.persona).toMatch(/engaged|average|cold/);
    expect(trace?.rows[0]).toMatchObject({ type: 'step', nodeId: 't', output: 'next', to: 'm1' });
  });

  it('traces a lead the same way when it is simulated alone, so one lead can be replayed without the rest', () => {
    const alone = simulate({ ...nurture, leads: leads.filter((l) => l.id === 'lead-000001'), behaviour: { arrival: { days: 14 } }, start: START, days: 60, seed: 1, trace: ['lead-000001'] });
    expect(alone.traces).toEqual(seedOne().traces);
  });

  it('gives the same report when split by leads into shares that are run apart and absorbed in order', () => {
    const input = { ...nurture, leads, behaviour: { arrival: { days: 14 } }, start: START, days: 60, seed: 1, trace: ['lead-000001', 'lead-001500'] };
    const main = new Simulation(input);
    for (const share of splitInput(input, 3)) {
      const sim = new Simulation(share);
      while (!sim.finished) sim.step(400);
      main.absorb(structuredClone(sim.partial()));
    }
    expect(main.finished).toBe(true);
    expect(main.report()).toEqual(simulate(input));
  });

  it('can run a chunk at a time and report progress', () => {
    const progress: number[] = [];
    const sim = new Simulation({ ...nurture, leads, behaviour: {}, start: START, days: 30, onProgress: (p) => progress.push(p.done) });
    sim.step(500);
    expect(sim.report().leads).toBe(500);
    while (!sim.finished) sim.step(500);
    expect(progress).toEqual([500, 1000, 1500, 2000]);
  });
});

describe('personas', () => {
  const N = 20_000;
  const persona = { id: 'p', open: 0.3, click: 0.1, callConnected: 0.5, appointment: 0.2, refused: 0.1 };
  const report = simulate({ graph: mailAndCall, leads: plainLeads(N), behaviour: { personas: [persona] }, start: START, days: 30, seed: 3 });

  it('open and click at the rates they are given, within statistical tolerance', () => {
    expect(report.kpis.sent).toBe(N);
    expect(report.kpis.openRate).toBeGreaterThan(0.28);
    expect(report.kpis.openRate).toBeLessThan(0.32);
    expect(report.kpis.clickRate).toBeGreaterThan(0.09);
    expect(report.kpis.clickRate).toBeLessThan(0.11);
  });

  it('answer call tasks with outcomes at the rates they are given', () => {
    const c = report.kpis.calls;
    expect(c.tasks).toBe(N);
    const connected = c.connected + c.appointment + c.refused;
    expect(connected / N).toBeGreaterThan(0.48);
    expect(connected / N).toBeLessThan(0.52);
    expect(c.appointment / connected).toBeGreaterThan(0.18);
    expect(c.appointment / connected).toBeLessThan(0.22);
    expect(c.noAnswer).toBe(N - connected);
  });

  it('depend on rank, industry or company size', () => {
    const leads: SampleLead[] = [
      ...Array.from({ length: 300 }, (_, i) => ({ id: `it-${i}`, attributes: { industry: 'it', employees: 20 } })),
      ...Array.from({ length: 300 }, (_, i) => ({ id: `big-${i}`, attributes: { industry: 'manufacturing', employees: 5000 } })),
      ...Array.from({ length: 300 }, (_, i) => ({ id: `a-${i}`, products: { crm: { score: 90 } } })),
    ];
    const r = simulate({
      graph: mailAndCall,
      leads,
      behaviour: {
        personas: [
          { id: 'techie', when: { industries: ['IT'] }, open: 1, click: 0 },
          { id: 'enterprise', when: { sizes: ['enterprise'] }, open: 0.5, click: 0 },
          { id: 'rank-a', when: { ranks: ['A'] }, open: 0, click: 0 },
        ],
      },
      start: START,
      days: 10,
    });
    expect(Object.fromEntries(r.personas.map((p) => [p.id, p.leads]))).toEqual({ techie: 300, enterprise: 300, 'rank-a': 300 });
  });
});

describe('fatigue', () => {
  const fiveMails = aGraph({ productLine: 'crm', scenarioId: 'burst' })
    .trigger('t', { type: 'import' })
    .email('m1', 'a')
    .email('m2', 'b')
    .email('m3', 'c')
    .email('m4', 'd')
    .email('m5', 'e')
    .exit('x')
    .input();
  const base = { graph: fiveMails, leads: plainLeads(10), behaviour: { personas: [{ id: 'p', open: 0, click: 0 }] }, start: START, days: 14 };

  it('warns about leads who get more mail in a week than the limit', () => {
    const r = simulate(base);
    expect(r.fatigue.thresholds['crm']).toEqual({ perWeek: 3, source: 'default' });
    expect(r.fatigue.leadsOver).toBe(10);
    expect(r.fatigue.warnings[0]).toEqual({ leadId: 'L0', productLine: 'crm', week: 0, messages: 5 });
    expect(r.messages.perLeadPerWeek.max).toBe(5);
  });

  it('lets the product line cap hold mail back instead, and then no lead is over it', () => {
    const r = simulate({ ...base, productLines: { crm: { frequencyCaps: { perWeek: 2 } } } });
    expect(r.fatigue.thresholds['crm']).toEqual({ perWeek: 2, source: 'productLine' });
    expect(r.fatigue.leadsOver).toBe(0);
    expect(r.fatigue.capDeferred).toBeGreaterThan(0);
    expect(r.messages.perLeadPerWeek.max).toBe(2);
  });
});

describe('a recorded run', () => {
  it('gives the same report when its timeline is replayed as a script', () => {
    const leads = generateLeads(300, { seed: 5, productLine: 'crm' });
    const sim = new Simulation({ ...nurture, leads, behaviour: { arrival: { days: 7 } }, start: START, days: 45, seed: 9, recordTimeline: true });
    while (!sim.finished) sim.step(100);
    const personas = sim.report();
    const scripted = simulate({ ...nurture, leads, behaviour: { timeline: sim.timeline() }, start: START, days: 45, seed: 9 });
    const { behaviour: _a, personas: _p, ...a } = personas;
    const { behaviour: _b, personas: _q, ...b } = scripted;
    expect(b).toEqual(a);
  });
});

describe('bad input', () => {
  it('names the graph problems', () => {
    const broken = aGraph({ scenarioId: 'broken' }).trigger('t').waitForEvent('w', 'email_opened', dur(3)).input();
    expect(() => simulate({ graph: broken, leads: [], behaviour: {}, start: START, days: 1 })).toThrow(/SCN003 node w outputs\.(event|timeout)/);
  });

  it('names unknown leads and scenarios in a timeline, and duplicate leads', () => {
    expect(() =>
      simulate({ graph: mailAndCall, leads: [{ id: 'a' }, { id: 'a' }], behaviour: { timeline: [{ at: START, lead: 'zz', enroll: 'nope' }] }, start: START, days: 1 }),
    ).toThrow(/leads\[1\]\.id: "a" is listed twice/);
    expect(() => simulate({ graph: mailAndCall, leads: [{ id: 'a' }], behaviour: { timeline: [{ at: START, lead: 'zz', enroll: 'nope' }] }, start: START, days: 1 })).toThrow(
      /timeline\[0\]\.enroll: no scenario "nope"[\s\S]*timeline\[0\]\.lead: no lead "zz"/,
    );
  });
});
