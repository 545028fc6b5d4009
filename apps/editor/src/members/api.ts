// The runtime calls the members page makes: a product line's members (by e-mail, with a role) and
// the API tokens with roles on it.
import { call } from '../api/client.ts';

const enc = encodeURIComponent;

/** The roles a member or a token can have on a product line. */
export const ROLES = ['admin', 'editor', 'analyst', 'sales'] as const;
export type Role = (typeof ROLES)[number];

/** A member of the product line. */
export interface Member {
  userId: string;
  email: string;
  displayName: string;
  disabled: boolean;
  role: Role;
  since: string;
}

/** An API token (never its secret, which is shown once when made). */
export interface Token {
  id: string;
  name: string;
  orgAdmin: boolean;
  roles: Record<string, Role>;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The calls. */
export const membersApi = {
  members: (pl: string) => call<{ members: Member[] }>('GET', `/product-lines/${enc(pl)}/members`).then((r) => r.members),
  putMember: (pl: string, email: string, role: Role) => call<Member>('PUT', `/product-lines/${enc(pl)}/members`, { email, role }),
  /** Makes an account (organisation admins only). */
  createUser: (user: { email: string; displayName: string; password: string }) => call<{ id: string; email: string }>('POST', '/users', user),
  removeMember: (pl: string, userId: string) => call<null>('DELETE', `/product-lines/${enc(pl)}/members/${enc(userId)}`),
  tokens: (pl: string) => call<{ tokens: Token[] }>('GET', `/tokens?productLine=${enc(pl)}`).then((r) => r.tokens),
  createToken: (pl: string, name: string, role: Role) => call<{ token: Token; secret: string }>('POST', '/tokens', { name, roles: { [pl]: role } }),
  revokeToken: (id: string) => call<Token>('DELETE', `/tokens/${enc(id)}`),
};
