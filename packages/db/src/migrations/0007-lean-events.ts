// Batch ingestion writes thousands of events a second; each index on events is paid per row. A
// lead's events are found through the primary key or the arrival-order index (both lead first), and
// the few a lead has are filtered by time there, so the separate (lead_id, at) index goes.
import type { Kysely } from 'kysely';

/** Drops the events (lead_id, at) index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_lead_at_idx').execute();
}

/** Puts it back. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_lead_at_idx').on('events').columns(['lead_id', 'at']).execute();
}
