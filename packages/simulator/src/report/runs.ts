import type { AdvanceResult, EffectType, EnrollmentState, EnrollmentStatus, LeadView } from '@nurtureflow/engine';
import type { Enrollment, LeadWorld, Observer } from '../world/lead-world.ts';

/** One enrollment as a run saw it: the path, the effects as `type:nodeId`, where it stands. */
export interface EnrollmentRun {
  lead: string;
  scenarioId: string;
  path: string[];
  status: EnrollmentStatus;
  nodeId: string | null;
  effects: `${EffectType}:${string}`[];
  state: EnrollmentState;
}

/** Keeps every enrollment's path and effects, and each lead as it ends (for replays and equivalence tests: small runs only). */
export class RunCollector implements Observer {
  readonly runs: EnrollmentRun[] = [];
  readonly leads = new Map<string, LeadView>();
  private readonly byEnrollment = new Map<Enrollment, EnrollmentRun>();

  advanced(world: LeadWorld, e: Enrollment, r: AdvanceResult, _before: unknown, from: EnrollmentState | null): void {
    let run = this.byEnrollment.get(e);
    if (run === undefined || from === null) {
      const first = r.trace[0]?.nodeId ?? r.state.nodeId;
      run = { lead: world.lead.id, scenarioId: e.graph.scenarioId, path: first === null ? [] : [first], status: r.state.status, nodeId: r.state.nodeId, effects: [], state: r.state };
      this.byEnrollment.set(e, run);
      this.runs.push(run);
    }
    for (const t of r.trace) if (t.to !== null) run.path.push(t.to);
    for (const f of r.effects) run.effects.push(`${f.type}:${f.nodeId ?? ''}`);
    run.status = r.state.status;
    run.nodeId = r.state.nodeId;
    run.state = r.state;
  }

  end(world: LeadWorld): void {
    this.leads.set(world.lead.id, world.lead);
    this.byEnrollment.clear();
  }
}
