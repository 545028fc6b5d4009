// Who a request comes from: an API token in `Authorization: Bearer`, or the editor's session cookie.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Runtime } from '../runtime.ts';
import type { Auth } from './access.ts';
import { authenticateSession, SESSION_COOKIE } from './sessions.ts';
import { authenticateToken } from './tokens.ts';

/** An authenticated caller and how they presented themselves (a session must also show its CSRF token). */
export interface Authenticated {
  auth: Auth;
  via: 'token' | 'session';
  /** The session's CSRF token (via session only). */
  csrf: string | null;
}

/** Finds the caller of a request; null when it presents no valid credential. */
export type Authenticator = (c: Context) => Promise<Authenticated | null>;

/**
 * The runtime's authenticator: a bearer token when the request has an Authorization header (a wrong
 * one is not rescued by a cookie), else the session cookie.
 */
export function requestAuthenticator(rt: Runtime): Authenticator {
  return async (c) => {
    const now = new Date(rt.clock.now());
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const auth = bearer ? await authenticateToken(rt.db, bearer[1]!, now) : null;
      return auth ? { auth, via: 'token', csrf: null } : null;
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie === undefined) return null;
    const session = await authenticateSession(rt.db, cookie, now);
    return session ? { auth: session.auth, via: 'session', csrf: session.csrf } : null;
  };
}
