import { describe, expect, it } from 'vitest';
import { aGraph, ev } from '../../scenario/src/testing/builder.ts';
import { DEFAULT_CALENDAR } from './calendar.ts';
import { aLead, anEvent, jst } from './testing/a-lead.ts';
import { matchTriggers, nextScheduleAt } from './triggers.ts';

const graph = aGraph()
  .trigger('form', { type: 'event', event: 'form_submitted', filters: [{ field: 'form', op: 'eq', value: 'demo' }] })
  .exit('x1')
  .trigger('hot', ev('lead_became_hot'))
  .exit('x2')
  .trigger('seg', { type: 'segment', condition: { type: 'stage', op: 'in', stages: ['dormant'] } })
  .exit('x3')
  .trigger('score', { type: 'score', min: 50 })
  .exit('x4')
  .trigger('rank', { type: 'rank', ranks: ['A'] })
  .exit('x5')
  .trigger('imp', { type: 'import' })
  .exit('x6')
  .trigger('man', { type: 'manual' })
  .exit('x7')
  .trigger('weekly', { type: 'schedule', every: 'week', weekday: 1, at: '09:00', condition: { type: 'tag', op: 'has', tag: 'newsletter' } })
  .exit('x8')
  .build();
const at = jst('2026-04-06T09:00');

describe('matchTriggers', () => {
  it('fires event triggers of the kind whose filters pass', () => {
    const lead = aLead();
    expect(matchTriggers(graph, { type: 'event', event: anEvent('form_submitted', at, { data: { form: 'demo' } }) }, lead)).toEqual(['form']);
    expect(matchTriggers(graph, { type: 'event', event: anEvent('form_submitted', at, { data: { form: 'contact' } }) }, lead)).toEqual([]);
  });

  it('ignores events of another product line, counts events of none', () => {
    const lead = aLead();
    expect(matchTriggers(graph, { type: 'event', event: anEvent('lead_became_hot', at, { productLine: 'sfa' }) }, lead)).toEqual([]);
    expect(matchTriggers(graph, { type: 'event', event: anEvent('lead_became_hot', at, { productLine: 'crm' }) }, lead)).toEqual(['hot']);
  });

  it('fires segment, score and rank triggers the lead matches when it changes', () => {
    expect(matchTriggers(graph, { type: 'lead' }, aLead({ stage: 'dormant', score: 10 }))).toEqual(['seg']);
    expect(matchTriggers(graph, { type: 'lead' }, aLead({ score: 85, rank: 'A' }))).toEqual(['score', 'rank']);
    expect(matchTriggers(graph, { type: 'lead', now: at }, aLead())).toEqual([]);
  });

  it('fires import and manual triggers for their cause only', () => {
    expect(matchTriggers(graph, { type: 'import' }, aLead())).toEqual(['imp']);
    expect(matchTriggers(graph, { type: 'manual' }, aLead())).toEqual(['man']);
  });

  it('fires schedule triggers whose condition the lead matches', () => {
    expect(matchTriggers(graph, { type: 'schedule', now: at }, aLead({ tags: ['newsletter'] }))).toEqual(['weekly']);
    expect(matchTriggers(graph, { type: 'schedule', now: at }, aLead())).toEqual([]);
  });
});

describe('nextScheduleAt', () => {
  it('finds the next daily, weekly and monthly time in the scenario zone', () => {
    const s = DEFAULT_CALENDAR;
    expect(nextScheduleAt(s, { type: 'schedule', every: 'day', at: '09:00' }, jst('2026-04-06T09:00'))).toBe(jst('2026-04-07T09:00'));
    expect(nextScheduleAt(s, { type: 'schedule', every: 'week', weekday: 1, at: '09:00' }, jst('2026-04-06T10:00'))).toBe(jst('2026-04-13T09:00'));
    expect(nextScheduleAt(s, { type: 'schedule', every: 'month', dayOfMonth: 1, at: '08:30' }, jst('2026-04-06T10:00'))).toBe(jst('2026-05-01T08:30'));
  });
});
