// /scenarios/:id/node-counts: per node of a published scenario, the leads there now, those that
// reached it so far, and the enrollments that ended there — what the editor draws on the canvas.
import { idSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { scenarioProductLine } from '../auth/owners.ts';
import { ApiError } from '../errors.ts';
import { nodeCounts } from '../scenarios/node-counts.ts';
import { scenarioRow } from '../scenarios/scenarios.ts';

const counts = z.object({
  scenarioId: z.string(),
  version: z.number().int().nullable(),
  nodes: z.array(z.object({ nodeId: z.string(), now: z.number().int(), passed: z.number().int(), ended: z.number().int() })),
});

/** The node counts route. An unknown scenario is a 404, an unknown version one naming `query.version`. */
export const scenarioCountRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/scenarios/:id/node-counts',
      summary: 'Per node: leads there now, leads that reached it (each once; of one version, or all), enrollments that ended there',
      tag: 'Scenarios',
      params: z.object({ id: idSchema }),
      query: z.object({
        version: z.coerce.number({ error: 'must be a version number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).max(2_147_483_647).optional(),
      }),
      response: counts,
      access: { need: 'read', productLine: ({ params }) => scenarioProductLine(rt.db, params.id) },
    },
    async ({ params, query }) => {
      await scenarioRow(rt.db, params.id);
      if (query.version !== undefined) {
        const found = await rt.db.selectFrom('scenario_versions').select('version').where('scenario_id', '=', params.id).where('version', '=', query.version).executeTakeFirst();
        if (!found) throw new ApiError(404, 'not_found', `scenario "${params.id}" has no version ${query.version}`, [{ path: 'query.version', message: 'no such version' }]);
      }
      return { scenarioId: params.id, version: query.version ?? null, nodes: await nodeCounts(rt.db, params.id, query.version) };
    },
  );
};
