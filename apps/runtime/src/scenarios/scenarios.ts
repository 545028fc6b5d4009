// Scenarios: a product line's journey, its draft in any state, and its status. Publishing,
// versions and status changes live beside this file; this one holds the scenario row itself.
import type { DB, JsonObject, ScenarioStatus } from '@nurtureflow/db';
import type { EnrollmentStatus } from '@nurtureflow/engine';
import { FORMAT, FORMAT_VERSION } from '@nurtureflow/scenario';
import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, recordDraftSave } from '../audit/index.ts';
import { ApiError, conflict, notFound } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { checkDocument, type CheckedDocument } from './draft-document.ts';
import { newScenarioId } from './scenario-ids.ts';

/** A scenario without its draft, as lists show it. */
export interface ScenarioSummary {
  id: string;
  productLine: string;
  name: string;
  status: ScenarioStatus;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Enrollments of a scenario (all versions) by status, and their total. */
export type EnrollmentCounts = Record<EnrollmentStatus, number> & { total: number };

/** A scenario with its draft and how many leads are in it. */
export interface ScenarioDetail extends ScenarioSummary {
  draft: JsonObject;
  enrollments: EnrollmentCounts;
}

export type ScenarioRow = Selectable<DB['scenarios']>;

const ENROLLMENT_STATUSES: readonly EnrollmentStatus[] = ['active', 'waiting', 'completed', 'exited', 'failed'];

/** The summary of a scenario row. */
export function summary(row: ScenarioRow): ScenarioSummary {
  return {
    id: row.id,
    productLine: row.product_line,
    name: row.name,
    status: row.status,
    publishedVersion: row.published_version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** An empty graph of the scenario, so a new scenario's draft already opens in the editor. */
function starterDraft(id: string, productLine: string, name: string): JsonObject {
  return { format: FORMAT, formatVersion: FORMAT_VERSION, productLine, scenarioId: id, version: 0, name, nodes: {} };
}

/**
 * Creates a scenario in status `draft`. An unknown product line is a 422 naming `body.productLine`
 * (the request is well formed; what it refers to is missing); a taken id is a 409. `actor` is
 * recorded in the audit log, in the same transaction.
 */
export async function createScenario(
  rt: Runtime,
  input: { id?: string | undefined; productLine: string; name: string; draft?: Record<string, unknown> | undefined },
  actor: string,
): Promise<ScenarioDetail> {
  const id = input.id ?? newScenarioId(input.name);
  const line = await rt.db.selectFrom('product_lines').select('id').where('id', '=', input.productLine).executeTakeFirst();
  if (!line) {
    throw new ApiError(422, 'unknown_product_line', `product line "${input.productLine}" does not exist`, [
      { path: 'body.productLine', message: `no product line "${input.productLine}"` },
    ]);
  }
  const at = new Date(rt.clock.now());
  const row = await rt.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('scenarios')
      .values({
        id,
        product_line: input.productLine,
        name: input.name,
        draft: input.draft ?? starterDraft(id, input.productLine, input.name),
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!created) throw conflict('scenario_exists', `scenario "${id}" already exists`, [{ path: 'body.id', message: 'is already taken' }]);
    await recordAudit(trx, {
      productLine: created.product_line,
      actor,
      action: 'scenario.created',
      objectKind: 'scenario',
      objectId: id,
      at,
      details: { name: created.name, ...(input.draft !== undefined ? { fromDraft: true } : {}) },
    });
    return created;
  });
  return { ...summary(row), draft: row.draft, enrollments: zeroCounts() };
}

/** Scenarios, optionally of one product line and/or in one status, by id. */
export async function listScenarios(
  db: Kysely<DB>,
  filter: { productLine?: string | undefined; status?: ScenarioStatus | undefined; productLines?: readonly string[] | null },
): Promise<ScenarioSummary[]> {
  let query = db.selectFrom('scenarios').selectAll().orderBy('id');
  if (filter.productLines) query = query.where('product_line', 'in', filter.productLines);
  if (filter.productLine !== undefined) query = query.where('product_line', '=', filter.productLine);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return (await query.execute()).map(summary);
}

/** The scenario row; 404 when there is none. */
export async function scenarioRow(db: Kysely<DB>, id: string): Promise<ScenarioRow> {
  const row = await db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('scenario', id);
  return row;
}

/** The scenario row locked for this transaction (publishing and status changes serialise on it); 404 when there is none. */
export async function lockScenario(db: Kysely<DB>, id: string): Promise<ScenarioRow> {
  const row = await db.selectFrom('scenarios').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound('scenario', id);
  return row;
}

/** One scenario with its draft and its enrollment counts. */
export async function getScenario(db: Kysely<DB>, id: string): Promise<ScenarioDetail> {
  const row = await scenarioRow(db, id);
  return { ...summary(row), draft: row.draft, enrollments: await enrollmentCounts(db, id) };
}

/** How many enrollments of the scenario (any version) are in each status. */
export async function enrollmentCounts(db: Kysely<DB>, scenarioId: string): Promise<EnrollmentCounts> {
  const rows = await db
    .selectFrom('enrollments')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('scenario_id', '=', scenarioId)
    .groupBy('status')
    .execute();
  const counts = zeroCounts();
  for (const { status, n } of rows) {
    counts[status] = Number(n);
    counts.total += Number(n);
  }
  return counts;
}

function zeroCounts(): EnrollmentCounts {
  return { ...(Object.fromEntries(ENROLLMENT_STATUSES.map((s) => [s, 0])) as Record<EnrollmentStatus, number>), total: 0 };
}

/**
 * Stores a draft in whatever state it is and reports its problems without blocking the save. An
 * archived scenario is read-only (409). The audit log gets the save (coalesced per actor while
 * saves keep coming, see recordDraftSave) and, when the draft's name changed, a rename.
 */
export async function saveDraft(
  rt: Runtime,
  id: string,
  draft: Record<string, unknown>,
  actor: string,
): Promise<{ scenario: ScenarioSummary } & Omit<CheckedDocument, 'graph'>> {
  const at = new Date(rt.clock.now());
  const row = await rt.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('scenarios')
      .select([sql<string | null>`draft->>'name'`.as('name'), 'name as scenario_name'])
      .where('id', '=', id)
      .where('status', '<>', 'archived')
      .forUpdate()
      .executeTakeFirst();
    if (!before) return undefined;
    const saved = await trx.updateTable('scenarios').set({ draft, updated_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordDraftSave(trx, { productLine: saved.product_line, actor, objectId: id, at });
    const from = before.name ?? before.scenario_name;
    const to = typeof draft['name'] === 'string' ? draft['name'] : from;
    if (to !== from) {
      await recordAudit(trx, { productLine: saved.product_line, actor, action: 'scenario.renamed', objectKind: 'scenario', objectId: id, at, details: { from, to } });
    }
    return saved;
  });
  if (!row) {
    await scenarioRow(rt.db, id);
    throw archivedConflict(id);
  }
  const { graph: _graph, ...checked } = await checkDocument(rt.db, row, draft);
  return { scenario: summary(row), ...checked };
}

/** 409 for a change to an archived scenario, which is read-only. */
export function archivedConflict(id: string): ApiError {
  return conflict('scenario_archived', `scenario "${id}" is archived; archived scenarios cannot be changed`);
}
