import type { HandoffNode } from '@nurtureflow/scenario';
import { addDuration } from '../calendar.ts';
import type { Reason } from '../types.ts';
import type { NodeHandler } from './handler.ts';

const HANDOFF_EVENTS: readonly string[] = Object.freeze(['handoff_accepted', 'handoff_returned']);
const ACCEPTED: Reason = Object.freeze({ code: 'handoff', answer: 'accepted' });
const RETURNED: Reason = Object.freeze({ code: 'handoff', answer: 'returned' });
const TIMED_OUT: Reason = Object.freeze({ code: 'handoff', answer: 'timeout' });

/** Hands the lead to sales and waits for their answer to that hand-off: accepted, returned, or silence past the response timeout. */
export const handoff: NodeHandler<HandoffNode> = {
  arrive(run, p, at) {
    const node = p.node;
    run.pendingKey = run.emit({ type: 'handOff', key: run.key(), nodeId: p.id, productLine: run.productLine, to: node.to, reason: node.reason });
    const until = node.responseTimeout === undefined ? null : addDuration(run.graph.settings, at, node.responseTimeout);
    run.stay(until, HANDOFF_EVENTS, 'handoffResponse', { code: 'waitStarted', until, events: HANDOFF_EVENTS }, at);
  },
  accepts(_p, event, view) {
    return HANDOFF_EVENTS.includes(event.kind) && view.pendingKey !== null && event.effectKey === view.pendingKey;
  },
  event(run, _p, event, at) {
    run.pendingKey = null;
    if (event.kind === 'handoff_accepted') run.take('accepted', ACCEPTED, at);
    else run.take('returned', RETURNED, at);
  },
  wake(run, _p, at) {
    run.pendingKey = null;
    run.take('timeout', TIMED_OUT, at);
  },
};
