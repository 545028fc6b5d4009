// /auth: logging in and out of the editor (an HTTP-only session cookie and its CSRF token), who
// the caller is, and changing one's own password.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { decoyHash, verifyPassword } from '../auth/passwords.ts';
import { LoginLimiter } from '../auth/rate-limit.ts';
import { createSession, deleteSession, deleteUserSessions, SESSION_COOKIE, authenticateSession } from '../auth/sessions.ts';
import { accountEmailSchema, getUser, passwordSchema, setPassword } from '../auth/users.ts';
import { recordAudit } from '../audit/index.ts';
import { ApiError } from '../errors.ts';

const tag = 'Accounts';

const userView = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  orgAdmin: z.boolean(),
  disabled: z.boolean(),
  roles: z.record(z.string(), z.enum(['admin', 'editor', 'analyst', 'sales'])),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const loginBody = z.strictObject({
  email: accountEmailSchema,
  password: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(1000, { error: 'must be at most 1000 characters' }),
});

/** Login, logout, who am I, and one's own password. */
export const authRoutes: Routes = (api, rt) => {
  const limiter = new LoginLimiter(rt.clock);
  const now = () => new Date(rt.clock.now());

  api.route(
    {
      method: 'post',
      path: '/auth/login',
      summary: `Log in with e-mail and password: sets the HTTP-only session cookie and returns the CSRF token every change made with the cookie must send as X-CSRF-Token (429 after repeated failures from one address)`,
      tag,
      body: loginBody,
      response: z.object({ user: userView, csrfToken: z.string(), expiresAt: z.string() }),
      access: { public: true },
    },
    async ({ body, c }) => {
      // JSON only: a form on another site cannot post JSON, so it cannot log a browser in to an account of its choosing.
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        throw new ApiError(415, 'unsupported_media_type', 'send the login as application/json', [{ path: 'headers.content-type', message: 'must be application/json' }]);
      }
      const client = clientAddress(c);
      const wait = limiter.retryAfter(body.email, client);
      if (wait > 0) {
        c.header('retry-after', String(Math.ceil(wait / 1000)));
        throw new ApiError(429, 'too_many_attempts', `too many failed logins for this address: try again in ${Math.ceil(wait / 60_000)} minutes`, [{ path: 'body.email', message: 'too many failed attempts' }]);
      }
      const user = await rt.db.selectFrom('users').select(['id', 'password_hash', 'disabled']).where('email', '=', body.email).executeTakeFirst();
      // The same work with or without an account, so the answer's timing does not say which addresses have one.
      const matches = await verifyPassword(body.password, user?.password_hash ?? (await decoyHash()));
      if (!user || !matches || user.disabled) {
        limiter.failed(body.email, client);
        throw new ApiError(401, 'invalid_credentials', 'the e-mail address or the password is wrong', [{ path: 'body.password', message: 'does not match an account' }]);
      }
      limiter.succeeded(body.email, client);
      const previous = getCookie(c, SESSION_COOKIE);
      if (previous !== undefined) await deleteSession(rt.db, previous);
      const session = await createSession(rt.db, user.id, now());
      setCookie(c, SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: secureCookies(),
        path: '/',
        expires: session.expiresAt,
      });
      return { user: await getUser(rt.db, user.id), csrfToken: session.csrf, expiresAt: session.expiresAt.toISOString() };
    },
  );

  api.route(
    { method: 'post', path: '/auth/logout', summary: 'End the session: the cookie stops working at once', tag, status: 204, access: { org: 'member' } },
    async ({ c }) => {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie !== undefined) await deleteSession(rt.db, cookie);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookies(), httpOnly: true, sameSite: 'Lax' });
      return null;
    },
  );

  api.route(
    {
      method: 'get',
      path: '/auth/me',
      summary: "Who is calling: the user (or token), organisation admin or not, the role on each product line, and the session's CSRF token",
      tag,
      response: z.object({
        user: userView.nullable(),
        token: z.object({ id: z.string(), name: z.string() }).nullable(),
        orgAdmin: z.boolean(),
        roles: z.record(z.string(), z.string()),
        csrfToken: z.string().nullable(),
      }),
      access: { org: 'member' },
    },
    async ({ auth, c }) => {
      const cookie = auth.userId !== null ? getCookie(c, SESSION_COOKIE) : undefined;
      const session = cookie !== undefined ? await authenticateSession(rt.db, cookie, now()) : null;
      const token = auth.tokenId !== null ? await rt.db.selectFrom('api_tokens').select(['id', 'name']).where('id', '=', auth.tokenId).executeTakeFirstOrThrow() : null;
      return {
        user: auth.userId !== null ? await getUser(rt.db, auth.userId) : null,
        token,
        orgAdmin: auth.orgAdmin,
        roles: Object.fromEntries(auth.roles),
        csrfToken: session?.csrf ?? null,
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/password',
      summary: 'Change your own password (the current one is asked for); your other sessions end',
      tag,
      body: z.strictObject({ currentPassword: z.string({ error: 'must be a string' }).max(1000), newPassword: passwordSchema }),
      status: 204,
      access: { org: 'member' },
    },
    async ({ auth, body, c }) => {
      if (auth.userId === null) throw new ApiError(400, 'not_a_user', 'a token has no password: log in as a user', [{ path: 'headers.authorization', message: 'is a token, not a user' }]);
      const row = await rt.db.selectFrom('users').select('password_hash').where('id', '=', auth.userId).executeTakeFirstOrThrow();
      if (!(await verifyPassword(body.currentPassword, row.password_hash))) {
        throw new ApiError(403, 'wrong_password', 'the current password is wrong', [{ path: 'body.currentPassword', message: 'is not your password' }]);
      }
      const userId = auth.userId;
      await rt.db.transaction().execute(async (trx) => {
        await setPassword(trx, userId, body.newPassword, now());
        await deleteUserSessions(trx, userId, getCookie(c, SESSION_COOKIE));
        await recordAudit(trx, { productLine: null, actor: auth.actor, action: 'user.changed', objectKind: 'user', objectId: userId, at: now(), details: { password: 'changed by the user' } });
      });
      return null;
    },
  );
};

/** Cookies are marked Secure when the runtime is served over https (PUBLIC_URL). */
function secureCookies(): boolean {
  return (process.env['PUBLIC_URL'] ?? '').startsWith('https:');
}

/** The client's address, for counting failed logins; requests made in-process have none. */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'local';
  }
}
