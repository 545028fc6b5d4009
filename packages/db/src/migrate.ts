// Migrations are imported in code (no directory scanning), so they travel with the bundle and run
// the same on PGlite and Postgres.
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as initial from './migrations/0001-initial.ts';
import * as eventInbox from './migrations/0002-event-inbox.ts';
import * as lookups from './migrations/0003-lookups-and-schedules.ts';
import * as leanHotPath from './migrations/0004-lean-hot-path.ts';
import * as email from './migrations/0005-email.ts';
import * as sales from './migrations/0006-sales.ts';
import * as leanEvents from './migrations/0007-lean-events.ts';
import * as bounces from './migrations/0008-bounces.ts';
import * as accounts from './migrations/0009-accounts.ts';
import * as audit from './migrations/0010-audit.ts';

/** Every migration, by name; names sort in the order they must run. Append, never edit or reorder. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-event-inbox': eventInbox,
  '0003-lookups-and-schedules': lookups,
  '0004-lean-hot-path': leanHotPath,
  '0005-email': email,
  '0006-sales': sales,
  '0007-lean-events': leanEvents,
  '0008-bounces': bounces,
  '0009-accounts': accounts,
  '0010-audit': audit,
};

const provider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};

/** Thrown when the schema cannot be brought up to date; `migration` names the one that failed. */
export class MigrationError extends Error {
  readonly migration: string | null;

  constructor(migration: string | null, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      migration === null
        ? `database migrations could not run: ${reason}`
        : `database migration "${migration}" failed and was rolled back: ${reason}`,
      { cause },
    );
    this.name = 'MigrationError';
    this.migration = migration;
  }
}

/** Brings the schema up to date; returns the names of the migrations it applied (none when current). */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const { error, results } = await migratorFor(db).then((m) => m.migrateToLatest());
  const failed = results?.find((r) => r.status === 'Error');
  if (failed) throw new MigrationError(failed.migrationName, error);
  if (error !== undefined) throw new MigrationError(null, error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The names of the migrations not yet applied to this database. */
export async function pendingMigrations<T>(db: Kysely<T>): Promise<string[]> {
  const all = await (await migratorFor(db)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

// kysely looks for its bookkeeping tables in every schema; pinning them to the current schema keeps
// one database's isolated schemas (parallel test files) from seeing each other's migrations.
async function migratorFor<T>(db: Kysely<T>): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new MigrationError(null, new Error('the search_path names no existing schema'));
  return new Migrator({ db, provider, migrationTableSchema: schema });
}
