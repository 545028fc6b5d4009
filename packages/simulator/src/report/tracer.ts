// The step-by-step path of chosen leads: every history row with its reason, every effect, every
// event and hot crossing, in time order — what the editor replays on the canvas.
import type { AdvanceResult, EnrollmentState, LeadEvent } from '@nurtureflow/engine';
import type { LeadTrace, TraceRow } from './types.ts';
import type { Enrollment, LeadWorld, Observer } from '../world/lead-world.ts';

const iso = (at: number) => new Date(at).toISOString();

/** Records the traces of the leads in `ids`. */
export class Tracer implements Observer {
  readonly traces: LeadTrace[] = [];
  private current: LeadTrace | null = null;
  /** The persona of the lead about to run (set by the run). */
  persona: string | null = null;

  constructor(private readonly ids: ReadonlySet<string>) {}

  begin(world: LeadWorld): void {
    this.current = this.ids.size > 0 && this.ids.has(world.lead.id) ? { leadId: world.lead.id, persona: this.persona, rows: [], final: [] } : null;
  }

  advanced(world: LeadWorld, e: Enrollment, r: AdvanceResult, _before: unknown, _from: EnrollmentState | null): void {
    const t = this.current;
    if (t === null) return;
    const scenarioId = e.graph.scenarioId;
    const enrollmentId = r.state.id;
    const bySeq = new Map<number, TraceRow[]>();
    r.effects.forEach((f, i) => {
      const at = world.effectTimes[i]!;
      const end = f.key.lastIndexOf(':');
      const seq = Number(f.key.slice(f.key.lastIndexOf(':', end - 1) + 1, end));
      const list = bySeq.get(seq) ?? [];
      list.push({ type: 'effect', at: iso(at), scenarioId, enrollmentId, effect: f.type, nodeId: f.nodeId, key: f.key });
      bySeq.set(seq, list);
    });
    for (const row of r.trace) {
      // An effect comes just before the history row it belongs to.
      for (const x of bySeq.get(row.seq) ?? []) t.rows.push(x);
      bySeq.delete(row.seq);
      t.rows.push({ type: 'step', at: iso(row.at), scenarioId, enrollmentId, seq: row.seq, nodeId: row.nodeId, output: row.output, to: row.to, reason: row.reason });
    }
    for (const rest of bySeq.values()) t.rows.push(...rest);
  }

  ingested(_world: LeadWorld, event: LeadEvent): void {
    this.current?.rows.push({ type: 'event', at: iso(event.at), kind: event.kind, productLine: event.productLine, scenarioId: event.scenarioId ?? null });
  }

  becameHot(_world: LeadWorld, productLine: string, at: number): void {
    this.current?.rows.push({ type: 'hot', at: iso(at), productLine });
  }

  end(world: LeadWorld): void {
    const t = this.current;
    if (t === null) return;
    t.final = world.enrollments.map((e) => ({ scenarioId: e.graph.scenarioId, status: e.state.status, nodeId: e.state.nodeId, endReason: e.state.endReason }));
    this.traces.push(t);
    this.current = null;
  }
}
