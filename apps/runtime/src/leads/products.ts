// A lead's standing per product line (lead_products): checking the product lines a request names,
// writing stage / unsubscribe changes in bulk, and folding two standings into one on a merge.
import type { DB } from '@nurtureflow/db';
import type { Stage } from '@nurtureflow/scenario';
import type { Kysely, Selectable } from 'kysely';
import type { Issue } from '../errors.ts';
import { chunked } from './resolve.ts';

/** A lead_products row as read. */
export type ProductRow = Selectable<DB['lead_products']>;

/** A stage / unsubscribe change for one product line. */
export interface ProductChange {
  stage?: Stage | undefined;
  unsubscribed?: boolean | undefined;
}

/**
 * How far along the lifecycle a stage is, for merges: a dormant customer has bought before, so it
 * ranks above a prospect but below a customer who is active now.
 */
export const STAGE_ORDER: Readonly<Record<string, number>> = { prospect: 0, dormant: 1, newCustomer: 2, existing: 3, loyal: 4 };

/** For each request item, an issue per product line it names that does not exist (path `products.<id>`). */
export async function productLineIssues(
  db: Kysely<DB>,
  items: readonly (Readonly<Record<string, unknown>> | undefined)[],
): Promise<Issue[][]> {
  const named = [...new Set(items.flatMap((p) => Object.keys(p ?? {})))];
  const known = new Set<string>();
  for (const part of chunked(named)) {
    for (const row of await db.selectFrom('product_lines').select('id').where('id', 'in', part).execute()) known.add(row.id);
  }
  return items.map((p) =>
    Object.keys(p ?? {})
      .filter((id) => !known.has(id))
      .map((id) => ({ path: `products.${id}`, message: `product line "${id}" does not exist` })),
  );
}

/**
 * Applies stage / unsubscribe changes, creating standings as needed. Changes are given in order;
 * for one lead and product line the last stage wins and any unsubscribe sticks. Only the fields a
 * change names are written, so setting a stage never touches the score.
 */
export async function writeProductChanges(
  db: Kysely<DB>,
  changes: readonly { leadId: string; productLine: string; change: ProductChange }[],
): Promise<void> {
  type Pending = { leadId: string; productLine: string; stage?: Stage; unsubscribed?: boolean };
  const merged = new Map<string, Pending>();
  for (const { leadId, productLine, change } of changes) {
    const key = `${leadId}\u0000${productLine}`;
    const row = merged.get(key) ?? { leadId, productLine };
    if (change.stage !== undefined) row.stage = change.stage;
    if (change.unsubscribed !== undefined) row.unsubscribed = change.unsubscribed;
    merged.set(key, row);
  }
  // One statement per shape of change, so each updates exactly the columns it names.
  const groups = new Map<string, Pending[]>();
  for (const row of merged.values()) {
    const shape = `${row.stage !== undefined}:${row.unsubscribed !== undefined}`;
    if (shape === 'false:false') continue;
    groups.set(shape, [...(groups.get(shape) ?? []), row]);
  }
  for (const rows of groups.values()) {
    const withStage = rows[0]!.stage !== undefined;
    const withUnsubscribed = rows[0]!.unsubscribed !== undefined;
    for (const part of chunked(rows, 500)) {
      await db
        .insertInto('lead_products')
        .values(
          part.map((r) => ({
            lead_id: r.leadId,
            product_line: r.productLine,
            ...(r.stage !== undefined ? { stage: r.stage } : {}),
            ...(r.unsubscribed !== undefined ? { unsubscribed: r.unsubscribed } : {}),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['lead_id', 'product_line']).doUpdateSet((eb) => ({
            ...(withStage ? { stage: eb.ref('excluded.stage') } : {}),
            ...(withUnsubscribed ? { unsubscribed: eb.ref('excluded.unsubscribed') } : {}),
          })),
        )
        .execute();
    }
  }
}

/**
 * One standing out of the survivor's and the merged lead's in the same product line: the higher
 * score (with its rank), the more advanced stage, hot and unsubscribed if either was, the latest
 * activity, the first time it became hot, and today's per-rule points added up.
 */
export function combineStanding(survivor: ProductRow, merged: ProductRow): ProductRow {
  const higher = merged.score > survivor.score || (merged.score === survivor.score && betterRank(merged.rank, survivor.rank)) ? merged : survivor;
  return {
    ...survivor,
    score: higher.score,
    rank: higher.rank,
    stage: (STAGE_ORDER[merged.stage] ?? -1) > (STAGE_ORDER[survivor.stage] ?? -1) ? merged.stage : survivor.stage,
    hot: survivor.hot || merged.hot,
    unsubscribed: survivor.unsubscribed || merged.unsubscribed,
    last_activity_at: latest(survivor.last_activity_at, merged.last_activity_at),
    hot_at: earliest(survivor.hot_at, merged.hot_at),
    daily: combineDaily(survivor.daily, merged.daily),
  };
}

function betterRank(a: string | null, b: string | null): boolean {
  return a !== null && (b === null || a < b);
}

function latest(a: Date | null, b: Date | null): Date | null {
  return a === null ? b : b === null ? a : a > b ? a : b;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  return a === null ? b : b === null ? a : a < b ? a : b;
}

type Daily = ProductRow['daily'];

/** Same day: both records' points count against the day's caps; otherwise the later day's tally. */
function combineDaily(a: Daily, b: Daily): Daily {
  if (a.day !== b.day) return (a.day ?? '') >= (b.day ?? '') ? a : b;
  const points: Record<string, number> = { ...a.points };
  for (const [rule, n] of Object.entries(b.points ?? {})) points[rule] = (points[rule] ?? 0) + n;
  return { ...a, points };
}
