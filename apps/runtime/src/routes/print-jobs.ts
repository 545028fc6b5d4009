// /print-jobs: direct mail and FAX jobs with their personal tracking URL and QR code, the print
// shop's CSV export, and the public pages the printed URL and QR lead to (/t/d/:code).
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { printJobsCsv, qrSvgDataUrl, recipientOf, type ExportRow } from '../channels/print-export.ts';
import { VISIT_PATH } from '../channels/print-job.ts';
import { printJobQr, visitPrintJob } from '../channels/print-visit.ts';
import type { Runtime } from '../runtime.ts';
import { listScope } from '../auth/scope.ts';
import { listQuery, outboxItem } from './outbox.ts';

const tag = 'direct mail';
const day = z.iso.date({ error: 'must be a day as YYYY-MM-DD' }).optional();

/** Print job routes, the export and the tracking pages. */
export const printJobRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/print-jobs',
      summary: 'Direct mail and FAX print jobs: pending until readied, then sent (ready to print) with the tracking URL and QR code',
      tag,
      query: listQuery.extend({ day }),
      access: { org: 'member' },
    },
    async ({ query: q, auth }) => {
      const mine = listScope(auth);
      let query = rt.db
        .selectFrom('outbox as o')
        .leftJoin('print_jobs as p', 'p.key', 'o.key')
        .leftJoin('leads as l', 'l.id', 'o.lead_id')
        .selectAll('o')
        .select(['p.code', 'p.tracking_url', 'p.batch_day', 'p.visits', 'p.first_visit_at', 'p.last_visit_at', 'l.attributes'])
        .where('o.type', '=', 'printJob')
        .orderBy('o.created_at')
        .orderBy('o.key')
        .limit(q.limit);
      if (q.productLine) query = query.where('o.product_line', '=', q.productLine);
      if (q.scenarioId) query = query.where('o.scenario_id', '=', q.scenarioId);
      if (q.leadId) query = query.where('o.lead_id', '=', q.leadId);
      if (q.status) query = query.where('o.status', '=', q.status);
      if (q.day) query = query.where('p.batch_day', '=', q.day);
      if (mine) query = query.where('o.product_line', 'in', mine);
      const rows = await query.execute();
      const items = [];
      for (const r of rows) {
        items.push({
          ...outboxItem(r),
          recipient: recipientOf(r.attributes ?? {}),
          print:
            r.code === null || r.tracking_url === null
              ? null
              : {
                  code: r.code,
                  trackingUrl: r.tracking_url,
                  qrUrl: `${r.tracking_url}/qr.svg`,
                  qrSvgDataUrl: await qrSvgDataUrl(r.tracking_url),
                  batchDay: r.batch_day,
                  visits: r.visits,
                  firstVisitAt: r.first_visit_at?.toISOString() ?? null,
                  lastVisitAt: r.last_visit_at?.toISOString() ?? null,
                },
        });
      }
      return { items };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/print-jobs/export.csv',
      summary: "The print shop's CSV of jobs ready to print (UTF-8 with BOM): recipient, address, tracking URL and QR image URL",
      tag,
      query: z.object({
        productLine: z.string().max(64).optional(),
        scenarioId: z.string().max(200).optional(),
        day,
        limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
      }),
      access: { org: 'member' },
    },
    async ({ query: q, c, auth }) => {
      const rows = await exportRows(rt, q, listScope(auth));
      const name = ['print-jobs', q.productLine, q.day].filter(Boolean).join('-');
      return c.body(printJobsCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
    },
  );

  api.page('get', `${VISIT_PATH}/:code`, (c) => visitPrintJob(rt, c));
  api.page('get', `${VISIT_PATH}/:code/qr.svg`, (c) => printJobQr(rt, c));
};

async function exportRows(rt: Runtime, q: { productLine?: string | undefined; scenarioId?: string | undefined; day?: string | undefined; limit: number }, only: readonly string[] | null): Promise<ExportRow[]> {
  let query = rt.db
    .selectFrom('print_jobs as p')
    .leftJoin('leads as l', 'l.id', 'p.lead_id')
    .selectAll('p')
    .select('l.attributes')
    .orderBy('p.batch_day')
    .orderBy('p.created_at')
    .orderBy('p.key')
    .limit(q.limit);
  if (q.productLine) query = query.where('p.product_line', '=', q.productLine);
  if (q.scenarioId) query = query.where('p.scenario_id', '=', q.scenarioId);
  if (q.day) query = query.where('p.batch_day', '=', q.day);
  if (only) query = query.where('p.product_line', 'in', only);
  return (await query.execute()).map((r) => ({
    key: r.key,
    leadId: r.lead_id,
    productLine: r.product_line,
    scenarioId: r.scenario_id,
    nodeId: r.node_id,
    medium: r.medium,
    template: r.template,
    batchDay: r.batch_day,
    recipient: recipientOf(r.attributes ?? {}),
    trackingUrl: r.tracking_url,
  }));
}
