import { productLineSettingsSchema, type ProductLineSettings, type Scoring } from '@nurtureflow/scenario';
import type { Db } from './bulk.ts';

/** Every product line's settings, parsed (defaults filled in); few rows, read per batch so changes apply at once. */
export async function loadSettings(db: Db): Promise<Map<string, ProductLineSettings>> {
  const rows = await db.selectFrom('product_lines').select(['id', 'settings']).execute();
  return new Map(rows.map((r) => [r.id, productLineSettingsSchema.parse(r.settings)]));
}

/** The scoring settings by product line, as the engine's context wants them. */
export function scoringOf(settings: ReadonlyMap<string, ProductLineSettings>): Record<string, Scoring> {
  return Object.fromEntries([...settings].map(([id, s]) => [id, s.scoring]));
}
