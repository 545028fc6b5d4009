// E-mail: templates per product line; every e-mail handed over, with the links it carried (what
// tracking redirects to); the local mailbox that keeps messages when no SMTP server is configured;
// and the server secrets (the tracking key) a deployment generates once and keeps across restarts.
// Per-message tables have the lead id first in their key, like every hot table.
import { sql, type Kysely } from 'kysely';

const now = sql`now()`;

/** Creates templates, sent_emails, mailbox and server_secrets. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('templates')
    .addColumn('product_line', 'text', (c) => c.notNull().references('product_lines.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('templates_pkey', ['product_line', 'id'])
    .execute();

  await db.schema
    .createTable('sent_emails')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('product_line', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    // 'smtp' or 'mailbox'.
    .addColumn('transport', 'text', (c) => c.notNull())
    // The original URLs of the message's links, in the order their tokens number them.
    .addColumn('links', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('sent_emails_pkey', ['lead_id', 'key'])
    .execute();

  await db.schema
    .createTable('mailbox')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('product_line', 'text', (c) => c.notNull())
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('from', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('mailbox_pkey', ['lead_id', 'key'])
    .execute();
  // GET /mailbox lists newest first; GET /mailbox/:key finds one message by its outbox key.
  await db.schema.createIndex('mailbox_created_at_idx').on('mailbox').column('created_at').execute();
  await db.schema.createIndex('mailbox_key_idx').on('mailbox').column('key').execute();

  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
}

/** Drops them. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('server_secrets').execute();
  await db.schema.dropTable('mailbox').execute();
  await db.schema.dropTable('sent_emails').execute();
  await db.schema.dropTable('templates').execute();
}
