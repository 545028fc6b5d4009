import type { Graph, LeadChange } from '@nurtureflow/scenario';
import type { ConditionScope } from './conditions.ts';
import { addMessage, applyChanges, copyLead, setStanding, standingOf, type WorkingLead } from './lead-view.ts';
import type { PreparedNode } from './nodes/handler.ts';
import type { PreparedGraph } from './prepare.ts';
import { rankFor } from './scoring.ts';
import type {
  AdvanceResult,
  Effect,
  EngineContext,
  EnrollmentState,
  EnrollmentStatus,
  LeadView,
  Millis,
  Reason,
  TraceEntry,
  WaitReason,
  Waiting,
} from './types.ts';

/**
 * The effects and history rows of the advance under way. The engine runs one advance at a time,
 * synchronously, so these lists are shared from run to run and never shrink; the result copies
 * them out at their exact size (growing a fresh list per advance leaves room that is never used).
 */
const EFFECTS: Effect[] = [];
const ROWS: TraceEntry[] = [];

/**
 * One advance in progress: the enrollment's fields being changed, the working lead view, and the
 * effects and history rows produced. Mutable inside, so the hot path allocates only what it returns.
 */
export class Run {
  /** The enrollment as the advance found it: what never changes is read from it rather than copied. */
  private readonly from: EnrollmentState;

  status: EnrollmentStatus;
  nodeId: string | null;
  nodeEnteredAt: Millis;
  seq: number;
  waiting: Waiting | null;
  attempts: number;
  pendingKey: string | null;
  endedAt: Millis | null;
  endReason: string | null;

  /** The node the lead is at. */
  current: PreparedNode | null;
  /** The node to arrive at next, set by `take`. */
  next: string | null = null;
  /** That node, prepared, when `take` found it (else it is looked up by id). */
  nextNode: PreparedNode | null = null;
  lead: LeadView;
  /** Effects and history rows written so far, in the shared lists below. */
  private effectCount = 0;
  private rowCount = 0;
  transitions = 0;
  /** Transitions at logical time `burstAt`, carried over from earlier advances at that same time. */
  burst: number;
  private burstAt: Millis;
  private leadIsOwn = false;
  private effectIndex = 0;

  constructor(
    readonly prepared: PreparedGraph,
    state: EnrollmentState,
    lead: LeadView,
    readonly ctx: EngineContext,
  ) {
    this.from = state;
    this.status = state.status;
    this.nodeId = state.nodeId;
    this.nodeEnteredAt = state.nodeEnteredAt;
    this.seq = state.seq;
    this.waiting = state.waiting;
    this.attempts = state.attempts;
    this.pendingKey = state.pendingKey;
    this.endedAt = state.endedAt;
    this.endReason = state.endReason;
    this.burst = state.burst ?? 0;
    this.burstAt = state.nodeEnteredAt;
    this.current = state.nodeId === null ? null : (prepared.nodes.get(state.nodeId) ?? null);
    this.lead = lead;
  }

  get graph(): Graph {
    return this.prepared.graph;
  }

  get id(): string {
    return this.from.id;
  }

  get leadId(): string {
    return this.from.leadId;
  }

  get productLine(): string {
    return this.from.productLine;
  }

  get scenarioId(): string {
    return this.from.scenarioId;
  }

  get version(): number {
    return this.from.version;
  }

  get enteredAt(): Millis {
    return this.from.enteredAt;
  }

  get maxTransitions(): number {
    return this.ctx.maxTransitions ?? 1000;
  }

  private count(at: Millis): void {
    this.transitions++;
    if (at === this.burstAt) this.burst++;
    else {
      this.burstAt = at;
      this.burst = 1;
    }
  }

  /**
   * The loop guard: too many transitions at one logical time. Every loop with no real wait in it
   * runs at one instant, so this stops all of them, however the ticks are split; a late tick
   * catching up on weeks of short waits moves through time and is not a loop.
   */
  looping(): boolean {
    return this.burst >= this.maxTransitions;
  }

  /** A key for the next effect: `${enrollment}:${row seq}:${index}`, unique forever and identical on replay. */
  key(): string {
    return `${this.id}:${this.seq + 1}:${this.effectIndex++}`;
  }

  /** Queue an effect (built with `key()`); returns its key. */
  emit(effect: Effect): string {
    EFFECTS[this.effectCount++] = effect;
    return effect.key;
  }

  private row(at: Millis, output: string | null, to: string | null, reason: Reason): void {
    const seq = ++this.seq;
    this.effectIndex = 0;
    ROWS[this.rowCount++] = { seq, at, nodeId: this.nodeId, output, to, reason };
  }

  /** The lead reaches a node: it becomes the current one, with nothing pending. */
  arriveAt(node: PreparedNode, at: Millis): void {
    this.current = node;
    this.nodeId = node.id;
    this.nodeEnteredAt = at;
    this.status = 'active';
    this.waiting = null;
    this.attempts = 0;
    this.pendingKey = null;
  }

  /** Leave the current node by an output; an unconnected output completes the enrollment. */
  take(output: string, reason: Reason, at: Millis): void {
    const current = this.current;
    let target: PreparedNode | undefined;
    if (current !== null) {
      const outputs = current.targetOutputs;
      for (let i = 0; i < outputs.length; i++) {
        if (outputs[i] === output) {
          target = current.targetNodes[i];
          break;
        }
      }
    }
    const to = target !== undefined ? target.id : (current?.outputs.get(output) ?? null);
    this.count(at);
    this.row(at, output, to, reason);
    if (to === null) this.end('completed', { code: 'unconnected', output }, at, 'unconnected');
    else {
      this.next = to;
      this.nextNode = target ?? null;
    }
  }

  /** Wait at the current node until a time and/or for some event kinds. */
  stay(until: Millis | null, events: readonly string[], why: WaitReason, reason: Reason, at: Millis): void {
    this.status = 'waiting';
    this.waiting = { until, events, reason: why };
    this.row(at, null, null, reason);
  }

  /** A node ends the enrollment (exit, goal, move): one transition. */
  finish(status: 'completed' | 'exited' | 'failed', reason: Reason, at: Millis): void {
    this.count(at);
    this.end(status, reason, at, reason.code);
  }

  /** End without a node's decision (missing node, loop guard). */
  end(status: 'completed' | 'exited' | 'failed', reason: Reason, at: Millis, endReason: string): void {
    this.row(at, null, null, reason);
    this.status = status;
    this.waiting = null;
    this.pendingKey = null;
    this.endedAt = at;
    this.endReason = endReason;
    this.next = null;
    this.nextNode = null;
  }

  /**
   * The scope conditions are evaluated in at logical time `at`: the graph's own, its time set (one
   * object however many conditions: they only read it), or one of the run's own for an enrollment
   * in another product line than its graph's.
   */
  scope(at: Millis): ConditionScope {
    let scope = this.prepared.scope;
    if (scope.productLine !== this.productLine) scope = this.ownScope ??= { productLine: this.productLine, now: at, settings: this.graph.settings };
    scope.now = at;
    return scope;
  }

  private ownScope: ConditionScope | null = null;

  /** Bumped whenever the working lead changes, so a check of the same lead at the same time can be skipped. */
  leadVersion = 0;
  /** The time and lead version at which no exit goal matched (see goalReached). */
  noGoalAt = Number.NaN;
  noGoalVersion = -1;

  private writable(): WorkingLead {
    this.leadVersion++;
    if (!this.leadIsOwn) {
      this.lead = copyLead(this.lead);
      this.leadIsOwn = true;
    }
    return this.lead as WorkingLead;
  }

  /** Count a message sent at `at` in the working lead view. */
  recordMessage(at: Millis): void {
    addMessage(this.writable(), at, this.productLine);
  }

  /** Move the score in the working view; rank and hot follow when the product line's scoring is known. */
  addScore(points: number): void {
    const lead = this.writable();
    const score = standingOf(lead, this.productLine).score + points;
    const scoring = this.ctx.scoring?.[this.productLine];
    if (scoring === undefined) setStanding(lead, this.productLine, { score });
    else setStanding(lead, this.productLine, { score, rank: rankFor(scoring, score), hot: score >= scoring.hotThreshold });
  }

  /** Apply an update node's changes to the working view. */
  applyChanges(changes: readonly LeadChange[]): void {
    applyChanges(this.writable(), this.productLine, changes);
  }

  /** The enrollment as it now stands. */
  state(): EnrollmentState {
    return {
      id: this.id,
      leadId: this.leadId,
      productLine: this.productLine,
      scenarioId: this.scenarioId,
      version: this.version,
      status: this.status,
      nodeId: this.nodeId,
      enteredAt: this.enteredAt,
      nodeEnteredAt: this.nodeEnteredAt,
      seq: this.seq,
      waiting: this.waiting,
      attempts: this.attempts,
      pendingKey: this.pendingKey,
      endedAt: this.endedAt,
      endReason: this.endReason,
      burst: this.burst,
    };
  }

  /** The advance's result. */
  result(): AdvanceResult {
    const state = this.state();
    return { state, effects: EFFECTS.slice(0, this.effectCount), trace: ROWS.slice(0, this.rowCount), next: nextOf(state), lead: this.lead, transitions: this.transitions };
  }
}

const DONE: Readonly<Record<'completed' | 'exited' | 'failed', AdvanceResult['next']>> = Object.freeze({
  completed: Object.freeze({ type: 'done', status: 'completed' }),
  exited: Object.freeze({ type: 'done', status: 'exited' }),
  failed: Object.freeze({ type: 'done', status: 'failed' }),
});

/** What happens next for an enrollment in this state. */
export function nextOf(state: EnrollmentState): AdvanceResult['next'] {
  if (state.status === 'waiting' && state.waiting !== null) return { type: 'wait', waiting: state.waiting };
  if (state.status === 'completed' || state.status === 'exited' || state.status === 'failed') return DONE[state.status];
  return { type: 'wait', waiting: { until: state.nodeEnteredAt, events: [], reason: 'wait' } };
}
