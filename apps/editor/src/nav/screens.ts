// Which of a product line's screens the caller can use, from GET /auth/me: the same roles and
// permissions the runtime checks (apps/runtime/src/auth/access.ts), so a sales member is not shown
// screens that would only answer 403.
import { call } from '../api/client.ts';
import type { Route } from '../router.ts';

/** A screen of one product line. */
export type PageScreen = Extract<Route, { productLine: string }>['screen'];

/** Who is calling, as GET /auth/me says. */
export interface Me {
  orgAdmin: boolean;
  roles: Record<string, string>;
}

type Permission = 'read' | 'simulate' | 'sales' | 'admin';

const ROLE_PERMISSIONS: Record<string, readonly Permission[]> = {
  admin: ['read', 'simulate', 'sales', 'admin'],
  editor: ['read', 'simulate'],
  analyst: ['read', 'simulate'],
  sales: ['sales'],
};

/** What each screen's first call needs (any one of). */
const NEEDS: Record<PageScreen, readonly Permission[]> = {
  list: ['read'],
  sales: ['read', 'sales'],
  scoring: ['simulate'],
  dashboard: ['read'],
  members: ['admin'],
};

/** Whether the caller can use the screen on the product line; unknown callers (no answer yet) can. */
export function canOpen(me: Me | undefined, productLine: string, screen: PageScreen): boolean {
  if (me === undefined || me.orgAdmin) return true;
  const role = me.roles[productLine];
  if (role === undefined) return false;
  const has = ROLE_PERMISSIONS[role] ?? [];
  return NEEDS[screen].some((p) => has.includes(p));
}

/** The screen a product line opens on: its scenarios, or the sales view for a sales member. */
export function homeScreen(me: Me | undefined, productLine: string): PageScreen {
  return canOpen(me, productLine, 'list') ? 'list' : canOpen(me, productLine, 'sales') ? 'sales' : 'list';
}

/** GET /auth/me; undefined when it cannot be read (the screens are then all shown and say why they fail). */
export function fetchMe(): Promise<Me | undefined> {
  return call<Me>('GET', '/auth/me').catch(() => undefined);
}
