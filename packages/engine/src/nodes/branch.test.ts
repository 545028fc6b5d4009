import { describe, expect, it } from 'vitest';
import { aGraph, dur } from '../../../scenario/src/testing/builder.ts';
import { aLead, jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const graph = aGraph()
  .trigger('t')
  .branch('b1', [
    { id: 'hot', condition: { type: 'score', op: 'gte', value: 60 } },
    { id: 'warm', condition: { all: [{ type: 'score', op: 'gte', value: 30 }, { type: 'rank', op: 'in', ranks: ['B', 'C'] }] } },
  ])
  .exit('xHot')
  .from('b1', 'warm')
  .exit('xWarm')
  .from('b1', 'default')
  .exit('xCold')
  .build();
const at = jst('2026-04-06T09:00');

describe('branch', () => {
  it('takes the first case the lead matches, with the case and the values looked at', () => {
    const j = journey(graph, { at, lead: aLead({ score: 75, rank: 'B' }) });
    expect(j.path).toEqual(['t', 'b1', 'xHot']);
    expect(j.trace[1]?.reason).toEqual({ code: 'case', caseId: 'hot', values: { score: 75 } });
  });

  it('tries the cases in order', () => {
    const j = journey(graph, { at, lead: aLead({ score: 45, rank: 'B' }) });
    expect(j.path).toEqual(['t', 'b1', 'xWarm']);
    expect(j.trace[1]?.reason).toEqual({ code: 'case', caseId: 'warm', values: { score: 45, rank: 'B' } });
  });

  it('takes `default` when no case matches, explaining with everything it looked at', () => {
    const j = journey(graph, { at, lead: aLead({ score: 10, rank: 'D' }) });
    expect(j.path).toEqual(['t', 'b1', 'xCold']);
    expect(j.trace[1]?.reason).toEqual({ code: 'default', values: { score: 10 } });
  });

  it('sees the lead as changed earlier in the same advance', () => {
    const g = aGraph().trigger('t').score('s', 50).branch('b', [{ id: 'hot', condition: { type: 'score', op: 'gte', value: 60 } }]).exit('xHot').from('b', 'default').exit('xCold').build();
    expect(journey(g, { at, lead: aLead({ score: 15 }) }).path).toEqual(['t', 's', 'b', 'xHot']);
  });

  it('sees the lead as it is on arrival, not as it was before a wait', () => {
    const g = aGraph().trigger('t').wait('w', dur(1)).branch('b', [{ id: 'vip', condition: { type: 'tag', op: 'has', tag: 'vip' } }]).exit('xVip').from('b', 'default').exit('x').build();
    const j = journey(g, { at });
    j.changeLead({ tags: ['vip'] });
    j.wake();
    expect(j.path).toEqual(['t', 'w', 'b', 'xVip']);
  });
});
