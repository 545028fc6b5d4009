// /product-lines/:pl/audit: who created, changed, published, paused and archived what, and when,
// newest first, filtered by object, action and time, in pages.
import { productLineIdSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { AUDIT_ACTIONS, AUDIT_OBJECT_KINDS, listAudit, type AuditAction } from '../audit/index.ts';
import { instantSchema } from '../core/instant.ts';
import { notFound } from '../errors.ts';

const tag = 'Audit';

const entry = z.object({
  id: z.number().int(),
  productLine: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  objectKind: z.string(),
  objectId: z.string(),
  at: z.string(),
  details: z.record(z.string(), z.unknown()),
});

const query = z.object({
  objectKind: z.enum(AUDIT_OBJECT_KINDS, { error: `must be one of ${AUDIT_OBJECT_KINDS.join(', ')}` }).optional(),
  objectId: z.string().min(1).max(400).optional(),
  /** One action or several, comma-separated. */
  action: z
    .string()
    .max(2000)
    .transform((s, ctx) => {
      const wanted = s.split(',').map((a) => a.trim()).filter(Boolean);
      const unknown = wanted.filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown action ${unknown.map((a) => `"${a}"`).join(', ')}; one of ${AUDIT_ACTIONS.join(', ')}` });
      return wanted as AuditAction[];
    })
    .optional(),
  since: instantSchema('2026-04-06T00:00:00+09:00').optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** The audit route. */
export const auditRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/product-lines/:pl/audit',
      summary: "The product line's audit log, newest first: filter by objectKind and objectId, action (comma-separated), since; `next` continues the list",
      tag,
      params: z.object({ pl: productLineIdSchema }),
      query,
      response: z.object({ items: z.array(entry), next: z.string().nullable() }),
      access: { need: 'read', productLine: ({ params }) => params.pl },
    },
    async ({ params, query: q }) => {
      const line = await rt.db.selectFrom('product_lines').select('id').where('id', '=', params.pl).executeTakeFirst();
      if (!line) throw notFound('product line', params.pl);
      return listAudit(rt.db, params.pl, {
        objectKind: q.objectKind,
        objectId: q.objectId,
        actions: q.action,
        since: q.since === undefined ? undefined : new Date(q.since),
        limit: q.limit,
        cursor: q.cursor,
      });
    },
  );
};
