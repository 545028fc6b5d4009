// A merged lead keeps its row with `merged_into` set, so every id a client ever got keeps working:
// these follow the chain to the lead that survived.
import type { DB } from '@nurtureflow/db';
import type { Kysely, Transaction } from 'kysely';

/** Chains are flattened on merge; the limit only stops a corrupt cycle. */
const MAX_HOPS = 32;

/** Values per `in (…)` list, well under the 65,535 parameters a statement may carry. */
export const CHUNK = 1000;

/** Splits a list into pieces of at most `size`. */
export function chunked<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` in the caller's transaction, or in a new one when given the plain database. */
export function inTransaction<T>(db: Kysely<DB> | Transaction<DB>, work: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** The surviving lead's id for each id that exists (itself when never merged); unknown ids are left out. */
export async function resolveLeadIds(db: Kysely<DB> | Transaction<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  const next = new Map<string, string | null>();
  let pending = [...new Set(ids)];
  for (let hop = 0; hop < MAX_HOPS && pending.length > 0; hop++) {
    const found: string[] = [];
    for (const part of chunked(pending)) {
      const rows = await db.selectFrom('leads').select(['id', 'merged_into']).where('id', 'in', part).execute();
      for (const row of rows) {
        next.set(row.id, row.merged_into);
        if (row.merged_into !== null && !next.has(row.merged_into)) found.push(row.merged_into);
      }
    }
    pending = [...new Set(found)];
  }
  const out = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (!next.has(id)) continue;
    let current = id;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const to = next.get(current);
      if (to === null || to === undefined) break;
      current = to;
    }
    out.set(id, current);
  }
  return out;
}

/** The surviving lead's id for `id`, following merges; null when no lead ever had that id. */
export async function resolveLeadId(db: Kysely<DB> | Transaction<DB>, id: string): Promise<string | null> {
  return (await resolveLeadIds(db, [id])).get(id) ?? null;
}
