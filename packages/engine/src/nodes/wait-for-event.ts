import type { WaitForEventNode } from '@nurtureflow/scenario';
import { addDuration } from '../calendar.ts';
import { matchFieldTests } from '../field-test.ts';
import type { NodeHandler } from './handler.ts';
import { TIMEOUT } from './shared.ts';

/**
 * Waits for an event until a timeout. The event counts when it is of the kind, passes the filters,
 * belongs to the scenario's product line (or to none) and, with `sameScenario`, answers this
 * scenario; it must come before the deadline, and one exactly at the deadline is too late.
 */
export const waitForEvent: NodeHandler<WaitForEventNode> = {
  prepare: (node): readonly string[] => Object.freeze([node.event]),
  arrive(run, p, at) {
    const until = addDuration(run.graph.settings, at, p.node.timeout);
    const events = p.aux as readonly string[];
    run.stay(until, events, 'event', { code: 'waitStarted', until, events }, at);
  },
  accepts(p, event, view) {
    const node = p.node;
    return (
      event.kind === node.event &&
      (event.productLine === null || event.productLine === view.productLine) &&
      (!node.sameScenario || event.scenarioId === view.scenarioId) &&
      (node.filters.length === 0 || matchFieldTests(node.filters, event.data))
    );
  },
  event(run, _p, event, at) {
    run.take('event', { code: 'event', eventId: event.id, kind: event.kind }, at);
  },
  wake(run, _p, at) {
    run.take('timeout', TIMEOUT, at);
  },
};
