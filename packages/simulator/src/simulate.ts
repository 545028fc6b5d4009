// A simulation: graphs and product lines, sample leads, behaviour (a scripted timeline or
// personas), a seed and a horizon go in; a report comes out. Leads run one at a time through the
// engine on a virtual clock (world/lead-world.ts), so memory stays flat and a long run can report
// progress, pause between chunks and go on.
import type { EngineContext } from '@nurtureflow/engine';
import type { Graph, GraphInput, ProductLineSettingsInput } from '@nurtureflow/scenario';
import { drawPersona, parsePersonas, PersonaBehaviour } from './behaviour/personas.ts';
import { leadRandom } from './random.ts';
import { ReportCollector, type CollectorPartial } from './report/collector.ts';
import { TimelineRecorder, type RecordedStep } from './report/recorder.ts';
import { RunCollector, type EnrollmentRun } from './report/runs.ts';
import { Tracer } from './report/tracer.ts';
import type { LeadTrace, SimulationReport } from './report/types.ts';
import { arrivalItem, arrivalTime, scheduleEntries } from './run/arrivals.ts';
import { SimulationInputError, timelineEntries, toMillis, type StepLike } from './run/timeline.ts';
import { arrivalSchema, type Arrival, type Persona, type PersonaInput, type SampleLead } from './schemas.ts';
import { LeadWorld, type Observer } from './world/lead-world.ts';
import { toLeadView } from './world/lead-view.ts';
import { parseGraphs, prepareWorld, type World } from './world/prepare.ts';
import type { Entry, Item } from './world/queue.ts';

const DAY = 86_400_000;
const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** A lead's own scripted steps (the lead is the key). */
export type LeadSteps = StepLike extends infer S ? (S extends { lead?: string } ? Omit<S, 'lead'> : never) : never;

/**
 * Behaviour: a scripted timeline (one list, each step naming its lead, or a list per lead), or
 * personas (the defaults when none are given) and how leads arrive.
 */
export type Behaviour =
  | { timeline: readonly StepLike[] }
  | { timelines: Readonly<Record<string, readonly LeadSteps[]>> }
  | { personas?: readonly PersonaInput[]; arrival?: Partial<Arrival> };

/** Per-lead timelines as one timeline, each step naming its lead. */
function flatten(timelines: Readonly<Record<string, readonly LeadSteps[]>>): StepLike[] {
  return Object.entries(timelines).flatMap(([lead, steps]) => steps.map((s) => ({ ...s, lead }) as StepLike));
}

/** Everything a run takes. */
export interface SimulationInput {
  /** One graph, or several (a move into another scenario needs its graph in the run). */
  graph?: GraphInput | Graph;
  graphs?: readonly (GraphInput | Graph)[];
  /** Product line settings by id (scoring, caps, quiet hours); a product line not given gets the defaults. */
  productLines?: Readonly<Record<string, ProductLineSettingsInput>>;
  leads: readonly SampleLead[];
  behaviour: Behaviour;
  /** The virtual clock runs from `start` for `days` (inclusive of the last instant). */
  start: string | number;
  days: number;
  seed?: number;
  /** Leads whose path the report shows step by step. */
  trace?: readonly string[];
  /** Mails per lead per week above which a warning is raised when no cap applies (default 3). */
  fatigueThreshold?: number;
  globalCaps?: EngineContext['globalCaps'];
  /** Called every few thousand leads and at the end. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Keep every enrollment's path and effects (replays and tests; small runs only). */
  collectRuns?: boolean;
  /** Write down every input the leads took, as a scripted timeline (`Simulation.timeline()`). */
  recordTimeline?: boolean;
}

/** What some of a run's leads added to its report, as plain (structured-cloneable) data. */
export interface SimulationPartial {
  collector: CollectorPartial;
  traces: LeadTrace[];
  personas: [string, number][];
  leads: number;
}

/** A run in progress: take leads a chunk at a time, then read the report. */
export class Simulation {
  readonly world: World;
  readonly start: number;
  readonly end: number;
  readonly seed: number;
  readonly total: number;
  private done = 0;
  private readonly leads: readonly SampleLead[];
  private readonly own: Map<string, Entry[]>;
  private readonly shared: Entry[];
  private readonly personas: Persona[] | null;
  private readonly arrival: Arrival | null;
  private readonly arrivalItem: Item | null;
  private readonly leadWorld: LeadWorld;
  private readonly collector: ReportCollector;
  private readonly tracer: Tracer;
  private readonly behaviour: PersonaBehaviour | null;
  private readonly runCollector: RunCollector | null;
  private readonly recorder: TimelineRecorder | null;
  private readonly personaCounts = new Map<string, number>();

  constructor(private readonly input: SimulationInput) {
    const issues = checkInput(input);
    if (issues.length > 0) throw new SimulationInputError(issues);
    const graphs = parseGraphs(input.graphs ?? (input.graph === undefined ? [] : [input.graph]));
    this.start = toMillis(input.start);
    this.end = this.start + Math.round(input.days * DAY);
    this.world = prepareWorld(graphs, input.productLines ?? {}, { start: this.start, end: this.end }, input.globalCaps);
    this.seed = input.seed ?? 1;
    this.leads = input.leads;
    this.total = input.leads.length;
    const ids = new Set<string>();
    const dupes: { path: string; message: string }[] = [];
    for (let i = 0; i < input.leads.length; i++) {
      const id = input.leads[i]!.id;
      if (ids.has(id)) dupes.push({ path: `leads[${i}].id`, message: `"${id}" is listed twice` });
      else ids.add(id);
    }
    (input.trace ?? []).forEach((id, i) => {
      if (!ids.has(id)) dupes.push({ path: `trace[${i}]`, message: `no lead "${id}" among the sample leads` });
    });
    if (dupes.length > 0) throw new SimulationInputError(dupes);

    let dynamicSeq: number;
    const behaviour = input.behaviour;
    const timeline = 'timeline' in behaviour ? behaviour.timeline : 'timelines' in behaviour ? flatten(behaviour.timelines) : null;
    if (timeline !== null) {
      const { own, shared } = timelineEntries(this.world, timeline, ids);
      this.own = own;
      this.shared = shared;
      this.personas = null;
      this.arrival = null;
      this.arrivalItem = null;
      dynamicSeq = timeline.length;
    } else {
      const personaBehaviour = behaviour as Extract<Behaviour, { arrival?: unknown }>;
      this.personas = parsePersonas(personaBehaviour.personas);
      const known = new Set(this.personas.map((p) => p.id));
      const unknown: { path: string; message: string }[] = [];
      for (let i = 0; i < input.leads.length; i++) {
        const l = input.leads[i]!;
        if (l.persona !== undefined && !known.has(l.persona)) unknown.push({ path: `leads[${i}].persona`, message: `no persona "${l.persona}"` });
      }
      if (unknown.length > 0) throw new SimulationInputError(unknown);
      this.arrival = arrivalSchema.parse(personaBehaviour.arrival ?? {});
      this.arrivalItem = arrivalItem(this.world, this.arrival);
      this.own = new Map();
      this.shared = scheduleEntries(this.world, this.start, this.end);
      dynamicSeq = this.shared.length + 1;
    }
    this.collector = new ReportCollector(this.world, this.start, this.end, input.fatigueThreshold ?? 3);
    this.tracer = new Tracer(new Set(input.trace ?? []));
    this.behaviour = this.personas === null ? null : new PersonaBehaviour();
    this.runCollector = input.collectRuns ? new RunCollector() : null;
    this.recorder = input.recordTimeline ? new TimelineRecorder() : null;
    const observers: Observer[] = [this.collector, this.tracer];
    if (this.behaviour) observers.push(this.behaviour);
    if (this.runCollector) observers.push(this.runCollector);
    if (this.recorder) observers.push(this.recorder);
    this.leadWorld = new LeadWorld(this.world, observers, dynamicSeq);
  }

  /** How many leads have run. */
  get ran(): number {
    return this.done;
  }

  /** True when every lead has run. */
  get finished(): boolean {
    return this.done >= this.total;
  }

  /** Runs up to `count` more leads; returns how many ran. */
  step(count: number): number {
    const stop = Math.min(this.total, this.done + count);
    const from = this.done;
    const entryGraph = this.arrival?.scenarioId === undefined ? this.world.graphs[0] : this.world.byScenario.get(this.arrival.scenarioId);
    const productLine = entryGraph?.productLine ?? '';
    // The loop only calls: a lead's work is a function of its own, optimised as a whole rather
    // than entered half-way through a long loop.
    for (let i = this.done; i < stop; i++) this.runLead(this.leads[i]!, productLine);
    this.done = stop;
    this.input.onProgress?.({ done: this.done, total: this.total });
    return stop - from;
  }

  private runLead(sample: SampleLead, productLine: string): void {
    const lead = toLeadView(sample, this.world);
    let own: readonly Entry[] = this.own.size === 0 ? NO_ENTRIES : (this.own.get(sample.id) ?? NO_ENTRIES);
    this.tracer.persona = null;
    if (this.personas !== null && this.behaviour !== null) {
      const random = leadRandom(this.seed, sample.id);
      const persona = drawPersona(this.personas, sample, lead, productLine, random);
      this.behaviour.persona = persona;
      this.behaviour.random = random;
      this.tracer.persona = persona.id;
      this.personaCounts.set(persona.id, (this.personaCounts.get(persona.id) ?? 0) + 1);
      const at = arrivalTime(this.start, this.arrival!, random.next());
      own = this.arrivalItem === null ? NO_ENTRIES : [{ at, seq: this.shared.length, item: this.arrivalItem }];
    }
    this.leadWorld.run(lead, own, this.shared, this.end);
  }

  /** Every enrollment's path and effects (with `collectRuns`). */
  runs(): { runs: EnrollmentRun[]; leads: RunCollector['leads'] } {
    if (this.runCollector === null) throw new Error('runs are kept only with collectRuns: true');
    return { runs: this.runCollector.runs, leads: this.runCollector.leads };
  }

  /** What the leads run so far added to the report, as plain data another thread can send. */
  partial(): SimulationPartial {
    return { collector: this.collector.partial(), traces: this.tracer.traces, personas: [...this.personaCounts], leads: this.done };
  }

  /**
   * Adds the share of a run that another Simulation of the same input took (a later, contiguous
   * range of the leads), so that after every share the report is the one a single run gives.
   */
  absorb(p: SimulationPartial): void {
    this.collector.absorb(p.collector);
    this.tracer.traces.push(...p.traces);
    for (const [id, n] of p.personas) this.personaCounts.set(id, (this.personaCounts.get(id) ?? 0) + n);
    this.done = Math.min(this.total, this.done + p.leads);
  }

  /** What the leads took, as a scripted timeline (with `recordTimeline`). */
  timeline(): RecordedStep[] {
    if (this.recorder === null) throw new Error('the timeline is kept only with recordTimeline: true');
    return this.recorder.timeline();
  }

  /** The report of the leads run so far. */
  report(): SimulationReport {
    const c = this.collector;
    return {
      format: 'nurtureflow.simulation',
      formatVersion: 1,
      seed: this.seed,
      start: new Date(this.start).toISOString(),
      end: new Date(this.end).toISOString(),
      days: this.input.days,
      behaviour: this.personas === null ? 'scripted' : 'personas',
      leads: this.done,
      personas: (this.personas ?? []).map((p) => ({ id: p.id, name: p.name ?? null, leads: this.personaCounts.get(p.id) ?? 0 })),
      scenarios: c.scenarioReports(),
      kpis: c.kpis(),
      hot: c.hot(),
      messages: c.messages(),
      fatigue: c.fatigue(),
      standings: c.standingReports(),
      traces: this.tracer.traces,
    };
  }
}

/** Leads per chunk between progress reports. */
const CHUNK = 2_000;

/** Runs a simulation to the end and returns its report. Same input and seed, same report. */
export function simulate(input: SimulationInput): SimulationReport {
  const sim = new Simulation(input);
  while (!sim.finished) sim.step(CHUNK);
  if (sim.total === 0) input.onProgress?.({ done: 0, total: 0 });
  return sim.report();
}

/** As `simulate`, giving the event loop a turn between chunks (a server, a progress bar, a worker's messages). */
export async function simulateAsync(input: SimulationInput): Promise<SimulationReport> {
  const sim = new Simulation(input);
  while (!sim.finished) {
    sim.step(CHUNK);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  if (sim.total === 0) input.onProgress?.({ done: 0, total: 0 });
  return sim.report();
}

function checkInput(input: SimulationInput): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (input.graph === undefined && (input.graphs === undefined || input.graphs.length === 0)) issues.push({ path: 'graph', message: 'give a graph (or graphs) to simulate' });
  if (input.graph !== undefined && input.graphs !== undefined) issues.push({ path: 'graphs', message: 'give graph or graphs, not both' });
  if (!Number.isFinite(toMillis(input.start))) issues.push({ path: 'start', message: 'is not a time' });
  if (!Number.isFinite(input.days) || input.days < 0 || input.days > 3650) issues.push({ path: 'days', message: 'must be a number of days from 0 to 3650' });
  if (input.seed !== undefined && !Number.isInteger(input.seed)) issues.push({ path: 'seed', message: 'must be a whole number' });
  return issues;
}
