// /mailbox: with no SMTP server configured, every e-mail is kept here as it would have been sent,
// so a newcomer sees the mail a scenario sends (and can click its tracked links).
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { notFound } from '../errors.ts';
import { mailboxProductLine } from '../auth/owners.ts';
import { listScope } from '../auth/scope.ts';

const tag = 'Mailbox';
const summaryView = z.object({ key: z.string(), leadId: z.string(), productLine: z.string(), to: z.string(), from: z.string(), subject: z.string(), createdAt: z.string() });

/** The local mailbox: list newest first, read one message in full. */
export const mailboxRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/mailbox',
      summary: 'Messages kept locally because no SMTP server is configured, newest first',
      tag,
      query: z.object({
        productLine: z.string().max(64).optional(),
        leadId: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: z.object({ items: z.array(summaryView) }),
      access: { org: 'member' },
    },
    async ({ query, auth }) => {
      const mine = listScope(auth);
      let q = rt.db.selectFrom('mailbox').select(['key', 'lead_id', 'product_line', 'to', 'from', 'subject', 'created_at']).orderBy('created_at', 'desc').orderBy('key').limit(query.limit);
      if (query.productLine) q = q.where('product_line', '=', query.productLine);
      if (query.leadId) q = q.where('lead_id', '=', query.leadId);
      if (mine) q = q.where('product_line', 'in', mine);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({ key: r.key, leadId: r.lead_id, productLine: r.product_line, to: r.to, from: r.from, subject: r.subject, createdAt: r.created_at.toISOString() })),
      };
    },
  );
  api.route(
    {
      method: 'get',
      path: '/mailbox/:key',
      summary: 'One kept message in full: headers, HTML and text',
      tag,
      params: z.object({ key: z.string().min(1).max(400) }),
      response: summaryView.extend({ html: z.string(), text: z.string(), headers: z.record(z.string(), z.string()) }),
      access: { need: 'read', productLine: ({ params }) => mailboxProductLine(rt.db, params.key) },
    },
    async ({ params }) => {
      const r = await rt.db.selectFrom('mailbox').selectAll().where('key', '=', params.key).executeTakeFirst();
      if (!r) throw notFound('message', params.key);
      return { key: r.key, leadId: r.lead_id, productLine: r.product_line, to: r.to, from: r.from, subject: r.subject, createdAt: r.created_at.toISOString(), html: r.html, text: r.text, headers: r.headers };
    },
  );
};
