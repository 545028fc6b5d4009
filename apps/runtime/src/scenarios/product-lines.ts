// Product lines (商材): each owns its scenarios, scoring, caps, quiet hours and hand-off address.
// Settings are stored as parsed (defaults filled in), so every reader sees the same complete shape.
import type { DB } from '@nurtureflow/db';
import { productLineSettingsSchema, type ProductLineSettings } from '@nurtureflow/scenario';
import type { Kysely, Selectable } from 'kysely';
import { recordAudit, scoringChange, settingsChange } from '../audit/index.ts';
import { conflict, notFound } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { maskSettings, refuseMaskedSmtp, withStoredSecrets, type SettingsPatch } from './product-line-secrets.ts';

/** A product line as the API shows it: settings without their secrets (product-line-secrets.ts), and which secrets are set. */
export interface ProductLineView {
  id: string;
  name: string;
  settings: ProductLineSettings;
  hasWebhookSecret: boolean;
  hasInboundSecret: boolean;
  createdAt: string;
  updatedAt: string;
}

type Row = Selectable<DB['product_lines']>;

function view(row: Row): ProductLineView {
  return {
    id: row.id,
    name: row.name,
    ...maskSettings(readSettings(row.id, row.settings)),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// Rows were parsed on write; parsing again fills defaults a newer schema added. A row that no longer
// parses is the operator's problem (a schema tightened without a migration), not the caller's.
function readSettings(id: string, stored: unknown): ProductLineSettings {
  const parsed = productLineSettingsSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`product line "${id}": stored settings do not match the current schema: ${parsed.error.message}`);
  return parsed.data;
}

/** Creates a product line; 409 when the id is taken. The audit log records who, in the same transaction. */
export async function createProductLine(
  rt: Runtime,
  input: { id: string; name: string; settings: ProductLineSettings },
  actor: string,
): Promise<ProductLineView> {
  refuseMaskedSmtp(input.settings);
  const at = new Date(rt.clock.now());
  const row = await rt.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('product_lines')
      .values({ id: input.id, name: input.name, settings: input.settings, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!created) {
      throw conflict('product_line_exists', `product line "${input.id}" already exists`, [{ path: 'body.id', message: 'is already taken' }]);
    }
    await recordAudit(trx, { productLine: input.id, actor, action: 'productLine.created', objectKind: 'productLine', objectId: input.id, at, details: { name: input.name } });
    return created;
  });
  return view(row);
}

/** Every product line, by id. */
export async function listProductLines(db: Kysely<DB>, only: readonly string[] | null = null): Promise<ProductLineView[]> {
  let query = db.selectFrom('product_lines').selectAll().orderBy('id');
  if (only) query = query.where('id', 'in', only);
  const rows = await query.execute();
  return rows.map(view);
}

/** One product line; 404 when it does not exist. */
export async function getProductLine(db: Kysely<DB>, id: string): Promise<ProductLineView> {
  const row = await db.selectFrom('product_lines').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('product line', id);
  return view(row);
}

/**
 * Renames a product line and/or replaces its settings as a whole (the form sends them all), except
 * its secrets: sent back masked or left out, the stored ones are kept. The audit log records a
 * rename, a scoring change (before and after) and other settings' changes (never a secret's value),
 * each only when something changed, in the same transaction.
 */
export async function updateProductLine(
  rt: Runtime,
  id: string,
  patch: { name?: string | undefined; settings?: SettingsPatch | undefined },
  actor: string,
): Promise<ProductLineView> {
  const at = new Date(rt.clock.now());
  const row = await rt.db.transaction().execute(async (trx) => {
    const stored = await trx.selectFrom('product_lines').select(['name', 'settings']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!stored) throw notFound('product line', id);
    const before = readSettings(id, stored.settings);
    const settings = patch.settings === undefined ? undefined : withStoredSecrets(patch.settings, before);
    const updated = await trx
      .updateTable('product_lines')
      .set({
        updated_at: at,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(settings !== undefined ? { settings } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const entry = { productLine: id, actor, objectKind: 'productLine', objectId: id, at } as const;
    if (patch.name !== undefined && patch.name !== stored.name) await recordAudit(trx, { ...entry, action: 'productLine.renamed', details: { from: stored.name, to: patch.name } });
    if (settings !== undefined) {
      const after = readSettings(id, updated.settings);
      const scoring = scoringChange(before, after);
      if (scoring) await recordAudit(trx, { ...entry, action: 'scoring.changed', details: scoring });
      const other = settingsChange(before, after);
      if (other) await recordAudit(trx, { ...entry, action: 'productLine.settingsChanged', details: other });
    }
    return updated;
  });
  return view(row);
}

/** The parsed settings of the given product lines; ids that do not exist are absent from the map. */
export async function getProductLineSettings(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, ProductLineSettings>> {
  const result = new Map<string, ProductLineSettings>();
  if (ids.length === 0) return result;
  const rows = await db.selectFrom('product_lines').select(['id', 'settings']).where('id', 'in', [...new Set(ids)]).execute();
  for (const row of rows) result.set(row.id, readSettings(row.id, row.settings));
  return result;
}

/** Every product line id, for validating references in graphs. */
export async function productLineIds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('product_lines').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
