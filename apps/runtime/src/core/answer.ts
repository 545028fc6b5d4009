import type { Runtime } from '../runtime.ts';
import { conflict, notFound } from '../errors.ts';
import { withRetry } from './bulk.ts';
import { noFollowUps } from './commit.ts';
import { ingestInTransaction, settle } from './ingest.ts';
import { loadSettings } from './settings.ts';

/**
 * A person answers an effect — inside sales completes a call task, sales accepts or returns a
 * hand-off: the outbox row is closed and the answer enters as an event for the enrollment that
 * waits on that key, in one transaction, so an answer is never half recorded.
 */
export async function answerEffect(
  rt: Runtime,
  key: string,
  type: 'createCallTask' | 'handOff',
  event: { kind: string; data: Record<string, string | number | boolean | null> },
): Promise<{ key: string; leadId: string; event: string }> {
  return withRetry(() =>
    rt.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('outbox').selectAll().where('key', '=', key).where('type', '=', type).forUpdate().executeTakeFirst();
      if (!row) throw notFound(type === 'createCallTask' ? 'call task' : 'hand-off', key);
      if (row.status !== 'pending' && row.status !== 'sent') throw conflict('already_answered', `${type === 'createCallTask' ? 'call task' : 'hand-off'} "${key}" was already answered`);
      const now = rt.clock.now();
      await trx
        .updateTable('outbox')
        .set({ status: 'done', updated_at: new Date(now), last_error: null })
        .where('lead_id', '=', row.lead_id)
        .where('key', '=', key)
        .execute();
      const settings = await loadSettings(trx);
      const follow = noFollowUps();
      const id = `answer:${key}`;
      await ingestInTransaction(
        trx,
        rt,
        [{ id, kind: event.kind, leadId: row.lead_id, at: new Date(now).toISOString(), productLine: row.product_line, scenarioId: row.scenario_id, nodeId: row.payload.nodeId, effectKey: key, data: event.data }],
        settings,
        follow,
      );
      await settle(trx, rt, settings, follow);
      return { key, leadId: row.lead_id, event: id };
    }),
  );
}
