import type { Graph, Scalar } from '@nurtureflow/scenario';
import { advance, enter } from '../engine.ts';
import type { AdvanceResult, Effect, EngineContext, EnrollmentState, LeadEvent, LeadView, Millis, TraceEntry } from '../types.ts';
import { aLead, anEvent } from './a-lead.ts';

/**
 * Drives one enrollment through a graph for a test, keeping everything it produced:
 * `journey(graph, { at }).wake().answerCall('noAnswer', t)`.
 */
export class Journey {
  state: EnrollmentState;
  lead: LeadView;
  readonly effects: Effect[] = [];
  readonly trace: TraceEntry[] = [];
  readonly results: AdvanceResult[] = [];
  /** Node ids in the order reached. */
  readonly path: string[];

  constructor(
    readonly graph: Graph,
    options: { at: Millis; lead?: LeadView; ctx?: EngineContext; trigger?: string; id?: string },
    readonly ctx: EngineContext = options.ctx ?? {},
  ) {
    const trigger = options.trigger ?? Object.keys(graph.nodes).find((id) => graph.nodes[id]!.kind === 'trigger')!;
    this.lead = options.lead ?? aLead();
    this.path = [trigger];
    const r = enter(graph, { enrollmentId: options.id ?? 'enr-1', lead: this.lead, triggerNodeId: trigger, now: options.at }, this.ctx);
    this.state = r.state;
    this.record(r);
  }

  private record(r: AdvanceResult): AdvanceResult {
    this.results.push(r);
    this.state = r.state;
    this.lead = r.lead;
    this.effects.push(...r.effects);
    this.trace.push(...r.trace);
    for (const t of r.trace) if (t.to !== null) this.path.push(t.to);
    return r;
  }

  /** The clock reaches `now`. */
  tick(now: Millis): AdvanceResult {
    return this.record(advance(this.graph, this.state, { type: 'tick', now }, this.lead, this.ctx));
  }

  /** Tick exactly when the current wait ends. */
  wake(): AdvanceResult {
    const until = this.state.waiting?.until;
    if (until === undefined || until === null) throw new Error(`not waiting for a time at ${this.state.nodeId}`);
    return this.tick(until);
  }

  /** An event arrives (processed at `now`, by default its own time); it is also added to the lead's recent events. */
  event(event: LeadEvent, now: Millis = event.at): AdvanceResult {
    this.lead = { ...this.lead, recentEvents: [...this.lead.recentEvents, event] };
    return this.record(advance(this.graph, this.state, { type: 'event', now, event }, this.lead, this.ctx));
  }

  /** An event of a kind at a time. */
  happens(kind: string, at: Millis, patch: Partial<Omit<LeadEvent, 'kind' | 'at'>> & { data?: Record<string, Scalar> } = {}): AdvanceResult {
    return this.event(anEvent(kind, at, { productLine: this.graph.productLine, ...patch }));
  }

  /** Inside sales reports the outcome of the open call task. */
  answerCall(outcome: 'connected' | 'noAnswer' | 'appointment' | 'refused', at: Millis): AdvanceResult {
    return this.happens('call_completed', at, { effectKey: this.state.pendingKey, scenarioId: this.graph.scenarioId, data: { outcome } });
  }

  /** Sales answers the open hand-off. */
  answerHandoff(answer: 'accepted' | 'returned', at: Millis): AdvanceResult {
    return this.happens(`handoff_${answer}`, at, { effectKey: this.state.pendingKey, scenarioId: this.graph.scenarioId });
  }

  /** Change the lead between advances (as the world does). */
  changeLead(patch: Partial<LeadView>): this {
    this.lead = { ...this.lead, ...patch };
    return this;
  }

  /** Effects as `type:nodeId`. */
  get effectNames(): string[] {
    return this.effects.map((e) => `${e.type}:${e.nodeId ?? ''}`);
  }

  /** The output taken at each history row that left a node. */
  get outputs(): string[] {
    return this.trace.filter((t) => t.output !== null).map((t) => `${t.nodeId}.${t.output}`);
  }
}

/** Enter a graph and keep driving it. */
export function journey(graph: Graph, options: { at: Millis; lead?: LeadView; ctx?: EngineContext; trigger?: string; id?: string }): Journey {
  return new Journey(graph, options);
}
