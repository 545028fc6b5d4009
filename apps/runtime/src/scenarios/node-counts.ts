// How many leads are at each node of a scenario now, how many reached it so far, and how many
// enrollments ended there — what the canvas shows on a published scenario. "Now" and "ended" come
// from the enrollments; "passed" from their history, where every node a lead reached has a row (a
// wait begun, a mail sent, a case matched), so a lead is counted at a node once it has been there.
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';

/** One node's counts. */
export interface NodeCount {
  nodeId: string;
  /** Enrollments at the node now (active or waiting). */
  now: number;
  /** Leads that have reached the node, each counted once (those there now included). */
  passed: number;
  /** Enrollments that ended at the node (completed, exited or failed). */
  ended: number;
}

const RUNNING = new Set(['active', 'waiting']);

// Counting what a big scenario's leads reached reads all of their history (a second or more at
// 100,000 enrollments); every open editor asks every few seconds. A request that arrives while the
// same count is being made shares it rather than starting another.
const inFlight = new WeakMap<Kysely<DB>, Map<string, Promise<NodeCount[]>>>();

/**
 * The counts of every node any lead has reached, by node id, of one published version or (without
 * `version`) of all of them: node ids a new version keeps are the same node.
 */
export function nodeCounts(db: Kysely<DB>, scenarioId: string, version?: number): Promise<NodeCount[]> {
  let running = inFlight.get(db);
  if (!running) inFlight.set(db, (running = new Map()));
  const key = `${scenarioId}\u0000${version ?? ''}`;
  const shared = running.get(key);
  if (shared) return shared;
  const counting = countNodes(db, scenarioId, version).finally(() => running.delete(key));
  running.set(key, counting);
  return counting;
}

async function countNodes(db: Kysely<DB>, scenarioId: string, version: number | undefined): Promise<NodeCount[]> {
  let here = db
    .selectFrom('enrollments')
    .select(['node_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('scenario_id', '=', scenarioId)
    .where('node_id', 'is not', null)
    .groupBy(['node_id', 'status']);
  // The scenario's enrollments through their index, then each one's history rows through the
  // history's primary key (lead, enrollment, seq): no index of its own on the hot history table.
  let reached = db
    .selectFrom('enrollments as e')
    .innerJoin('enrollment_history as h', (join) => join.onRef('h.lead_id', '=', 'e.lead_id').onRef('h.enrollment_id', '=', 'e.id'))
    .select(['h.node_id', (eb) => eb.fn.count<string>('h.lead_id').distinct().as('n')])
    .where('e.scenario_id', '=', scenarioId)
    .where('h.node_id', 'is not', null)
    .groupBy('h.node_id');
  if (version !== undefined) {
    here = here.where('version', '=', version);
    reached = reached.where('e.version', '=', version);
  }
  const [rows, passed] = await Promise.all([here.execute(), reached.execute()]);
  const counts = new Map<string, NodeCount>();
  const of = (nodeId: string) => {
    let c = counts.get(nodeId);
    if (!c) counts.set(nodeId, (c = { nodeId, now: 0, passed: 0, ended: 0 }));
    return c;
  };
  for (const r of rows) {
    if (r.node_id === null) continue;
    if (RUNNING.has(r.status)) of(r.node_id).now += Number(r.n);
    else of(r.node_id).ended += Number(r.n);
  }
  for (const r of passed) if (r.node_id !== null) of(r.node_id).passed = Number(r.n);
  return [...counts.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
}
