// A scripted timeline as the lead worlds take it: each lead's own steps, and the sweeps every
// lead shares, numbered in time order so steps at the same time keep the order they were written.
import type { Step, StepLike } from '../schemas.ts';
import type { Entry, Item } from '../world/queue.ts';
import type { World } from '../world/prepare.ts';

/** A problem with the input, naming where it is (`timeline[3].lead`). */
export interface InputIssue {
  path: string;
  message: string;
}

/** Input a run cannot take, with every problem found. */
export class SimulationInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  }
}

export type { StepLike };

/** Milliseconds from an ISO time or a number; NaN when it is neither. */
export function toMillis(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

/** Splits a timeline into each lead's entries and the shared ones, checking leads and scenarios exist. */
export function timelineEntries(world: World, steps: readonly StepLike[], leadIds: ReadonlySet<string>): { own: Map<string, Entry[]>; shared: Entry[] } {
  const issues: InputIssue[] = [];
  const timed = steps.map((s, i) => ({ s: s as Step, at: toMillis(s.at), i }));
  for (const t of timed) if (!Number.isFinite(t.at)) issues.push({ path: `timeline[${t.i}].at`, message: 'is not a time' });
  timed.sort((a, b) => a.at - b.at || a.i - b.i);
  const own = new Map<string, Entry[]>();
  const shared: Entry[] = [];
  timed.forEach(({ s, at, i }, seq) => {
    const where = `timeline[${i}]`;
    let item: Item;
    // A sweep of every lead looks at segment and schedule triggers; one lead's, at its segment triggers.
    if ('sweep' in s) item = { type: 'sweep', lead: true, schedule: s.lead === undefined ? 'all' : null };
    else if ('enroll' in s) {
      if (!world.byScenario.has(s.enroll)) issues.push({ path: `${where}.enroll`, message: `no scenario "${s.enroll}" in this run` });
      item = { type: 'enroll', scenarioId: s.enroll, trigger: s.trigger };
    } else if ('event' in s) {
      const ev = s.event;
      item = {
        type: 'event',
        kind: ev.kind,
        productLine: ev.productLine ?? null,
        scenarioId: ev.scenarioId ?? null,
        nodeId: ev.nodeId ?? null,
        effectKey: ev.effectKey ?? null,
        data: ev.data ?? {},
      };
    } else if ('callOutcome' in s) {
      if (!world.byScenario.has(s.callOutcome.scenarioId)) issues.push({ path: `${where}.callOutcome.scenarioId`, message: `no scenario "${s.callOutcome.scenarioId}" in this run` });
      item = { type: 'answer', scenarioId: s.callOutcome.scenarioId, kind: 'call_completed', outcome: s.callOutcome.outcome, key: null };
    } else {
      if (!world.byScenario.has(s.handoff.scenarioId)) issues.push({ path: `${where}.handoff.scenarioId`, message: `no scenario "${s.handoff.scenarioId}" in this run` });
      item = { type: 'answer', scenarioId: s.handoff.scenarioId, kind: s.handoff.answer === 'accepted' ? 'handoff_accepted' : 'handoff_returned', outcome: null, key: null };
    }
    const lead = 'lead' in s ? (s as { lead?: string }).lead : undefined;
    if (lead === undefined) {
      shared.push({ at, seq, item });
      return;
    }
    if (!leadIds.has(lead)) {
      issues.push({ path: `${where}.lead`, message: `no lead "${lead}" among the sample leads` });
      return;
    }
    let list = own.get(lead);
    if (list === undefined) own.set(lead, (list = []));
    list.push({ at, seq, item });
  });
  if (issues.length > 0) throw new SimulationInputError(issues);
  return { own, shared };
}
