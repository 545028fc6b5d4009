// Every step writes one enrollment row, several history rows and outbox rows, so each index and
// constraint on those tables is paid for thousands of times a second. Measured on the worker
// benchmark, this keeps only what a query needs:
// - history and outbox rows are written in the same transaction as their enrollment, by the one
//   commit path, so their foreign keys only added a lookup per row; a lead merge moves all three;
// - the lead's waiting enrollments are found through the primary key (lead_id first);
// - outbox rows that are finished (applied effects, delivered mail) leave the dispatch and queue
//   indexes, which only ever look at open rows;
// - caps read a lead's messages through the primary key too.
import { sql, type Kysely } from 'kysely';

/** Drops the hot tables' redundant foreign keys and indexes; makes the outbox queue indexes partial. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('enrollment_history').dropConstraint('enrollment_history_enrollment_fkey').execute();
  await db.schema.alterTable('outbox').dropConstraint('outbox_enrollment_fkey').execute();
  await db.schema.dropIndex('enrollments_lead_waiting_idx').execute();
  await db.schema.dropIndex('outbox_lead_type_created_idx').execute();
  await db.schema.dropIndex('outbox_status_next_attempt_idx').execute();
  await db.schema.dropIndex('outbox_product_line_type_status_idx').execute();
  await db.schema
    .createIndex('outbox_open_next_attempt_idx')
    .on('outbox')
    .column('next_attempt_at')
    .where(sql.ref('status'), 'in', sql`('pending', 'failed')`)
    .execute();
  await db.schema
    .createIndex('outbox_open_product_line_type_idx')
    .on('outbox')
    .columns(['product_line', 'type'])
    .where(sql.ref('status'), 'in', sql`('pending', 'sent', 'failed')`)
    .execute();
}

/** Puts them back. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_open_product_line_type_idx').execute();
  await db.schema.dropIndex('outbox_open_next_attempt_idx').execute();
  await db.schema.createIndex('outbox_product_line_type_status_idx').on('outbox').columns(['product_line', 'type', 'status']).execute();
  await db.schema.createIndex('outbox_status_next_attempt_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_lead_type_created_idx').on('outbox').columns(['lead_id', 'type', 'created_at']).execute();
  await db.schema
    .createIndex('enrollments_lead_waiting_idx')
    .on('enrollments')
    .column('lead_id')
    .where(sql.ref('wait_events'), 'is not', null)
    .execute();
  await db.schema
    .alterTable('outbox')
    .addForeignKeyConstraint('outbox_enrollment_fkey', ['lead_id', 'enrollment_id'], 'enrollments', ['lead_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema
    .alterTable('enrollment_history')
    .addForeignKeyConstraint('enrollment_history_enrollment_fkey', ['lead_id', 'enrollment_id'], 'enrollments', ['lead_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
}
