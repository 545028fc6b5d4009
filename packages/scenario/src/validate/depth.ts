// How deep a JSON value nests, found without recursion: the schema readers (zod, and every walk
// over conditions) recurse once per level, so a document nested ten thousand levels deep would
// overflow the stack instead of being refused with a problem.
import type { Problem } from '../problems.ts';
import { dotted, problem } from './problem.ts';

/** The deepest nesting a scenario document may have: far past any drawn condition. */
export const MAX_DOCUMENT_DEPTH = 64;

/**
 * The path of the first object or array nested deeper than `maxDepth` levels (the value itself is
 * level 1), or null when the whole value is shallower. Walks iteratively, so any depth is safe.
 */
export function nestedTooDeep(value: unknown, maxDepth: number): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= maxDepth) return path;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    else for (const key of Object.keys(v).reverse()) stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
  }
  return null;
}

/** SCN001 at the field where a document nests deeper than MAX_DOCUMENT_DEPTH, else null. */
export function depthProblem(input: unknown): Problem | null {
  const path = nestedTooDeep(input, MAX_DOCUMENT_DEPTH);
  if (path === null) return null;
  // Inside a node of a graph, the problem is that node's.
  const inNode = path[0] === 'nodes' && typeof path[1] === 'string';
  const nodeId = inNode ? (path[1] as string) : null;
  const field = dotted(inNode ? path.slice(2) : path);
  return problem(
    'SCN001', 'error', nodeId, field,
    `In ${nodeId === null ? 'the scenario' : `node "${nodeId}"`}, ${field} is nested more than ${MAX_DOCUMENT_DEPTH} levels deep; simplify it.`,
    `${nodeId === null ? 'シナリオ' : `ノード「${nodeId}」`}の ${field} は ${MAX_DOCUMENT_DEPTH} 階層より深く入れ子になっています。単純にしてください。`,
  );
}
