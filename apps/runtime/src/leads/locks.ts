// There is no unique index on the normalised keys (a person's e-mail may legitimately sit on a
// merged row too), so two transactions importing the same new person at once would both create
// them. They serialise on transaction-scoped advisory locks instead: one per bucket of keys, so a
// batch of 10,000 rows takes at most BUCKETS locks (the shared lock table is small) and two small
// requests for different people rarely wait for each other. Locks are taken in bucket order, so
// two batches cannot deadlock on them.
import type { DB } from '@nurtureflow/db';
import { sql, type Kysely } from 'kysely';

/** Advisory-lock namespace of 名寄せ ("LEAD"), the first half of the two-int key. */
const NAMESPACE = 0x4c454144;
const BUCKETS = 64;

/** FNV-1a, enough to spread keys over the buckets. */
function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUCKETS;
}

/** Takes the 名寄せ locks for these keys until the transaction ends. */
export async function lockLeadKeys(tx: Kysely<DB>, keys: readonly string[]): Promise<void> {
  const buckets = [...new Set(keys.map(bucketOf))].sort((a, b) => a - b);
  if (buckets.length === 0) return;
  const values = sql.join(buckets.map((b) => sql`(${b}::int)`));
  // pg_advisory_xact_lock is volatile, so Postgres evaluates it after the sort: in bucket order.
  await sql`select pg_advisory_xact_lock(${NAMESPACE}::int, v.b) from (values ${values}) as v(b) order by v.b`.execute(tx);
}
