import { z } from 'zod';
import type { Routes } from '../app.ts';
import { ApiError, type Issue } from '../errors.ts';
import { csvRows, decodeCsv } from '../leads/csv.ts';
import { importLeads, MAX_IMPORT_ROWS, type ImportRow } from '../leads/import.ts';
import { normalizeEmail } from '../leads/normalize.ts';
import { patchLead } from '../leads/patch.ts';
import { productLineIssues } from '../leads/products.ts';
import { decodeCursor, getLead, searchLeads, type LeadDetail } from '../leads/read.ts';
import { leadIdSchema, leadInputSchema, leadPatchSchema } from '../leads/schemas.ts';
import { upsertLeads } from '../leads/upsert.ts';
import { leadsChanged } from '../core/ingest.ts';

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` })
    .default(fallback);

const idParams = z.object({ id: leadIdSchema });
const detailQuery = z.object({ timelineLimit: wholeNumber(0, 1000, 50) });
const listQuery = z.object({
  email: z
    .string()
    .max(320)
    .refine((e) => normalizeEmail(e) !== null, { error: 'is not an e-mail address' })
    .optional(),
  q: z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  limit: wholeNumber(1, 200, 50),
  cursor: z
    .string()
    .max(500)
    .refine((c) => decodeCursor(c) !== null, { error: 'is not a cursor from a previous page (nextCursor)' })
    .optional(),
});

/** At most this many row issues go into a 422 for an import where every row was rejected. */
const MAX_ISSUES = 100;

/** Leads: upsert with 名寄せ, bulk import (JSON or CSV), search, the lead page, and changes. */
export const leadRoutes: Routes = (api, rt) => {
  const now = () => new Date(rt.clock.now());

  api.route(
    {
      method: 'post',
      path: '/leads',
      summary: 'Create a lead, or update the one it is (名寄せ by e-mail, phone, company + name); 201 when created, 200 when updated',
      tag: 'leads',
      body: leadInputSchema,
      status: 201,
      access: { org: 'member' },
    },
    async ({ body, c }) => {
      const [issues = []] = await productLineIssues(rt.db, [body.products]);
      if (issues.length > 0) throw unknownProductLine(issues.map((i) => ({ path: `body.${i.path}`, message: i.message })));
      const [result] = await upsertLeads(rt.db, [body], now());
      await leadsChanged(rt, [result!.leadId]);
      const { timeline: _t, timelineTruncated: _tt, ...lead } = (await getLead(rt.db, result!.leadId, { timelineLimit: 0 }))!;
      return c.json({ lead, created: result!.created, matchedBy: result!.matchedBy, mergedLeadIds: result!.mergedLeadIds }, result!.created ? 201 : 200);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/leads/import',
      summary: `Import up to ${MAX_IMPORT_ROWS.toLocaleString('en')} leads: a JSON array of leads, or text/csv with a header row (email/メールアドレス, phone/電話番号, name/氏名, company/会社名, stage:<product line>, anything else an attribute) in UTF-8 or Shift_JIS (CP932). Replies with a report per row; bad rows are rejected with the reason, good rows kept`,
      tag: 'leads',
      access: { org: 'member' },
    },
    async ({ c }) => {
      const type = c.req.header('content-type') ?? '';
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const { rows, encoding } = readImport(bytes, type);
      if (rows.length === 0) throw new ApiError(400, 'empty_import', 'the import has no rows', [{ path: 'body', message: 'has no data rows' }]);
      if (rows.length > MAX_IMPORT_ROWS) {
        throw new ApiError(413, 'too_many_rows', `an import takes at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows and this one has ${rows.length.toLocaleString('en')}: split it into several files`, [
          { path: 'body', message: `has ${rows.length} rows (at most ${MAX_IMPORT_ROWS})` },
        ]);
      }
      const report = await importLeads(rt.db, rows, now());
      await leadsChanged(rt, [...new Set(report.rows.flatMap((r) => (r.leadId ? [r.leadId] : [])))]);
      if (report.totals.rejected === report.totals.rows) {
        const issues = report.rows.flatMap((r) => r.issues ?? []);
        throw new ApiError(
          422,
          'import_rejected',
          `no row could be imported: all ${report.totals.rows} were rejected; the first: ${issues[0]?.path}: ${issues[0]?.message}`,
          issues.slice(0, MAX_ISSUES),
        );
      }
      return { ...(encoding !== null ? { encoding } : {}), ...report };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/leads',
      summary: 'Find leads by e-mail (exact, normalised) or by a part of the name, company, e-mail or phone; newest first, paged by cursor',
      tag: 'leads',
      query: listQuery,
      access: { org: 'member' },
    },
    async ({ query }) => searchLeads(rt.db, { email: query.email, q: query.q, limit: query.limit, cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor)! }),
  );

  api.route(
    {
      method: 'get',
      path: '/leads/:id',
      summary: 'A lead (a merged id gives its survivor, with mergedFrom): attributes, tags, per-product standing, enrollments, merges, whether its address bounced for good, and the newest timeline entries',
      tag: 'leads',
      params: idParams,
      query: detailQuery,
      access: { org: 'member' },
    },
    async ({ params, query }) => leadOr404(await getLead(rt.db, params.id, { timelineLimit: query.timelineLimit }), params.id),
  );

  api.route(
    {
      method: 'patch',
      path: '/leads/:id',
      summary: 'Change attributes (null removes one), tags, stage or unsubscribe per product line, or unsubscribe from everything',
      tag: 'leads',
      params: idParams,
      query: detailQuery,
      body: leadPatchSchema,
      access: { org: 'member' },
    },
    async ({ params, query, body }) => {
      const leadId = await patchLead(rt.db, params.id, body, now());
      await leadsChanged(rt, [leadId]);
      return leadOr404(await getLead(rt.db, leadId, { timelineLimit: query.timelineLimit }), params.id);
    },
  );
};

function leadOr404(lead: LeadDetail | null, id: string): LeadDetail {
  if (lead === null) throw new ApiError(404, 'not_found', `lead "${id}" does not exist`, [{ path: 'params.id', message: 'no such lead' }]);
  return lead;
}

function unknownProductLine(issues: Issue[]): ApiError {
  return new ApiError(400, 'unknown_product_line', `${issues[0]!.path}: ${issues[0]!.message}`, issues);
}

/** The rows of an import body: a JSON array, or CSV in whatever encoding Excel saved it. */
function readImport(bytes: Uint8Array, contentType: string): { rows: ImportRow[]; encoding: string | null } {
  if (/json/i.test(contentType)) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(e as Error).message}`, [{ path: 'body', message: 'not valid JSON' }]);
    }
    if (!Array.isArray(value)) throw new ApiError(400, 'invalid_request', 'body: must be a JSON array of leads', [{ path: 'body', message: 'must be a JSON array of leads' }]);
    return { rows: value.map((v, i) => ({ row: i + 1, value: v })), encoding: null };
  }
  if (contentType === '' || /csv|text\/plain|tab-separated-values|octet-stream/i.test(contentType)) {
    const { text, encoding } = decodeCsv(bytes, contentType);
    return { rows: csvRows(text), encoding };
  }
  throw new ApiError(415, 'unsupported_media_type', `send the import as application/json (an array of leads) or text/csv, not ${contentType}`, [
    { path: 'headers.content-type', message: 'must be application/json or text/csv' },
  ]);
}
