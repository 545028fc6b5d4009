import { describe, expect, it } from 'vitest';
import { validate } from '@nurtureflow/scenario';
import { GOLDEN_FIXTURES } from './index.ts';

// The fixtures are replayed on a virtual clock by the simulator (packages/simulator/src/golden.test.ts)
// and through the runtime on both databases (apps/runtime/src/golden); here they must be valid graphs.
describe.each(GOLDEN_FIXTURES.map((f) => [f.name, f] as const))('golden scenario %s', (_name, fixture) => {
  it('is a valid graph with no errors', () => {
    for (const g of fixture.graphs) {
      expect(validate(g).filter((p) => p.severity === 'error')).toEqual([]);
    }
  });
});
