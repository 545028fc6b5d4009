import { describe, expect, it } from 'vitest';
import { aGraph, dur } from '../../scenario/src/testing/builder.ts';
import { advance, enter } from './engine.ts';
import { aLead, jst } from './testing/a-lead.ts';
import { journey } from './testing/journey.ts';

const at = jst('2026-04-06T09:00');

describe('advance', () => {
  const graph = aGraph().trigger('t').email('m1', 'a').wait('w', dur(2)).email('m2', 'b').exit('x').build();

  it('changes nothing for a tick before the wait ends, an event nobody waits for, or an ended enrollment', () => {
    const j = journey(graph, { at });
    const waiting = j.state;
    for (const input of [
      { type: 'tick' as const, now: at + 1000 },
      { type: 'event' as const, now: at + 1000, event: { id: 'e', kind: 'email_opened', at: at + 1000, productLine: null, data: {} } },
    ]) {
      const r = advance(graph, waiting, input, j.lead);
      expect(r.state).toBe(waiting);
      expect(r).toMatchObject({ effects: [], trace: [], transitions: 0 });
    }
    j.wake();
    const done = j.state;
    expect(advance(graph, done, { type: 'tick', now: at + 1e10 }, j.lead)).toMatchObject({ state: done, effects: [], trace: [], next: { type: 'done', status: 'completed' } });
  });

  it('numbers history rows and makes effect keys from them: unique, and the same on replay', () => {
    const j = journey(graph, { at, id: 'enr-7' });
    j.wake();
    expect(j.trace.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(j.effects.map((e) => e.key)).toEqual(['enr-7:2:0', 'enr-7:5:0']);
    expect(j.state.seq).toBe(6);
    const again = journey(graph, { at, id: 'enr-7' });
    again.wake();
    expect(again.effects).toEqual(j.effects);
  });

  it('writes a row with no output where a wait begins', () => {
    const j = journey(graph, { at });
    expect(j.trace.map((t) => [t.nodeId, t.output, t.to, t.reason.code])).toEqual([
      ['t', 'next', 'm1', 'entered'],
      ['m1', 'sent', 'w', 'sent'],
      ['w', null, null, 'waitStarted'],
    ]);
    expect(j.results[0]?.transitions).toBe(2);
  });

  it('ticking late ends the wait at its own time, not at the tick', () => {
    const j = journey(graph, { at });
    j.tick(at + 10 * 86_400_000);
    expect(j.trace.find((t) => t.nodeId === 'w' && t.output === 'next')?.at).toBe(jst('2026-04-08T09:00'));
    expect(j.state.endedAt).toBe(jst('2026-04-08T09:00'));
  });

  it('a late tick runs every wait that ended meanwhile, each at its time', () => {
    const chain = aGraph().trigger('t').wait('w1', dur(1)).email('m', 'a').wait('w2', dur(1)).exit('x').build();
    const late = journey(chain, { at });
    late.tick(at + 30 * 86_400_000);
    const onTime = journey(chain, { at });
    onTime.wake();
    onTime.wake();
    expect(late.state).toEqual(onTime.state);
    expect(late.effects).toEqual(onTime.effects);
    expect(late.trace).toEqual(onTime.trace);
  });

  it('fails when an output points at a node that does not exist', () => {
    const g = aGraph().trigger('t').exit('x').connect('t', 'next', 'ghost').build();
    const r = enter(g, { enrollmentId: 'e', lead: aLead(), triggerNodeId: 't', now: at });
    expect(r.state).toMatchObject({ status: 'failed', nodeId: 't', endReason: 'missingNode' });
    expect(r.trace.at(-1)?.reason).toEqual({ code: 'missingNode', nodeId: 'ghost' });
  });

  it('a tick very late catches up in slices of maxTransitions, never failing for it', () => {
    // Polls every minute for a month: 43,200 waits ended by the time a tick comes a month late.
    const poll = aGraph().trigger('t').waitForEvent('w', 'email_opened', dur(1, 'minutes')).exit('x').connect('w', 'timeout', 'w').build();
    const j = journey(poll, { at });
    const r = j.tick(at + 30 * 86_400_000);
    expect(r.transitions).toBe(1000);
    expect(j.state).toMatchObject({ status: 'waiting', waiting: { until: at + 1001 * 60_000 } });
  });

  it('stops a loop without a wait after maxTransitions and says so', () => {
    const loop = aGraph().trigger('t').score('s', 1).branch('b', [{ id: 'never', condition: { type: 'score', op: 'lt', value: 0 } }]).exit('x').connect('b', 'default', 's').build();
    const r = enter(loop, { enrollmentId: 'e', lead: aLead(), triggerNodeId: 't', now: at }, { maxTransitions: 50 });
    expect(r.state).toMatchObject({ status: 'failed', endReason: 'loopGuard' });
    expect(r.transitions).toBe(50);
    expect(r.trace.at(-1)?.reason).toEqual({ code: 'loopGuard', transitions: 50 });
    expect(enter(loop, { enrollmentId: 'e', lead: aLead(), triggerNodeId: 't', now: at }).transitions).toBe(1000);
  });

  it('stops a loop whose only wait takes no time, however the ticks are split', () => {
    // Every hand-off times out at once and goes round again: each tick is one more hand-off.
    const loop = aGraph().trigger('t').handoff('h', { responseTimeout: dur(0, 'minutes') }).exit('x').connect('h', 'timeout', 'h').build();
    const j = journey(loop, { at, ctx: { maxTransitions: 20 } });
    for (let i = 0; i < 30 && j.state.status === 'waiting'; i++) {
      expect(j.tick(at).transitions).toBeLessThanOrEqual(1);
    }
    expect(j.state).toMatchObject({ status: 'failed', endReason: 'loopGuard' });
    // 20 transitions at one instant: the trigger's and 19 time-outs, so 19 hand-offs.
    expect(j.effects.filter((e) => e.type === 'handOff')).toHaveLength(19);
    const late = journey(loop, { at, ctx: { maxTransitions: 20 } });
    late.tick(at + 86_400_000);
    while (late.state.status === 'waiting') late.tick(at + 86_400_000);
    expect(late.effects).toEqual(j.effects);
    expect(late.state).toEqual(j.state);
  });

  it('leaves the caller’s lead untouched and returns the working view', () => {
    const lead = aLead({ score: 10 });
    const r = enter(aGraph().trigger('t').score('s', 5).email('m', 'a').exit('x').build(), { enrollmentId: 'e', lead, triggerNodeId: 't', now: at });
    expect(lead.products['crm']?.score).toBe(10);
    expect(lead.messages).toEqual([]);
    expect(r.lead.products['crm']?.score).toBe(15);
    expect(r.lead.messages).toEqual([{ at, productLine: 'crm' }]);
    const untouched = enter(aGraph().trigger('t').wait('w', dur(1)).build(), { enrollmentId: 'e', lead, triggerNodeId: 't', now: at });
    expect(untouched.lead).toBe(lead);
  });
});

describe('exit goals', () => {
  const graph = aGraph()
    .with({ goals: [{ id: 'won', condition: { type: 'stage', op: 'in', stages: ['newCustomer'] } }, { id: 'rankA', condition: { type: 'score', op: 'gte', value: 80 } }] })
    .trigger('t')
    .email('m1', 'a')
    .wait('w', dur(7))
    .score('s', 30)
    .email('m2', 'b')
    .exit('x')
    .build();

  it('end the enrollment as soon as the lead matches one, at the start of the next advance', () => {
    const j = journey(graph, { at });
    j.changeLead({ products: { crm: { score: 0, rank: null, stage: 'newCustomer', hot: false, unsubscribed: false } } });
    j.wake();
    expect(j.state).toMatchObject({ status: 'completed', nodeId: 'w', endReason: 'goal' });
    expect(j.effects.at(-1)).toMatchObject({ type: 'goalReached', nodeId: 'w', goal: 'won' });
    expect(j.trace.at(-1)?.reason).toEqual({ code: 'goal', goal: 'won', values: { stage: 'newCustomer' } });
  });

  it('are checked after each transition: a score that reaches the goal stops the next mail', () => {
    const j = journey(graph, { at, lead: aLead({ score: 60 }) });
    j.wake();
    expect(j.path).toEqual(['t', 'm1', 'w', 's', 'm2']);
    expect(j.effectNames).toEqual(['sendEmail:m1', 'changeScore:s', 'goalReached:m2']);
    expect(j.state).toMatchObject({ status: 'completed', nodeId: 'm2', endReason: 'goal' });
  });

  it('are not checked by an advance that changes nothing', () => {
    const j = journey(graph, { at });
    j.changeLead({ products: { crm: { score: 99, rank: 'A', stage: 'prospect', hot: true, unsubscribed: false } } });
    expect(j.tick(at + 1000).transitions).toBe(0);
    expect(j.state.status).toBe('waiting');
  });
});
