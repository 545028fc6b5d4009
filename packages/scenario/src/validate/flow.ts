import type { Problem } from '../problems.ts';
import type { ValidationContext } from './context.ts';
import { edgesOf, isTrigger, stronglyConnected, waitsAt, type Edge } from './graph-walk.ts';
import { capitalize, nodeLabel, problem } from './problem.ts';

function nameOf(ctx: ValidationContext, id: string): string | undefined {
  return ctx.nodes.get(id)?.name;
}

/** SCN002 no trigger, SCN006 a node no trigger leads to. */
export function checkReachability(ctx: ValidationContext): Problem[] {
  const triggers = ctx.ids.filter((id) => isTrigger(ctx, id));
  if (triggers.length === 0) {
    return [problem('SCN002', 'error', null, 'nodes',
      'The scenario has no trigger, so no lead can ever enter it. Add a trigger node.',
      'トリガーがないため、リードがこのシナリオに入ることはありません。トリガーノードを追加してください。')];
  }
  const edges = edgesOf(ctx);
  const reached = new Set<string>(triggers);
  const queue = [...triggers];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const e of edges.get(id) ?? []) {
      if (!reached.has(e.to)) {
        reached.add(e.to);
        queue.push(e.to);
      }
    }
  }
  const problems: Problem[] = [];
  for (const id of ctx.ids) {
    if (reached.has(id)) continue;
    const who = nodeLabel(id, nameOf(ctx, id));
    problems.push(problem('SCN006', 'error', id, '',
      `No trigger leads to ${who.en}, so no lead will ever reach it. Connect it, or delete it.`,
      `どのトリガーからも${who.ja}にたどり着けないため、このノードにリードが来ることはありません。接続するか削除してください。`));
  }
  return problems;
}

// A shortest cycle through `start` inside one component, as the list of connections taken.
function cycleThrough(start: string, members: ReadonlySet<string>, edges: ReadonlyMap<string, readonly Edge[]>): Edge[] {
  const via = new Map<string, Edge>();
  const queue = [start];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const e of edges.get(id) ?? []) {
      if (!members.has(e.to)) continue;
      if (e.to === start) {
        const path = [e];
        let at = id;
        while (at !== start) {
          const step = via.get(at) as Edge;
          path.unshift(step);
          at = step.from;
        }
        return path;
      }
      if (!seen.has(e.to)) {
        seen.add(e.to);
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  return [];
}

/**
 * SCN007: a loop a lead could go round without ever waiting. Every cycle with no waiting node lies
 * inside one strongly connected component of the graph without its waiting nodes; each such
 * component is reported once, on its first node by id, with one such loop spelled out.
 */
export function checkLoops(ctx: ValidationContext): Problem[] {
  const edges = edgesOf(ctx);
  const problems: Problem[] = [];
  for (const component of stronglyConnected(ctx.ids, edges, (id) => !waitsAt(ctx, id))) {
    const members = new Set(component);
    const start = [...component].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[0] as string;
    const loop = cycleThrough(start, members, edges);
    if (loop.length === 0) continue;
    const first = loop[0] as Edge;
    const path = [start, ...loop.map((e) => e.to)].join(' → ');
    const who = nodeLabel(start, nameOf(ctx, start));
    problems.push(problem('SCN007', 'error', start, `outputs.${first.output}`,
      `${capitalize(who.en)} is on a loop with no wait (${path}): a lead would go round it without end. Add a wait or a wait-for-event node to the loop.`,
      `${who.ja}が待ち時間のないループ（${path}）上にあります。リードが際限なく周回してしまうため、ループ内にウェイトかイベント待ちノードを入れてください。`));
  }
  return problems;
}
