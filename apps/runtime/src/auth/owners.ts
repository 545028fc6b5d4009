// The product line an object belongs to, for the routes that touch one object: null when there is
// no such object, which the access check answers with 404 like an object the caller may not see.
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';

/** A scenario's product line. */
export async function scenarioProductLine(db: Kysely<DB>, id: string): Promise<string | null> {
  return (await db.selectFrom('scenarios').select('product_line').where('id', '=', id).executeTakeFirst())?.product_line ?? null;
}

/** An enrollment's product line. */
export async function enrollmentProductLine(db: Kysely<DB>, id: string): Promise<string | null> {
  return (await db.selectFrom('enrollments').select('product_line').where('id', '=', id).executeTakeFirst())?.product_line ?? null;
}

/** An outbox entry's product line (a call task, a hand-off, a webhook call, a print job). */
export async function outboxProductLine(db: Kysely<DB>, key: string): Promise<string | null> {
  return (await db.selectFrom('outbox').select('product_line').where('key', '=', key).executeTakeFirst())?.product_line ?? null;
}

/** A locally kept message's product line. */
export async function mailboxProductLine(db: Kysely<DB>, key: string): Promise<string | null> {
  return (await db.selectFrom('mailbox').select('product_line').where('key', '=', key).executeTakeFirst())?.product_line ?? null;
}
