// One lead's world on a virtual clock: its enrollments, its inputs in time order and the engine.
// Leads never affect one another, so a run takes leads one at a time, each from the start to the
// horizon, which keeps memory flat and the order of leads irrelevant. What happens here mirrors
// the runtime: an event is scored by each product line's rules, starts the scenarios it
// triggers, follow-ups settle (hot crossings become `lead_became_hot` events, moves enrol, changed
// leads meet segment triggers), and then the enrollments waiting for it hear it; waits end at
// their due time, before any input at the same time.
import { advance, canEnter, enter, matchTriggers, type AdvanceResult, type EnrollmentState, type LeadEvent, type LeadView } from '@nurtureflow/engine';
import type { Graph } from '@nurtureflow/scenario';
import { applyEvent, ScoreBook } from './ingest.ts';
import { effectTime, entryTrigger, trim } from './lead-helpers.ts';
import type { World } from './prepare.ts';
import { before, Queue, type Entry, type Item } from './queue.ts';

/** One lead in one scenario, as the run sees it. */
export interface Enrollment {
  graph: Graph;
  state: EnrollmentState;
  /** The n-th enrollment of this lead in the run. */
  order: number;
  /** Its graph's place in the world's graphs. */
  graphIndex: number;
}

/** Listens to a lead's world: the report, the personas, a trace. */
export interface Observer {
  /** A lead's run begins. */
  begin?(world: LeadWorld): void;
  /**
   * An advance (the first one, by `enter`, included), with the lead as it was before it and the
   * enrollment's state before it (null for the first).
   */
  advanced?(world: LeadWorld, e: Enrollment, r: AdvanceResult, before: LeadView, from: EnrollmentState | null): void;
  /** An event the lead did, once scored. */
  ingested?(world: LeadWorld, event: LeadEvent): void;
  /** The lead's score crossed the hot threshold of a product line. */
  becameHot?(world: LeadWorld, productLine: string, at: number): void;
  /** An input was taken (`event` is what it became, null when nothing came of it). */
  took?(world: LeadWorld, entry: Entry, event: LeadEvent | null): void;
  /** The lead reached the horizon. */
  end?(world: LeadWorld): void;
}

const NONE: readonly EnrollmentState[] = Object.freeze([]);
const NO_ENROLLMENTS: readonly Enrollment[] = Object.freeze([]);

/** Whether a wait's short list of event kinds holds one (a loop, where `includes` is a call). */
function waitsFor(kinds: readonly string[], kind: string): boolean {
  for (let i = 0; i < kinds.length; i++) if (kinds[i] === kind) return true;
  return false;
}
const MAX_SETTLE_ROUNDS = 10;

/** Runs one lead at a time through the world's graphs. Reused from lead to lead. */
export class LeadWorld {
  lead!: LeadView;
  readonly enrollments: Enrollment[] = [];
  private readonly queue = new Queue();
  private global: readonly Entry[] = [];
  private globalAt = 0;
  private seq = 0;
  private events = 0;
  private readonly book = new ScoreBook();
  /** The lead's recent events (see applyEvent). */
  private recent: LeadEvent[] = [];
  private readonly hot: { productLine: string; at: number; cause: string }[] = [];
  private readonly moves: { scenarioId: string; at: number }[] = [];
  private changed = false;
  /** The engine's input for a wake-up, reused: the engine reads its input and keeps nothing of it. */
  private readonly tick: { type: 'tick'; now: number } = { type: 'tick', now: 0 };
  /** The time of the input or wake-up being handled. */
  now = 0;
  /** The time of each effect of the advance being reported to observers (index = effect's index; later entries are stale). */
  readonly effectTimes: number[] = [];

  /** The observers, by the hooks they have: each call site then sees only those (no optional calls, few receiver types). */
  private readonly onBegin: Observer[];
  private readonly onAdvanced: Observer[];
  private readonly onIngested: Observer[];
  private readonly onBecameHot: Observer[];
  private readonly onTook: Observer[];
  private readonly onEnd: Observer[];

  constructor(
    readonly world: World,
    observers: readonly Observer[],
    /** Sequence numbers of scheduled inputs start here, after every scripted one. */
    private readonly dynamicSeq: number,
  ) {
    this.onBegin = observers.filter((o) => o.begin !== undefined);
    this.onAdvanced = observers.filter((o) => o.advanced !== undefined);
    this.onIngested = observers.filter((o) => o.ingested !== undefined);
    this.onBecameHot = observers.filter((o) => o.becameHot !== undefined);
    this.onTook = observers.filter((o) => o.took !== undefined);
    this.onEnd = observers.filter((o) => o.end !== undefined);
  }

  /** Schedules an input for this lead (a persona's reaction). */
  schedule(at: number, item: Item): void {
    this.queue.push({ at, seq: this.dynamicSeq + this.seq++, item });
  }

  /**
   * Runs the lead from its inputs to `end` (inclusive): own inputs (already with their seq), and
   * inputs every lead shares (sweeps, schedules) in (at, seq) order.
   */
  run(lead: LeadView, own: readonly Entry[], global: readonly Entry[], end: number): void {
    this.lead = lead;
    this.enrollments.length = 0;
    this.queue.clear();
    for (let i = 0; i < own.length; i++) this.queue.push(own[i]!);
    this.global = global;
    this.globalAt = 0;
    this.seq = 0;
    this.events = 0;
    this.book.next();
    this.recent = [];
    // Follow-ups past the settling bound of the lead before are dropped, as the runtime drops them.
    this.hot.length = 0;
    this.moves.length = 0;
    this.changed = false;
    this.now = 0;
    for (let i = 0; i < this.onBegin.length; i++) this.onBegin[i]!.begin!(this);
    for (;;) {
      let due: Enrollment | undefined;
      let wake = Infinity;
      for (const e of this.enrollments) {
        const until = e.state.status === 'waiting' ? (e.state.waiting?.until ?? null) : null;
        if (until !== null && until < wake) {
          wake = until;
          due = e;
        }
      }
      const mine = this.queue.peek();
      const shared = this.global[this.globalAt];
      const next = mine === undefined ? shared : shared === undefined || before(mine, shared) ? mine : shared;
      const nextAt = next === undefined ? Infinity : next.at;
      if (due !== undefined && wake <= nextAt && wake <= end) {
        this.now = wake;
        const tick = this.tick;
        tick.now = wake;
        this.advance(due, advance(due.graph, due.state, tick, this.lead, this.world.ctx), false);
        this.settle();
      } else if (next !== undefined && nextAt <= end) {
        if (next === mine) this.queue.pop();
        else this.globalAt++;
        this.now = next.at;
        this.take(next);
      } else break;
    }
    for (let i = 0; i < this.onEnd.length; i++) this.onEnd[i]!.end!(this);
  }

  private take(entry: Entry): void {
    const item = entry.item;
    const at = entry.at;
    let event: LeadEvent | null = null;
    switch (item.type) {
      case 'enroll': {
        const graph = this.world.byScenario.get(item.scenarioId);
        if (graph !== undefined) this.tryEnter(graph, item.trigger ?? entryTrigger(graph, this.lead), at);
        break;
      }
      case 'event':
        event = {
          id: `${this.lead.id}:ev-${this.events++}`,
          kind: item.kind,
          at,
          productLine: item.productLine,
          scenarioId: item.scenarioId,
          nodeId: item.nodeId,
          effectKey: item.effectKey,
          data: item.data,
        };
        break;
      case 'answer': {
        let e: Enrollment | undefined;
        for (let i = 0; i < this.enrollments.length && e === undefined; i++) {
          const x = this.enrollments[i]!;
          if (x.graph.scenarioId === item.scenarioId && x.state.status === 'waiting' && x.state.pendingKey !== null && (item.key === null || x.state.pendingKey === item.key)) e = x;
        }
        if (e === undefined) break;
        event = {
          id: `${this.lead.id}:ev-${this.events++}`,
          kind: item.kind,
          at,
          productLine: e.graph.productLine,
          scenarioId: e.graph.scenarioId,
          nodeId: e.state.nodeId,
          effectKey: e.state.pendingKey,
          data: item.outcome === null ? {} : { outcome: item.outcome },
        };
        break;
      }
      case 'sweep':
        for (const graph of this.world.graphs) {
          const only = item.schedule;
          const fired = [
            ...(item.lead ? matchTriggers(graph, { type: 'lead', now: at }, this.lead) : []),
            ...(only === null ? [] : matchTriggers(graph, { type: 'schedule', now: at }, this.lead).filter((t) => only === 'all' || (only.scenarioId === graph.scenarioId && only.nodeId === t))),
          ];
          for (const t of fired) this.tryEnter(graph, t, at);
        }
        break;
    }
    for (let i = 0; i < this.onTook.length; i++) this.onTook[i]!.took!(this, entry, event);
    if (event !== null) this.ingest(event);
    this.settle();
  }

  /** An event of the lead: built-in effects, scoring, triggers, follow-ups, then the enrollments waiting for it. */
  private ingest(event: LeadEvent): void {
    const r = applyEvent(this.world, this.book, this.lead, event, this.recent);
    this.lead = r.lead;
    if (r.changed) this.changed = true;
    for (const h of r.becameHot) {
      this.hot.push({ productLine: h, at: event.at, cause: event.id });
      for (let i = 0; i < this.onBecameHot.length; i++) this.onBecameHot[i]!.becameHot!(this, h, event.at);
    }
    for (let i = 0; i < this.onIngested.length; i++) this.onIngested[i]!.ingested!(this, event);
    // Enrollments started by this very event do not hear it as an answer.
    let listeners: readonly Enrollment[] = NO_ENROLLMENTS;
    for (let i = 0; i < this.enrollments.length; i++) {
      const e = this.enrollments[i]!;
      if (e.state.status !== 'waiting' || e.state.waiting === null || !waitsFor(e.state.waiting.events, event.kind)) continue;
      if (listeners === NO_ENROLLMENTS) listeners = [];
      (listeners as Enrollment[]).push(e);
    }
    for (const graph of this.world.eventTriggered) {
      if (event.productLine !== null && event.productLine !== graph.productLine) continue;
      for (const t of matchTriggers(graph, { type: 'event', event }, this.lead)) this.tryEnter(graph, t, event.at);
    }
    this.settle();
    for (let i = 0; i < listeners.length; i++) {
      const e = listeners[i]!;
      if (e.state.status !== 'waiting') continue;
      this.advance(e, advance(e.graph, e.state, { type: 'event', now: event.at, event }, this.lead, this.world.ctx), false);
    }
    this.settle();
  }

  /** Hot crossings, moves and segment triggers, until nothing follows (bounded, like the runtime's). */
  private settle(): void {
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      if (this.hot.length === 0 && this.moves.length === 0 && !this.changed) return;
      const hot = this.hot.splice(0);
      const moves = this.moves.splice(0);
      const changed = this.changed;
      this.changed = false;
      for (const h of hot) {
        this.ingest({ id: `hot:${h.productLine}:${h.cause}`, kind: 'lead_became_hot', at: h.at, productLine: h.productLine, data: { cause: h.cause } });
      }
      for (const m of moves) {
        const graph = this.world.byScenario.get(m.scenarioId);
        if (graph !== undefined) this.tryEnter(graph, entryTrigger(graph, this.lead), m.at);
      }
      if (changed) {
        for (const graph of this.world.leadTriggered) {
          for (const t of matchTriggers(graph, { type: 'lead', now: this.now }, this.lead)) this.tryEnter(graph, t, this.now);
        }
      }
    }
  }

  private tryEnter(graph: Graph, trigger: string | undefined, at: number): void {
    if (trigger === undefined) return;
    let previous: EnrollmentState[] | readonly EnrollmentState[] = NONE;
    for (const e of this.enrollments) {
      if (e.graph !== graph) continue;
      if (previous === NONE) previous = [];
      (previous as EnrollmentState[]).push(e.state);
    }
    if (!canEnter(graph, this.lead, previous, at).ok) return;
    const order = this.enrollments.length;
    const e: Enrollment = { graph, state: undefined as never, order, graphIndex: this.world.graphs.indexOf(graph) };
    this.enrollments.push(e);
    this.advance(e, enter(graph, { enrollmentId: `${graph.scenarioId}:${this.lead.id}:${order}`, lead: this.lead, triggerNodeId: trigger, now: at }, this.world.ctx), true);
  }

  private advance(e: Enrollment, r: AdvanceResult, entered: boolean): void {
    const was = this.lead;
    const from = entered ? null : e.state;
    e.state = r.state;
    this.lead = trim(this.world, r.lead, this.now);
    const effects = r.effects;
    // Entries past this advance's effects are stale and never read.
    const times = this.effectTimes;
    if (effects.length > 0) {
      // Every effect's history row is in its advance (an engine property, tested there), so when
      // all the rows share one time, so do the effects: no key needs reading.
      const trace = r.trace;
      const at = trace[0]?.at ?? r.state.nodeEnteredAt;
      let one = true;
      for (let k = 1; k < trace.length && one; k++) one = trace[k]!.at === at;
      for (let i = 0; i < effects.length; i++) times[i] = one ? at : effectTime(r, effects[i]!.key);
    }
    for (let i = 0; i < this.onAdvanced.length; i++) this.onAdvanced[i]!.advanced!(this, e, r, was, from);
    if (effects.length === 0) return;
    let scored = false;
    for (let i = 0; i < effects.length; i++) {
      const f = effects[i]!;
      if (f.type === 'changeScore') scored = this.changed = true;
      else if (f.type === 'updateLead') this.changed = true;
      else if (f.type === 'enroll') this.moves.push({ scenarioId: f.scenarioId, at: times[i]! });
    }
    if (!scored) return;
    for (let i = 0; i < effects.length; i++) {
      const f = effects[i]!;
      if (f.type !== 'changeScore') continue;
      const pl = f.productLine;
      if (was.products[pl]?.hot !== true && this.lead.products[pl]?.hot === true && !this.hot.some((h) => h.productLine === pl && h.cause === 'score')) {
        const at = times[i]!;
        this.hot.push({ productLine: pl, at, cause: 'score' });
        for (let j = 0; j < this.onBecameHot.length; j++) this.onBecameHot[j]!.becameHot!(this, pl, at);
      }
    }
  }
}
