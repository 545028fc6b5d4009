// /webhooks/dead-letters: calls that failed for good — webhooks and sales notifications — with
// the last error and the attempts made, and a way to send one again once the cause is fixed.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { ApiError, conflict } from '../errors.ts';
import { outboxProductLine } from '../auth/owners.ts';
import { listScope } from '../auth/scope.ts';

const tag = 'webhooks';
/** Effects that call a URL: the webhook node's, and the hand-off's sales notification. */
const CALLING = ['callWebhook', 'handOff'] as const;

const query = z.object({
  productLine: z.string().max(64).optional(),
  scenarioId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const keyParam = z.object({ key: z.string().min(1).max(400) });

/** Dead-letter routes: the list, newest failure first, and the requeue. */
export const webhookRoutes: Routes = (api, rt) => {
  api.route({ method: 'get', path: '/webhooks/dead-letters', summary: 'Webhook calls and sales notifications that failed for good, with the last error', tag, query, access: { org: 'member' } }, async ({ query: q, auth }) => {
    let rows = rt.db
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'failed')
      .where('type', 'in', CALLING)
      .orderBy('updated_at', 'desc')
      .orderBy('key')
      .limit(q.limit);
    if (q.productLine) rows = rows.where('product_line', '=', q.productLine);
    if (q.scenarioId) rows = rows.where('scenario_id', '=', q.scenarioId);
    const mine = listScope(auth);
    if (mine) rows = rows.where('product_line', 'in', mine);
    return {
      items: (await rows.execute()).map((r) => ({
        key: r.key,
        type: r.type,
        leadId: r.lead_id,
        productLine: r.product_line,
        scenarioId: r.scenario_id,
        enrollmentId: r.enrollment_id,
        nodeId: r.payload.nodeId,
        url: r.payload.type === 'callWebhook' ? r.payload.url : null,
        attempts: r.attempts,
        lastError: r.last_error,
        failedAt: r.updated_at.toISOString(),
        createdAt: r.created_at.toISOString(),
      })),
    };
  });

  api.route(
    { method: 'post', path: '/webhooks/dead-letters/:key/retry', summary: 'Send a dead letter again: it goes back in the queue with a fresh count of attempts', tag, params: keyParam, status: 202, access: { need: 'write', productLine: ({ params }) => outboxProductLine(rt.db, params.key) } },
    async ({ params }) => {
      const now = new Date(rt.clock.now());
      const row = await rt.db.selectFrom('outbox').select(['lead_id', 'status']).where('key', '=', params.key).where('type', 'in', CALLING).executeTakeFirst();
      if (!row) throw new ApiError(404, 'not_found', `dead letter "${params.key}" does not exist`, [{ path: 'params.key', message: 'no such key' }]);
      const done = await rt.db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now, last_error: sql<string>`'requeued after: ' || coalesce(last_error, '')` })
        .where('lead_id', '=', row.lead_id)
        .where('key', '=', params.key)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) throw conflict('not_failed', `"${params.key}" is ${row.status}, not a dead letter`, [{ path: 'params.key', message: `is ${row.status}` }]);
      return { key: params.key, status: 'pending', nextAttemptAt: now.toISOString() };
    },
  );
};
