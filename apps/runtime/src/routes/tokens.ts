// /tokens: API tokens for machines. An organisation admin makes any token; a product line's admin
// makes tokens with roles on the product lines they administer, and sees and revokes those.
import { productLineIdSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { ROLES, type Auth } from '../auth/access.ts';
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import { createApiToken, tokenView, type TokenView } from '../auth/tokens.ts';
import { recordAudit } from '../audit/index.ts';
import { ApiError } from '../errors.ts';

const tag = 'Accounts';
const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  orgAdmin: z.boolean(),
  roles: z.record(z.string(), roleSchema),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const createBody = z
  .strictObject({
    name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
    roles: z.record(productLineIdSchema, roleSchema).refine((r) => Object.keys(r).length <= 100, { error: 'may name at most 100 product lines' }).default({}),
    orgAdmin: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .refine((b) => b.orgAdmin || Object.keys(b.roles).length > 0, { error: 'give the token roles on product lines, or orgAdmin: true', path: ['roles'] });

/** One entry per product line the token has a role on (one org-wide entry for an org-admin token). */
async function auditToken(db: Kysely<DB>, action: 'token.created' | 'token.revoked', token: TokenView, actor: string, at: Date): Promise<void> {
  const productLines = token.orgAdmin ? [null] : Object.keys(token.roles);
  for (const productLine of productLines) {
    await recordAudit(db, { productLine, actor, action, objectKind: 'token', objectId: token.id, at, details: { name: token.name, orgAdmin: token.orgAdmin, roles: token.roles } });
  }
}

/** Whether the caller administers every product line the token's roles name (org admins every token). */
function manages(auth: Auth, token: { org_admin: boolean; roles: Record<string, string> }): boolean {
  if (auth.orgAdmin) return true;
  const names = Object.keys(token.roles);
  return !token.org_admin && names.length > 0 && names.every((pl) => auth.can(pl, 'admin'));
}

/** Token routes: make (the secret shown once), list, revoke. */
export const tokenRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'post',
      path: '/tokens',
      summary: 'Make an API token with roles on product lines you administer (or, as an organisation admin, any): the secret is in this answer only',
      tag,
      body: createBody,
      status: 201,
      response: z.object({ token: tokenSchema, secret: z.string() }),
      access: { org: 'member' },
    },
    async ({ body, auth }) => {
      if (body.orgAdmin && !auth.orgAdmin) throw new ApiError(403, 'forbidden', 'only an organisation admin makes organisation-admin tokens', [{ path: 'body.orgAdmin', message: 'needs an organisation admin' }]);
      for (const pl of Object.keys(body.roles)) {
        if (auth.orgAdmin) continue;
        if (!auth.roles.has(pl)) throw new ApiError(404, 'not_found', `product line "${pl}" does not exist`, [{ path: `body.roles.${pl}`, message: 'no such product line' }]);
        if (!auth.can(pl, 'admin')) throw new ApiError(403, 'forbidden', `only an admin of product line "${pl}" gives tokens roles on it`, [{ path: `body.roles.${pl}`, message: 'you are not its admin' }]);
      }
      const unknown = await unknownProductLines(Object.keys(body.roles));
      if (unknown.length > 0) throw new ApiError(404, 'not_found', `product line "${unknown[0]}" does not exist`, unknown.map((pl) => ({ path: `body.roles.${pl}`, message: 'no such product line' })));
      const at = new Date(rt.clock.now());
      return rt.db.transaction().execute(async (trx) => {
        const made = await createApiToken(trx, { name: body.name, orgAdmin: body.orgAdmin, roles: body.roles, createdBy: auth.actor }, at);
        await auditToken(trx, 'token.created', made.token, auth.actor, at);
        return made;
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/tokens',
      summary: 'The tokens you manage (every one for an organisation admin; for a product line admin, those whose roles are all on product lines they administer), newest first',
      tag,
      query: z.object({ productLine: productLineIdSchema.optional(), revoked: z.enum(['true', 'false'], { error: 'must be true or false' }).optional() }),
      response: z.object({ tokens: z.array(tokenSchema) }),
      access: { org: 'member' },
    },
    async ({ query, auth }) => {
      let q = rt.db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id');
      if (query.revoked === 'false') q = q.where('revoked_at', 'is', null);
      if (query.revoked === 'true') q = q.where('revoked_at', 'is not', null);
      const rows = (await q.execute()).filter((r) => manages(auth, r) && (query.productLine === undefined || r.roles[query.productLine] !== undefined));
      return { tokens: rows.map(tokenView) };
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/tokens/:id',
      summary: 'Revoke a token: it stops working at once (revoking one already revoked changes nothing)',
      tag,
      params: z.object({ id: z.string().min(1).max(100) }),
      response: tokenSchema,
      access: { org: 'member' },
    },
    async ({ params, auth }) => {
      const row = await rt.db.selectFrom('api_tokens').selectAll().where('id', '=', params.id).executeTakeFirst();
      if (!row || !manages(auth, row)) throw new ApiError(404, 'not_found', `token "${params.id}" does not exist`, [{ path: 'params.id', message: 'no such token' }]);
      if (row.revoked_at !== null) return tokenView(row);
      const at = new Date(rt.clock.now());
      return rt.db.transaction().execute(async (trx) => {
        const revoked = tokenView(await trx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', params.id).returningAll().executeTakeFirstOrThrow());
        await auditToken(trx, 'token.revoked', revoked, auth.actor, at);
        return revoked;
      });
    },
  );

  async function unknownProductLines(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = new Set((await rt.db.selectFrom('product_lines').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    return ids.filter((id) => !found.has(id));
  }
};
