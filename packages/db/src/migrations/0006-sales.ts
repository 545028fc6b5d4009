// What the sales side of the outbox leaves behind: the hand-off record sales read (why this lead,
// why now) with how they were told, and print jobs with the personal code their tracking URL and QR
// carry. Both are keyed by the lead id first, like every hot table; a print job's code is also
// unique on its own, because a visit arrives with nothing but the code.
import { sql, type Kysely } from 'kysely';

/** Adds the hand-off records and the print jobs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('handoffs')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('product_line', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('enrollment_id', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .addColumn('notification', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('handoffs_pkey', ['lead_id', 'key'])
    .execute();
  await db.schema.createIndex('handoffs_key_idx').on('handoffs').column('key').execute();
  await db.schema.createIndex('handoffs_product_line_created_idx').on('handoffs').columns(['product_line', 'created_at']).execute();

  await db.schema
    .createTable('print_jobs')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('product_line', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('landing_url', 'text', (c) => c.notNull())
    .addColumn('tracking_url', 'text', (c) => c.notNull())
    .addColumn('batch_day', 'text', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_visit_at', 'timestamptz')
    .addColumn('last_visit_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('print_jobs_pkey', ['lead_id', 'key'])
    .execute();
  await db.schema.createIndex('print_jobs_key_idx').on('print_jobs').column('key').execute();
  await db.schema.createIndex('print_jobs_product_line_day_idx').on('print_jobs').columns(['product_line', 'batch_day']).execute();
}

/** Removes them again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('print_jobs').execute();
  await db.schema.dropTable('handoffs').execute();
}
