// People and their roles: users (org admins manage them), memberships per product line (that
// product line's admins manage them), and the first organisation admin made on first start.
import type { DB } from '@nurtureflow/db';
import type { Kysely, Selectable } from 'kysely';
import type { UsersTable } from '@nurtureflow/db';
import { z } from 'zod';
import { ApiError, conflict } from '../errors.ts';
import type { Role } from './access.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { randomSecret } from './secrets.ts';

/** An account's e-mail address, as stored: trimmed and lower-cased. */
export const accountEmailSchema = z
  .string({ error: 'must be an e-mail address' })
  .trim()
  .toLowerCase()
  .max(320, { error: 'must be at most 320 characters' })
  // Local addresses (admin@localhost) are accounts too, so no top-level domain is required.
  .regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*$/, { error: 'is not an e-mail address' });

/** A new password. */
export const passwordSchema = z
  .string({ error: 'must be a string' })
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

/** A display name. */
export const displayNameSchema = z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });

/** A user as the API shows them (never the hash). */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  orgAdmin: boolean;
  disabled: boolean;
  roles: Record<string, Role>;
  createdAt: string;
  updatedAt: string;
}

type UserRow = Selectable<UsersTable>;

/** Makes a user; 409 naming `body.email` when the address has an account already. */
export async function createUser(db: Kysely<DB>, input: { email: string; displayName: string; password: string; orgAdmin?: boolean }, now: Date): Promise<UserView> {
  const existing = await db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) throw conflict('email_taken', `"${input.email}" has an account already`, [{ path: 'body.email', message: 'has an account already' }]);
  const row = await db
    .insertInto('users')
    .values({ id: `usr_${randomSecret(9)}`, email: input.email, display_name: input.displayName, password_hash: await hashPassword(input.password), org_admin: input.orgAdmin ?? false, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return userView(row, {});
}

/** Every user with their roles, by e-mail address. */
export async function listUsers(db: Kysely<DB>): Promise<UserView[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  const roles = await rolesOf(db, rows.map((r) => r.id));
  return rows.map((r) => userView(r, roles.get(r.id) ?? {}));
}

/** One user; 404 naming `params.id` when there is none. */
export async function getUser(db: Kysely<DB>, id: string): Promise<UserView> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw noUser(id);
  return userView(row, (await rolesOf(db, [id])).get(id) ?? {});
}

/**
 * Renames, disables or enables a user, or makes or unmakes an organisation admin, inside the
 * caller's transaction. The last enabled organisation admin cannot be disabled or demoted (409), so
 * nobody is locked out. Returns the user before and after.
 */
export async function updateUser(trx: Kysely<DB>, id: string, patch: { displayName?: string | undefined; disabled?: boolean | undefined; orgAdmin?: boolean | undefined }, now: Date): Promise<{ before: UserView; after: UserView }> {
  {
    const row = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw noUser(id);
    const losesAdmin = row.org_admin && !row.disabled && (patch.disabled === true || patch.orgAdmin === false);
    if (losesAdmin) {
      // Serialises concurrent demotions: each takes the lock on every org admin row.
      const admins = await trx.selectFrom('users').select('id').where('org_admin', '=', true).where('disabled', '=', false).forUpdate().execute();
      if (admins.length <= 1) {
        const field = patch.disabled === true ? 'body.disabled' : 'body.orgAdmin';
        throw conflict('last_org_admin', 'this is the last enabled organisation admin: make another one first', [{ path: field, message: 'would leave no enabled organisation admin' }]);
      }
    }
    const updated = await trx
      .updateTable('users')
      .set({
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
        ...(patch.orgAdmin !== undefined ? { org_admin: patch.orgAdmin } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (patch.disabled === true) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const roles = (await rolesOf(trx, [id])).get(id) ?? {};
    return { before: userView(row, roles), after: userView(updated, roles) };
  }
}

/** Sets a user's password. */
export async function setPassword(db: Kysely<DB>, id: string, password: string, now: Date): Promise<void> {
  const done = await db.updateTable('users').set({ password_hash: await hashPassword(password), updated_at: now }).where('id', '=', id).executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) throw noUser(id);
}

/** A product line's members with their roles, by e-mail address. */
export async function listMembers(db: Kysely<DB>, productLine: string): Promise<MemberView[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.disabled', 'm.role', 'm.created_at'])
    .where('m.product_line', '=', productLine)
    .orderBy('u.email')
    .execute();
  return rows.map(memberView);
}

/** A member as a product line's admins see them. */
export interface MemberView {
  userId: string;
  email: string;
  displayName: string;
  disabled: boolean;
  role: Role;
  since: string;
}

/** Gives the user with this address a role on the product line (or changes it); 404 naming `body.email` when nobody has it. */
export async function putMember(db: Kysely<DB>, productLine: string, email: string, role: Role, now: Date): Promise<{ member: MemberView; before: Role | null }> {
  const user = await db.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst();
  if (!user) {
    throw new ApiError(404, 'not_found', `nobody has an account with "${email}": an organisation admin makes accounts`, [{ path: 'body.email', message: 'has no account' }]);
  }
  const before = await db.selectFrom('memberships').select('role').where('user_id', '=', user.id).where('product_line', '=', productLine).executeTakeFirst();
  await db
    .insertInto('memberships')
    .values({ user_id: user.id, product_line: productLine, role, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'product_line']).doUpdateSet({ role }))
    .execute();
  const member = (await listMembers(db, productLine)).find((m) => m.userId === user.id)!;
  return { member, before: before?.role ?? null };
}

/** Takes a user's role on the product line away and returns what it was; 404 naming `params.userId` when they had none. */
export async function removeMember(db: Kysely<DB>, productLine: string, userId: string): Promise<{ email: string; role: Role }> {
  const row = await db
    .deleteFrom('memberships')
    .where('product_line', '=', productLine)
    .where('user_id', '=', userId)
    .returning(['role', (eb) => eb.selectFrom('users').select('email').whereRef('users.id', '=', 'memberships.user_id').as('email')])
    .executeTakeFirst();
  if (!row) throw new ApiError(404, 'not_found', `user "${userId}" is not a member of product line "${productLine}"`, [{ path: 'params.userId', message: 'is not a member' }]);
  return { email: row.email ?? userId, role: row.role };
}

/** The first organisation admin's address unless NURTUREFLOW_ADMIN_EMAIL says otherwise. */
export const FIRST_ADMIN_EMAIL = 'admin@localhost';

/**
 * On first start, when there is no user at all: an organisation admin with the given address and
 * password, or a generated password. Returns what to tell the operator, or null when users exist.
 */
export async function ensureFirstAdmin(db: Kysely<DB>, env: { email?: string | undefined; password?: string | undefined }, now: Date): Promise<{ email: string; password: string | null } | null> {
  const any = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const email = accountEmailSchema.parse(env.email || FIRST_ADMIN_EMAIL);
  const given = env.password || null;
  if (given !== null) passwordSchema.parse(given);
  const password = given ?? randomSecret(15);
  // Two processes starting at once on one database: the second one's insert conflicts and it says nothing.
  const inserted = await db
    .insertInto('users')
    .values({ id: `usr_${randomSecret(9)}`, email, display_name: 'Administrator', password_hash: await hashPassword(password), org_admin: true, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return null;
  return { email, password: given === null ? password : null };
}

function memberView(r: { id: string; email: string; display_name: string; disabled: boolean; role: Role; created_at: Date }): MemberView {
  return { userId: r.id, email: r.email, displayName: r.display_name, disabled: r.disabled, role: r.role, since: r.created_at.toISOString() };
}

/** A user row as the API shows it. */
export function userView(r: UserRow, roles: Record<string, Role>): UserView {
  return { id: r.id, email: r.email, displayName: r.display_name, orgAdmin: r.org_admin, disabled: r.disabled, roles, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
}

async function rolesOf(db: Kysely<DB>, userIds: string[]): Promise<Map<string, Record<string, Role>>> {
  const out = new Map<string, Record<string, Role>>();
  if (userIds.length === 0) return out;
  const rows = await db.selectFrom('memberships').select(['user_id', 'product_line', 'role']).where('user_id', 'in', userIds).orderBy('product_line').execute();
  for (const r of rows) (out.get(r.user_id) ?? out.set(r.user_id, {}).get(r.user_id)!)[r.product_line] = r.role;
  return out;
}

function noUser(id: string): ApiError {
  return new ApiError(404, 'not_found', `user "${id}" does not exist`, [{ path: 'params.id', message: 'no such user' }]);
}
