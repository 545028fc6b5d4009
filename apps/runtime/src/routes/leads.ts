import { z } from 'zod';
import type { Routes } from '../app.ts';
import { ApiError, type Issue } from '../errors.ts';
import { assertJsonDepth } from '../http/api.ts';
import { csvRows, decodeCsv } from '../leads/csv.ts';
import { importLeads, MAX_IMPORT_ROWS, type ImportRow } from '../leads/import.ts';
import { normalizeEmail } from '../leads/normalize.ts';
import { patchLead } from '../leads/patch.ts';
import { productLineIssues } from '../leads/products.ts';
import { decodeCursor, getLead, searchLeads, type LeadDetail } from '../leads/read.ts';
import { leadIdSchema, leadInputSchema, leadPatchSchema } from '../leads/schemas.ts';
import { upsertLeads } from '../leads/upsert.ts';
import { leadsChanged } from '../core/ingest.ts';
import type { Auth } from '../auth/access.ts';
import { assertWritable, leadProductLines, leadVisible, listScope, READS } from '../auth/scope.ts';
import { resolveLeadId } from '../leads/resolve.ts';
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import { productLineIdSchema } from '@nurtureflow/scenario';

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
    async ({ body, c, auth }) => {
      const named = Object.keys(body.products ?? {});
      // A lead is for product lines: everyone but an organisation admin names theirs.
      if (!auth.orgAdmin && named.length === 0) {
        throw new ApiError(400, 'invalid_request', 'body.products: name the product line(s) the lead is for, e.g. "products": { "<product line>": {} }', [
          { path: 'body.products', message: 'name at least one of your product lines' },
        ]);
      }
      assertWritable(auth, named, (pl) => `body.products.${pl}`);
      const [issues = []] = await productLineIssues(rt.db, [body.products]);
      if (issues.length > 0) throw unknownProductLine(issues.map((i) => ({ path: `body.${i.path}`, message: i.message })));
      const [result] = await upsertLeads(rt.db, [body], now());
      await attach(rt.db, [result!.leadId], named);
      await leadsChanged(rt, [result!.leadId]);
      const { timeline: _t, timelineTruncated: _tt, ...lead } = (await getLead(rt.db, result!.leadId, { timelineLimit: 0, productLines: listScope(auth, READS) }))!;
      return c.json({ lead, created: result!.created, matchedBy: result!.matchedBy, mergedLeadIds: result!.mergedLeadIds }, result!.created ? 201 : 200);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/leads/import',
      bodyKind: 'bulk',
      summary: `Import up to ${MAX_IMPORT_ROWS.toLocaleString('en')} leads: a JSON array of leads, or text/csv with a header row (email/メールアドレス, phone/電話番号, name/氏名, company/会社名, stage:<product line>, anything else an attribute) in UTF-8 or Shift_JIS (CP932). Replies with a report per row; bad rows are rejected with the reason, good rows kept`,
      tag: 'leads',
      query: z.object({ productLine: productLineIdSchema.optional() }),
      access: { org: 'member' },
    },
    async ({ c, auth, query }) => {
      // Every imported lead is for `productLine`; all but an organisation admin name it, and may name only their own.
      if (!auth.orgAdmin && query.productLine === undefined) {
        throw new ApiError(400, 'invalid_request', 'query.productLine: name the product line the leads are for (?productLine=…)', [{ path: 'query.productLine', message: 'name one of your product lines' }]);
      }
      if (query.productLine !== undefined) {
        assertWritable(auth, [query.productLine], () => 'query.productLine');
        const exists = await rt.db.selectFrom('product_lines').select('id').where('id', '=', query.productLine).executeTakeFirst();
        if (!exists) throw unknownProductLine([{ path: 'query.productLine', message: `product line "${query.productLine}" does not exist` }]);
      }
      const type = c.req.header('content-type') ?? '';
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const { rows, encoding } = readImport(bytes, type, api.jsonDepth);
      assertWritable(auth, new Set(rows.flatMap((r) => Object.keys(productsOf(r.value)))), (pl) => `body.products.${pl}`);
      if (rows.length === 0) throw new ApiError(400, 'empty_import', 'the import has no rows', [{ path: 'body', message: 'has no data rows' }]);
      if (rows.length > MAX_IMPORT_ROWS) {
        throw new ApiError(413, 'too_many_rows', `an import takes at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows and this one has ${rows.length.toLocaleString('en')}: split it into several files`, [
          { path: 'body', message: `has ${rows.length} rows (at most ${MAX_IMPORT_ROWS})` },
        ]);
      }
      const report = await importLeads(rt.db, rows, now());
      const imported = [...new Set(report.rows.flatMap((r) => (r.leadId ? [r.leadId] : [])))];
      if (query.productLine !== undefined) await attach(rt.db, imported, [query.productLine]);
      await leadsChanged(rt, imported);
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
    async ({ query, auth }) =>
      searchLeads(rt.db, { email: query.email, q: query.q, limit: query.limit, cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor)!, productLines: listScope(auth, READS) }),
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
    async ({ params, query, auth }) => {
      if (!(await leadVisible(rt.db, auth, params.id))) throw noLead(params.id);
      return leadOr404(await getLead(rt.db, params.id, { timelineLimit: query.timelineLimit, productLines: listScope(auth, READS) }), params.id);
    },
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
    async ({ params, query, body, auth }) => {
      await assertMayChangeLead(rt.db, auth, params.id, Object.keys(body.products ?? {}));
      const leadId = await patchLead(rt.db, params.id, body, now());
      await leadsChanged(rt, [leadId]);
      return leadOr404(await getLead(rt.db, leadId, { timelineLimit: query.timelineLimit, productLines: listScope(auth, READS) }), params.id);
    },
  );
};

function leadOr404(lead: LeadDetail | null, id: string): LeadDetail {
  if (lead === null) throw noLead(id);
  return lead;
}

function noLead(id: string): ApiError {
  return new ApiError(404, 'not_found', `lead "${id}" does not exist`, [{ path: 'params.id', message: 'no such lead' }]);
}

/** The product lines a lead's `products` names (empty for anything else: its schema reports that). */
function productsOf(value: unknown): Record<string, unknown> {
  const products = (value as { products?: unknown } | null)?.products;
  return typeof products === 'object' && products !== null && !Array.isArray(products) ? (products as Record<string, unknown>) : {};
}

/** Gives the leads a standing on the product lines (changing none that exists). */
async function attach(db: Kysely<DB>, leadIds: readonly string[], productLines: readonly string[]): Promise<void> {
  const rows = leadIds.flatMap((lead_id) => productLines.map((product_line) => ({ lead_id, product_line })));
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insertInto('lead_products').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.columns(['lead_id', 'product_line']).doNothing()).execute();
  }
}

/**
 * A change to a lead: it must be one the caller sees (404), on a product line where they may write
 * (403), and name only product lines they may write to.
 */
async function assertMayChangeLead(db: Kysely<DB>, auth: Auth, id: string, named: readonly string[]): Promise<void> {
  if (auth.orgAdmin) return;
  const survivor = await resolveLeadId(db, id);
  const productLines = survivor === null ? [] : await leadProductLines(db, survivor);
  const readable = auth.productLines(...READS) ?? [];
  if (!productLines.some((pl) => readable.includes(pl))) throw noLead(id);
  assertWritable(auth, named, (pl) => `body.products.${pl}`);
  if (!productLines.some((pl) => auth.can(pl, 'write'))) {
    throw new ApiError(403, 'forbidden', `your role may not change lead "${id}": it needs write on one of its product lines`, [{ path: 'params.id', message: 'needs write on one of its product lines' }]);
  }
}

function unknownProductLine(issues: Issue[]): ApiError {
  return new ApiError(400, 'unknown_product_line', `${issues[0]!.path}: ${issues[0]!.message}`, issues);
}

/** The rows of an import body: a JSON array, or CSV in whatever encoding Excel saved it. */
function readImport(bytes: Uint8Array, contentType: string, jsonDepth: number): { rows: ImportRow[]; encoding: string | null } {
  if (/json/i.test(contentType)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ApiError(400, 'invalid_encoding', 'the body is not UTF-8: JSON is always sent as UTF-8', [{ path: 'body', message: 'is not valid UTF-8' }]);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(e as Error).message}`, [{ path: 'body', message: 'not valid JSON' }]);
    }
    assertJsonDepth(value, jsonDepth);
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
