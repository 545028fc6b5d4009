// Reading the audit log: a product line's entries, newest first, filtered by object, action and
// time, in pages that a cursor continues (stable while new entries arrive).
import type { DB, JsonObject } from '@nurtureflow/db';
import { sql, type Kysely } from 'kysely';
import { ApiError } from '../errors.ts';
import type { AuditAction, AuditObjectKind } from './actions.ts';

/** An entry as the API shows it. */
export interface AuditView {
  id: number;
  productLine: string | null;
  actor: string;
  action: string;
  objectKind: string;
  objectId: string;
  at: string;
  details: JsonObject;
}

/** What to list. */
export interface AuditFilter {
  objectKind?: AuditObjectKind | undefined;
  objectId?: string | undefined;
  actions?: readonly AuditAction[] | undefined;
  /** Entries at or after this time. */
  since?: Date | undefined;
  limit: number;
  /** From a previous page's `next`. */
  cursor?: string | undefined;
}

/** Encodes where a page ended. */
function encodeCursor(at: Date, id: number): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: number } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const when = new Date(at ?? '');
  const n = Number(id);
  if (Number.isNaN(when.getTime()) || !Number.isSafeInteger(n)) {
    throw new ApiError(400, 'invalid_request', 'query.cursor: is not a cursor this list gave', [{ path: 'query.cursor', message: 'is not a cursor this list gave' }]);
  }
  return { at: when, id: n };
}

/** A product line's entries, newest first; `next` continues the list, null on the last page. */
export async function listAudit(db: Kysely<DB>, productLine: string, filter: AuditFilter): Promise<{ items: AuditView[]; next: string | null }> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .where('product_line', '=', productLine)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.objectKind !== undefined) query = query.where('object_kind', '=', filter.objectKind);
  if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId);
  if (filter.actions !== undefined && filter.actions.length > 0) query = query.where('action', 'in', [...filter.actions]);
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    query = query.where(sql<boolean>`(at, id) < (${c.at}::timestamptz, ${c.id}::bigint)`);
  }
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      productLine: r.product_line,
      actor: r.actor,
      action: r.action,
      objectKind: r.object_kind,
      objectId: r.object_id,
      at: r.at.toISOString(),
      details: r.details,
    })),
    next: rows.length > filter.limit && last ? encodeCursor(last.at, Number(last.id)) : null,
  };
}
