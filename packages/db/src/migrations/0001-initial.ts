// The first schema. Every hot table (events, enrollments, enrollment_history, outbox) has the lead
// id first in its primary key, so the tables can later be distributed by lead (Citus) and a lead's
// rows stay together; configuration tables (product lines, scenarios, versions) stay small and can
// become reference tables.
import { sql, type Kysely } from 'kysely';

const now = sql`now()`;
const emptyObject = sql`'{}'::jsonb`;
const emptyArray = sql`'[]'::jsonb`;

/** Creates the tables and indexes of the first schema. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('product_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('scenarios')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_line', 'text', (c) => c.notNull().references('product_lines.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'active', 'paused', 'archived')`),
    )
    .addColumn('draft', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .addColumn('published_version', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('scenarios_product_line_idx').on('scenarios').column('product_line').execute();

  await db.schema
    .createTable('scenario_versions')
    .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('graph', 'jsonb', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('scenario_versions_pkey', ['scenario_id', 'version'])
    .execute();

  await db.schema
    .createTable('leads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text')
    .addColumn('email_norm', 'text')
    .addColumn('phone_norm', 'text')
    .addColumn('company_norm', 'text')
    .addColumn('name_norm', 'text')
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(emptyArray))
    .addColumn('unsubscribed_all', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('merged_into', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  // 名寄せ looks a person up by normalised e-mail, then phone, then company + name.
  await db.schema.createIndex('leads_email_norm_idx').on('leads').column('email_norm').execute();
  await db.schema.createIndex('leads_phone_norm_idx').on('leads').column('phone_norm').execute();
  await db.schema.createIndex('leads_company_name_norm_idx').on('leads').columns(['company_norm', 'name_norm']).execute();
  await db.schema.createIndex('leads_name_norm_idx').on('leads').column('name_norm').execute();

  await db.schema
    .createTable('lead_merges')
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('merged_lead_id', 'text', (c) => c.notNull())
    .addColumn('matched_by', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('lead_merges_pkey', ['lead_id', 'merged_lead_id'])
    .execute();

  await db.schema
    .createTable('lead_products')
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('product_line', 'text', (c) => c.notNull().references('product_lines.id'))
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rank', 'text')
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('prospect'))
    .addColumn('hot', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('unsubscribed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_activity_at', 'timestamptz')
    .addColumn('hot_at', 'timestamptz')
    .addPrimaryKeyConstraint('lead_products_pkey', ['lead_id', 'product_line'])
    .execute();
  // Hot-lead lists and rank dashboards read one product line at a time.
  await db.schema.createIndex('lead_products_product_line_idx').on('lead_products').columns(['product_line', 'hot']).execute();

  await db.schema
    .createTable('events')
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('product_line', 'text')
    .addColumn('scenario_id', 'text')
    .addColumn('node_id', 'text')
    .addColumn('effect_key', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(emptyObject))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('events_pkey', ['lead_id', 'id'])
    .execute();
  await db.schema.createIndex('events_lead_at_idx').on('events').columns(['lead_id', 'at']).execute();

  await db.schema
    .createTable('enrollments')
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('product_line', 'text', (c) => c.notNull().references('product_lines.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('wake_at', 'timestamptz')
    .addColumn('wait_events', sql`text[]`)
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('enrollments_pkey', ['lead_id', 'id'])
    .addForeignKeyConstraint(
      'enrollments_version_fkey',
      ['scenario_id', 'version'],
      'scenario_versions',
      ['scenario_id', 'version'],
    )
    .execute();
  // The worker's claim query: due, waiting enrollments by wake time.
  await db.schema
    .createIndex('enrollments_wake_at_idx')
    .on('enrollments')
    .column('wake_at')
    .where(sql.ref('status'), '=', 'waiting')
    .execute();
  // Per-node counts on the canvas and "move running enrollments" on publish.
  await db.schema
    .createIndex('enrollments_scenario_status_node_idx')
    .on('enrollments')
    .columns(['scenario_id', 'status', 'node_id'])
    .execute();
  // An incoming event finds the lead's enrollments that wait for events.
  await db.schema
    .createIndex('enrollments_lead_waiting_idx')
    .on('enrollments')
    .column('lead_id')
    .where(sql.ref('wait_events'), 'is not', null)
    .execute();

  await db.schema
    .createTable('enrollment_history')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('enrollment_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('output', 'text')
    .addColumn('to_node', 'text')
    .addColumn('reason', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('enrollment_history_pkey', ['lead_id', 'enrollment_id', 'seq'])
    .addForeignKeyConstraint(
      'enrollment_history_enrollment_fkey',
      ['lead_id', 'enrollment_id'],
      'enrollments',
      ['lead_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('enrollment_id', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('product_line', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'done', 'failed', 'skipped')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('outbox_pkey', ['lead_id', 'key'])
    .addForeignKeyConstraint(
      'outbox_enrollment_fkey',
      ['lead_id', 'enrollment_id'],
      'enrollments',
      ['lead_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  // Dispatchers pick due rows; dashboards count sends per product line and channel.
  await db.schema.createIndex('outbox_status_next_attempt_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema
    .createIndex('outbox_product_line_type_status_idx')
    .on('outbox')
    .columns(['product_line', 'type', 'status'])
    .execute();
}

/** Drops everything the first schema created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbox',
    'enrollment_history',
    'enrollments',
    'events',
    'lead_products',
    'lead_merges',
    'leads',
    'scenario_versions',
    'scenarios',
    'product_lines',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
