// A lead types or scans the personal URL printed on a direct mail or FAX: the visit is recorded as
// a `dm_url_visited` event of that job's scenario and product line, which scores it and wakes the
// enrollment waiting for it, and the lead lands on the page the marketer chose.
import type { Context } from 'hono';
import { withRetry } from '../core/bulk.ts';
import { noFollowUps } from '../core/commit.ts';
import { ingestInTransaction, settle } from '../core/ingest.ts';
import { loadSettings } from '../core/settings.ts';
import type { Runtime } from '../runtime.ts';
import { qrSvg } from './print-export.ts';
import { isPrintCode } from './print-job.ts';

/** The event a visit records. */
export const DM_VISITED = 'dm_url_visited';

/**
 * GET /t/d/:code: records the visit (the first one as the event, every one in the job's visit
 * count) and redirects to the landing URL, in one transaction. An unknown code is a 404 that
 * records nothing; a HEAD request (link checkers) only redirects.
 */
export async function visitPrintJob(rt: Runtime, c: Context): Promise<Response> {
  const code = c.req.param('code') ?? '';
  if (!isPrintCode(code)) return notFound(c);
  const landing = await withRetry(() =>
    rt.db.transaction().execute(async (trx) => {
      const job = await trx.selectFrom('print_jobs').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
      if (!job) return null;
      if (c.req.method === 'HEAD') return job.landing_url;
      const now = new Date(rt.clock.now());
      await trx
        .updateTable('print_jobs')
        .set((eb) => ({ visits: eb('visits', '+', 1), first_visit_at: job.first_visit_at ?? now, last_visit_at: now }))
        .where('lead_id', '=', job.lead_id)
        .where('key', '=', job.key)
        .execute();
      const settings = await loadSettings(trx);
      const follow = noFollowUps();
      await ingestInTransaction(
        trx,
        rt,
        [
          {
            // One event per job: a second visit is a duplicate, so interest is not scored twice.
            id: `${DM_VISITED}:${job.key}`,
            kind: DM_VISITED,
            leadId: job.lead_id,
            at: now.toISOString(),
            productLine: job.product_line,
            scenarioId: job.scenario_id,
            nodeId: job.node_id,
            effectKey: job.key,
            data: { medium: job.medium, code },
          },
        ],
        settings,
        follow,
      );
      await settle(trx, rt, settings, follow);
      return job.landing_url;
    }),
  );
  if (landing === null) return notFound(c);
  return c.redirect(landing, 302);
}

/** GET /t/d/:code/qr.svg: the QR code of a job's tracking URL, for the print shop. */
export async function printJobQr(rt: Runtime, c: Context): Promise<Response> {
  const code = c.req.param('code') ?? '';
  const job = isPrintCode(code) ? await rt.db.selectFrom('print_jobs').select('tracking_url').where('code', '=', code).executeTakeFirst() : undefined;
  if (!job) return notFound(c);
  return c.body(await qrSvg(job.tracking_url), 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
}

function notFound(c: Context): Response {
  return c.text('This link is not known.', 404);
}
