// Replays the golden scenarios through the simulator on a virtual clock and prints each lead's path.
import { GOLDEN_FIXTURES } from '../packages/engine/src/golden/index.ts';
import { replayFixture } from '../packages/simulator/src/replay.ts';

for (const fixture of GOLDEN_FIXTURES) {
  console.log(`\n${fixture.name} — ${fixture.description}`);
  for (const run of replayFixture(fixture).runs) {
    console.log(`  ${run.lead} in ${run.scenarioId}: ${run.path.join(' → ')}  [${run.status}]`);
    console.log(`     effects: ${run.effects.join(', ') || '(none)'}`);
  }
}
