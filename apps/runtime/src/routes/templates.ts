// /product-lines/:pl/templates: e-mail templates per product line, and a preview for a lead.
import { idSchema, productLineIdSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { leadVisible } from '../auth/scope.ts';
import { ApiError } from '../errors.ts';
import { nameSchema, refineStorable } from '../scenarios/storable-json.ts';
import { previewTemplate } from '../templates/preview.ts';
import { createTemplate, getTemplate, listTemplates, putTemplate } from '../templates/templates.ts';

const tag = 'Templates';
const MAX_HTML = 512 * 1024;

const fields = {
  name: nameSchema,
  /** Liquid, one line: `{{ lead.company }} 様へ`. */
  subject: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(998, { error: 'must be at most 998 characters' }),
  /** Liquid HTML; merge fields are HTML-escaped (`| raw` to opt out). */
  html: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(MAX_HTML, { error: `must be at most ${MAX_HTML} characters` }),
  /** Liquid plain text; generated from the HTML when absent or null. */
  text: z.string({ error: 'must be a string' }).max(MAX_HTML, { error: `must be at most ${MAX_HTML} characters` }).nullable().optional(),
};
const createBody = z.strictObject({ id: idSchema, ...fields }).superRefine(refineStorable);
const putBody = z.strictObject(fields).superRefine(refineStorable);
const plParams = z.object({ pl: productLineIdSchema });
const params = z.object({ pl: productLineIdSchema, id: idSchema });

const templateView = z.object({
  productLine: z.string(),
  id: z.string(),
  name: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const previewBody = z
  .strictObject({
    leadId: z.string().min(1).max(200).optional(),
    lead: z
      .strictObject({
        email: z.string().max(320).optional(),
        name: z.string().max(200).optional(),
        company: z.string().max(200).optional(),
        attributes: z.record(z.string().max(64), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()])).optional(),
      })
      .optional(),
  })
  .refine((b) => b.leadId === undefined || b.lead === undefined, { error: 'give leadId or lead, not both', path: ['leadId'] })
  .default({});

/** Template routes: create, list, read, replace, preview. */
export const templateRoutes: Routes = (api, rt) => {
  const ofPath = ({ params }: { params: { pl: string } }) => params.pl;
  api.route(
    { method: 'post', path: '/product-lines/:pl/templates', summary: 'Create an e-mail template (Liquid; merge fields are HTML-escaped)', tag, params: plParams, body: createBody, status: 201, response: templateView, access: { need: 'write', productLine: ofPath } },
    ({ params, body, auth }) => createTemplate(rt, params.pl, body.id, { name: body.name, subject: body.subject, html: body.html, text: body.text ?? null }, auth.actor),
  );
  api.route(
    { method: 'get', path: '/product-lines/:pl/templates', summary: "A product line's e-mail templates", tag, params: plParams, response: z.object({ templates: z.array(templateView) }), access: { need: 'read', productLine: ofPath } },
    async ({ params }) => ({ templates: await listTemplates(rt.db, params.pl) }),
  );
  api.route({ method: 'get', path: '/product-lines/:pl/templates/:id', summary: 'One e-mail template', tag, params, response: templateView, access: { need: 'read', productLine: ofPath } }, ({ params }) =>
    getTemplate(rt.db, params.pl, params.id),
  );
  api.route(
    { method: 'put', path: '/product-lines/:pl/templates/:id', summary: 'Create or replace an e-mail template as a whole', tag, params, body: putBody, response: templateView, access: { need: 'write', productLine: ofPath } },
    ({ params, body, auth }) => putTemplate(rt, params.pl, params.id, { name: body.name, subject: body.subject, html: body.html, text: body.text ?? null }, auth.actor),
  );
  api.route(
    {
      method: 'post',
      path: '/product-lines/:pl/templates/:id/preview',
      summary: 'Render a template for a lead (leadId), an inline sample lead (lead) or the built-in sample',
      tag,
      params,
      body: previewBody,
      response: z.object({ subject: z.string(), html: z.string(), text: z.string(), textGenerated: z.boolean(), leadId: z.string() }),
      access: { need: 'read', productLine: ofPath },
    },
    async ({ params, body, auth }) => {
      // A lead the caller may not see is not rendered for them (its attributes would show).
      if (body.leadId !== undefined && !(await leadVisible(rt.db, auth, body.leadId))) {
        throw new ApiError(404, 'not_found', `lead "${body.leadId}" does not exist`, [{ path: 'body.leadId', message: 'no such lead' }]);
      }
      return previewTemplate(rt, params.pl, params.id, body);
    },
  );
};
