import type { Graph } from '@nurtureflow/scenario';
import { addDuration } from './calendar.ts';
import { compileCondition } from './conditions.ts';
import { standingOf } from './lead-view.ts';
import type { EnrollmentStatus, LeadView, Millis } from './types.ts';

/** Why a lead may not enter, as a stable code. */
export type EntryRefusal = 'alreadyActive' | 'reEntryNever' | 'reEntryTooSoon' | 'unsubscribed' | 'notInAudience';

const OK = Object.freeze({ ok: true as const });

/**
 * Whether the lead may start a new enrollment now, given its earlier ones in this scenario: never
 * two at once; the re-entry policy (never again / only `period` after the last one ended /
 * always); the unsubscribe exclusion; the audience condition.
 */
export function canEnter(
  graph: Graph,
  lead: LeadView,
  previous: readonly { status: EnrollmentStatus; endedAt: Millis | null }[],
  now: Millis,
): { ok: true } | { ok: false; reason: EntryRefusal } {
  const { entry, settings, productLine } = graph;
  let lastEnd: Millis | null = null;
  for (const p of previous) {
    if (p.status === 'active' || p.status === 'waiting') return { ok: false, reason: 'alreadyActive' };
    if (p.endedAt !== null && (lastEnd === null || p.endedAt > lastEnd)) lastEnd = p.endedAt;
  }
  if (previous.length > 0) {
    const policy = entry.reEntry;
    if (policy.mode === 'never') return { ok: false, reason: 'reEntryNever' };
    if (policy.mode === 'after' && lastEnd !== null && addDuration(settings, lastEnd, policy.period) > now) {
      return { ok: false, reason: 'reEntryTooSoon' };
    }
  }
  if (entry.excludeUnsubscribed && (lead.unsubscribedAll || standingOf(lead, productLine).unsubscribed)) {
    return { ok: false, reason: 'unsubscribed' };
  }
  if (entry.audience !== undefined && !compileCondition(entry.audience)(lead, { productLine, now, settings }, null)) {
    return { ok: false, reason: 'notInAudience' };
  }
  return OK;
}
