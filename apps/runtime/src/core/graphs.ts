import { durationUpperBoundDays, graphSchema, upgrade, type Condition, type Graph } from '@nurtureflow/scenario';
import type { Db } from './bulk.ts';

const DAY = 86_400_000;
const byVersion = new Map<string, Graph>();

/** A published version's graph, parsed once per process: versions are immutable. */
export async function publishedGraphs(db: Db, keys: readonly { scenarioId: string; version: number }[]): Promise<Map<string, Graph>> {
  const out = new Map<string, Graph>();
  const missing: { scenarioId: string; version: number }[] = [];
  for (const k of keys) {
    const key = `${k.scenarioId}@${k.version}`;
    const g = byVersion.get(key);
    if (g) out.set(key, g);
    else if (!missing.some((m) => m.scenarioId === k.scenarioId && m.version === k.version)) missing.push(k);
  }
  if (missing.length > 0) {
    const rows = await db
      .selectFrom('scenario_versions')
      .select(['scenario_id', 'version', 'graph'])
      .where((eb) => eb.or(missing.map((m) => eb.and([eb('scenario_id', '=', m.scenarioId), eb('version', '=', m.version)]))))
      .execute();
    for (const row of rows) {
      const up = upgrade(row.graph);
      if (!up.ok) throw new Error(`published version ${row.scenario_id}@${row.version} cannot be read: ${up.problems[0]?.message.en}`);
      const graph = graphSchema.parse(up.graph);
      const key = `${row.scenario_id}@${row.version}`;
      byVersion.set(key, graph);
      out.set(key, graph);
    }
  }
  return out;
}

/** Key of a version in the map publishedGraphs returns. */
export function versionKey(scenarioId: string, version: number): string {
  return `${scenarioId}@${version}`;
}

/** The active scenarios' current published graphs, optionally of some product lines only. */
export async function activeGraphs(db: Db, productLines: readonly string[] | null = null): Promise<Graph[]> {
  let q = db.selectFrom('scenarios').select(['id', 'published_version']).where('status', '=', 'active').where('published_version', 'is not', null);
  if (productLines) q = q.where('product_line', 'in', productLines.length ? [...productLines] : ['']);
  const rows = await q.execute();
  const graphs = await publishedGraphs(db, rows.map((r) => ({ scenarioId: r.id, version: r.published_version! })));
  return rows.map((r) => graphs.get(versionKey(r.id, r.published_version!))!).filter(Boolean);
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
  let window = 0;
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if (c.type === 'event') window = Math.max(window, durationUpperBoundDays(c.within) * DAY);
  };
  if (graph.entry.audience) visit(graph.entry.audience);
  for (const g of graph.goals) visit(g.condition);
  let mails = false;
  for (const node of Object.values(graph.nodes)) {
    if (node.kind === 'branch') for (const c of node.cases) visit(c.condition);
    if (node.kind === 'trigger' && node.trigger.type === 'segment') visit(node.trigger.condition);
    if (node.kind === 'trigger' && node.trigger.type === 'schedule' && node.trigger.condition) visit(node.trigger.condition);
    if (node.kind === 'email') mails = true;
  }
  const caps = graph.settings.frequencyCaps;
  needs = {
    eventWindowMs: window > 0 ? window : null,
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
