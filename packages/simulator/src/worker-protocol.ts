// What a web worker running simulations says and hears, so the editor's panel needs only:
//   worker.ts:  serveSimulations(self)
//   panel:      worker.postMessage({ type: 'simulate', id, input }) → 'progress'… then 'report' or 'error'
// Runs are taken one at a time; a newer request does not interrupt the one under way.
import { SimulationInputError, type InputIssue } from './run/timeline.ts';
import type { SimulationReport } from './report/types.ts';
import { Simulation, type SimulationInput } from './simulate.ts';
import { InvalidGraphError } from './world/prepare.ts';
import { ScenarioFileError } from './scenario-file.ts';

/** A request to the worker. */
export type SimulationRequest = { type: 'simulate'; id: number; input: Omit<SimulationInput, 'onProgress'> };

/** What the worker answers: progress as leads run, then the report or what was wrong. */
export type SimulationResponse =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'report'; id: number; report: SimulationReport; elapsedMs: number }
  | { type: 'error'; id: number; message: string; issues: InputIssue[] };

/** The part of a worker's global scope this needs. */
export interface WorkerScope {
  postMessage(message: SimulationResponse): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}

/** Leads per chunk between progress messages. */
const CHUNK = 2_000;

/** Answers one request: progress after each chunk of leads, then the report (or the error, with its issues). */
export function answer(request: SimulationRequest, post: (m: SimulationResponse) => void, now: () => number = () => Date.now()): void {
  const started = now();
  try {
    const sim = new Simulation(request.input);
    while (!sim.finished) {
      sim.step(CHUNK);
      post({ type: 'progress', id: request.id, done: sim.ran, total: sim.total });
    }
    post({ type: 'report', id: request.id, report: sim.report(), elapsedMs: now() - started });
  } catch (e) {
    const issues: InputIssue[] =
      e instanceof SimulationInputError
        ? e.issues
        : e instanceof InvalidGraphError || e instanceof ScenarioFileError
          ? e.problems.map((p) => ({ path: [p.nodeId === null ? '' : `nodes.${p.nodeId}`, p.field].filter(Boolean).join('.') || '(root)', message: `${p.code}: ${p.message.en}` }))
          : [];
    post({ type: 'error', id: request.id, message: e instanceof Error ? e.message : String(e), issues });
  }
}

/** Makes a worker scope answer simulation requests. */
export function serveSimulations(scope: WorkerScope): void {
  scope.addEventListener('message', (e) => {
    const data = e.data as Partial<SimulationRequest> | null;
    if (data?.type === 'simulate' && typeof data.id === 'number' && data.input !== undefined) answer(data as SimulationRequest, (m) => scope.postMessage(m));
  });
}
