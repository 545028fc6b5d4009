// The golden fixtures replayed by the simulator: the fixture's leads and timeline, its clock up to
// `until`, every enrollment's path and effects. The engine's own tests, the runtime's golden test
// and the equivalence test compare against this.
import type { LeadView } from '@nurtureflow/engine';
import type { GoldenFixture } from '@nurtureflow/engine/golden';
import type { EnrollmentRun } from './report/runs.ts';
import type { SimulationReport } from './report/types.ts';
import type { StepLike } from './run/timeline.ts';
import { Simulation } from './simulate.ts';

/** One enrollment as the replay saw it. */
export type ReplayRun = EnrollmentRun;

/** The simulation input of a golden fixture: its graphs, product lines, leads and timeline, its clock. */
export function fixtureSimulation(fixture: GoldenFixture): ConstructorParameters<typeof Simulation>[0] {
  const until = Date.parse(fixture.until);
  const first = fixture.timeline.length > 0 ? Math.min(...fixture.timeline.map((s) => Date.parse(s.at))) : until;
  return {
    graphs: fixture.graphs,
    productLines: Object.fromEntries(fixture.productLines.map((p) => [p.id, p.settings])),
    leads: fixture.leads,
    behaviour: { timeline: fixture.timeline as readonly StepLike[] },
    start: first,
    days: (until - first) / 86_400_000,
  };
}

/**
 * Replays a golden fixture on a virtual clock through the engine: leads, their events, scoring by
 * the product line's rules, triggers, wake-ups. Pure: no I/O, no real clock.
 */
export function replayFixture(fixture: GoldenFixture): { runs: ReplayRun[]; leads: Map<string, LeadView>; report: SimulationReport } {
  const sim = new Simulation({ ...fixtureSimulation(fixture), collectRuns: true });
  while (!sim.finished) sim.step(1000);
  const { runs, leads } = sim.runs();
  return { runs, leads, report: sim.report() };
}
