import type { WaitNode } from '@nurtureflow/scenario';
import { addDuration, nextTimeOfDay } from '../calendar.ts';
import type { NodeHandler } from './handler.ts';
import { NO_EVENTS, WAIT_OVER } from './shared.ts';

/** Waits a duration from arrival, or until the next time of day (on a business day when asked), then `next`. */
export const wait: NodeHandler<WaitNode> = {
  arrive(run, p, at) {
    const spec = p.node.wait;
    const settings = run.graph.settings;
    const until = spec.mode === 'for' ? addDuration(settings, at, spec.duration) : nextTimeOfDay(settings, at, spec.time, spec.businessDaysOnly);
    run.stay(until, NO_EVENTS, 'wait', { code: 'waitStarted', until, events: NO_EVENTS }, at);
  },
  wake(run, _p, at) {
    run.take('next', WAIT_OVER, at);
  },
};
