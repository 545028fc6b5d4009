// A scenario's status is the single rule the worker follows: only `active` scenarios enrol leads and
// advance them. Pausing holds every lead where it is; resuming lets them go on; archiving ends the
// scenario for good and exits its running enrollments.
import type { DB, ScenarioStatus } from '@nurtureflow/db';
import type { Reason } from '@nurtureflow/engine';
import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { conflict } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { lockScenario, summary, type ScenarioSummary } from './scenarios.ts';

export type StatusAction = 'pause' | 'resume' | 'archive';

/** For each action, the statuses it may start from and the status it leads to. */
export const TRANSITIONS: Record<StatusAction, { from: readonly ScenarioStatus[]; to: ScenarioStatus }> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  archive: { from: ['draft', 'active', 'paused'], to: 'archived' },
};

/** The audit log's action for each. */
const AUDITED = { pause: 'scenario.paused', resume: 'scenario.resumed', archive: 'scenario.archived' } as const;

/** What to say when the status does not allow the action, per status. */
const WHY_NOT: Record<ScenarioStatus, string> = {
  draft: 'it has not been published yet',
  active: 'it is already active',
  paused: 'it is paused',
  archived: 'it is archived; archived scenarios cannot be changed',
};

/** The end reason and history reason written for enrollments exited by archiving. */
export const ARCHIVED_REASON = 'archived';

/**
 * Pauses, resumes or archives a scenario (409 when its status does not allow it). Archiving also
 * exits the running enrollments, in the same transaction; `exited` says how many. The audit log
 * records who did it, in that transaction too.
 */
export async function changeStatus(rt: Runtime, id: string, action: StatusAction, actor: string): Promise<{ scenario: ScenarioSummary; exited: number }> {
  const at = new Date(rt.clock.now());
  return rt.db.transaction().execute(async (trx) => {
    const row = await lockScenario(trx, id);
    const { from, to } = TRANSITIONS[action];
    if (!from.includes(row.status)) {
      throw conflict('invalid_transition', `scenario "${id}" cannot ${action}: ${WHY_NOT[row.status]}`, [
        { path: 'status', message: `is ${row.status}; ${action} needs ${from.join(' or ')}` },
      ]);
    }
    const exited = action === 'archive' ? await exitRunningEnrollments(trx, id, at) : 0;
    const updated = await trx.updateTable('scenarios').set({ status: to, updated_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, { productLine: row.product_line, actor, action: AUDITED[action], objectKind: 'scenario', objectId: id, at, details: { from: row.status, to, exited } });
    return { scenario: summary(updated), exited };
  });
}

/**
 * Ends every running enrollment of a scenario as `exited` with end reason "archived", writing the
 * history row that explains it (the engine's numbering: the next row is `state.seq + 1`). Rows are
 * locked first, so a worker in the middle of a step finishes it before they end.
 */
async function exitRunningEnrollments(db: Kysely<DB>, scenarioId: string, at: Date): Promise<number> {
  const running = await db
    .selectFrom('enrollments')
    .select(['lead_id', 'id'])
    .where('scenario_id', '=', scenarioId)
    .where('status', 'in', ['active', 'waiting'])
    .forUpdate()
    .execute();
  if (running.length === 0) return 0;
  const reason: Reason = { code: 'exit', why: ARCHIVED_REASON };
  const seq = sql<number>`(state->>'seq')::int + 1`;
  await db
    .insertInto('enrollment_history')
    .columns(['lead_id', 'enrollment_id', 'seq', 'at', 'node_id', 'output', 'to_node', 'reason'])
    .expression((eb) =>
      eb
        .selectFrom('enrollments')
        .select([
          'lead_id',
          'id',
          seq.as('seq'),
          sql<Date>`${at}::timestamptz`.as('at'),
          'node_id',
          sql<null>`null`.as('output'),
          sql<null>`null`.as('to_node'),
          sql<Reason>`${reason}::jsonb`.as('reason'),
        ])
        .where('scenario_id', '=', scenarioId)
        .where('status', 'in', ['active', 'waiting']),
    )
    .execute();
  const result = await db
    .updateTable('enrollments')
    .set({
      status: 'exited',
      state: sql`state || jsonb_build_object('status', 'exited', 'seq', ${seq}, 'waiting', null, 'pendingKey', null, 'endedAt', ${sql.lit(at.getTime())}::bigint, 'endReason', ${ARCHIVED_REASON}::text)`,
      wake_at: null,
      wait_events: null,
      updated_at: at,
    })
    .where('scenario_id', '=', scenarioId)
    .where('status', 'in', ['active', 'waiting'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
