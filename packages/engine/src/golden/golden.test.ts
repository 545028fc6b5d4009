import { describe, expect, it } from 'vitest';
import { validate } from '@nurtureflow/scenario';
import { GOLDEN_FIXTURES } from './index.ts';
import { replayFixture } from './replay.ts';

describe.each(GOLDEN_FIXTURES.map((f) => [f.name, f] as const))('golden scenario %s', (_name, fixture) => {
  it('is a valid graph with no errors', () => {
    for (const g of fixture.graphs) {
      expect(validate(g).filter((p) => p.severity === 'error')).toEqual([]);
    }
  });

  it('takes every lead along the expected path with the expected effects', () => {
    const { runs } = replayFixture(fixture);
    for (const exp of fixture.expect) {
      const got = runs
        .filter((r) => r.lead === exp.lead && r.scenarioId === exp.scenarioId)
        .map(({ path, status, nodeId, effects }) => ({ path, status, nodeId, effects }));
      expect({ lead: exp.lead, scenarioId: exp.scenarioId, runs: got }).toEqual(exp);
    }
  });

  it('replays identically', () => {
    expect(replayFixture(fixture).runs).toEqual(replayFixture(fixture).runs);
  });
});
