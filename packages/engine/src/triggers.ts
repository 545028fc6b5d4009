import type { Graph, TriggerSource } from '@nurtureflow/scenario';
import { addDuration, nextTimeOfDay, timeOfDayMs, type CalendarSettings } from './calendar.ts';
import { DAY, dayOf, fromLocal, toLocal, weekdayOf } from './calendar/zone.ts';
import { compileCondition, type ConditionScope } from './conditions.ts';
import { matchFieldTests } from './field-test.ts';
import { standingOf } from './lead-view.ts';
import { prepare } from './prepare.ts';
import type { LeadEvent, LeadView, Millis } from './types.ts';

/** Why trigger nodes are being looked at. */
export type TriggerCause =
  /** The lead did something. */
  | { type: 'event'; event: LeadEvent }
  /**
   * The lead changed (segment, score, rank). `now` is the time look-back windows in segment
   * conditions end at; without it, the lead's latest event.
   */
  | { type: 'lead'; now?: Millis }
  | { type: 'import' }
  | { type: 'manual' }
  /** A scheduled sweep at `now`. */
  | { type: 'schedule'; now: Millis };

/**
 * The trigger nodes that fire for a cause: event triggers of the event's kind whose filters pass
 * (events of another product line do not count; events of none do); segment, score and rank
 * triggers the lead matches now; import or manual triggers; schedule triggers whose condition the
 * lead matches. Whether the lead may enter is `canEnter`'s question.
 */
export function matchTriggers(graph: Graph, cause: TriggerCause, lead: LeadView): string[] {
  const fired: string[] = [];
  for (const { id, node } of prepare(graph).triggers) {
    if (fires(graph, node.trigger, cause, lead)) fired.push(id);
  }
  return fired;
}

function fires(graph: Graph, source: TriggerSource, cause: TriggerCause, lead: LeadView): boolean {
  switch (cause.type) {
    case 'event': {
      const e = cause.event;
      return (
        source.type === 'event' &&
        source.event === e.kind &&
        (e.productLine === null || e.productLine === graph.productLine) &&
        (source.filters.length === 0 || matchFieldTests(source.filters, e.data))
      );
    }
    case 'lead': {
      if (source.type === 'segment') return compileCondition(source.condition)(lead, scope(graph, cause.now ?? latestEvent(lead)), null);
      if (source.type === 'score') return standingOf(lead, source.productLine ?? graph.productLine).score >= source.min;
      if (source.type === 'rank') {
        const rank = standingOf(lead, source.productLine ?? graph.productLine).rank;
        return rank !== null && source.ranks.includes(rank);
      }
      return false;
    }
    case 'import':
    case 'manual':
      return source.type === cause.type;
    case 'schedule':
      return source.type === 'schedule' && (source.condition === undefined || compileCondition(source.condition)(lead, scope(graph, cause.now), null));
  }
}

function scope(graph: Graph, now: Millis): ConditionScope {
  return { productLine: graph.productLine, now, settings: graph.settings };
}

function latestEvent(lead: LeadView): Millis {
  const events = lead.recentEvents;
  return events.length === 0 ? 0 : events[events.length - 1]!.at;
}

/**
 * When a schedule trigger next fires strictly after `after`: every day, every week on its weekday
 * or every month on its day, at its time in the scenario's zone. The runtime sweeps at that time.
 */
export function nextScheduleAt(settings: CalendarSettings, source: Extract<TriggerSource, { type: 'schedule' }>, after: Millis): Millis {
  if (source.every === 'day') return nextTimeOfDay(settings, after, source.at, false);
  const zone = settings.timezone;
  const time = timeOfDayMs(source.at);
  let day = dayOf(toLocal(zone, after));
  for (let i = 0; i < 400; i++, day++) {
    const due =
      source.every === 'week'
        ? weekdayOf(day) === (source.weekday ?? 1)
        : new Date(day * DAY).getUTCDate() === (source.dayOfMonth ?? 1);
    if (!due) continue;
    const at = fromLocal(zone, day * DAY + time);
    if (at > after) return at;
  }
  return addDuration(settings, after, { amount: 1, unit: 'days' });
}
