// Lookups the API makes by id alone (an enrollment, an outbox key answered by a call outcome), and
// the last run of each schedule trigger, so any number of processes sweep each schedule once.
import type { Kysely } from 'kysely';

/** Adds the id lookups and the schedule bookkeeping. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('enrollments_id_idx').on('enrollments').column('id').execute();
  await db.schema.createIndex('outbox_key_idx').on('outbox').column('key').execute();
  await db.schema.createIndex('outbox_lead_type_created_idx').on('outbox').columns(['lead_id', 'type', 'created_at']).execute();
  await db.schema
    .createTable('schedule_runs')
    .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('last_run_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('schedule_runs_pkey', ['scenario_id', 'node_id'])
    .execute();
}

/** Removes them again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('schedule_runs').execute();
  await db.schema.dropIndex('outbox_lead_type_created_idx').execute();
  await db.schema.dropIndex('outbox_key_idx').execute();
  await db.schema.dropIndex('enrollments_id_idx').execute();
}
