import { z } from 'zod';
import type { Routes } from '../app.ts';
import { withRetry } from '../core/bulk.ts';
import { noFollowUps } from '../core/commit.ts';
import { enrollLeads } from '../core/enroll.ts';
import { publishedGraphs, versionKey } from '../core/graphs.ts';
import { settle } from '../core/ingest.ts';
import { loadSettings } from '../core/settings.ts';
import { sweepSegments } from '../core/sweep.ts';
import { ApiError, conflict, notFound, type Issue } from '../errors.ts';
import { enrollmentProductLine, scenarioProductLine } from '../auth/owners.ts';
import { assertWritable, listScope } from '../auth/scope.ts';

const STATUSES = ['active', 'waiting', 'completed', 'exited', 'failed'] as const;
const idParam = z.object({ id: z.string().min(1).max(200) });

/** Enrollments: where every lead is, enrolling by hand or import, exiting by hand, segment sweeps. */
export const enrollmentRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/enrollments',
      summary: 'Enrollments by scenario, node, status or lead',
      tag: 'enrollments',
      query: z.object({
        scenarioId: z.string().max(200).optional(),
        nodeId: z.string().max(64).optional(),
        status: z.enum(STATUSES).optional(),
        leadId: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        after: z.string().max(200).optional(),
      }),
      access: { org: 'member' },
    },
    async ({ query, auth }) => {
      let q = rt.db.selectFrom('enrollments').select(['lead_id', 'id', 'scenario_id', 'version', 'product_line', 'status', 'node_id', 'wake_at', 'wait_events', 'created_at', 'updated_at']).orderBy('id').limit(query.limit);
      const mine = listScope(auth);
      if (mine) q = q.where('product_line', 'in', mine);
      if (query.scenarioId) q = q.where('scenario_id', '=', query.scenarioId);
      if (query.nodeId) q = q.where('node_id', '=', query.nodeId);
      if (query.status) q = q.where('status', '=', query.status);
      if (query.leadId) q = q.where('lead_id', '=', query.leadId);
      if (query.after) q = q.where('id', '>', query.after);
      const rows = await q.execute();
      return { items: rows.map(enrollmentJson), next: rows.length === query.limit ? rows[rows.length - 1]!.id : null };
    },
  );
  api.route(
    {
      method: 'get',
      path: '/enrollments/counts',
      summary: 'How many enrollments are at each node now, by status (for the canvas)',
      tag: 'enrollments',
      query: z.object({ scenarioId: z.string().min(1).max(200), version: z.coerce.number().int().min(1).optional() }),
      access: { need: 'read', productLine: ({ query }) => scenarioProductLine(rt.db, query.scenarioId) },
    },
    async ({ query }) => {
      let q = rt.db
        .selectFrom('enrollments')
        .select(['node_id', 'status', (eb) => eb.fn.countAll<number>().as('count')])
        .where('scenario_id', '=', query.scenarioId)
        .groupBy(['node_id', 'status']);
      if (query.version) q = q.where('version', '=', query.version);
      const rows = await q.execute();
      return { items: rows.map((r) => ({ nodeId: r.node_id, status: r.status, count: Number(r.count) })) };
    },
  );
  api.route(
    { method: 'get', path: '/enrollments/:id', summary: 'One enrollment with its history: where the lead went and why', tag: 'enrollments', params: idParam, access: { need: 'read', productLine: ({ params }) => enrollmentProductLine(rt.db, params.id) } },
    async ({ params }) => {
      const row = await rt.db.selectFrom('enrollments').selectAll().where('id', '=', params.id).executeTakeFirst();
      if (!row) throw noEnrollment(params.id);
      const history = await rt.db
        .selectFrom('enrollment_history')
        .selectAll()
        .where('lead_id', '=', row.lead_id)
        .where('enrollment_id', '=', row.id)
        .orderBy('seq')
        .execute();
      return {
        ...enrollmentJson(row),
        state: row.state,
        history: history.map((h) => ({ seq: h.seq, at: h.at.toISOString(), nodeId: h.node_id, output: h.output, to: h.to_node, reason: h.reason })),
      };
    },
  );
  api.route(
    {
      method: 'post',
      path: '/enrollments',
      bodyKind: 'bulk',
      summary: 'Enrol leads by hand or import into a scenario’s published version',
      tag: 'enrollments',
      status: 201,
      body: z.object({
        scenarioId: z.string().min(1).max(200),
        leadIds: z.array(z.string().min(1).max(200)).min(1, { error: 'name at least one lead' }).max(10_000, { error: 'at most 10,000 leads per request' }),
        triggerNodeId: z.string().min(1).max(64).optional(),
      }),
      access: { need: 'write', productLine: ({ body }) => scenarioProductLine(rt.db, body.scenarioId) },
    },
    async ({ body }) => {
      const scenario = await rt.db.selectFrom('scenarios').select(['id', 'status', 'published_version']).where('id', '=', body.scenarioId).executeTakeFirst();
      if (!scenario) throw noScenario(body.scenarioId);
      if (scenario.status !== 'active') throw conflict('scenario_not_active', `scenario "${body.scenarioId}" is ${scenario.status}; publish or resume it first`, [{ path: 'body.scenarioId', message: `is ${scenario.status}` }]);
      if (body.triggerNodeId !== undefined && scenario.published_version !== null) {
        // A wrong node is the request's mistake, not each lead's: say so once, naming the field.
        const version = scenario.published_version;
        const graph = (await publishedGraphs(rt.db, [{ scenarioId: body.scenarioId, version }])).get(versionKey(body.scenarioId, version));
        const node = graph?.nodes[body.triggerNodeId];
        if (graph && node?.kind !== 'trigger') {
          const why = node ? `is a node of kind ${node.kind}, not a trigger` : `is not a node of version ${version}`;
          throw new ApiError(422, 'not_a_trigger', `"${body.triggerNodeId}" ${why} of scenario "${body.scenarioId}"`, [{ path: 'body.triggerNodeId', message: why }]);
        }
      }
      const outcomes = await withRetry(() =>
        rt.db.transaction().execute(async (trx) => {
          const settings = await loadSettings(trx);
          const follow = noFollowUps();
          const at = rt.clock.now();
          const result = await enrollLeads(trx, body.leadIds.map((leadId) => ({ leadId, scenarioId: body.scenarioId, at, ...(body.triggerNodeId ? { triggerNodeId: body.triggerNodeId } : {}) })), settings, follow);
          await settle(trx, rt, settings, follow);
          return result;
        }),
      );
      return { enrolled: outcomes.filter((o) => o.enrolled).length, refused: outcomes.filter((o) => !o.enrolled).length, results: outcomes };
    },
  );
  api.route(
    { method: 'post', path: '/enrollments/:id/exit', summary: 'Take a lead out of a scenario by hand', tag: 'enrollments', params: idParam, body: z.object({ reason: z.string().max(200).default('manual') }).default({ reason: 'manual' }), access: { need: 'write', productLine: ({ params }) => enrollmentProductLine(rt.db, params.id) } },
    async ({ params, body }) =>
      rt.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('enrollments').selectAll().where('id', '=', params.id).forUpdate().executeTakeFirst();
        if (!row) throw noEnrollment(params.id);
        if (row.status !== 'waiting' && row.status !== 'active') {
          throw conflict('enrollment_ended', `enrollment "${params.id}" has already ended (${row.status})`, [{ path: 'params.id', message: `has already ended (${row.status})` }]);
        }
        const now = rt.clock.now();
        // The exit is the enrollment's next history row, so the state counts it as the engine would;
        // like archiving, it waits for nothing any more.
        const seq = row.state.seq + 1;
        const state = { ...row.state, status: 'exited' as const, seq, waiting: null, pendingKey: null, endedAt: now, endReason: body.reason };
        await trx
          .updateTable('enrollments')
          .set({ status: 'exited', state, wake_at: null, wait_events: null, updated_at: new Date(now) })
          .where('lead_id', '=', row.lead_id)
          .where('id', '=', row.id)
          .execute();
        await trx
          .insertInto('enrollment_history')
          .values({ lead_id: row.lead_id, enrollment_id: row.id, seq, at: new Date(now), node_id: row.node_id, output: null, to_node: null, reason: { code: 'exit', why: body.reason } })
          .execute();
        return enrollmentJson({ ...row, status: 'exited', wake_at: null, wait_events: null, updated_at: new Date(now) });
      }),
  );
  api.route(
    {
      method: 'post',
      path: '/triggers/sweep',
      summary: 'Check every lead against segment, score and rank triggers now (all scenarios, or one)',
      tag: 'enrollments',
      body: z.object({ scenarioId: z.string().min(1).max(200).optional() }).default({}),
      access: { org: 'member' },
    },
    async ({ body, auth }) => {
      if (body.scenarioId !== undefined) {
        const found = await rt.db.selectFrom('scenarios').select(['id', 'product_line']).where('id', '=', body.scenarioId).executeTakeFirst();
        if (!found || !(auth.orgAdmin || auth.roles.has(found.product_line))) throw noScenario(body.scenarioId);
        assertWritable(auth, [found.product_line], () => 'body.scenarioId');
        return { enrolled: await sweepSegments(rt, body.scenarioId) };
      }
      if (auth.orgAdmin) return { enrolled: await sweepSegments(rt) };
      // Everyone else sweeps the scenarios of the product lines they may change, one by one.
      const writable = auth.productLines('write') ?? [];
      const scenarios = writable.length === 0 ? [] : await rt.db.selectFrom('scenarios').select('id').where('product_line', 'in', writable).where('status', '=', 'active').orderBy('id').execute();
      let enrolled = 0;
      for (const s of scenarios) enrolled += await sweepSegments(rt, s.id);
      return { enrolled };
    },
  );
};

function noEnrollment(id: string): ApiError {
  return withIssue(notFound('enrollment', id), { path: 'params.id', message: 'no such enrollment' });
}

function noScenario(id: string): ApiError {
  return withIssue(notFound('scenario', id), { path: 'body.scenarioId', message: 'no such scenario' });
}

function withIssue(e: ApiError, issue: Issue): ApiError {
  return new ApiError(e.status, e.code, e.message, [issue]);
}

function enrollmentJson(r: {
  lead_id: string;
  id: string;
  scenario_id: string;
  version: number;
  product_line: string;
  status: string;
  node_id: string | null;
  wake_at: Date | null;
  wait_events: string[] | null;
  created_at?: Date;
  updated_at?: Date;
}) {
  return {
    id: r.id,
    leadId: r.lead_id,
    scenarioId: r.scenario_id,
    version: r.version,
    productLine: r.product_line,
    status: r.status,
    nodeId: r.node_id,
    wakeAt: r.wake_at?.toISOString() ?? null,
    waitingFor: r.wait_events ?? [],
    ...(r.created_at ? { createdAt: r.created_at.toISOString() } : {}),
    ...(r.updated_at ? { updatedAt: r.updated_at.toISOString() } : {}),
  };
}
