// Who is calling and what they may do: roles per product line map to permissions, and an
// organisation admin holds every permission on every product line.
import type { MemberRole } from '@nurtureflow/db';

/** What a route needs on the product line of the object it touches. */
export type Permission = 'read' | 'simulate' | 'write' | 'admin' | 'sales';

/** A role on a product line. */
export type Role = MemberRole;

export const ROLES: readonly Role[] = ['admin', 'editor', 'analyst', 'sales'];

/** Each role's permissions on its product line. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['read', 'simulate', 'write', 'admin', 'sales'],
  editor: ['read', 'simulate', 'write'],
  analyst: ['read', 'simulate'],
  sales: ['sales'],
};

/** The caller of a request, as handlers see it in `input.auth`. */
export interface Auth {
  userId: string | null;
  tokenId: string | null;
  orgAdmin: boolean;
  roles: ReadonlyMap<string, Role>;
  /** Whether the caller holds `permission` on the product line. */
  can(productLineId: string, permission: Permission): boolean;
  /** Who did it, for audit: the user's e-mail, `token:<name>` for a token, `anonymous` otherwise. */
  actor: string;
  /**
   * The product lines on which the caller holds any of `permissions` (every permission when none is
   * given), for filtering lists; null when the caller sees every product line (organisation admin).
   */
  productLines(...permissions: Permission[]): readonly string[] | null;
}

/** The caller of a public route who presented nothing. */
export const ANONYMOUS: Auth = caller({ userId: null, tokenId: null, orgAdmin: false, roles: new Map(), actor: 'anonymous' });

/** An Auth from who the caller is and their roles. */
export function caller(who: { userId: string | null; tokenId: string | null; orgAdmin: boolean; roles: ReadonlyMap<string, Role>; actor: string }): Auth {
  const { orgAdmin, roles } = who;
  return {
    ...who,
    can: (productLineId, permission) => orgAdmin || (roles.has(productLineId) && ROLE_PERMISSIONS[roles.get(productLineId)!].includes(permission)),
    productLines: (...permissions) => {
      if (orgAdmin) return null;
      const wanted = permissions.length === 0 ? null : permissions;
      return [...roles].filter(([, role]) => wanted === null || wanted.some((p) => ROLE_PERMISSIONS[role].includes(p))).map(([pl]) => pl);
    },
  };
}
