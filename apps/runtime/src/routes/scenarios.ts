// /scenarios: create and list scenarios, save and validate drafts, publish versions, read versions,
// and pause, resume or archive. The rules live in ../scenarios/; this file is the HTTP shape.
import { idSchema, productLineIdSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { assertDraftSize, checkDocument } from '../scenarios/draft-document.ts';
import { changeStatus, TRANSITIONS, type StatusAction } from '../scenarios/lifecycle.ts';
import { publishScenario } from '../scenarios/publish.ts';
import { renameScenario } from '../scenarios/rename.ts';
import { createScenario, getScenario, listScenarios, saveDraft, scenarioRow } from '../scenarios/scenarios.ts';
import { jsonObjectSchema, nameSchema, refineStorable } from '../scenarios/storable-json.ts';
import { getVersion, listVersions } from '../scenarios/versions.ts';
import { scenarioProductLine } from '../auth/owners.ts';
import { listScope } from '../auth/scope.ts';

const tag = 'Scenarios';
const statuses = ['draft', 'active', 'paused', 'archived'] as const;

const params = z.object({ id: idSchema });
const versionParams = params.extend({
  version: z.coerce.number({ error: 'must be a version number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).max(2_147_483_647),
});

const problem = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  nodeId: z.string().nullable(),
  field: z.string(),
  message: z.object({ en: z.string(), ja: z.string() }),
});
const checked = { problems: z.array(problem), errors: z.number().int(), warnings: z.number().int() };
const summary = z.object({
  id: z.string(),
  productLine: z.string(),
  name: z.string(),
  status: z.enum(statuses),
  publishedVersion: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const detail = summary.extend({
  draft: z.record(z.string(), z.unknown()),
  enrollments: z.object({ active: z.number(), waiting: z.number(), completed: z.number(), exited: z.number(), failed: z.number(), total: z.number() }),
});
const versionSummary = z.object({ version: z.number().int(), note: z.string(), publishedAt: z.string(), current: z.boolean() });

const createBody = z.strictObject({
  id: idSchema.optional(),
  productLine: productLineIdSchema,
  name: nameSchema,
  draft: jsonObjectSchema.optional(),
});

const renameBody = z.strictObject({
  name: nameSchema,
  // The format's own limit for a scenario's description.
  description: z.string({ error: 'must be text' }).max(5000, { error: 'must be at most 5,000 characters' }).superRefine(refineStorable).optional(),
});

const publishBody = z.strictObject({
  note: z.string({ error: 'must be text' }).trim().min(1, { error: 'say what changed in this version' }).max(2000),
  moveEnrollments: z.boolean({ error: 'must be true or false' }).default(false),
});

const statusSummaries: Record<StatusAction, string> = {
  pause: 'Pause an active scenario: its leads stay where they are and no lead enters',
  resume: 'Resume a paused scenario',
  archive: 'Archive a scenario for good, exiting its running enrollments',
};

/**
 * Scenario routes. A new scenario on an unknown product line is a 422 naming `body.productLine`;
 * archived scenarios are read-only (409 on draft, publish and status changes).
 */
export const scenarioRoutes: Routes = (api, rt) => {
  const ofScenario = ({ params }: { params: { id: string } }) => scenarioProductLine(rt.db, params.id);
  api.route(
    { method: 'post', path: '/scenarios', summary: 'Create a scenario (the id is generated from the name when not given)', tag, bodyKind: 'document', body: createBody, status: 201, response: detail, access: { need: 'write', productLine: ({ body }) => body.productLine } },
    ({ body, auth }) => {
      if (body.draft !== undefined) assertDraftSize(body.draft, 'body.draft');
      return createScenario(rt, body, auth.actor);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/scenarios',
      summary: 'List scenarios, by product line and status',
      tag,
      query: z.object({ productLine: productLineIdSchema.optional(), status: z.enum(statuses, { error: `must be one of ${statuses.join(', ')}` }).optional() }),
      response: z.object({ scenarios: z.array(summary) }),
      access: { org: 'member' },
    },
    async ({ query, auth }) => ({ scenarios: await listScenarios(rt.db, { ...query, productLines: listScope(auth) }) }),
  );

  api.route(
    { method: 'get', path: '/scenarios/:id', summary: 'Get a scenario with its draft and enrollment counts by status', tag, params, response: detail, access: { need: 'read', productLine: ofScenario } },
    ({ params }) => getScenario(rt.db, params.id),
  );

  api.route(
    {
      method: 'patch',
      path: '/scenarios/:id',
      summary: 'Rename a scenario and set its description, in any status (its draft carries both; published versions keep theirs)',
      tag,
      params,
      body: renameBody,
      response: detail,
      access: { need: 'write', productLine: ofScenario },
    },
    ({ params, body, auth }) => renameScenario(rt, params.id, body, auth.actor),
  );

  api.route(
    {
      method: 'put',
      path: '/scenarios/:id/draft',
      bodyKind: 'document',
      summary: 'Save the draft in any state; its problems are returned, never blocking the save',
      tag,
      params,
      body: jsonObjectSchema,
      response: z.object({ scenario: summary, ...checked }),
      access: { need: 'write', productLine: ofScenario },
    },
    ({ params, body, auth }) => {
      assertDraftSize(body, 'body');
      return saveDraft(rt, params.id, body, auth.actor);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/scenarios/:id/validate',
      bodyKind: 'document',
      summary: 'Validate the stored draft, or the document in the body, against the product lines and scenarios that exist',
      tag,
      params,
      body: jsonObjectSchema.optional(),
      response: z.object(checked),
      access: { need: 'read', productLine: ofScenario },
    },
    async ({ params, body }) => {
      if (body !== undefined) assertDraftSize(body, 'body');
      const row = await scenarioRow(rt.db, params.id);
      const { graph: _graph, ...result } = await checkDocument(rt.db, row, body ?? row.draft);
      return result;
    },
  );

  api.route(
    {
      method: 'post',
      path: '/scenarios/:id/publish',
      summary: 'Publish the draft as the next immutable version (422 listing every error when it has any)',
      tag,
      params,
      body: publishBody,
      status: 201,
      response: z.object({ scenario: summary, ...versionSummary.omit({ current: true }).shape, problems: z.array(problem), moved: z.number().int(), stayed: z.number().int() }),
      access: { need: 'write', productLine: ofScenario },
    },
    ({ params, body, auth }) => publishScenario(rt, params.id, body, auth.actor),
  );

  api.route(
    { method: 'get', path: '/scenarios/:id/versions', summary: 'List published versions, newest first', tag, params, response: z.object({ versions: z.array(versionSummary) }), access: { need: 'read', productLine: ofScenario } },
    async ({ params }) => ({ versions: await listVersions(rt.db, params.id) }),
  );

  api.route(
    {
      method: 'get',
      path: '/scenarios/:id/versions/:version',
      summary: 'Get a published version with its graph',
      tag,
      params: versionParams,
      response: versionSummary.extend({ scenarioId: z.string(), graph: z.record(z.string(), z.unknown()) }),
      access: { need: 'read', productLine: ofScenario },
    },
    ({ params }) => getVersion(rt.db, params.id, params.version),
  );

  for (const action of Object.keys(TRANSITIONS) as StatusAction[]) {
    api.route(
      {
        method: 'post',
        path: `/scenarios/:id/${action}`,
        summary: `${statusSummaries[action]} (409 from ${statuses.filter((s) => !TRANSITIONS[action].from.includes(s)).join(', ')})`,
        tag,
        params,
        response: z.object({ scenario: summary, exited: z.number().int() }),
        access: { need: 'write', productLine: ofScenario },
      },
      ({ params, auth }) => changeStatus(rt, params.id, action, auth.actor),
    );
  }
};
