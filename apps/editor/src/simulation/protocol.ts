// What the editor's simulation worker hears and says. Sample leads are made or read once in the
// worker and kept there, so a run, a replay of one lead and a search of the list send no leads
// across; runs and their answers are the simulator's own protocol (`SimulationResponse`).
import type { RowError, SimulationInput, SimulationResponse } from '@nurtureflow/simulator';

/** Where the sample leads come from: made up from a seed, or a file the marketer chose. */
export type LeadSource =
  | { kind: 'generate'; count: number; seed: number; ja: number; en: number; productLine: string }
  | { kind: 'file'; name: string; bytes: ArrayBuffer };

/** A lead as the replay's list shows it. */
export interface LeadRow {
  id: string;
  name: string | null;
  company: string | null;
  email: string | null;
}

/** The run's settings without the leads, which the worker holds. */
export type RunInput = Omit<SimulationInput, 'leads' | 'onProgress'>;

/** A request to the editor's worker. */
export type WorkerRequest =
  | { type: 'leads'; id: number; source: LeadSource }
  | { type: 'run'; id: number; input: RunInput; only?: readonly string[] }
  | { type: 'search'; id: number; query: string; limit: number };

/** An answer from the editor's worker. */
export type WorkerResponse =
  | SimulationResponse
  | { type: 'leads'; id: number; count: number; errors: RowError[]; encoding: string | null }
  | { type: 'found'; id: number; leads: LeadRow[]; total: number };

/** The key of a lead source: the same key, the same leads (a file by its name, size and bytes' hash). */
export function sourceKey(source: LeadSource): string {
  if (source.kind === 'generate') return `generate:${source.count}:${source.seed}:${source.ja}:${source.en}:${source.productLine}`;
  const bytes = new Uint8Array(source.bytes);
  // FNV-1a over the bytes: a cheap fingerprint, enough to tell two files apart.
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return `file:${source.name}:${bytes.length}:${(h >>> 0).toString(16)}`;
}
