import type { EngineContext } from '@nurtureflow/engine';
import { productLineSettingsSchema, type ProductLineSettings } from '@nurtureflow/scenario';
import type { Db } from './bulk.ts';

/** Every product line's settings, parsed (defaults filled in); few rows, read per batch so changes apply at once. */
export async function loadSettings(db: Db): Promise<Map<string, ProductLineSettings>> {
  const rows = await db.selectFrom('product_lines').select(['id', 'settings']).execute();
  return new Map(rows.map((r) => [r.id, productLineSettingsSchema.parse(r.settings)]));
}

/** The engine's context from the product lines' settings: scoring, quiet hours and caps per product line. */
export function engineContext(settings: ReadonlyMap<string, ProductLineSettings>): EngineContext {
  return {
    scoring: Object.fromEntries([...settings].map(([id, s]) => [id, s.scoring])),
    productLines: Object.fromEntries(
      [...settings].map(([id, s]) => [id, { ...(s.quietHours ? { quietHours: s.quietHours } : {}), frequencyCaps: s.frequencyCaps }]),
    ),
  };
}

/** True when the product line caps how many messages a lead gets, so its leads' recent messages must be read. */
export function capsMessages(settings: ProductLineSettings | undefined): boolean {
  return settings !== undefined && (settings.frequencyCaps.perWeek !== undefined || settings.frequencyCaps.perDay !== undefined);
}
