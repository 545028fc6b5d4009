// Builders for lead tests: product lines and a published scenario to enrol into, rows that only the
// worker and ingestion would normally write, and row counts to prove a bad request wrote nothing.
import type { DB } from '@nurtureflow/db';
import type { EnrollmentState } from '@nurtureflow/engine';
import type { Kysely } from 'kysely';
import { aGraph } from '@nurtureflow/scenario/testing';

/** Product lines `crm` and `sfa`, and scenario `s1` (crm) published as version 1. */
export async function seedProductLines(db: Kysely<DB>): Promise<void> {
  await db
    .insertInto('product_lines')
    .values([
      { id: 'crm', name: 'CRM Cloud' },
      { id: 'sfa', name: 'SFA' },
    ])
    .execute();
  await db.insertInto('scenarios').values({ id: 's1', product_line: 'crm', name: 'Whitepaper follow-up', status: 'active', published_version: 1 }).execute();
  const graph = aGraph({ productLine: 'crm', scenarioId: 's1', version: 1, name: 'Whitepaper follow-up' })
    .trigger('t', { type: 'import' })
    .callTask('call1')
    .exit('done')
    .connect('call1', 'noAnswer', 'done')
    .connect('call1', 'appointment', 'done')
    .build();
  await db.insertInto('scenario_versions').values({ scenario_id: 's1', version: 1, graph }).execute();
}

/**
 * Lead `leadId` in scenario s1, waiting on a call task: the enrollment, one history row, the call
 * task in the outbox and a call outcome answering it (key `<enrollmentId>:1:0`).
 */
export async function aLeadWaitingOnACall(db: Kysely<DB>, leadId: string, enrollmentId: string, eventId: string, at: Date): Promise<void> {
  const key = `${enrollmentId}:1:0`;
  const until = new Date(at.getTime() + 3 * 86_400_000);
  const state: EnrollmentState = {
    id: enrollmentId,
    leadId,
    productLine: 'crm',
    scenarioId: 's1',
    version: 1,
    status: 'waiting',
    nodeId: 'call1',
    enteredAt: at.getTime(),
    nodeEnteredAt: at.getTime(),
    seq: 1,
    waiting: { until: until.getTime(), events: ['call_completed'], reason: 'callOutcome' },
    attempts: 1,
    pendingKey: key,
    endedAt: null,
    endReason: null,
  };
  await db
    .insertInto('enrollments')
    .values({ lead_id: leadId, id: enrollmentId, scenario_id: 's1', version: 1, product_line: 'crm', status: 'waiting', node_id: 'call1', state, wake_at: until, wait_events: ['call_completed'] })
    .execute();
  await db
    .insertInto('enrollment_history')
    .values({ lead_id: leadId, enrollment_id: enrollmentId, seq: 1, at, node_id: 'call1', output: null, to_node: null, reason: { code: 'waitStarted', until: until.getTime(), events: ['call_completed'] } })
    .execute();
  await db
    .insertInto('outbox')
    .values({
      lead_id: leadId,
      key,
      enrollment_id: enrollmentId,
      scenario_id: 's1',
      product_line: 'crm',
      type: 'createCallTask',
      payload: { type: 'createCallTask', key, nodeId: 'call1', productLine: 'crm', attempt: 1, maxAttempts: 3, dueAt: until.getTime(), script: 'ご挨拶' },
    })
    .execute();
  await db.insertInto('events').values({ lead_id: leadId, id: eventId, kind: 'call_completed', at, product_line: 'crm', scenario_id: 's1', node_id: 'call1', effect_key: key, data: { outcome: 'noAnswer' } }).execute();
}

/** Rows per table that lead requests write, to prove a rejected request wrote nothing. */
export async function leadTableCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['leads', 'lead_products', 'lead_merges', 'events', 'enrollments', 'outbox'] as const) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
