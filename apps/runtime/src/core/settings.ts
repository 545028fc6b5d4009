import type { EngineContext } from '@nurtureflow/engine';
import { productLineSettingsSchema, type ProductLineSettings } from '@nurtureflow/scenario';
import type { Db } from './bulk.ts';

/** Every product line's settings, parsed (defaults filled in); few rows, read per batch so changes apply at once. */
export async function loadSettings(db: Db): Promise<Map<string, ProductLineSettings>> {
  const rows = await db.selectFrom('product_lines').select(['id', 'settings']).execute();
  return new Map(rows.map((r) => [r.id, productLineSettingsSchema.parse(r.settings)]));
}

/** GLOBAL_CAP_PER_WEEK parsed: a whole number of at least 1, undefined when unset; anything else throws (main refuses to start). */
export function parseGlobalCap(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`GLOBAL_CAP_PER_WEEK must be a whole number of at least 1, got "${raw}"`);
  return n;
}

/** The cap across all product lines (GLOBAL_CAP_PER_WEEK), read from the environment at each use (tests set it); undefined when unset. */
export function globalCaps(): EngineContext['globalCaps'] {
  try {
    const perWeek = parseGlobalCap(process.env['GLOBAL_CAP_PER_WEEK']);
    return perWeek === undefined ? undefined : { perWeek };
  } catch {
    return undefined;
  }
}

/** The engine's context from the product lines' settings: scoring, quiet hours and caps per product line, and the global cap. */
export function engineContext(settings: ReadonlyMap<string, ProductLineSettings>): EngineContext {
  const global = globalCaps();
  return {
    ...(global ? { globalCaps: global } : {}),
    scoring: Object.fromEntries([...settings].map(([id, s]) => [id, s.scoring])),
    productLines: Object.fromEntries(
      [...settings].map(([id, s]) => [id, { ...(s.quietHours ? { quietHours: s.quietHours } : {}), frequencyCaps: s.frequencyCaps }]),
    ),
  };
}

/** True when the product line (or the global cap) limits how many messages a lead gets, so its leads' recent messages must be read. */
export function capsMessages(settings: ProductLineSettings | undefined): boolean {
  if (globalCaps() !== undefined) return true;
  return settings !== undefined && (settings.frequencyCaps.perWeek !== undefined || settings.frequencyCaps.perDay !== undefined);
}
