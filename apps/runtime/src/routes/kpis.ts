// /product-lines/:pl/kpis (and .csv): sends, deliveries, opens, clicks, unsubscribes, bounces, hot
// leads, hand-offs and goals by day, scenario, version, node or split variant. /scenarios/:id/splits:
// the A/B results of a scenario's splits with the difference from the control and its confidence.
import { idSchema, productLineIdSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { scenarioProductLine } from '../auth/owners.ts';
import { ApiError, notFound } from '../errors.ts';
import { kpiCsv } from '../kpis/csv.ts';
import { KPI_GROUP_BY } from '../kpis/facts.ts';
import { addDays, dayOf, dayStart, kpiReport, nextDay, type KpiReport } from '../kpis/kpis.ts';
import { SPLIT_METRICS, splitsReport } from '../kpis/splits.ts';
import type { Runtime } from '../runtime.ts';
import { getProductLineSettings } from '../scenarios/product-lines.ts';

const tag = 'KPIs';

/** The longest range one report covers. */
export const MAX_DAYS = 366;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a day as YYYY-MM-DD' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { error: 'is not a calendar day' });
const version = z.coerce.number({ error: 'must be a version number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).max(2_147_483_647);

const range = {
  from: day.optional(),
  to: day.optional(),
};

const kpiQuery = z.object({
  scenarioId: idSchema.optional(),
  version: version.optional(),
  ...range,
  groupBy: z.enum(KPI_GROUP_BY, { error: `must be one of ${KPI_GROUP_BY.join(', ')}` }).default('day'),
});

const figures = {
  leads: z.number(), sends: z.number(), deliveries: z.number(), bounces: z.number(), opens: z.number(), openRate: z.number().nullable(),
  clicks: z.number(), clickRate: z.number().nullable(), totalClicks: z.number(), unsubscribes: z.number(), hotLeads: z.number(),
  handoffs: z.number(), handoffsAccepted: z.number(), handoffsReturned: z.number(), goals: z.number(),
};
const report = z.object({
  productLine: z.string(),
  timezone: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(KPI_GROUP_BY),
  scenarioId: z.string().nullable(),
  version: z.number().nullable(),
  rows: z.array(
    z.object({
      day: z.string().optional(),
      scenarioId: z.string().nullable().optional(),
      version: z.number().nullable().optional(),
      nodeId: z.string().nullable().optional(),
      splitNodeId: z.string().optional(),
      variant: z.string().optional(),
      ...figures,
    }),
  ),
  totals: z.object(figures),
});

const verdict = z.object({ kind: z.enum(['wins', 'loses', 'inconclusive', 'tooFewLeads']), level: z.number() });
const splitsResponse = z.object({
  scenarioId: z.string(),
  productLine: z.string(),
  metric: z.enum(SPLIT_METRICS),
  level: z.number(),
  splits: z.array(
    z.object({
      nodeId: z.string(),
      control: z.string(),
      winner: z.string().nullable(),
      variants: z.array(
        z.object({
          variant: z.string(), label: z.string(), holdout: z.boolean(), share: z.number().nullable(), control: z.boolean(),
          leads: z.number(), conversions: z.number(), rate: z.number().nullable(), difference: z.number().nullable(),
          z: z.number().nullable(), pValue: z.number().nullable(), confidence: z.number().nullable(), verdict: verdict.nullable(),
        }),
      ),
    }),
  ),
});

/** The range asked for, in the product line's days: the last 30 days to today unless given; 400 naming the field when wrong. */
function resolveRange(rt: Runtime, timezone: string, q: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = q.to ?? dayOf(rt.clock.now(), timezone);
  const from = q.from ?? addDays(to, -29);
  if (from > to) throw new ApiError(400, 'invalid_request', 'query.from: must not be after to', [{ path: 'query.from', message: `must not be after to (${to})` }]);
  if (addDays(from, MAX_DAYS) <= to) {
    throw new ApiError(400, 'invalid_request', `query.to: a report covers at most ${MAX_DAYS} days`, [{ path: 'query.to', message: `must be at most ${MAX_DAYS} days after from` }]);
  }
  return { from, to };
}

async function timezoneOf(rt: Runtime, productLine: string): Promise<string> {
  const settings = (await getProductLineSettings(rt.db, [productLine])).get(productLine);
  if (!settings) throw notFound('product line', productLine);
  return settings.timezone;
}

async function report_(rt: Runtime, productLine: string, q: z.infer<typeof kpiQuery>): Promise<KpiReport> {
  const timezone = await timezoneOf(rt, productLine);
  if (q.version !== undefined && q.scenarioId === undefined) {
    throw new ApiError(400, 'invalid_request', 'query.version: give scenarioId with version', [{ path: 'query.version', message: 'needs scenarioId' }]);
  }
  if (q.scenarioId !== undefined && (await scenarioProductLine(rt.db, q.scenarioId)) !== productLine) {
    throw new ApiError(404, 'not_found', `scenario "${q.scenarioId}" does not exist in product line "${productLine}"`, [{ path: 'query.scenarioId', message: 'no such scenario in this product line' }]);
  }
  const { from, to } = resolveRange(rt, timezone, q);
  return kpiReport(rt.db, { productLine, timezone, from, to, groupBy: q.groupBy, scenarioId: q.scenarioId, version: q.version });
}

/** The KPI routes. */
export const kpiRoutes: Routes = (api, rt) => {
  const plParams = z.object({ pl: productLineIdSchema });

  api.route(
    {
      method: 'get',
      path: '/product-lines/:pl/kpis',
      summary: 'KPIs of a product line (or one scenario and version) over days in its time zone, by day, scenario, version, node or split variant, with totals',
      tag,
      params: plParams,
      query: kpiQuery,
      response: report,
      access: { need: 'read', productLine: ({ params }) => params.pl },
    },
    ({ params, query }) => report_(rt, params.pl, query),
  );

  api.route(
    {
      method: 'get',
      path: '/product-lines/:pl/kpis.csv',
      summary: 'The same KPIs as CSV for Excel (UTF-8 with BOM, CRLF, totals last); lang=ja for Japanese headers',
      tag,
      params: plParams,
      query: kpiQuery.extend({ lang: z.enum(['en', 'ja'], { error: 'must be en or ja' }).default('en') }),
      access: { need: 'read', productLine: ({ params }) => params.pl },
    },
    async ({ params, query, c }) => {
      const r = await report_(rt, params.pl, query);
      const name = ['kpis', params.pl, query.scenarioId, query.version !== undefined ? `v${query.version}` : undefined, r.groupBy, r.from, r.to].filter(Boolean).join('-');
      return c.body(kpiCsv(r, query.lang), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/scenarios/:id/splits',
      summary: "A/B results of a scenario's splits: per variant leads, conversions (metric: open, click, goal, hot), rate, difference from the control, two-proportion z-test p-value and confidence, and a verdict",
      tag,
      params: z.object({ id: idSchema }),
      query: z.object({
        metric: z.enum(SPLIT_METRICS, { error: `must be one of ${SPLIT_METRICS.join(', ')}` }).default('click'),
        control: idSchema.optional(),
        level: z.coerce.number({ error: 'must be a number' }).min(0.5, { error: 'must be at least 0.5' }).max(0.9999, { error: 'must be below 1' }).default(0.95),
        version: version.optional(),
        ...range,
      }),
      response: splitsResponse,
      access: { need: 'read', productLine: ({ params }) => scenarioProductLine(rt.db, params.id) },
    },
    async ({ params, query: q }) => {
      const productLine = await scenarioProductLine(rt.db, params.id);
      if (productLine === null) throw notFound('scenario', params.id);
      const timezone = await timezoneOf(rt, productLine);
      return splitsReport(rt.db, {
        scenarioId: params.id,
        productLine,
        metric: q.metric,
        level: q.level,
        control: q.control,
        version: q.version,
        lo: q.from === undefined ? undefined : dayStart(q.from, timezone),
        hi: q.to === undefined ? undefined : dayStart(nextDay(q.to), timezone),
      });
    },
  );
};
