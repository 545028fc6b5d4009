import { durationUpperBoundDays, type Condition, type Graph } from '@nurtureflow/scenario';

const DAY = 86_400_000;
const cache = new WeakMap<Graph, number | null>();

/**
 * How far back (ms) the graph's event conditions look — audience, exit goals, branch cases,
 * segment and schedule triggers — or null when none does: a caller building lead views loads that
 * much event history and no more.
 */
export function eventLookBack(graph: Graph): number | null {
  if (cache.has(graph)) return cache.get(graph)!;
  let window = 0;
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if (c.type === 'event') window = Math.max(window, durationUpperBoundDays(c.within) * DAY);
  };
  if (graph.entry.audience) visit(graph.entry.audience);
  for (const g of graph.goals) visit(g.condition);
  for (const node of Object.values(graph.nodes)) {
    if (node.kind === 'branch') for (const c of node.cases) visit(c.condition);
    if (node.kind === 'trigger' && node.trigger.type === 'segment') visit(node.trigger.condition);
    if (node.kind === 'trigger' && node.trigger.type === 'schedule' && node.trigger.condition) visit(node.trigger.condition);
  }
  const result = window > 0 ? window : null;
  cache.set(graph, result);
  return result;
}
