// Test databases for both dialects, so a database test is written once and runs on the embedded
// PGlite and on the real Postgres with the same body, as kysely's own suite loops over its dialects.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDatabase, type Database, type DialectName } from './create-database.ts';
import { migrateToLatest } from './migrate.ts';

/** The Postgres the tests use: TEST_DATABASE_URL, or the local server's `test` database. */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The dialects the tests loop over: TEST_DIALECTS (comma-separated) or both. */
export const TEST_DIALECTS: readonly DialectName[] = parseDialects(process.env['TEST_DIALECTS']);

export interface TestDatabase extends Database {
  /** The Postgres schema this database lives in (dropped on close); null on PGlite. */
  schema: string | null;
  /** For Postgres: the URL to open more pools on the same schema (`createDatabase({ databaseUrl, schema })`). */
  databaseUrl: string | null;
}

/** A fresh, migrated database: in-memory PGlite, or a new uniquely named Postgres schema dropped on close. */
export async function createTestDatabase(dialect: DialectName, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const schema = dialect === 'postgres' ? uniqueSchemaName() : null;
  const database =
    dialect === 'postgres'
      ? await createDatabase({ databaseUrl: TEST_DATABASE_URL, schema: schema ?? undefined, max: 4 })
      : await createDatabase({ dataDir: 'memory://' });
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      await dropAndClose(database, schema);
      throw error;
    }
  }
  let closing: Promise<void> | undefined;
  return {
    ...database,
    schema,
    databaseUrl: dialect === 'postgres' ? TEST_DATABASE_URL : null,
    close: () => (closing ??= dropAndClose(database, schema)),
  };
}

/** One fresh migrated database per dialect in TEST_DIALECTS (PGlite first). */
export async function createTestDatabases(): Promise<TestDatabase[]> {
  return Promise.all(TEST_DIALECTS.map((dialect) => createTestDatabase(dialect)));
}

/**
 * Runs `body` once per dialect inside `describe('<name> (<dialect>)')`; `current()` returns that
 * block's database, created fresh and migrated before its tests and dropped after them. Tests in one
 * block share it, so they use their own ids.
 */
export function eachDialect(name: string, body: (current: () => TestDatabase, dialect: DialectName) => void): void {
  for (const dialect of TEST_DIALECTS) {
    describe(`${name} (${dialect})`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error(`the ${dialect} test database is not open yet: call current() inside a test or hook`);
        return database;
      }, dialect);
    });
  }
}

async function dropAndClose(database: Database, schema: string | null): Promise<void> {
  try {
    if (schema !== null) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
  } finally {
    await database.close();
  }
}

function uniqueSchemaName(): string {
  return `test_${process.pid}_${randomBytes(6).toString('hex')}`;
}

function parseDialects(value: string | undefined): DialectName[] {
  if (!value) return ['pglite', 'postgres'];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name): DialectName => {
      if (name === 'pglite' || name === 'postgres') return name;
      throw new Error(`TEST_DIALECTS: unknown dialect "${name}" (pglite, postgres)`);
    });
}
