// Publishing turns the draft into the next immutable version. Running enrollments stay on the version
// they entered unless the publisher moves them; a moved enrollment keeps its node, so only those whose
// node id still exists in the new graph can move.
import type { DB } from '@nurtureflow/db';
import { diffNodes, parseGraph, type Problem } from '@nurtureflow/scenario';
import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { ApiError, problemIssues } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { checkDocument } from './draft-document.ts';
import { archivedConflict, lockScenario, summary, type ScenarioSummary } from './scenarios.ts';

/** What publishing did. */
export interface PublishResult {
  scenario: ScenarioSummary;
  version: number;
  note: string;
  publishedAt: string;
  /** Warnings of the published graph (errors block publishing). */
  problems: Problem[];
  /** Running enrollments of older versions moved to this one. */
  moved: number;
  /** Running enrollments left on older versions (not asked to move, or their node is gone). */
  stayed: number;
}

/**
 * Publishes the stored draft as the next version and makes the scenario active, all in one
 * transaction. 422 listing every error when the draft has errors; 409 when the scenario is archived.
 * The audit log records who published it with the nodes added, removed and changed against the
 * version that was published before.
 */
export async function publishScenario(
  rt: Runtime,
  id: string,
  options: { note: string; moveEnrollments: boolean },
  actor: string,
): Promise<PublishResult> {
  const at = new Date(rt.clock.now());
  return rt.db.transaction().execute(async (trx) => {
    const row = await lockScenario(trx, id);
    if (row.status === 'archived') throw archivedConflict(id);
    const checked = await checkDocument(trx, row, row.draft);
    const errors = checked.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0 || checked.graph === null) {
      throw new ApiError(422, 'invalid_scenario', `the draft has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix them before publishing`, problemIssues(errors));
    }
    const parsed = parseGraph(checked.graph);
    if (!parsed.ok) throw new ApiError(422, 'invalid_scenario', 'the draft does not match the scenario format', problemIssues(parsed.problems));

    const latest = await trx
      .selectFrom('scenario_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('scenario_id', '=', id)
      .executeTakeFirst();
    const version = Number(latest?.v ?? 0) + 1;
    const graph = { ...parsed.graph, scenarioId: id, productLine: row.product_line, version };
    await trx.insertInto('scenario_versions').values({ scenario_id: id, version, graph, note: options.note, published_at: at }).execute();
    const updated = await trx
      .updateTable('scenarios')
      .set({ status: 'active', published_version: version, updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();

    const moved = options.moveEnrollments ? await moveRunningEnrollments(trx, id, version, Object.keys(graph.nodes), at) : 0;
    const stayed = await countRunningBefore(trx, id, version);
    const previous = row.published_version === null ? undefined : await trx.selectFrom('scenario_versions').select('graph').where('scenario_id', '=', id).where('version', '=', row.published_version).executeTakeFirst();
    const before = previous && typeof previous.graph['nodes'] === 'object' && previous.graph['nodes'] !== null ? (previous.graph['nodes'] as Record<string, unknown>) : {};
    await recordAudit(trx, {
      productLine: row.product_line,
      actor,
      action: 'scenario.published',
      objectKind: 'scenario',
      objectId: id,
      at,
      details: { version, previousVersion: row.published_version, note: options.note, ...diffNodes(before, graph.nodes), moveEnrollments: options.moveEnrollments, moved, stayed },
    });
    return {
      scenario: summary(updated),
      version,
      note: options.note,
      publishedAt: at.toISOString(),
      problems: checked.problems,
      moved,
      stayed,
    };
  });
}

/**
 * Moves running enrollments (active or waiting) of older versions whose node exists in the new graph:
 * the row's version and the state's, in one statement. The update locks each row, so a worker that
 * holds a row for a step finishes that step first.
 */
async function moveRunningEnrollments(db: Kysely<DB>, scenarioId: string, version: number, nodeIds: readonly string[], at: Date): Promise<number> {
  if (nodeIds.length === 0) return 0;
  const result = await db
    .updateTable('enrollments')
    .set({
      version,
      state: sql`jsonb_set(state, '{version}', to_jsonb(${sql.lit(version)}::int))`,
      updated_at: at,
    })
    .where('scenario_id', '=', scenarioId)
    .where('status', 'in', ['active', 'waiting'])
    .where('version', '<', version)
    .where('node_id', 'in', [...nodeIds])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

async function countRunningBefore(db: Kysely<DB>, scenarioId: string, version: number): Promise<number> {
  const row = await db
    .selectFrom('enrollments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scenario_id', '=', scenarioId)
    .where('status', 'in', ['active', 'waiting'])
    .where('version', '<', version)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
