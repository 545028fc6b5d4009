// Who is logged in to the editor: checked once at start (GET /auth/me), set by logging in, ended by
// logging out or by the runtime answering 401. Until someone has logged in the editor shows the
// login page; a session that ends while working shows the login over the screen, so nothing on it
// is lost.
import { useSyncExternalStore } from 'react';
import { ApiFailure, call, onUnauthenticated, setCsrfToken } from '../api/client.ts';

/** A user as the runtime shows them. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  orgAdmin: boolean;
  roles: Record<string, string>;
}

/** GET /auth/me. */
export interface Me {
  user: User | null;
  token: { id: string; name: string } | null;
  orgAdmin: boolean;
  roles: Record<string, string>;
  csrfToken: string | null;
}

/** Where the editor's session stands. */
export type Session = { status: 'checking' } | { status: 'loggedOut' } | { status: 'expired'; me: Me } | { status: 'loggedIn'; me: Me };

let session: Session = { status: 'checking' };
const listeners = new Set<() => void>();

function set(next: Session): void {
  session = next;
  setCsrfToken(next.status === 'loggedIn' ? next.me.csrfToken : null);
  listeners.forEach((l) => l());
}

onUnauthenticated(() => {
  if (session.status === 'loggedIn') set({ status: 'expired', me: session.me });
  else if (session.status === 'checking') set({ status: 'loggedOut' });
});

/** The session, re-rendering when it changes. */
export function useSession(): Session {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => session,
  );
}

/** Asks the runtime who is logged in (on start). */
export async function checkSession(): Promise<void> {
  try {
    set({ status: 'loggedIn', me: await call<Me>('GET', '/auth/me') });
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 401) set({ status: 'loggedOut' });
    else throw e;
  }
}

/** Logs in; a wrong password or too many attempts throws the runtime's ApiFailure. */
export async function logIn(email: string, password: string): Promise<void> {
  const done = await call<{ csrfToken: string }>('POST', '/auth/login', { email, password });
  setCsrfToken(done.csrfToken);
  set({ status: 'loggedIn', me: await call<Me>('GET', '/auth/me') });
}

/** Changes the logged-in user's password; the runtime ends their other sessions, this one stays. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await call('POST', '/auth/password', { currentPassword, newPassword });
}

/** Logs out: the cookie stops working at once. */
export async function logOut(): Promise<void> {
  try {
    await call('POST', '/auth/logout');
  } finally {
    set({ status: 'loggedOut' });
  }
}
