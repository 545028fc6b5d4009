import { describe, expect, it } from 'vitest';
import { aGraph, dur } from '../../../scenario/src/testing/builder.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const graph = (timeout = true) =>
  aGraph()
    .trigger('t')
    .handoff('h1', { reason: 'ホットリード', ...(timeout ? { responseTimeout: dur(3, 'businessDays') } : {}) })
    .goal('g1', 'accepted')
    .from('h1', 'returned')
    .exit('x1')
    .from('h1', 'timeout')
    .exit('x2')
    .build();
const at = jst('2026-04-06T10:00');

describe('handoff', () => {
  it('hands the lead to sales and waits for their answer until the response timeout', () => {
    const j = journey(graph(), { at });
    expect(j.effects).toEqual([{ type: 'handOff', key: 'enr-1:2:0', nodeId: 'h1', productLine: 'crm', to: 'sales', reason: 'ホットリード' }]);
    expect(j.state).toMatchObject({
      pendingKey: 'enr-1:2:0',
      waiting: { until: jst('2026-04-09T10:00'), events: ['handoff_accepted', 'handoff_returned'], reason: 'handoffResponse' },
    });
  });

  it('a hand-off sales accept takes `accepted`', () => {
    const j = journey(graph(), { at });
    j.answerHandoff('accepted', jst('2026-04-07T10:00'));
    expect(j.path).toEqual(['t', 'h1', 'g1']);
    expect(j.trace[2]?.reason).toEqual({ code: 'handoff', answer: 'accepted' });
  });

  it('a hand-off sales return takes `returned`', () => {
    const j = journey(graph(), { at });
    j.answerHandoff('returned', jst('2026-04-07T10:00'));
    expect(j.path).toEqual(['t', 'h1', 'x1']);
  });

  it('silence past the response timeout takes `timeout`', () => {
    const j = journey(graph(), { at });
    j.tick(jst('2026-04-09T09:59'));
    expect(j.state.status).toBe('waiting');
    j.tick(jst('2026-04-09T10:00'));
    expect(j.path).toEqual(['t', 'h1', 'x2']);
    expect(j.trace[2]?.reason).toEqual({ code: 'handoff', answer: 'timeout' });
  });

  it('without a response timeout it waits for sales however long it takes', () => {
    const j = journey(graph(false), { at });
    expect(j.state.waiting?.until).toBeNull();
    expect(j.tick(jst('2027-04-06T10:00')).transitions).toBe(0);
  });

  it('only an answer to this hand-off counts', () => {
    const j = journey(graph(), { at });
    const r = j.happens('handoff_accepted', jst('2026-04-07T10:00'), { effectKey: 'someone-else:1:0' });
    expect(r.transitions).toBe(0);
    expect(j.state.nodeId).toBe('h1');
  });

  it('an accepted hand-off with nothing connected completes the enrollment', () => {
    const j = journey(aGraph().trigger('t').from('t', 'next').handoff('h1').from('h1', 'returned').exit('x').build(), { at });
    j.answerHandoff('accepted', jst('2026-04-07T10:00'));
    expect(j.state).toMatchObject({ status: 'completed', endReason: 'unconnected' });
  });
});
