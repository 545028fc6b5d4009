import { eventLookBack } from '@nurtureflow/engine';
import type { Graph } from '@nurtureflow/scenario';
import { activeScenarios, loadPublishedGraph } from '../scenarios/published-graph.ts';
import type { Db } from './bulk.ts';

const DAY = 86_400_000;

/**
 * Published versions' graphs by `versionKey`, from the per-database cache of parsed versions. A
 * version that cannot be read is left out (and logged), so it cannot stall a whole batch: the
 * caller ends its enrollments with the reason.
 */
export async function publishedGraphs(db: Db, keys: readonly { scenarioId: string; version: number }[]): Promise<Map<string, Graph>> {
  const unique = new Map(keys.map((k) => [versionKey(k.scenarioId, k.version), k]));
  const graphs = await Promise.all(
    [...unique].map(async ([key, k]) => {
      try {
        return [[key, await loadPublishedGraph(db, k.scenarioId, k.version)] as const];
      } catch (e) {
        console.error(`scenario ${k.scenarioId} version ${k.version} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    }),
  );
  return new Map(graphs.flat());
}

/** Key of a version in the map publishedGraphs returns. */
export function versionKey(scenarioId: string, version: number): string {
  return `${scenarioId}@${version}`;
}

/** The active scenarios' current published graphs, optionally of some product lines only. */
export async function activeGraphs(db: Db, productLines: readonly string[] | null = null): Promise<Graph[]> {
  return (await activeScenarios(db, productLines)).map((s) => s.graph);
}

/** What a graph needs to see of a lead's past: how far back its event conditions look, and whether it counts messages. */
export interface GraphNeeds {
  eventWindowMs: number | null;
  messageWindowMs: number | null;
}

const needsCache = new WeakMap<Graph, GraphNeeds>();

/**
 * The look-back windows a graph's conditions and caps need, so lead views load no more than that.
 * `productLineCaps` says the product line caps messages too.
 */
export function needsOf(graph: Graph, productLineCaps = false): GraphNeeds {
  let needs = needsCache.get(graph);
  if (needs) return productLineCaps && needs.messageWindowMs === null && hasMail(graph) ? { ...needs, messageWindowMs: 7 * DAY } : needs;
  const mails = hasMail(graph);
  const caps = graph.settings.frequencyCaps;
  needs = {
    eventWindowMs: eventLookBack(graph),
    messageWindowMs: mails && (caps.perWeek !== undefined || caps.perDay !== undefined) ? 7 * DAY : null,
  };
  needsCache.set(graph, needs);
  return productLineCaps && needs.messageWindowMs === null && mails ? { ...needs, messageWindowMs: 7 * DAY } : needs;
}

function hasMail(graph: Graph): boolean {
  return Object.values(graph.nodes).some((n) => n.kind === 'email');
}

/** The widest needs of several graphs. */
export function widest(needs: readonly GraphNeeds[]): GraphNeeds {
  const max = (xs: (number | null)[]) => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);
  return { eventWindowMs: max(needs.map((n) => n.eventWindowMs)), messageWindowMs: max(needs.map((n) => n.messageWindowMs)) };
}
