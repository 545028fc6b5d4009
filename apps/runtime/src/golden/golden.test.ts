import { GOLDEN_FIXTURES } from '@nurtureflow/engine/golden';
import { replayFixture } from '@nurtureflow/simulator';
import { describe, expect, it } from 'vitest';
import { eachRuntime } from '../testing.ts';
import { driveFixture } from './drive.ts';

describe.each(GOLDEN_FIXTURES.map((f) => [f.name, f] as const))('golden scenario %s through the runtime', (name, fixture) => {
  eachRuntime(name, (current) => {
    it('takes every lead along the expected path, with the same effects as the engine replay', async () => {
      const runs = await driveFixture(current(), fixture);
      for (const exp of fixture.expect) {
        const got = runs.filter((r) => r.lead === exp.lead && r.scenarioId === exp.scenarioId).map(({ path, status, nodeId, effects }) => ({ path, status, nodeId, effects }));
        expect({ lead: exp.lead, scenarioId: exp.scenarioId, runs: got }).toEqual(exp);
      }
      // Simulation and runtime agree on every enrollment, not only the ones the fixture names.
      const replayed = replayFixture(fixture).runs.map(({ lead, scenarioId, path, status, nodeId, effects }) => ({ lead, scenarioId, path, status, nodeId, effects }));
      const key = (r: { lead: string; scenarioId: string }) => `${r.lead}/${r.scenarioId}`;
      const sort = <T extends { lead: string; scenarioId: string }>(xs: T[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sort(runs)).toEqual(sort(replayed));
    });
  });
});
