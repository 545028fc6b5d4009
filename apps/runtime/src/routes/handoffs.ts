// /handoffs: hand-offs to sales with their records — why the lead came (score history, recent
// events, the path through the scenario, the node's reason) and how sales were told. Accepting and
// returning one are in outbox.ts with the other answers people give. Records are joined by key
// alone: a lead merge (名寄せ) re-points the outbox row to the surviving lead, not the record.
import type { Selectable } from 'kysely';
import type { HandoffsTable } from '@nurtureflow/db';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { notFound } from '../errors.ts';
import { listQuery, outboxItem } from './outbox.ts';
import { outboxProductLine } from '../auth/owners.ts';
import { listScope, READS } from '../auth/scope.ts';

const tag = 'sales';
const keyParam = z.object({ key: z.string().min(1).max(400) });

/** Hand-off routes: the list (filtered like every outbox list) and one hand-off by key. */
export const handoffRoutes: Routes = (api, rt) => {
  api.route({ method: 'get', path: '/handoffs', summary: 'Hand-offs to sales, each with the record of why and how sales were told', tag, query: listQuery, access: { org: 'member' } }, async ({ query: q, auth }) => {
    let query = rt.db
      .selectFrom('outbox as o')
      .leftJoin('handoffs as h', 'h.key', 'o.key')
      .selectAll('o')
      .select(['h.record', 'h.notification', 'h.created_at as recorded_at'])
      .where('o.type', '=', 'handOff')
      .orderBy('o.created_at')
      .orderBy('o.key')
      .limit(q.limit);
    if (q.productLine) query = query.where('o.product_line', '=', q.productLine);
    if (q.scenarioId) query = query.where('o.scenario_id', '=', q.scenarioId);
    if (q.leadId) query = query.where('o.lead_id', '=', q.leadId);
    if (q.status) query = query.where('o.status', '=', q.status);
    const mine = listScope(auth, READS);
    if (mine) query = query.where('o.product_line', 'in', mine);
    const rows = await query.execute();
    return { items: rows.map((r) => ({ ...outboxItem(r), ...recordView(r) })) };
  });

  api.route({ method: 'get', path: '/handoffs/:key', summary: 'One hand-off with its record', tag, params: keyParam, access: { need: ['read', 'sales'], productLine: ({ params }) => outboxProductLine(rt.db, params.key) } }, async ({ params }) => {
    const row = await rt.db
      .selectFrom('outbox as o')
      .leftJoin('handoffs as h', 'h.key', 'o.key')
      .selectAll('o')
      .select(['h.record', 'h.notification', 'h.created_at as recorded_at'])
      .where('o.key', '=', params.key)
      .where('o.type', '=', 'handOff')
      .executeTakeFirst();
    if (!row) throw notFound('hand-off', params.key);
    return { ...outboxItem(row), ...recordView(row) };
  });
};

/** The record part of a hand-off: null until the hand-off channel has written it. */
function recordView(r: { record: Selectable<HandoffsTable>['record'] | null; notification: Selectable<HandoffsTable>['notification'] | null; recorded_at: Date | null }) {
  return { record: r.record, notification: r.notification, recordedAt: r.recorded_at?.toISOString() ?? null };
}
