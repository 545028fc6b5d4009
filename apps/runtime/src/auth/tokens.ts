// API tokens for machines: `Authorization: Bearer nf_…`. The secret is shown once when the token is
// made and kept only as its digest; a revoked token stops working at once.
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import { caller, type Auth, type Role } from './access.ts';
import { digest, randomSecret } from './secrets.ts';

/** Every token starts with this, so a leaked one is easy to recognise (and to scan for). */
export const TOKEN_PREFIX = 'nf_';

/** How often a token's last use is written down at most (one write a minute, not one a request). */
const LAST_USED_EVERY_MS = 60_000;

/** What a token may do: everything (organisation admin) or roles on product lines. */
export interface TokenGrant {
  name: string;
  orgAdmin?: boolean;
  roles?: Readonly<Record<string, Role>>;
  createdBy?: string | null;
}

/** A token as listed (never its secret). */
export interface TokenView {
  id: string;
  name: string;
  orgAdmin: boolean;
  roles: Record<string, Role>;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Makes a token; the secret in the result is the only copy there will ever be. */
export async function createApiToken(db: Kysely<DB>, grant: TokenGrant, now: Date): Promise<{ token: TokenView; secret: string }> {
  const id = `tok_${randomSecret(9)}`;
  const secret = TOKEN_PREFIX + randomSecret(32);
  const row = await db
    .insertInto('api_tokens')
    .values({ id, secret_hash: digest(secret), name: grant.name, org_admin: grant.orgAdmin ?? false, roles: { ...grant.roles }, created_by: grant.createdBy ?? null, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token: tokenView(row), secret };
}

/** The caller a bearer secret stands for, or null for an unknown or revoked token. */
export async function authenticateToken(db: Kysely<DB>, secret: string, now: Date): Promise<Auth | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const row = await db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', digest(secret)).where('revoked_at', 'is', null).executeTakeFirst();
  if (!row) return null;
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() >= LAST_USED_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return caller({ userId: null, tokenId: row.id, orgAdmin: row.org_admin, roles: new Map(Object.entries(row.roles)), actor: `token:${row.name}` });
}

/** A token row as the API shows it. */
export function tokenView(r: { id: string; name: string; org_admin: boolean; roles: Record<string, Role>; created_by: string | null; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): TokenView {
  return {
    id: r.id,
    name: r.name,
    orgAdmin: r.org_admin,
    roles: r.roles,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}
