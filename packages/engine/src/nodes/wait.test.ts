import { describe, expect, it } from 'vitest';
import { aGraph, dur } from '../../../scenario/src/testing/builder.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

describe('wait', () => {
  it('waits a duration from arrival, then takes `next`', () => {
    const j = journey(aGraph().trigger('t').wait('w', dur(3, 'days')).exit('x').build(), { at: jst('2026-04-06T09:00') });
    expect(j.state).toMatchObject({ status: 'waiting', nodeId: 'w', waiting: { until: jst('2026-04-09T09:00'), events: [], reason: 'wait' } });
    expect(j.trace.at(-1)).toMatchObject({ nodeId: 'w', output: null, to: null, reason: { code: 'waitStarted', until: jst('2026-04-09T09:00'), events: [] } });
    j.wake();
    expect(j.path).toEqual(['t', 'w', 'x']);
    expect(j.trace.at(-2)).toMatchObject({ at: jst('2026-04-09T09:00'), output: 'next', reason: { code: 'waitOver' } });
  });

  it('a tick before the end changes nothing', () => {
    const j = journey(aGraph().trigger('t').wait('w', dur(3, 'days')).exit('x').build(), { at: jst('2026-04-06T09:00') });
    const before = j.state;
    const r = j.tick(jst('2026-04-09T08:59'));
    expect(r).toEqual({ state: before, effects: [], trace: [], next: { type: 'wait', waiting: before.waiting }, lead: j.lead, transitions: 0 });
    expect(r.state).toBe(before);
  });

  it('waits 2 business days over a holiday', () => {
    const j = journey(aGraph().trigger('t').wait('w', dur(2, 'businessDays')).exit('x').build(), { at: jst('2026-04-28T10:00') });
    expect(j.state.waiting?.until).toBe(jst('2026-05-01T10:00'));
  });

  it('waits until the next time of day, on a business day when asked', () => {
    const any = journey(aGraph().trigger('t').waitUntil('w', '09:00').exit('x').build(), { at: jst('2026-04-24T18:00') });
    expect(any.state.waiting?.until).toBe(jst('2026-04-25T09:00'));
    const business = journey(aGraph().trigger('t').waitUntil('w', '09:00', true).exit('x').build(), { at: jst('2026-04-24T18:00') });
    expect(business.state.waiting?.until).toBe(jst('2026-04-27T09:00'));
  });

  it('a wait of no time still ends the advance; it is due at once, and the next tick ends it', () => {
    const j = journey(aGraph().trigger('t').wait('w', dur(0, 'minutes')).exit('x').build(), { at: jst('2026-04-06T09:00') });
    expect(j.state).toMatchObject({ status: 'waiting', nodeId: 'w', waiting: { until: jst('2026-04-06T09:00') } });
    j.tick(jst('2026-04-06T09:00'));
    expect(j.state).toMatchObject({ status: 'completed', nodeId: 'x' });
  });
});
