import { GOLDEN_FIXTURES, type GoldenExpectation } from '@nurtureflow/engine/golden';
import { describe, expect, it } from 'vitest';
import { fixtureSimulation, replayFixture } from './replay.ts';
import { simulate, type LeadSteps } from './simulate.ts';
import type { ScenarioReport } from './report/types.ts';

/** Per-node counts as the fixture's expected paths imply them: visits, and enrollments still there. */
function expectedCounts(expect: readonly GoldenExpectation[], scenarioId: string): Record<string, { entered: number; there: number }> {
  const counts: Record<string, { entered: number; there: number }> = {};
  for (const exp of expect.filter((e) => e.scenarioId === scenarioId)) {
    for (const run of exp.runs) {
      for (const node of run.path) (counts[node] ??= { entered: 0, there: 0 }).entered++;
      if ((run.status === 'waiting' || run.status === 'active') && run.nodeId !== null) counts[run.nodeId]!.there++;
    }
  }
  return counts;
}

function reportedCounts(s: ScenarioReport): Record<string, { entered: number; there: number }> {
  return Object.fromEntries(s.nodes.filter((n) => n.entered > 0).map((n) => [n.id, { entered: n.entered, there: n.there }]));
}

describe.each(GOLDEN_FIXTURES.map((f) => [f.name, f] as const))('golden scenario %s through the simulator', (_name, fixture) => {
  it('takes every lead along the expected path with the expected effects', () => {
    const { runs } = replayFixture(fixture);
    for (const exp of fixture.expect) {
      const got = runs.filter((r) => r.lead === exp.lead && r.scenarioId === exp.scenarioId).map(({ path, status, nodeId, effects }) => ({ path, status, nodeId, effects }));
      expect({ lead: exp.lead, scenarioId: exp.scenarioId, runs: got }).toEqual(exp);
    }
  });

  it('reports the per-node counts the expected paths add up to', () => {
    const { report } = replayFixture(fixture);
    for (const s of report.scenarios) {
      expect(reportedCounts(s)).toEqual(expectedCounts(fixture.expect, s.scenarioId));
      for (const n of s.nodes) expect(n.exited).toBe(n.entered - n.there);
    }
  });

  it('gives the same report from a timeline per lead', () => {
    const timelines: Record<string, LeadSteps[]> = {};
    const shared: object[] = [];
    for (const step of fixture.timeline) {
      if ('lead' in step) {
        const { lead, ...rest } = step;
        (timelines[lead] ??= []).push(rest);
      } else shared.push(step);
    }
    if (shared.length > 0) return; // sweeps of every lead have no place in a per-lead timeline
    const perLead = simulate({ ...fixtureSimulation(fixture), behaviour: { timelines } });
    expect(perLead).toEqual(replayFixture(fixture).report);
  });

  it('replays identically', () => {
    expect(replayFixture(fixture)).toEqual(replayFixture(fixture));
  });
});
