import { describe, expect, it } from 'vitest';
import { aGraph, dur } from '../../../scenario/src/testing/builder.ts';
import { addDuration, DEFAULT_CALENDAR } from '../calendar.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const graph = aGraph()
  .trigger('t')
  .callTask('c1', { script: '資料の感想を確認', dueIn: dur(2, 'businessDays'), maxAttempts: 3, retryInterval: dur(1, 'businessDays') })
  .goal('g1', 'connected')
  .from('c1', 'appointment')
  .handoff('h1')
  .from('c1', 'noAnswer')
  .exit('x1', 'no answer')
  .from('c1', 'refused')
  .exit('x2', 'refused')
  .build();
const monday = jst('2026-04-06T10:00');

describe('callTask', () => {
  it('creates the call task due after `dueIn` and waits for its outcome', () => {
    const j = journey(graph, { at: monday });
    expect(j.effects).toEqual([
      { type: 'createCallTask', key: 'enr-1:2:0', nodeId: 'c1', productLine: 'crm', attempt: 1, maxAttempts: 3, dueAt: jst('2026-04-08T10:00'), script: '資料の感想を確認' },
    ]);
    expect(j.state).toMatchObject({ status: 'waiting', attempts: 1, pendingKey: 'enr-1:2:0', waiting: { until: null, events: ['call_completed'], reason: 'callOutcome' } });
    expect(j.trace.at(-1)).toMatchObject({ nodeId: 'c1', output: null, reason: { code: 'waitStarted', until: null } });
  });

  it.each([
    ['connected', 'g1'],
    ['appointment', 'h1'],
    ['refused', 'x2'],
  ] as const)('a call answered %s takes that output', (outcome, next) => {
    const j = journey(graph, { at: monday });
    j.answerCall(outcome, jst('2026-04-08T11:00'));
    expect(j.path.slice(0, 3)).toEqual(['t', 'c1', next]);
    expect(j.trace.find((t) => t.nodeId === 'c1' && t.output !== null)?.reason).toEqual({ code: 'callOutcome', outcome, attempt: 1 });
  });

  it('an unanswered call is tried again after the retry interval, with a new task', () => {
    const j = journey(graph, { at: monday });
    j.answerCall('noAnswer', jst('2026-04-08T11:00'));
    expect(j.state).toMatchObject({ status: 'waiting', nodeId: 'c1', pendingKey: null, waiting: { until: jst('2026-04-09T11:00'), events: [], reason: 'callRetry' } });
    expect(j.trace.at(-1)?.reason).toEqual({ code: 'callRetry', attempt: 1, until: jst('2026-04-09T11:00') });
    j.wake();
    expect(j.effects.at(-1)).toMatchObject({ type: 'createCallTask', attempt: 2, dueAt: jst('2026-04-09T11:00') });
    expect(j.state).toMatchObject({ attempts: 2, pendingKey: j.effects.at(-1)!.key, waiting: { events: ['call_completed'] } });
  });

  it('a third unanswered call attempt takes noAnswer', () => {
    const j = journey(graph, { at: monday });
    j.answerCall('noAnswer', jst('2026-04-08T11:00'));
    j.wake();
    j.answerCall('noAnswer', jst('2026-04-09T15:00'));
    j.wake();
    j.answerCall('noAnswer', jst('2026-04-10T15:00'));
    expect(j.effectNames).toEqual(['createCallTask:c1', 'createCallTask:c1', 'createCallTask:c1']);
    expect(j.path).toEqual(['t', 'c1', 'x1']);
    expect(j.trace.find((t) => t.output === 'noAnswer')?.reason).toEqual({ code: 'callOutcome', outcome: 'noAnswer', attempt: 3 });
  });

  it('keeps each task’s key unique, so the runtime never creates a task twice', () => {
    const j = journey(graph, { at: monday });
    j.answerCall('noAnswer', jst('2026-04-08T11:00'));
    j.wake();
    const keys = j.effects.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('ignores an outcome for another task, or one that is not an outcome', () => {
    const j = journey(graph, { at: monday });
    const before = j.state;
    const stale = j.happens('call_completed', jst('2026-04-08T11:00'), { effectKey: 'enr-1:99:0', data: { outcome: 'connected' } });
    expect(stale).toMatchObject({ state: before, effects: [], trace: [], transitions: 0 });
    const odd = j.happens('call_completed', jst('2026-04-08T11:00'), { effectKey: before.pendingKey, data: { outcome: 'voicemail' } });
    expect(odd.state).toBe(before);
  });

  it('ignores an outcome while waiting to retry', () => {
    const j = journey(graph, { at: monday });
    const key = j.state.pendingKey;
    j.answerCall('noAnswer', jst('2026-04-08T11:00'));
    const r = j.happens('call_completed', jst('2026-04-08T12:00'), { effectKey: key, data: { outcome: 'connected' } });
    expect(r.transitions).toBe(0);
  });

  it('a refusal with nothing connected completes the enrollment', () => {
    const open = aGraph().trigger('t').callTask('c1').exit('x').from('c1', 'noAnswer').exit('y').from('c1', 'appointment').exit('z').build();
    const j = journey(open, { at: monday });
    j.answerCall('refused', jst('2026-04-06T12:00'));
    expect(j.state).toMatchObject({ status: 'completed', endReason: 'unconnected' });
  });

  it('is due at once by default', () => {
    const j = journey(aGraph().trigger('t').callTask('c1').build(), { at: monday });
    expect(j.effects[0]).toMatchObject({ dueAt: monday, attempt: 1, maxAttempts: 3 });
    expect(addDuration(DEFAULT_CALENDAR, monday, dur(0, 'minutes'))).toBe(monday);
  });
});
