// /product-lines: create, list, read and update a product line and its settings.
import { productLineIdSchema, productLineSettingsSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { listScope } from '../auth/scope.ts';
import { settingsPatchSchema } from '../scenarios/product-line-secrets.ts';
import { createProductLine, getProductLine, listProductLines, updateProductLine } from '../scenarios/product-lines.ts';
import { nameSchema, refineStorable } from '../scenarios/storable-json.ts';

const tag = 'Product lines';

const settingsSchema = productLineSettingsSchema.superRefine(refineStorable);

const productLineView = z.object({
  id: z.string(),
  name: z.string(),
  /** Without secrets: the SMTP URL's password reads `********`; webhookSecret and inboundSecret are left out. */
  settings: productLineSettingsSchema,
  hasWebhookSecret: z.boolean(),
  hasInboundSecret: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const params = z.object({ id: productLineIdSchema });

const createBody = z.strictObject({
  id: productLineIdSchema,
  name: nameSchema,
  settings: settingsSchema.optional(),
});

const patchBody = z
  .strictObject({ name: nameSchema.optional(), settings: settingsPatchSchema.optional() })
  .refine((b) => b.name !== undefined || b.settings !== undefined, { error: 'give name, settings or both' });

/**
 * Product line routes. Settings are replaced as a whole on PATCH and stored parsed, defaults filled
 * in; secrets are never shown, and kept when a PATCH sends them back masked or leaves them out.
 */
export const productLineRoutes: Routes = (api, rt) => {
  api.route(
    { method: 'post', path: '/product-lines', summary: 'Create a product line', tag, body: createBody, status: 201, response: productLineView, access: { org: 'admin' } },
    ({ body, auth }) => createProductLine(rt, { id: body.id, name: body.name, settings: body.settings ?? settingsSchema.parse({}) }, auth.actor),
  );

  api.route(
    { method: 'get', path: '/product-lines', summary: 'List product lines', tag, response: z.object({ productLines: z.array(productLineView) }), access: { org: 'member' } },
    // Every product line the caller has a role on.
    async ({ auth }) => ({ productLines: await listProductLines(rt.db, listScope(auth, ['read', 'sales'])) }),
  );

  api.route({ method: 'get', path: '/product-lines/:id', summary: 'Get a product line', tag, params, response: productLineView, access: { need: ['read', 'sales'], productLine: ({ params }) => params.id } }, ({ params }) =>
    getProductLine(rt.db, params.id),
  );

  api.route(
    {
      method: 'patch',
      path: '/product-lines/:id',
      summary: 'Rename a product line or replace its settings (scoring, ranks, hot threshold, quiet hours, caps, sender, sales address); secrets sent back as ******** or left out are kept, null removes them',
      tag,
      params,
      body: patchBody,
      response: productLineView,
      access: { need: 'admin', productLine: ({ params }) => params.id },
    },
    ({ params, body, auth }) => updateProductLine(rt, params.id, body, auth.actor),
  );
};
