import { describe, expect, it } from 'vitest';
import { aGraph, dur } from '../../../scenario/src/testing/builder.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const opened = (extra: { sameScenario?: boolean; filters?: { field: string; op: 'eq'; value: string }[] } = {}) =>
  aGraph().trigger('t').email('m1', 'welcome').waitForEvent('w1', 'email_opened', dur(3, 'days'), extra).goal('g1', 'opened').from('w1', 'timeout').email('m2', 'reminder').exit('x').build();
const sent = jst('2026-04-06T10:00');

describe('waitForEvent', () => {
  it('waits for the event kind until the timeout', () => {
    const j = journey(opened(), { at: sent });
    expect(j.state).toMatchObject({ nodeId: 'w1', waiting: { until: jst('2026-04-09T10:00'), events: ['email_opened'], reason: 'event' } });
  });

  it('a lead who opens the mail within 3 days takes the event output', () => {
    const j = journey(opened(), { at: sent });
    const r = j.happens('email_opened', jst('2026-04-08T19:30'), { id: 'open-1' });
    expect(j.path).toEqual(['t', 'm1', 'w1', 'g1']);
    expect(r.trace[0]).toMatchObject({ at: jst('2026-04-08T19:30'), output: 'event', reason: { code: 'event', eventId: 'open-1', kind: 'email_opened' } });
  });

  it('a lead who does not open within 3 days takes the timeout output', () => {
    const j = journey(opened(), { at: sent });
    j.wake();
    expect(j.path).toEqual(['t', 'm1', 'w1', 'm2', 'x']);
    expect(j.trace.find((t) => t.output === 'timeout')?.reason).toEqual({ code: 'timeout' });
  });

  it('an event exactly at the deadline is too late', () => {
    const j = journey(opened(), { at: sent });
    j.happens('email_opened', jst('2026-04-09T10:00'));
    expect(j.path).toEqual(['t', 'm1', 'w1', 'm2', 'x']);
  });

  it('an open that happened in time but arrives after the deadline still counts', () => {
    const j = journey(opened(), { at: sent });
    j.event({ id: 'late', kind: 'email_opened', at: jst('2026-04-09T09:00'), productLine: 'crm', data: {} }, jst('2026-04-09T11:00'));
    expect(j.path).toEqual(['t', 'm1', 'w1', 'g1']);
  });

  it('an open after the deadline, before the timeout was ticked, takes the timeout first', () => {
    const j = journey(opened(), { at: sent });
    const r = j.happens('email_opened', jst('2026-04-09T12:00'));
    expect(j.path).toEqual(['t', 'm1', 'w1', 'm2', 'x']);
    expect(r.trace[0]).toMatchObject({ at: jst('2026-04-09T10:00'), output: 'timeout' });
  });

  it('ignores other kinds, other product lines, failed filters and, with sameScenario, other scenarios', () => {
    const j = journey(opened({ sameScenario: true, filters: [{ field: 'template', op: 'eq', value: 'welcome' }] }), { at: sent });
    const ok = { scenarioId: 'scenario-1', data: { template: 'welcome' } };
    expect(j.happens('link_clicked', jst('2026-04-07T10:00'), ok).transitions).toBe(0);
    expect(j.happens('email_opened', jst('2026-04-07T10:00'), { ...ok, productLine: 'sfa' }).transitions).toBe(0);
    expect(j.happens('email_opened', jst('2026-04-07T10:00'), { ...ok, data: { template: 'other' } }).transitions).toBe(0);
    expect(j.happens('email_opened', jst('2026-04-07T10:00'), { ...ok, scenarioId: 'another' }).transitions).toBe(0);
    expect(j.state.nodeId).toBe('w1');
    j.happens('email_opened', jst('2026-04-07T10:00'), { ...ok, productLine: null });
    expect(j.path).toEqual(['t', 'm1', 'w1', 'g1']);
  });
});
