// Renaming a scenario, and changing its description: the scenario's own name and the name and
// description its draft carries (what the editor shows and the next version will be published
// with) change together, in any status — an archived scenario can still be renamed. Published
// versions keep the name they were published with.
import { sql } from 'kysely';
import { recordAudit, recordDraftSave } from '../audit/index.ts';
import type { Runtime } from '../runtime.ts';
import { enrollmentCounts, lockScenario, summary, type ScenarioDetail } from './scenarios.ts';

/** What a rename may change. */
export interface ScenarioRename {
  name: string;
  description?: string | undefined;
}

/**
 * Renames the scenario (and sets its description when given) in one transaction; 404 when there is
 * none, and returns the scenario as GET /scenarios/:id does. The audit log gets `scenario.renamed`
 * when the name changed, and a draft change when only the description did.
 */
export async function renameScenario(rt: Runtime, id: string, change: ScenarioRename, actor: string): Promise<ScenarioDetail> {
  const at = new Date(rt.clock.now());
  return rt.db.transaction().execute(async (trx) => {
    const row = await lockScenario(trx, id);
    const draftName = typeof row.draft['name'] === 'string' && row.draft['name'] !== '' ? row.draft['name'] : null;
    const from = draftName ?? row.name;
    const before = typeof row.draft['description'] === 'string' ? row.draft['description'] : '';
    const description = change.description ?? before;
    const fields = { name: change.name, ...(change.description !== undefined ? { description: change.description } : {}) };
    const updated = await trx
      .updateTable('scenarios')
      .set({ name: change.name, draft: sql`draft || ${fields}::jsonb`, updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (from !== change.name) {
      await recordAudit(trx, { productLine: row.product_line, actor, action: 'scenario.renamed', objectKind: 'scenario', objectId: id, at, details: { from, to: change.name } });
    } else if (description !== before) {
      await recordDraftSave(trx, { productLine: row.product_line, actor, objectId: id, at });
    }
    return { ...summary(updated), draft: updated.draft, enrollments: await enrollmentCounts(trx, id) };
  });
}
