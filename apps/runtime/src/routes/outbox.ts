import type { OutboxTable } from '@nurtureflow/db';
import { CALL_OUTCOMES } from '@nurtureflow/scenario';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { answerEffect } from '../core/answer.ts';
import { ApiError } from '../errors.ts';
import type { Auth } from '../auth/access.ts';
import { outboxProductLine } from '../auth/owners.ts';
import { listScope, READS } from '../auth/scope.ts';

const EFFECT_TYPES = ['sendEmail', 'createCallTask', 'handOff', 'printJob', 'callWebhook', 'changeScore', 'updateLead', 'enroll', 'goalReached', 'exited'] as const;
/** The filters every outbox list takes. */
export const listQuery = z.object({
  productLine: z.string().max(64).optional(),
  scenarioId: z.string().max(200).optional(),
  leadId: z.string().max(200).optional(),
  status: z.enum(['pending', 'sent', 'done', 'failed', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const keyParam = z.object({ key: z.string().min(1).max(400) });

/** An outbox row as the API lists it. */
export function outboxItem(r: Selectable<OutboxTable>) {
  return {
    key: r.key,
    leadId: r.lead_id,
    enrollmentId: r.enrollment_id,
    scenarioId: r.scenario_id,
    productLine: r.product_line,
    type: r.type,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    effect: r.payload,
  };
}

/** Answers an effect; an unknown or already answered key is refused naming `params.key`. */
async function answerByKey(...args: Parameters<typeof answerEffect>): ReturnType<typeof answerEffect> {
  try {
    return await answerEffect(...args);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 409) && e.issues.length === 0) {
      throw new ApiError(e.status, e.code, e.message, [{ path: 'params.key', message: e.status === 404 ? 'no such key' : 'was already answered' }]);
    }
    throw e;
  }
}

/** The outbox: every effect a step recorded, and the answers people give to call tasks and hand-offs. */
export const outboxRoutes: Routes = (api, rt) => {
  const list = async (type: (typeof EFFECT_TYPES)[number] | undefined, q: z.infer<typeof listQuery>, auth: Auth) => {
    let query = rt.db.selectFrom('outbox').selectAll().orderBy('created_at').orderBy('key').limit(q.limit);
    // Sales see their product line's call tasks too; the rest of the outbox is for readers.
    const mine = listScope(auth, type === 'createCallTask' ? READS : ['read']);
    if (mine) query = query.where('product_line', 'in', mine);
    if (type) query = query.where('type', '=', type);
    if (q.productLine) query = query.where('product_line', '=', q.productLine);
    if (q.scenarioId) query = query.where('scenario_id', '=', q.scenarioId);
    if (q.leadId) query = query.where('lead_id', '=', q.leadId);
    if (q.status) query = query.where('status', '=', q.status);
    const rows = await query.execute();
    return { items: rows.map(outboxItem) };
  };
  api.route(
    { method: 'get', path: '/outbox', summary: 'Every recorded effect, filtered', tag: 'outbox', query: listQuery.extend({ type: z.enum(EFFECT_TYPES).optional() }), access: { org: 'member' } },
    ({ query, auth }) => list(query.type, query, auth),
  );
  for (const [path, type, summary] of [
    ['/messages', 'sendEmail', 'E-mails to send or sent'],
    ['/call-tasks', 'createCallTask', 'Call tasks for inside sales'],
    // GET /handoffs and GET /print-jobs list with their records: routes/handoffs.ts, routes/print-jobs.ts.
    ['/webhooks', 'callWebhook', 'Webhook calls'],
  ] as const) {
    api.route({ method: 'get', path, summary, tag: 'outbox', query: listQuery, access: { org: 'member' } }, ({ query, auth }) => list(type, query, auth));
  }
  api.route(
    {
      method: 'post',
      path: '/call-tasks/:key/complete',
      summary: 'Complete a call task with its outcome; the lead moves on',
      tag: 'outbox',
      params: keyParam,
      body: z.object({ outcome: z.enum(CALL_OUTCOMES, { error: `must be one of ${CALL_OUTCOMES.join(', ')}` }), note: z.string().max(2000).optional() }),
      access: { need: 'sales', productLine: ({ params }) => outboxProductLine(rt.db, params.key) },
    },
    ({ params, body }) => answerByKey(rt, params.key, 'createCallTask', { kind: 'call_completed', data: { outcome: body.outcome, note: body.note ?? null } }),
  );
  for (const [answer, kind] of [
    ['accept', 'handoff_accepted'],
    ['return', 'handoff_returned'],
  ] as const) {
    api.route(
      {
        method: 'post',
        path: `/handoffs/:key/${answer}`,
        summary: answer === 'accept' ? 'Sales accepts a hand-off' : 'Sales returns a hand-off; the lead goes back to nurturing',
        tag: 'outbox',
        params: keyParam,
        body: z.object({ note: z.string().max(2000).optional() }).default({}),
        access: { need: 'sales', productLine: ({ params }) => outboxProductLine(rt.db, params.key) },
      },
      ({ params, body }) => answerByKey(rt, params.key, 'handOff', { kind, data: { note: body.note ?? null } }),
    );
  }
};
