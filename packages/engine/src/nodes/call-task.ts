import type { CallOutcome, CallTaskNode } from '@nurtureflow/scenario';
import { addDuration } from '../calendar.ts';
import type { Run } from '../run.ts';
import type { Millis, Reason } from '../types.ts';
import type { NodeHandler, PreparedNode } from './handler.ts';
import { NO_EVENTS } from './shared.ts';

/** The format's call outcomes (kept here so the engine loads no schema code at run time). */
const OUTCOMES: readonly string[] = ['connected', 'noAnswer', 'appointment', 'refused'] satisfies CallOutcome[];
const CALL_EVENTS: readonly string[] = Object.freeze(['call_completed']);
const WAITING: Reason = Object.freeze({ code: 'waitStarted', until: null, events: CALL_EVENTS });

/**
 * An inside-sales call: creates the task and waits for its outcome (a `call_completed` event
 * answering that task). No answer before the last attempt waits `retryInterval`, then creates the
 * next attempt's task; otherwise the outcome names the output.
 */
export const callTask: NodeHandler<CallTaskNode> = {
  arrive(run, p, at) {
    run.attempts = 1;
    createTask(run, p, at, addDuration(run.graph.settings, at, p.node.dueIn));
  },
  wake(run, p, at) {
    run.attempts++;
    createTask(run, p, at, at);
  },
  accepts(_p, event, view) {
    return (
      event.kind === 'call_completed' &&
      view.pendingKey !== null &&
      event.effectKey === view.pendingKey &&
      OUTCOMES.includes(event.data['outcome'] as string)
    );
  },
  event(run, p, event, at) {
    const outcome = event.data['outcome'] as CallOutcome;
    run.pendingKey = null;
    if (outcome === 'noAnswer' && run.attempts < p.node.maxAttempts) {
      const until = addDuration(run.graph.settings, at, p.node.retryInterval);
      return run.stay(until, NO_EVENTS, 'callRetry', { code: 'callRetry', attempt: run.attempts, until }, at);
    }
    run.take(outcome, { code: 'callOutcome', outcome, attempt: run.attempts }, at);
  },
};

function createTask(run: Run, p: PreparedNode<CallTaskNode>, at: Millis, dueAt: Millis): void {
  const node = p.node;
  run.pendingKey = run.emit({
    type: 'createCallTask',
    key: run.key(),
    nodeId: p.id,
    productLine: run.productLine,
    attempt: run.attempts,
    maxAttempts: node.maxAttempts,
    dueAt,
    script: node.script,
  });
  run.stay(null, CALL_EVENTS, 'callOutcome', WAITING, at);
}
