// POST /scenarios/:id/simulate: runs a scenario's draft or a published version over sample leads
// (sent, or generated) on a virtual clock, through the same engine the worker uses, and returns
// the simulator's report. Nothing is written. Move targets' published graphs come along, so a
// cross-sell is followed into the other scenario.
import type { DB } from '@nurtureflow/db';
import { idSchema, type Graph, type GraphInput } from '@nurtureflow/scenario';
import {
  generateLeads,
  InvalidGraphError,
  personaSchema,
  sampleLeadSchema,
  simulateAsync,
  SimulationInputError,
  stepSchema,
  type SimulationInput,
} from '@nurtureflow/simulator';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { loadSettings, globalCaps } from '../core/settings.ts';
import { ApiError, problemIssues } from '../errors.ts';
import { checkDocument } from '../scenarios/draft-document.ts';
import { loadPublishedGraph } from '../scenarios/published-graph.ts';
import { scenarioRow } from '../scenarios/scenarios.ts';
import { scenarioProductLine } from '../auth/owners.ts';

/** The most sample leads one request simulates: seconds of work, a report of a few megabytes. */
export const MAX_SIMULATED_LEADS = 20_000;
/** The longest horizon, in days. */
export const MAX_SIMULATED_DAYS = 365;
/** At most this many scenarios are followed through moves. */
const MAX_GRAPHS = 20;

const bodySchema = z
  .strictObject({
    version: z.number({ error: 'must be a version number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).optional(),
    draft: z.literal(true, { error: 'must be true (simulate the draft), or leave it out' }).optional(),
    leads: z.array(sampleLeadSchema).min(1, { error: 'give at least one lead' }).max(MAX_SIMULATED_LEADS, { error: `at most ${MAX_SIMULATED_LEADS} leads per request` }).optional(),
    generate: z
      .number({ error: 'must be a number of leads' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be 1 or more' })
      .max(MAX_SIMULATED_LEADS, { error: `must be at most ${MAX_SIMULATED_LEADS}` })
      .optional(),
    locales: z.strictObject({ ja: z.number().min(0).optional(), en: z.number().min(0).optional() }).optional(),
    personas: z.array(personaSchema).min(1).max(100).optional(),
    arrivalDays: z.number({ error: 'must be a number of days' }).min(0).max(MAX_SIMULATED_DAYS).default(0),
    timeline: z.array(stepSchema).max(200_000, { error: 'at most 200,000 steps' }).optional(),
    days: z.number({ error: 'must be a number of days' }).min(1, { error: 'must be at least 1' }).max(MAX_SIMULATED_DAYS, { error: `must be at most ${MAX_SIMULATED_DAYS}` }).default(90),
    seed: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).default(1),
    start: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with an offset, e.g. 2026-04-06T09:00:00+09:00' }).optional(),
    trace: z.array(z.string().min(1).max(128)).max(20, { error: 'trace at most 20 leads' }).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.version !== undefined && b.draft !== undefined) ctx.addIssue({ code: 'custom', path: ['draft'], message: 'give version or draft, not both' });
    if (b.leads !== undefined && b.generate !== undefined) ctx.addIssue({ code: 'custom', path: ['generate'], message: 'give leads or generate, not both' });
    if (b.leads === undefined && b.generate === undefined) ctx.addIssue({ code: 'custom', path: ['leads'], message: 'give sample leads, or generate: n to make them up' });
    if (b.timeline !== undefined && (b.personas !== undefined || b.arrivalDays > 0)) {
      ctx.addIssue({ code: 'custom', path: ['timeline'], message: 'a scripted timeline replaces personas and arrivals; give one or the other' });
    }
  });

const reportSchema = z.looseObject({
  format: z.literal('nurtureflow.simulation'),
  formatVersion: z.literal(1),
  seed: z.number(),
  start: z.string(),
  end: z.string(),
  days: z.number(),
  leads: z.number(),
  scenarios: z.array(z.looseObject({ scenarioId: z.string(), nodes: z.array(z.looseObject({ id: z.string(), entered: z.number(), there: z.number(), exited: z.number() })) })),
  kpis: z.record(z.string(), z.unknown()),
  hot: z.record(z.string(), z.unknown()),
  messages: z.record(z.string(), z.unknown()),
  fatigue: z.record(z.string(), z.unknown()),
  traces: z.array(z.unknown()),
});

/** The graph to simulate: the version asked for, else the draft when asked or when nothing is published. */
async function graphToSimulate(db: Kysely<DB>, id: string, body: { version?: number | undefined; draft?: true | undefined }): Promise<GraphInput | Graph> {
  const row = await scenarioRow(db, id);
  const version = body.version ?? (body.draft ? undefined : (row.published_version ?? undefined));
  if (version !== undefined) return loadPublishedGraph(db, id, version);
  const checked = await checkDocument(db, row, row.draft);
  if (checked.errors > 0 || checked.graph === null) {
    throw new ApiError(422, 'invalid_graph', `the draft has ${checked.errors} error${checked.errors === 1 ? '' : 's'} to fix before it can be simulated`, problemIssues(checked.problems.filter((p) => p.severity === 'error')).map((i) => ({ ...i, path: `draft.${i.path}` })));
  }
  return checked.graph;
}

/** Published graphs of the scenarios the graph moves leads into, and theirs, in turn. */
async function moveTargets(db: Kysely<DB>, first: GraphInput | Graph): Promise<Graph[]> {
  const seen = new Set([first.scenarioId]);
  const out: Graph[] = [];
  const queue: (GraphInput | Graph)[] = [first];
  while (queue.length > 0 && out.length < MAX_GRAPHS) {
    const g = queue.shift()!;
    for (const node of Object.values(g.nodes)) {
      if (node.kind !== 'move' || seen.has(node.scenarioId)) continue;
      seen.add(node.scenarioId);
      const target = await db.selectFrom('scenarios').select(['published_version']).where('id', '=', node.scenarioId).where('status', '=', 'active').executeTakeFirst();
      if (target?.published_version == null) continue;
      const graph = await loadPublishedGraph(db, node.scenarioId, target.published_version);
      out.push(graph);
      queue.push(graph);
    }
  }
  return out;
}

/** Problems the simulator found in the input, as 400s naming the body's fields. */
function asApiError(e: unknown): unknown {
  if (e instanceof SimulationInputError) {
    const issues = e.issues.map((i) => ({ path: `body.${i.path}`, message: i.message }));
    return new ApiError(400, 'invalid_request', `${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  if (e instanceof InvalidGraphError) {
    return new ApiError(422, 'invalid_graph', e.message.split('\n')[0]!, problemIssues(e.problems).map((i) => ({ ...i, path: `graphs.${e.scenarioId}.${i.path}` })));
  }
  return e;
}

/** The simulate route. */
export const simulateRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'post',
      path: '/scenarios/:id/simulate',
      bodyKind: 'bulk',
      summary: `Simulate the scenario (its published version, a version, or the draft) over sample leads — sent, or generated (at most ${MAX_SIMULATED_LEADS}) — on a virtual clock; nothing is sent or stored`,
      tag: 'Scenarios',
      params: z.object({ id: idSchema }),
      body: bodySchema,
      response: reportSchema,
      access: { need: 'simulate', productLine: ({ params }) => scenarioProductLine(rt.db, params.id) },
    },
    async ({ params, body }) => {
      const graph = await graphToSimulate(rt.db, params.id, body);
      const [targets, settings] = await Promise.all([moveTargets(rt.db, graph), loadSettings(rt.db)]);
      const productLine = graph.productLine;
      const caps = globalCaps();
      const input: SimulationInput = {
        graphs: [graph, ...targets],
        productLines: Object.fromEntries(settings),
        leads: body.leads ?? generateLeads(body.generate!, { seed: body.seed, productLine, ...(body.locales ? { locales: body.locales } : {}) }),
        behaviour: body.timeline !== undefined ? { timeline: body.timeline } : { ...(body.personas ? { personas: body.personas } : {}), arrival: { days: body.arrivalDays } },
        start: body.start ?? rt.clock.now(),
        days: body.days,
        seed: body.seed,
        ...(body.trace ? { trace: body.trace } : {}),
        ...(caps ? { globalCaps: caps } : {}),
      };
      try {
        return await simulateAsync(input);
      } catch (e) {
        throw asApiError(e);
      }
    },
  );
};
