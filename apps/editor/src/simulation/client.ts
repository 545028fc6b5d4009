// The panel's side of the simulation worker: requests as promises, progress as a callback, and
// cancel — the worker is ended at once (a run is one long computation with no pause to hear a
// message in) and a new one started for the next request, its leads made or read again.
import type { InputIssue, SimulationReport } from '@nurtureflow/simulator';
import { sourceKey, type LeadRow, type LeadSource, type RunInput, type WorkerRequest, type WorkerResponse } from './protocol.ts';

/** What the client needs of a worker: a browser `Worker`, or a scope pair in a test. */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  terminate(): void;
}

/** The run was cancelled. */
export class SimulationCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** The worker refused the run: what was wrong, naming node and field. */
export class SimulationFailed extends Error {
  constructor(
    message: string,
    readonly issues: InputIssue[],
  ) {
    super(message);
  }
}

/** Sample leads as the worker holds them. */
export interface LeadsLoaded {
  key: string;
  count: number;
  errors: { row: number; field: string; message: string }[];
  encoding: string | null;
}

/** A run's report, how long the worker took and the time from posting the run to the report. */
export interface RunResult {
  report: SimulationReport;
  elapsedMs: number;
  wallMs: number;
}

/** The name of the performance measure of every full run (posting the run → the report in hand). */
export const RUN_MEASURE = 'nurtureflow.simulation.run';

interface Pending {
  resolve(m: WorkerResponse): void;
  reject(e: Error): void;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Talks to one simulation worker at a time, starting it when first needed. */
export class SimulationClient {
  private worker: WorkerLike | null = null;
  private loaded: LeadsLoaded | null = null;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly spawn: () => WorkerLike) {}

  private get current(): WorkerLike {
    if (this.worker === null) {
      const w = this.spawn();
      w.addEventListener('message', (e) => this.receive(w, e.data as WorkerResponse));
      this.worker = w;
    }
    return this.worker;
  }

  private receive(from: WorkerLike, m: WorkerResponse): void {
    if (from !== this.worker) return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') return p.onProgress?.(m.done, m.total);
    this.pending.delete(m.id);
    if (m.type === 'error') p.reject(new SimulationFailed(m.message, m.issues));
    else p.resolve(m);
  }

  private request(build: (id: number) => WorkerRequest, onProgress?: (done: number, total: number) => void): Promise<WorkerResponse> {
    const id = this.next++;
    const worker = this.current;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      worker.postMessage(build(id));
    });
  }

  /** Makes or reads the sample leads in the worker, unless it holds these already. */
  async leads(source: LeadSource): Promise<LeadsLoaded> {
    const key = sourceKey(source);
    if (this.loaded?.key === key && this.worker !== null) return this.loaded;
    this.loaded = null;
    const m = await this.request((id) => ({ type: 'leads', id, source }));
    if (m.type !== 'leads') throw new Error(`unexpected answer ${m.type}`);
    this.loaded = { key, count: m.count, errors: m.errors, encoding: m.encoding };
    return this.loaded;
  }

  /** Runs the simulation over the leads held (or only some of them, for a replay). */
  async run(input: RunInput, options: { onProgress?: (done: number, total: number) => void; only?: readonly string[] } = {}): Promise<RunResult> {
    const measured = options.only === undefined;
    const start = performance.now();
    const startMark = measured ? performance.mark(`${RUN_MEASURE}.start`) : null;
    const m = await this.request((id) => ({ type: 'run', id, input, ...(options.only ? { only: options.only } : {}) }), options.onProgress);
    if (m.type !== 'report') throw new Error(`unexpected answer ${m.type}`);
    if (startMark) performance.measure(RUN_MEASURE, { start: startMark.startTime });
    return { report: m.report, elapsedMs: m.elapsedMs, wallMs: performance.now() - start };
  }

  /** Leads whose id, name, company or e-mail contain the query (all when it is empty). */
  async search(query: string, limit = 50): Promise<{ leads: LeadRow[]; total: number }> {
    const m = await this.request((id) => ({ type: 'search', id, query, limit }));
    if (m.type !== 'found') throw new Error(`unexpected answer ${m.type}`);
    return { leads: m.leads, total: m.total };
  }

  /** True while a request is under way. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Ends the worker and whatever it was doing; pending requests fail with SimulationCancelled. */
  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    this.loaded = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new SimulationCancelled());
  }

  /** Ends the worker for good (the editor closed). */
  dispose(): void {
    this.cancel();
  }
}
