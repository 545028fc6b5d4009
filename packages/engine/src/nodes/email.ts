import type { EmailNode } from '@nurtureflow/scenario';
import { quietHoursEnd } from '../calendar.ts';
import { standingOf } from '../lead-view.ts';
import type { Run } from '../run.ts';
import type { LeadView, Millis, Reason } from '../types.ts';
import type { NodeHandler, PreparedNode } from './handler.ts';
import { NO_EVENTS } from './shared.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const SENT: Reason = Object.freeze({ code: 'sent' });
const UNSUBSCRIBED: Reason = Object.freeze({ code: 'skipped', why: 'unsubscribed' });
const UNSUBSCRIBED_ALL: Reason = Object.freeze({ code: 'skipped', why: 'unsubscribedAll' });
const CAPPED: Reason = Object.freeze({ code: 'skipped', why: 'frequencyCap' });
const BOUNCED: Reason = Object.freeze({ code: 'skipped', why: 'bounced' });

/**
 * An e-mail, checked at the moment it would be sent (on arrival and again whenever a deferral
 * ends): unsubscribed, or an address that bounced for good → `skipped`; quiet hours → wait for their end; a frequency cap reached →
 * `skipped` or wait for room, as the node says; else send and take `sent`.
 */
export const email: NodeHandler<EmailNode> = {
  arrive: attempt,
  wake: attempt,
};

function attempt(run: Run, p: PreparedNode<EmailNode>, at: Millis): void {
  const node = p.node;
  const line = run.productLine;
  const lead = run.lead;
  if (lead.unsubscribedAll) return run.take('skipped', UNSUBSCRIBED_ALL, at);
  if (standingOf(lead, line).unsubscribed) return run.take('skipped', UNSUBSCRIBED, at);
  if (lead.emailBounced === true) return run.take('skipped', BOUNCED, at);

  if (node.respectQuietHours) {
    const quiet = run.graph.settings.quietHours ?? run.ctx.productLines?.[line]?.quietHours;
    if (quiet !== undefined) {
      const until = quietHoursEnd(run.graph.settings, quiet, at);
      if (until !== null) return run.stay(until, NO_EVENTS, 'quietHours', { code: 'deferred', why: 'quietHours', until }, at);
    }
  }

  const room = capRoom(run, lead, at);
  if (room !== null) {
    if (node.onCap === 'skip') return run.take('skipped', CAPPED, at);
    return run.stay(room, NO_EVENTS, 'frequencyCap', { code: 'deferred', why: 'frequencyCap', until: room }, at);
  }

  run.emit({ type: 'sendEmail', key: run.key(), nodeId: p.id, productLine: line, template: node.template, subject: node.subject ?? null });
  run.recordMessage(at);
  run.take('sent', SENT, at);
}

function least(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/**
 * Null when a message may go out at `at`; else when there will be room again: for every cap
 * reached, the time the message that must leave its rolling window leaves it. Messages after `at`
 * are not counted, so a late advance decides as an on-time one would have.
 */
function capRoom(run: Run, lead: LeadView, at: Millis): Millis | null {
  const own = run.graph.settings.frequencyCaps;
  const extra = run.ctx.productLines?.[run.productLine]?.frequencyCaps;
  const lineWeek = least(own.perWeek, extra?.perWeek);
  const lineDay = least(own.perDay, extra?.perDay);
  const allWeek = run.ctx.globalCaps?.perWeek;
  const allDay = run.ctx.globalCaps?.perDay;
  if (lineWeek === undefined && lineDay === undefined && allWeek === undefined && allDay === undefined) return null;

  // Scratch lists, reused (the engine is synchronous) and never shrunk: messages are kept oldest
  // first, so they are sorted only when they come out of order.
  let all = allTimes;
  let line = lineTimes;
  const messages = lead.messages;
  if (all.length < messages.length) {
    all = allTimes = new Float64Array(2 * messages.length);
    line = lineTimes = new Float64Array(2 * messages.length);
  }
  let nAll = 0;
  let nLine = 0;
  let inOrder = true;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.at > at || m.at <= at - WEEK) continue;
    if (nAll > 0 && m.at < all[nAll - 1]!) inOrder = false;
    all[nAll++] = m.at;
    if (m.productLine === run.productLine) line[nLine++] = m.at;
  }
  if (!inOrder) {
    all.subarray(0, nAll).sort();
    line.subarray(0, nLine).sort();
  }
  let room: Millis | null = null;
  room = later(room, freeAt(line, nLine, lineWeek, WEEK, at));
  room = later(room, freeAt(line, nLine, lineDay, DAY, at));
  room = later(room, freeAt(all, nAll, allWeek, WEEK, at));
  room = later(room, freeAt(all, nAll, allDay, DAY, at));
  return room;
}

let lineTimes = new Float64Array(64);
let allTimes = new Float64Array(64);

function later(a: Millis | null, b: Millis | null): Millis | null {
  return a === null ? b : b === null || a >= b ? a : b;
}

/** When a cap over a rolling window has room again, given the first `n` send times (ascending); null if it has room now. */
function freeAt(times: Float64Array, n: number, cap: number | undefined, window: number, at: Millis): Millis | null {
  if (cap === undefined) return null;
  const start = at - window;
  let first = 0;
  while (first < n && times[first]! <= start) first++;
  const count = n - first;
  return count < cap ? null : times[first + count - cap]! + window;
}
