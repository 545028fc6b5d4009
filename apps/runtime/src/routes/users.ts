// /users: organisation admins make accounts, disable them and set passwords. /product-lines/:pl/
// members: a product line's admins give people roles on it and take them away.
import { productLineIdSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { ROLES } from '../auth/access.ts';
import { deleteUserSessions } from '../auth/sessions.ts';
import { recordAudit } from '../audit/index.ts';
import { ApiError } from '../errors.ts';
import { accountEmailSchema, createUser, displayNameSchema, getUser, listMembers, listUsers, passwordSchema, putMember, removeMember, setPassword, updateUser } from '../auth/users.ts';

const tag = 'Accounts';
const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
const idParams = z.object({ id: z.string().min(1).max(100) });
const plParams = z.object({ pl: productLineIdSchema });

const userView = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  orgAdmin: z.boolean(),
  disabled: z.boolean(),
  roles: z.record(z.string(), roleSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const memberView = z.object({ userId: z.string(), email: z.string(), displayName: z.string(), disabled: z.boolean(), role: roleSchema, since: z.string() });

/** Users (organisation admins) and product-line members (that product line's admins). */
export const userRoutes: Routes = (api, rt) => {
  const now = () => new Date(rt.clock.now());

  api.route(
    {
      method: 'post',
      path: '/users',
      summary: 'Make an account (organisation admins only)',
      tag,
      body: z.strictObject({ email: accountEmailSchema, displayName: displayNameSchema, password: passwordSchema, orgAdmin: z.boolean({ error: 'must be true or false' }).optional() }),
      status: 201,
      response: userView,
      access: { org: 'admin' },
    },
    ({ body, auth }) =>
      rt.db.transaction().execute(async (trx) => {
        const user = await createUser(trx, { email: body.email, displayName: body.displayName, password: body.password, orgAdmin: body.orgAdmin ?? false }, now());
        await recordAudit(trx, { productLine: null, actor: auth.actor, action: 'user.created', objectKind: 'user', objectId: user.id, at: now(), details: { email: user.email, displayName: user.displayName, orgAdmin: user.orgAdmin } });
        return user;
      }),
  );

  api.route(
    { method: 'get', path: '/users', summary: 'Every account with its roles, by e-mail address', tag, response: z.object({ users: z.array(userView) }), access: { org: 'admin' } },
    async () => ({ users: await listUsers(rt.db) }),
  );

  api.route({ method: 'get', path: '/users/:id', summary: 'One account with its roles', tag, params: idParams, response: userView, access: { org: 'admin' } }, ({ params }) => getUser(rt.db, params.id));

  api.route(
    {
      method: 'patch',
      path: '/users/:id',
      summary: 'Rename, disable (its sessions end at once) or enable an account, or make it an organisation admin or not; the last enabled organisation admin stays one',
      tag,
      params: idParams,
      body: z
        .strictObject({ displayName: displayNameSchema.optional(), disabled: z.boolean({ error: 'must be true or false' }).optional(), orgAdmin: z.boolean({ error: 'must be true or false' }).optional() })
        .refine((b) => b.displayName !== undefined || b.disabled !== undefined || b.orgAdmin !== undefined, { error: 'names nothing to change' }),
      response: userView,
      access: { org: 'admin' },
    },
    ({ params, body, auth }) =>
      rt.db.transaction().execute(async (trx) => {
        const { before, after } = await updateUser(trx, params.id, body, now());
        const changed = Object.fromEntries(
          (['displayName', 'disabled', 'orgAdmin'] as const).filter((k) => before[k] !== after[k]).map((k) => [k, { from: before[k], to: after[k] }]),
        );
        if (Object.keys(changed).length > 0) {
          const action = body.disabled === true && !before.disabled ? 'user.disabled' : 'user.changed';
          await recordAudit(trx, { productLine: null, actor: auth.actor, action, objectKind: 'user', objectId: after.id, at: now(), details: { email: after.email, ...changed } });
        }
        return after;
      }),
  );

  api.route(
    {
      method: 'put',
      path: '/users/:id/password',
      summary: "Set an account's password (organisation admins); its sessions end",
      tag,
      params: idParams,
      body: z.strictObject({ password: passwordSchema }),
      status: 204,
      access: { org: 'admin' },
    },
    ({ params, body, auth }) =>
      rt.db.transaction().execute(async (trx) => {
        await setPassword(trx, params.id, body.password, now());
        await deleteUserSessions(trx, params.id);
        await recordAudit(trx, { productLine: null, actor: auth.actor, action: 'user.changed', objectKind: 'user', objectId: params.id, at: now(), details: { password: 'set' } });
        return null;
      }),
  );

  const ofPath = ({ params }: { params: { pl: string } }) => params.pl;

  api.route(
    { method: 'get', path: '/product-lines/:pl/members', summary: "A product line's members and their roles", tag, params: plParams, response: z.object({ members: z.array(memberView) }), access: { need: 'admin', productLine: ofPath } },
    async ({ params }) => ({ members: await listMembers(rt.db, params.pl) }),
  );

  api.route(
    {
      method: 'put',
      path: '/product-lines/:pl/members',
      summary: 'Give the account with this e-mail address a role on the product line, or change it (201 when they were not a member)',
      tag,
      params: plParams,
      body: z.strictObject({ email: accountEmailSchema, role: roleSchema }),
      response: memberView,
      access: { need: 'admin', productLine: ofPath },
    },
    async ({ params, body, c, auth }) => {
      const exists = await rt.db.selectFrom('product_lines').select('id').where('id', '=', params.pl).executeTakeFirst();
      if (!exists) throw noProductLine(params.pl);
      const { member, before } = await rt.db.transaction().execute(async (trx) => {
        const put = await putMember(trx, params.pl, body.email, body.role, now());
        if (put.before !== body.role) {
          await recordAudit(trx, {
            productLine: params.pl,
            actor: auth.actor,
            action: put.before === null ? 'member.added' : 'member.changed',
            objectKind: 'member',
            objectId: put.member.userId,
            at: now(),
            details: { email: put.member.email, role: body.role, ...(put.before !== null ? { from: put.before } : {}) },
          });
        }
        return put;
      });
      return c.json(member, before === null ? 201 : 200);
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/product-lines/:pl/members/:userId',
      summary: "Take a member's role on the product line away",
      tag,
      params: plParams.extend({ userId: z.string().min(1).max(100) }),
      status: 204,
      access: { need: 'admin', productLine: ofPath },
    },
    ({ params, auth }) =>
      rt.db.transaction().execute(async (trx) => {
        const removed = await removeMember(trx, params.pl, params.userId);
        await recordAudit(trx, { productLine: params.pl, actor: auth.actor, action: 'member.removed', objectKind: 'member', objectId: params.userId, at: now(), details: { email: removed.email, role: removed.role } });
        return null;
      }),
  );
};

function noProductLine(id: string): ApiError {
  return new ApiError(404, 'not_found', `product line "${id}" does not exist`, [{ path: 'params.pl', message: 'no such product line' }]);
}
