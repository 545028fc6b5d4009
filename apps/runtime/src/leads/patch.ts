// Changing a known lead by hand or from a CRM: attributes, tags, per-product stage and unsubscribe.
// Unlike an upsert, a PATCH may re-subscribe (someone asked to get the mail again).
import type { DB, JsonObject } from '@nurtureflow/db';
import type { Kysely, Transaction } from 'kysely';
import { ApiError, notFound } from '../errors.ts';
import { productLineIssues, writeProductChanges } from './products.ts';
import { inTransaction, resolveLeadId } from './resolve.ts';
import type { LeadPatch } from './schemas.ts';

/** Applies a patch to the lead `id` now is (following merges); returns that lead's id. 404 if unknown, 400 for an unknown product line. */
export async function patchLead(db: Kysely<DB> | Transaction<DB>, id: string, patch: LeadPatch, now: Date): Promise<string> {
  return inTransaction(db, async (tx) => {
    const [issues = []] = await productLineIssues(tx, [patch.products]);
    if (issues.length > 0) {
      const prefixed = issues.map((i) => ({ path: `body.${i.path}`, message: i.message }));
      throw new ApiError(400, 'unknown_product_line', `${prefixed[0]!.path}: ${prefixed[0]!.message}`, prefixed);
    }
    const leadId = await resolveLeadId(tx, id);
    if (leadId === null) throw notFound('lead', id);
    const row = await tx.selectFrom('leads').select(['attributes', 'tags', 'unsubscribed_all']).where('id', '=', leadId).forUpdate().executeTakeFirstOrThrow();

    const attributes: JsonObject = { ...row.attributes };
    for (const [key, value] of Object.entries(patch.attributes ?? {})) {
      // JSON merge patch: null removes the attribute.
      if (value === null) delete attributes[key];
      else attributes[key] = value;
    }
    let tags = patch.tags ?? row.tags;
    if (patch.addTags) tags = [...tags, ...patch.addTags];
    if (patch.removeTags) {
      const remove = new Set(patch.removeTags);
      tags = tags.filter((t) => !remove.has(t));
    }
    await tx
      .updateTable('leads')
      .set({
        attributes,
        tags: [...new Set(tags)],
        unsubscribed_all: patch.unsubscribedAll ?? row.unsubscribed_all,
        updated_at: now,
      })
      .where('id', '=', leadId)
      .execute();
    await writeProductChanges(
      tx,
      Object.entries(patch.products ?? {}).map(([productLine, change]) => ({ leadId, productLine, change })),
    );
    return leadId;
  });
}
