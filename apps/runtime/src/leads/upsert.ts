// Creating or updating leads with 名寄せ, for one lead or a batch of thousands: a few reads, the
// matching in memory (LeadBook), then set-based writes, all in one transaction.
import { randomBytes } from 'node:crypto';
import type { DB, JsonObject } from '@nurtureflow/db';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { ApiError } from '../errors.ts';
import { companyNameKey, inputKeys, LeadBook, prepareInput, type LeadRow, type MatchKey, type MergeRecord, type PreparedInput } from './lead-book.ts';
import { lockLeadKeys } from './locks.ts';
import { moveLeadRows, type MovedRows } from './move-rows.ts';
import { productLineIssues, writeProductChanges } from './products.ts';
import { chunked, inTransaction } from './resolve.ts';
import type { LeadInput } from './schemas.ts';

/** What happened to one input. */
export interface UpsertResult {
  /** The lead the input now is (after any merge, the survivor). */
  leadId: string;
  created: boolean;
  /** The key that found the existing lead; null when created. */
  matchedBy: MatchKey | null;
  /** Leads this input proved to be the same person, merged into `leadId`. */
  mergedLeadIds: string[];
}

/** A new lead id: `ld_` and 16 URL-safe random characters. */
export function newLeadId(): string {
  return `ld_${randomBytes(12).toString('base64url')}`;
}

/**
 * Creates or updates one lead per input, in order, matching by the client's id, then normalised
 * e-mail, then phone, then company + name. An input that matches several leads merges them into
 * the first (history in lead_merges, rows re-pointed). Inputs must have passed leadInputSchema;
 * an unknown product line throws a 400 naming `[index].products.<id>`. Runs in `db` when it is a
 * transaction, else in a new one.
 */
export async function upsertLeads(db: Kysely<DB> | Transaction<DB>, inputs: readonly LeadInput[], now: Date): Promise<UpsertResult[]> {
  if (inputs.length === 0) return [];
  return inTransaction(db, async (tx) => {
    const issues = (await productLineIssues(tx, inputs.map((i) => i.products))).flatMap((list, i) =>
      list.map((issue) => ({ path: `[${i}].${issue.path}`, message: issue.message })),
    );
    if (issues.length > 0) throw new ApiError(400, 'unknown_product_line', `${issues[0]!.path}: ${issues[0]!.message}`, issues);

    const prepared = inputs.map(prepareInput);
    await lockLeadKeys(tx, prepared.flatMap(inputKeys));
    const { rows, aliases } = await loadCandidates(tx, prepared);
    const book = new LeadBook(rows, aliases);
    const applied = prepared.map((p) => book.apply(p, now, newLeadId));

    await writeLeads(tx, book);
    const merges = applied.flatMap((a) => a.merges);
    const moved = await moveLeadRows(
      tx,
      merges.filter((m) => m.existed).map((m) => ({ from: m.mergedId, to: book.survivorOf(m.mergedId) })),
    );
    await recordMerges(tx, merges, moved, now);
    await writeProductChanges(
      tx,
      applied.flatMap((a, i) =>
        Object.entries(inputs[i]!.products ?? {}).map(([productLine, change]) => ({ leadId: book.survivorOf(a.leadId), productLine, change })),
      ),
    );
    return applied.map((a) => ({
      leadId: book.survivorOf(a.leadId),
      created: a.created,
      matchedBy: a.matchedBy,
      mergedLeadIds: a.merges.map((m) => m.mergedId),
    }));
  });
}

/**
 * The leads the inputs can match, locked for update: live leads sharing a key with an input, and
 * for the ids inputs name, the lead each id now is (merged ids become aliases of their survivor).
 */
async function loadCandidates(tx: Kysely<DB>, prepared: readonly PreparedInput[]): Promise<{ rows: LeadRow[]; aliases: Map<string, string> }> {
  const live = new Map<string, LeadRow>();
  const aliases = new Map<string, string>();
  const keep = (found: LeadRow[]) => {
    for (const row of found) {
      if (row.merged_into === null) live.set(row.id, row);
      else aliases.set(row.id, row.merged_into);
    }
  };
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  const base = () => tx.selectFrom('leads').selectAll();

  let ids = distinct(prepared.map((p) => p.id));
  for (let hop = 0; ids.length > 0 && hop < 32; hop++) {
    for (const part of chunked(ids)) keep(await base().where('id', 'in', part).forUpdate().execute());
    ids = distinct([...aliases.values()].filter((id) => !live.has(id) && !aliases.has(id)));
  }
  for (const part of chunked(distinct(prepared.map((p) => p.emailNorm)))) {
    keep(await base().where('email_norm', 'in', part).where('merged_into', 'is', null).forUpdate().execute());
  }
  for (const part of chunked(distinct(prepared.map((p) => p.phoneNorm)))) {
    keep(await base().where('phone_norm', 'in', part).where('merged_into', 'is', null).forUpdate().execute());
  }
  const pairs = new Map<string, [string, string]>();
  for (const p of prepared) {
    const key = companyNameKey(p.companyNorm, p.nameNorm);
    if (key !== null) pairs.set(key, [p.companyNorm!, p.nameNorm!]);
  }
  // A join on VALUES rather than `(company_norm, name_norm) in (…)`: PGlite fails on long row-value lists.
  for (const part of chunked([...pairs.values()], 500)) {
    const values = sql.join(part.map(([c, n]) => sql`(${c}::text, ${n}::text)`));
    const found = await sql<LeadRow>`
      select l.* from leads l join (values ${values}) as v(c, n) on l.company_norm = v.c and l.name_norm = v.n
      where l.merged_into is null for update of l`.execute(tx);
    keep(found.rows);
  }
  return { rows: [...live.values()], aliases };
}

/** Inserts the new leads and updates the changed ones in set-based statements. */
async function writeLeads(tx: Kysely<DB>, book: LeadBook): Promise<void> {
  const rows = book.touched().map(({ row }) => ({
    ...row,
    // Chains stay one hop long: a lead merged into one that was merged later points at the last.
    merged_into: row.merged_into === null ? null : book.survivorOf(row.id),
  }));
  for (const part of chunked(rows, 500)) {
    await tx
      .insertInto('leads')
      .values(part)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          email: eb.ref('excluded.email'),
          email_norm: eb.ref('excluded.email_norm'),
          phone_norm: eb.ref('excluded.phone_norm'),
          company_norm: eb.ref('excluded.company_norm'),
          name_norm: eb.ref('excluded.name_norm'),
          attributes: eb.ref('excluded.attributes'),
          tags: eb.ref('excluded.tags'),
          unsubscribed_all: eb.ref('excluded.unsubscribed_all'),
          merged_into: eb.ref('excluded.merged_into'),
          created_at: eb.ref('excluded.created_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** One lead_merges row per merge, with the merged lead as it was, its standings and any dropped duplicates. */
async function recordMerges(tx: Kysely<DB>, merges: readonly MergeRecord[], moved: MovedRows, now: Date): Promise<void> {
  const rows = merges.map((m) => ({
    lead_id: m.survivorId,
    merged_lead_id: m.mergedId,
    matched_by: m.matchedBy,
    snapshot: {
      lead: leadSnapshot(m.snapshot),
      products: (moved.products.get(m.mergedId) ?? []).map((p) => json(p)),
      duplicateEvents: (moved.duplicateEvents.get(m.mergedId) ?? []).map((e) => json(e)),
    },
    at: now,
  }));
  for (const part of chunked(rows, 500)) await tx.insertInto('lead_merges').values(part).execute();
}

function leadSnapshot(row: LeadRow): JsonObject {
  return json({ ...row, merged_into: null });
}

/** A row as plain JSON (Dates as ISO strings). */
function json(row: Selectable<object>): JsonObject {
  return JSON.parse(JSON.stringify(row)) as JsonObject;
}
