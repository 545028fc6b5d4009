import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const at = jst('2026-04-06T09:00');

describe('goal', () => {
  it('counts the goal and continues on `next`', () => {
    const j = journey(aGraph().trigger('t').goal('g', 'appointment').email('m', 'thanks').exit('x').build(), { at });
    expect(j.effects[0]).toEqual({ type: 'goalReached', key: 'enr-1:2:0', nodeId: 'g', productLine: 'crm', goal: 'appointment' });
    expect(j.path).toEqual(['t', 'g', 'm', 'x']);
  });

  it('completes the enrollment when nothing follows', () => {
    const j = journey(aGraph().trigger('t').goal('g', 'conversion').build(), { at });
    expect(j.state).toMatchObject({ status: 'completed', nodeId: 'g', endReason: 'goal', endedAt: at });
    expect(j.trace.at(-1)).toMatchObject({ nodeId: 'g', output: null, reason: { code: 'goal', goal: 'conversion' } });
  });
});
