import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const at = jst('2026-04-06T09:00');

describe('move', () => {
  it('enrols the lead in another product line’s scenario and exits this one', () => {
    const j = journey(aGraph().trigger('t').move('mv', 'sfa-welcome', 'sfa').build(), { at });
    expect(j.effects).toEqual([{ type: 'enroll', key: 'enr-1:2:0', nodeId: 'mv', productLine: 'sfa', scenarioId: 'sfa-welcome' }]);
    expect(j.state).toMatchObject({ status: 'exited', nodeId: 'mv', endedAt: at, endReason: 'moved' });
    expect(j.trace.at(-1)?.reason).toEqual({ code: 'moved', scenarioId: 'sfa-welcome', productLine: 'sfa' });
  });

  it('defaults to the scenario’s own product line, and can stay and continue on `next`', () => {
    const j = journey(aGraph().trigger('t').move('mv', 'follow-up', undefined, false).exit('x').build(), { at });
    expect(j.effects[0]).toMatchObject({ type: 'enroll', productLine: 'crm', scenarioId: 'follow-up' });
    expect(j.path).toEqual(['t', 'mv', 'x']);
    expect(j.state.status).toBe('completed');
  });
});
