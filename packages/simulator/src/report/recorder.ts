// Writes down what a run fed its leads as a scripted timeline: arrivals, every event and every
// answer the personas gave. Run again as `{ timeline }`, it gives the same report; driven through
// the runtime, it is how the equivalence test gives both the same leads, events and clock.
import type { LeadEvent } from '@nurtureflow/engine';
import type { Step } from '../schemas.ts';
import type { LeadWorld, Observer } from '../world/lead-world.ts';
import type { Entry } from '../world/queue.ts';

/** A step with its time as ISO text, as golden fixtures write them. */
export type RecordedStep = Step extends infer S ? (S extends Step ? Omit<S, 'at'> & { at: string } : never) : never;

/** Records the inputs each lead took (shared sweeps once). */
export class TimelineRecorder implements Observer {
  private readonly steps: { at: number; seq: number; order: number; step: RecordedStep }[] = [];
  private readonly sharedSeen = new Set<Entry>();

  took(world: LeadWorld, entry: Entry, event: LeadEvent | null): void {
    const item = entry.item;
    const lead = world.lead.id;
    const at = new Date(entry.at).toISOString();
    let step: RecordedStep | null = null;
    switch (item.type) {
      case 'enroll':
        step = { at, lead, enroll: item.scenarioId, ...(item.trigger === undefined ? {} : { trigger: item.trigger }) };
        break;
      case 'event':
        step = {
          at,
          lead,
          event: { kind: item.kind, productLine: item.productLine, scenarioId: item.scenarioId, nodeId: item.nodeId, effectKey: item.effectKey, data: { ...item.data } },
        };
        break;
      case 'answer':
        if (event === null) break;
        step =
          item.kind === 'call_completed'
            ? { at, lead, callOutcome: { scenarioId: item.scenarioId, outcome: item.outcome as 'connected' } }
            : { at, lead, handoff: { scenarioId: item.scenarioId, answer: item.kind === 'handoff_accepted' ? 'accepted' : 'returned' } };
        break;
      case 'sweep':
        if (item.lead && item.schedule === null) step = { at, lead, sweep: true };
        else if (!this.sharedSeen.has(entry)) {
          this.sharedSeen.add(entry);
          step = { at, sweep: true };
        }
        break;
    }
    if (step !== null) this.steps.push({ at: entry.at, seq: entry.seq, order: this.steps.length, step });
  }

  /** The timeline in time order (a lead's inputs at the same time in the order they were taken). */
  timeline(): RecordedStep[] {
    return [...this.steps].sort((a, b) => a.at - b.at || a.seq - b.seq || a.order - b.order).map((s) => s.step);
  }
}
