import { FORMAT, FORMAT_VERSION, type GraphInput } from '../graph.ts';
import type { Problem } from '../problems.ts';
import { depthProblem } from '../validate/depth.ts';
import { formatProblem } from '../validate/parse.ts';
import { upgradeV0, type StepResult } from './v0.ts';

export { durationFromV0, upgradeV0, type DurationV0, type GraphV0, type NodeV0 } from './v0.ts';

/** One step per old version, each taking a document to the next version. */
const STEPS: Record<number, (doc: Record<string, unknown>) => StepResult> = {
  0: upgradeV0,
};

/** The oldest format version `upgrade` still reads. */
export const OLDEST_FORMAT_VERSION = 0;

/**
 * Bring a document of any supported format version to the current one, step by step. The result
 * is shaped like the current version but not yet checked: run `validate` or `parseGraph` on it.
 * A current document is returned as it is.
 */
export function upgrade(doc: unknown): { ok: true; graph: GraphInput; from: number } | { ok: false; problems: Problem[] } {
  const record = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  const from = record?.formatVersion;
  if (record === null || record.format !== FORMAT || typeof from !== 'number' || !Number.isInteger(from) || from < OLDEST_FORMAT_VERSION || from > FORMAT_VERSION) {
    // Not a current document either, so formatProblem names what is wrong.
    return { ok: false, problems: [formatProblem(doc) as Problem] };
  }
  // Upgrade steps walk conditions recursively: a document nested past any drawing is refused first.
  const deep = depthProblem(doc);
  if (deep) return { ok: false, problems: [deep] };
  let current = record;
  for (let v = from; v < FORMAT_VERSION; v++) {
    const step = STEPS[v];
    if (!step) throw new Error(`no upgrade step from format version ${v}`);
    const r = step(current);
    if (!r.ok) return r;
    current = r.doc;
  }
  return { ok: true, graph: current as GraphInput, from };
}
