// Events reach waiting enrollments through an inbox: each event gets a sequence number as it is
// stored, and each enrollment remembers the last one it has seen. Ingestion then only marks the
// enrollments due (wake_at = now) and the worker feeds them the events past their cursor, so an
// event never takes a lock a worker holds, and an event that arrived before the lead reached its
// node is never mistaken for an answer. lead_products.daily keeps each scoring rule's points of
// the current day, for rules capped per day.
import { sql, type Kysely } from 'kysely';

/** Adds the event sequence, the enrollments' cursors and the daily scoring tally. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence if not exists events_seq`.execute(db);
  await db.schema
    .alterTable('events')
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('events_seq')`))
    .execute();
  await db.schema.createIndex('events_lead_seq_idx').on('events').columns(['lead_id', 'seq']).execute();
  await db.schema
    .alterTable('enrollments')
    .addColumn('event_cursor', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('lead_products')
    .addColumn('daily', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

/** Removes them again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('lead_products').dropColumn('daily').execute();
  await db.schema.alterTable('enrollments').dropColumn('event_cursor').execute();
  await db.schema.dropIndex('events_lead_seq_idx').execute();
  await db.schema.alterTable('events').dropColumn('seq').execute();
  await sql`drop sequence if exists events_seq`.execute(db);
}
