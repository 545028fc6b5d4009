// Isolation between product lines: what lists show, whether a lead may be seen, the lead page cut
// down to the caller's product lines, and the check that a write names only product lines the
// caller may write to. A lead is one person across product lines (its identity is shared); its
// standing, enrollments, events and steps in other product lines are not shown (leads/read.ts
// reads only the caller's when given their product lines).
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import { ApiError } from '../errors.ts';
import { resolveLeadId } from '../leads/resolve.ts';
import type { Auth, Permission } from './access.ts';

/** What reads need: read, or sales for the hand-offs, call tasks and leads of their product line. */
export const READS: readonly Permission[] = ['read', 'sales'];

/**
 * The product lines a list may show the caller — those where they hold any of `permissions` — for
 * `where(column, 'in', …)`; null for an organisation admin (everything). Never empty: a caller
 * with none gets a name no product line can have, so the list is empty and the SQL still valid.
 */
export function listScope(auth: Auth, permissions: readonly Permission[] = ['read']): string[] | null {
  const mine = auth.productLines(...permissions);
  if (mine === null) return null;
  return mine.length > 0 ? [...mine] : [NO_PRODUCT_LINE];
}

/** Not a valid product line id, so it matches nothing. */
const NO_PRODUCT_LINE = ' none';

/** Whether the lead (by any id it had) has a standing or an enrollment on a product line the caller reads. */
export async function leadVisible(db: Kysely<DB>, auth: Auth, id: string, permissions: readonly Permission[] = READS): Promise<boolean> {
  const mine = auth.productLines(...permissions);
  if (mine === null) return true;
  if (mine.length === 0) return false;
  const survivor = await resolveLeadId(db, id);
  if (survivor === null) return false;
  return (await leadProductLines(db, survivor)).some((pl) => mine.includes(pl));
}

/** The product lines a lead (and the leads merged into it) has a standing or an enrollment on. */
export async function leadProductLines(db: Kysely<DB>, survivor: string): Promise<string[]> {
  const ids = [survivor, ...(await db.selectFrom('leads').select('id').where('merged_into', '=', survivor).execute()).map((r) => r.id)];
  const [products, enrollments] = await Promise.all([
    db.selectFrom('lead_products').select('product_line').where('lead_id', 'in', ids).execute(),
    db.selectFrom('enrollments').select('product_line').distinct().where('lead_id', 'in', ids).execute(),
  ]);
  return [...new Set([...products, ...enrollments].map((r) => r.product_line))];
}

/**
 * Refuses a write that names a product line the caller may not write to: 404 (naming the field)
 * for one they have no role on, 403 for one where their role may not write.
 */
export function assertWritable(auth: Auth, productLines: Iterable<string>, field: (pl: string) => string, permission: Permission = 'write'): void {
  if (auth.orgAdmin) return;
  for (const pl of productLines) {
    if (!auth.roles.has(pl)) throw new ApiError(404, 'not_found', `product line "${pl}" does not exist`, [{ path: field(pl), message: 'no such product line' }]);
    if (!auth.can(pl, permission)) throw new ApiError(403, 'forbidden', `your role on product line "${pl}" (${auth.roles.get(pl)}) may not change it`, [{ path: field(pl), message: `needs ${permission}` }]);
  }
}
