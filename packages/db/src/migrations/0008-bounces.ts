// Bounces and complaints. Every e-mail's Return-Path carries a short signed token naming the message
// (`sent_emails.return_id`), so a bounce report that comes back to that address finds the message,
// its lead, product line, scenario and node. An address that bounced for good is kept per lead in
// `bounced_addresses` (the lead id first, like every hot table); it blocks mail to that address
// only, so a lead whose e-mail changes is mailed again.
import { sql, type Kysely } from 'kysely';

/** Adds sent_emails.return_id (indexed) and the bounced_addresses table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sent_emails').addColumn('return_id', 'text').execute();
  await db.schema.createIndex('sent_emails_return_id_idx').on('sent_emails').column('return_id').execute();

  await db.schema
    .createTable('bounced_addresses')
    .addColumn('lead_id', 'text', (c) => c.notNull())
    // The address as normalised for 名寄せ (leads.email_norm): mail is held back while they match.
    .addColumn('email_norm', 'text', (c) => c.notNull())
    // A permanent failure's words, or the soft bounces in a row that made it one.
    .addColumn('reason', 'text', (c) => c.notNull())
    // Where it was learnt: 'smtp' (refused at send time), 'dsn', 'arf', 'notification'.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('product_line', 'text')
    .addColumn('scenario_id', 'text')
    .addColumn('node_id', 'text')
    .addColumn('outbox_key', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('bounced_addresses_pkey', ['lead_id', 'email_norm'])
    .execute();
}

/** Removes them again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bounced_addresses').execute();
  await db.schema.dropIndex('sent_emails_return_id_idx').execute();
  await db.schema.alterTable('sent_emails').dropColumn('return_id').execute();
}
