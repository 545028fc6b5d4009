// Counts for one scenario, gathered from every advance's history rows as leads run: arrivals at
// each node, transitions on each edge, time spent at each node, effects, where enrollments end.
import type { AdvanceResult, EffectType, EnrollmentState, EnrollmentStatus, WaitReason } from '@nurtureflow/engine';
import type { Graph } from '@nurtureflow/scenario';
import { DurationList } from './durations.ts';
import type { EdgeReport, NodeReport, ScenarioReport } from './types.ts';

interface Edge {
  from: string;
  output: string;
  to: string | null;
  count: number;
  /** The place of `to` among the nodes (-1: none), so a transition costs no second lookup. */
  toIndex?: number;
}

/** A scenario's counts from some of the leads, as plain data (another thread's share of a run). */
export interface ScenarioPartial {
  counts: { entered: Int32Array; there: Int32Array; ended: Int32Array; sent: Int32Array; opens: Int32Array; clicks: Int32Array };
  stays: Float64Array[];
  edges: Edge[];
  effects: [EffectType, number][];
  goals: [string, number][];
  status: Record<EnrollmentStatus, number>;
  endReasons: [string, number][];
  stuckReasons: [WaitReason, number][][];
  figures: { noDeadline: number; dueLater: number; total: number; leads: number; capDeferred: number; capSkipped: number; quietDeferred: number };
  answers: Answers;
}

/** Call outcomes (a retry is an unanswered attempt) and sales' answers to hand-offs, from the history's reasons. */
export interface Answers {
  connected: number;
  appointment: number;
  refused: number;
  noAnswer: number;
  accepted: number;
  returned: number;
  timeout: number;
}

/** Every effect type, for counting by index (a switch compares interned strings; no hashing). */
const EFFECT_TYPES: readonly EffectType[] = ['sendEmail', 'createCallTask', 'handOff', 'printJob', 'callWebhook', 'changeScore', 'updateLead', 'enroll', 'goalReached', 'exited'];

function effectIndex(type: EffectType): number {
  switch (type) {
    case 'sendEmail':
      return 0;
    case 'createCallTask':
      return 1;
    case 'handOff':
      return 2;
    case 'printJob':
      return 3;
    case 'callWebhook':
      return 4;
    case 'changeScore':
      return 5;
    case 'updateLead':
      return 6;
    case 'enroll':
      return 7;
    case 'goalReached':
      return 8;
    case 'exited':
      return 9;
  }
}

function addTo<K>(m: Map<K, number>, entries: readonly [K, number][]): void {
  for (const [k, n] of entries) m.set(k, (m.get(k) ?? 0) + n);
}

/** Accumulates one scenario's report. */
export class ScenarioStats {
  private readonly ids: string[];
  private readonly index = new Map<string, number>();
  private readonly entered: Int32Array;
  private readonly there: Int32Array;
  private readonly ended: Int32Array;
  private readonly sent: Int32Array;
  private readonly opens: Int32Array;
  private readonly clicks: Int32Array;
  private readonly stays: DurationList[];
  /** Per node, the edge of each output taken (a node has a handful: a short list beats a map). */
  private readonly edgeOf: Edge[][];
  private readonly edges: Edge[] = [];
  /** Effects by type, in EFFECT_TYPES order. */
  private readonly effectCounts = new Float64Array(EFFECT_TYPES.length);
  private readonly goals = new Map<string, number>();
  private readonly status: Record<EnrollmentStatus, number> = { active: 0, waiting: 0, completed: 0, exited: 0, failed: 0 };
  private readonly endReasons = new Map<string, number>();
  private readonly stuckReasons: Map<WaitReason, number>[];
  private noDeadline = 0;
  private dueLater = 0;
  private total = 0;
  private leads = 0;
  capDeferred = 0;
  capSkipped = 0;
  quietDeferred = 0;
  readonly answers: Answers = { connected: 0, appointment: 0, refused: 0, noAnswer: 0, accepted: 0, returned: 0, timeout: 0 };

  constructor(readonly graph: Graph) {
    this.ids = Object.keys(graph.nodes);
    this.ids.forEach((id, i) => this.index.set(id, i));
    const n = this.ids.length;
    this.entered = new Int32Array(n);
    this.there = new Int32Array(n);
    this.ended = new Int32Array(n);
    this.sent = new Int32Array(n);
    this.opens = new Int32Array(n);
    this.clicks = new Int32Array(n);
    this.stays = this.ids.map(() => new DurationList());
    this.edgeOf = this.ids.map(() => []);
    this.stuckReasons = this.ids.map(() => new Map());
  }

  /** The last node looked up, and its place: an enrollment's next advance mostly starts where the last one stopped. */
  private memoId: string | null = null;
  private memoIndex = -1;

  /** A node's place among the scenario's nodes. */
  private indexOf(id: string): number | undefined {
    if (id === this.memoId) return this.memoIndex;
    const i = this.index.get(id);
    if (i !== undefined) {
      this.memoId = id;
      this.memoIndex = i;
    }
    return i;
  }

  /** Counts one advance. `from` is the enrollment's state before it (null for a new enrollment, which arrived at `enteredAt`). */
  advanced(r: AdvanceResult, from: EnrollmentState | null): void {
    const trace = r.trace;
    let arrivedAt: number;
    if (from === null) {
      this.total++;
      arrivedAt = r.state.enteredAt;
      const first = trace[0]?.nodeId;
      const i = first === undefined || first === null ? undefined : this.indexOf(first);
      if (i !== undefined) this.entered[i]!++;
    } else arrivedAt = from.nodeEnteredAt;
    let lastTo: string | null = null;
    let lastToIndex = -1;
    for (let k = 0; k < trace.length; k++) {
      const row = trace[k]!;
      // One pass over the rows for every figure their reasons give (reasons come in many shapes,
      // so each look at one costs: the code is read once).
      const reason = row.reason;
      const code = reason.code;
      if (code === 'deferred') {
        if (reason.why === 'frequencyCap') this.capDeferred++;
        else this.quietDeferred++;
      } else if (code === 'skipped') {
        if (reason.why === 'frequencyCap') this.capSkipped++;
      } else if (code === 'callOutcome') this.answers[reason.outcome]++;
      else if (code === 'callRetry') this.answers.noAnswer++;
      else if (code === 'handoff') this.answers[reason.answer]++;
      if (row.output === null || row.nodeId === null) continue;
      // A row mostly leaves the node the row before led to: that place is known already.
      const i = row.nodeId === lastTo && lastToIndex >= 0 ? lastToIndex : this.indexOf(row.nodeId);
      if (i === undefined) continue;
      this.stays[i]!.add(row.at - arrivedAt);
      const edge = this.edgeFor(i, row.nodeId, row.output, row.to);
      edge.count++;
      if (row.to !== null) {
        let j = edge.toIndex;
        if (j === undefined) edge.toIndex = j = this.index.get(row.to) ?? -1;
        if (j >= 0) this.entered[j]!++;
        arrivedAt = row.at;
        lastTo = row.to;
        lastToIndex = j;
      }
    }
    const effects = r.effects;
    for (let k = 0; k < effects.length; k++) {
      const f = effects[k]!;
      this.effectCounts[effectIndex(f.type)]!++;
      if (f.type === 'sendEmail') {
        const i = this.indexOf(f.nodeId);
        if (i !== undefined) this.sent[i]!++;
      } else if (f.type === 'goalReached') this.goals.set(f.goal, (this.goals.get(f.goal) ?? 0) + 1);
    }
    // Where the enrollment now is: its next advance starts there.
    if (lastTo !== null && lastToIndex >= 0) {
      this.memoId = lastTo;
      this.memoIndex = lastToIndex;
    }
  }

  /** The edge a row at node `i` took by `output` to `to`: the output's current one, or a new one when it led elsewhere. */
  private edgeFor(i: number, from: string, output: string, to: string | null): Edge {
    const list = this.edgeOf[i]!;
    for (let k = 0; k < list.length; k++) {
      const edge = list[k]!;
      if (edge.output !== output) continue;
      if (edge.to === to) return edge;
      // Another target for the same output (a changed graph): it becomes the output's edge.
      const next: Edge = { from, output, to, count: 0 };
      list[k] = next;
      this.edges.push(next);
      return next;
    }
    const edge: Edge = { from, output, to, count: 0 };
    list.push(edge);
    this.edges.push(edge);
    return edge;
  }

  /** An open or click of a mail sent at `nodeId`. */
  response(nodeId: string | null | undefined, kind: 'open' | 'click'): void {
    const i = nodeId === null || nodeId === undefined ? undefined : this.indexOf(nodeId);
    if (i === undefined) return;
    if (kind === 'open') this.opens[i]!++;
    else this.clicks[i]!++;
  }

  /** Where an enrollment stands at the horizon. */
  final(state: EnrollmentState): void {
    this.status[state.status]++;
    const i = state.nodeId === null ? undefined : this.indexOf(state.nodeId);
    if (state.status === 'waiting' || state.status === 'active') {
      if (i === undefined) return;
      this.there[i]!++;
      const reason = state.waiting?.reason ?? 'wait';
      const m = this.stuckReasons[i]!;
      m.set(reason, (m.get(reason) ?? 0) + 1);
      if (state.waiting === null || state.waiting.until === null) this.noDeadline++;
      else this.dueLater++;
    } else {
      if (i !== undefined) this.ended[i]!++;
      const why = state.endReason ?? state.status;
      this.endReasons.set(why, (this.endReasons.get(why) ?? 0) + 1);
    }
  }

  /** A lead that had at least one enrollment here. */
  countLead(): void {
    this.leads++;
  }

  /** What this share of the run counted, as plain data. */
  partial(): ScenarioPartial {
    return {
      counts: { entered: this.entered, there: this.there, ended: this.ended, sent: this.sent, opens: this.opens, clicks: this.clicks },
      stays: this.stays.map((d) => d.values()),
      edges: this.edges,
      effects: this.effectEntries(),
      goals: [...this.goals],
      status: this.status,
      endReasons: [...this.endReasons],
      stuckReasons: this.stuckReasons.map((m) => [...m]),
      figures: { noDeadline: this.noDeadline, dueLater: this.dueLater, total: this.total, leads: this.leads, capDeferred: this.capDeferred, capSkipped: this.capSkipped, quietDeferred: this.quietDeferred },
      answers: { ...this.answers },
    };
  }

  /** Adds another share of the run (of the same graph) to this one. */
  absorb(p: ScenarioPartial): void {
    for (const key of ['entered', 'there', 'ended', 'sent', 'opens', 'clicks'] as const) {
      const mine = this[key];
      const theirs = p.counts[key];
      for (let i = 0; i < mine.length; i++) mine[i]! += theirs[i] ?? 0;
    }
    p.stays.forEach((values, i) => this.stays[i]?.addAll(values));
    for (const e of p.edges) {
      const i = this.index.get(e.from);
      if (i === undefined) continue;
      const list = this.edgeOf[i]!;
      let mine = list.find((x) => x.output === e.output);
      if (mine === undefined) {
        mine = { from: e.from, output: e.output, to: e.to, count: 0 };
        list.push(mine);
        this.edges.push(mine);
      }
      mine.count += e.count;
    }
    for (const [type, n] of p.effects) this.effectCounts[effectIndex(type)]! += n;
    addTo(this.goals, p.goals);
    for (const k of Object.keys(this.status) as EnrollmentStatus[]) this.status[k] += p.status[k];
    addTo(this.endReasons, p.endReasons);
    p.stuckReasons.forEach((entries, i) => {
      const m = this.stuckReasons[i];
      if (m !== undefined) addTo(m, entries);
    });
    const f = p.figures;
    this.noDeadline += f.noDeadline;
    this.dueLater += f.dueLater;
    this.total += f.total;
    this.leads += f.leads;
    this.capDeferred += f.capDeferred;
    this.capSkipped += f.capSkipped;
    this.quietDeferred += f.quietDeferred;
    for (const k of Object.keys(this.answers) as (keyof Answers)[]) this.answers[k] += p.answers[k];
  }

  /** How many effects of a type this scenario emitted. */
  effectCount(type: EffectType): number {
    return this.effectCounts[effectIndex(type)]!;
  }

  /** The effect types seen, with their counts. */
  private effectEntries(): [EffectType, number][] {
    const out: [EffectType, number][] = [];
    for (let i = 0; i < EFFECT_TYPES.length; i++) if (this.effectCounts[i]! > 0) out.push([EFFECT_TYPES[i]!, this.effectCounts[i]!]);
    return out;
  }

  /** The scenario's report. */
  report(): ScenarioReport {
    const g = this.graph;
    const nodes: NodeReport[] = this.ids.map((id, i) => {
      const node = g.nodes[id]!;
      const label = (node as { label?: unknown }).label;
      const entered = this.entered[i]!;
      const there = this.there[i]!;
      return {
        id,
        kind: node.kind,
        label: typeof label === 'string' && label !== '' ? label : null,
        entered,
        there,
        exited: entered - there,
        ended: this.ended[i]!,
        timeInNode: this.stays[i]!.summary(),
        ...(node.kind === 'email' ? { sent: this.sent[i]!, opens: this.opens[i]!, clicks: this.clicks[i]! } : {}),
      };
    });
    const edges: EdgeReport[] = this.edges
      .filter((e) => e.count > 0)
      .map(({ from, output, to, count }) => ({ from, output, to, count }))
      .sort((a, b) => (this.index.get(a.from)! - this.index.get(b.from)!) || (a.output < b.output ? -1 : a.output > b.output ? 1 : 0));
    const byNode = this.ids
      .map((nodeId, i) => ({ nodeId, count: this.there[i]!, reasons: Object.fromEntries(this.stuckReasons[i]!) }))
      .filter((n) => n.count > 0);
    return {
      scenarioId: g.scenarioId,
      productLine: g.productLine,
      name: g.name,
      version: g.version,
      enrollments: { total: this.total, leads: this.leads, ...this.status, endReasons: sortedRecord(this.endReasons) },
      nodes,
      edges,
      effects: sortedRecord(new Map(this.effectEntries())),
      goals: sortedRecord(this.goals),
      stuck: { total: this.noDeadline + this.dueLater, noDeadline: this.noDeadline, dueAfterHorizon: this.dueLater, byNode },
    };
  }
}

function sortedRecord<K extends string>(m: Map<K, number>): Record<K, number> {
  return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as Record<K, number>;
}
