// Published versions are immutable, so each is read, upgraded and parsed once per database and then
// served from memory: the worker asks for a graph on every batch.
import type { DB } from '@nurtureflow/db';
import { graphSchema, upgrade, type Graph } from '@nurtureflow/scenario';
import type { Kysely } from 'kysely';
import { ApiError } from '../errors.ts';

// Keyed by the database's dialect adapter: one object per Kysely instance that its transactions
// share, so a graph loaded inside a transaction serves the whole process, and two databases in one
// process (the tests run PGlite and Postgres side by side) never see each other's graphs.
const caches = new WeakMap<object, Map<string, Promise<Graph>>>();

function cacheOf(db: Kysely<DB>): Map<string, Promise<Graph>> {
  const key = db.getExecutor().adapter;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new Map()));
  return cache;
}

/** 404 for a scenario version that does not exist. */
export function versionNotFound(scenarioId: string, version: number): ApiError {
  return new ApiError(404, 'not_found', `scenario "${scenarioId}" has no version ${version}`);
}

/** A stored graph as the current format: upgraded from its format version, then parsed with defaults. */
export function readStoredGraph(scenarioId: string, version: number, stored: unknown): Graph {
  const upgraded = upgrade(stored);
  if (!upgraded.ok) throw new Error(`scenario "${scenarioId}" version ${version}: stored graph cannot be upgraded: ${upgraded.problems.map((p) => p.message.en).join('; ')}`);
  return graphSchema.parse(upgraded.graph);
}

/** The parsed graph of a published version, cached (versions never change); 404 when there is none. */
export function loadPublishedGraph(db: Kysely<DB>, scenarioId: string, version: number): Promise<Graph> {
  const cache = cacheOf(db);
  const key = `${scenarioId}\u0000${version}`;
  let graph = cache.get(key);
  if (!graph) {
    graph = (async () => {
      const row = await db
        .selectFrom('scenario_versions')
        .select('graph')
        .where('scenario_id', '=', scenarioId)
        .where('version', '=', version)
        .executeTakeFirst();
      if (!row) throw versionNotFound(scenarioId, version);
      return readStoredGraph(scenarioId, version, row.graph);
    })();
    cache.set(key, graph);
    // A failure is not cached: the version may be published a moment later.
    graph.catch(() => cache.delete(key));
  }
  return graph;
}

/** An active scenario and the graph of its published version. */
export interface ActiveScenario {
  id: string;
  productLine: string;
  name: string;
  version: number;
  graph: Graph;
}

/**
 * The scenarios that may enrol and advance leads now — status `active`, the single rule — with their
 * published graphs, optionally only of some product lines (null or absent: all, as in
 * `Runtime.productLines`); by id.
 */
export async function activeScenarios(db: Kysely<DB>, productLines?: readonly string[] | null): Promise<ActiveScenario[]> {
  if (productLines === null) productLines = undefined;
  if (productLines !== undefined && productLines.length === 0) return [];
  let query = db
    .selectFrom('scenarios')
    .select(['id', 'product_line', 'name', 'published_version'])
    .where('status', '=', 'active')
    .where('published_version', 'is not', null)
    .orderBy('id');
  if (productLines !== undefined) query = query.where('product_line', 'in', [...productLines]);
  const rows = await query.execute();
  return Promise.all(
    rows.map(async (row) => {
      const version = row.published_version as number;
      return { id: row.id, productLine: row.product_line, name: row.name, version, graph: await loadPublishedGraph(db, row.id, version) };
    }),
  );
}
