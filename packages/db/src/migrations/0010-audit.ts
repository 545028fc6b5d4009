// The audit log: who created, changed, published, paused and archived what, and when, per product
// line. One row per change, written in the change's own transaction, so the log never claims a
// change that rolled back nor misses one that committed. Rows name the object by kind and id (not a
// foreign key: an entry outlives what it describes) and keep what changed in `details` — for a
// publish, the nodes added, removed and changed. Org-wide changes (people) have no product line.
import { sql, type Kysely } from 'kysely';

/** Creates audit_log and the two orders it is read in. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('product_line', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  // The product line's list, newest first.
  await db.schema.createIndex('audit_log_product_line_at_idx').on('audit_log').columns(['product_line', 'at', 'id']).execute();
  // One object's story, and the draft-save coalescing that looks up the latest entry of a scenario.
  await db.schema.createIndex('audit_log_object_idx').on('audit_log').columns(['object_kind', 'object_id', 'at']).execute();
}

/** Drops it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
}
