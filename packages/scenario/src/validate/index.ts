import { graphSchema, type Graph } from '../graph.ts';
import type { Problem } from '../problems.ts';
import { checkBranches } from './branch.ts';
import type { Check, References } from './context.ts';
import { checkLoops, checkReachability } from './flow.ts';
import { checkGoals } from './goals.ts';
import { checkHorizon } from './horizon.ts';
import { checkOutputs } from './outputs.ts';
import { readDocument } from './parse.ts';
import { sortProblems } from './problem.ts';
import { checkReferences } from './references.ts';
import { checkSplits } from './split.ts';
import { parseParams, schemaProblems } from './zod-issues.ts';

export type { References } from './context.ts';
export { neverMatches, alwaysMatches } from './satisfiable.ts';
export { MAX_DOCUMENT_DEPTH, nestedTooDeep } from './depth.ts';

const CHECKS: readonly Check[] = [
  checkOutputs,
  checkReachability,
  checkLoops,
  checkReferences,
  checkBranches,
  checkSplits,
  checkGoals,
  checkHorizon,
];

/** Every problem of a scenario document, in a fixed order; references are checked only when given. */
export function validate(input: unknown, refs: References = {}): Problem[] {
  const read = readDocument(input, refs);
  if (!read.ok) return sortProblems(read.problems);
  const problems = [...read.problems];
  for (const check of CHECKS) problems.push(...check(read.ctx));
  return sortProblems(problems);
}

/** The typed graph, with defaults filled in, when the document matches the format (structure is `validate`'s job). */
export function parseGraph(input: unknown): { ok: true; graph: Graph } | { ok: false; problems: Problem[] } {
  const read = readDocument(input);
  if (!read.ok || read.problems.length > 0) return { ok: false, problems: sortProblems(read.problems) };
  const parsed = graphSchema.safeParse(input, parseParams);
  if (!parsed.success) return { ok: false, problems: sortProblems(schemaProblems(parsed.error.issues, null)) };
  return { ok: true, graph: parsed.data };
}

/** True when any problem is an error (errors block publishing; warnings do not). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
