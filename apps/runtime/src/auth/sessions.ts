// Editor sessions: an HTTP-only cookie whose value is kept only as its digest, with a CSRF token
// the editor sends back in X-CSRF-Token on every change. A disabled user's sessions stop working.
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import { caller, type Auth, type Role } from './access.ts';
import { digest, randomSecret } from './secrets.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'nf_session';

/** How long a session lasts from login. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A new session: the cookie's value (only here, never stored) and its CSRF token. */
export interface NewSession {
  id: string;
  csrf: string;
  expiresAt: Date;
}

/** Starts a session for a user. */
export async function createSession(db: Kysely<DB>, userId: string, now: Date): Promise<NewSession> {
  const id = randomSecret(32);
  const csrf = randomSecret(24);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Sessions that ran out are cleared as new ones start, so the table does not grow for ever.
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.insertInto('sessions').values({ id_hash: digest(id), user_id: userId, csrf_token: csrf, expires_at: expiresAt, created_at: now }).execute();
  return { id, csrf, expiresAt };
}

/** Ends a session (logout); ending one that is gone already is fine. */
export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', digest(id)).execute();
}

/** Ends every session of a user (disabled, or a new password set by an admin). */
export async function deleteUserSessions(db: Kysely<DB>, userId: string, except?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (except !== undefined) q = q.where('id_hash', '<>', digest(except));
  await q.execute();
}

/** The caller a session cookie stands for, with its CSRF token; null when unknown, expired or the user is disabled. */
export async function authenticateSession(db: Kysely<DB>, id: string, now: Date): Promise<{ auth: Auth; csrf: string } | null> {
  if (id.length === 0 || id.length > 200) return null;
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.expires_at', 'u.id', 'u.email', 'u.org_admin', 'u.disabled'])
    .where('s.id_hash', '=', digest(id))
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at.getTime() <= now.getTime()) return null;
  return { auth: await userAuth(db, row), csrf: row.csrf_token };
}

/** A user's Auth with their memberships. */
export async function userAuth(db: Kysely<DB>, user: { id: string; email: string; org_admin: boolean }): Promise<Auth> {
  const memberships = await db.selectFrom('memberships').select(['product_line', 'role']).where('user_id', '=', user.id).execute();
  return caller({ userId: user.id, tokenId: null, orgAdmin: user.org_admin, roles: new Map(memberships.map((m) => [m.product_line, m.role as Role])), actor: user.email });
}
