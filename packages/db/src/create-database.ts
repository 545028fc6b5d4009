// The one place that knows which database runs. Everything else gets a `Kysely<DB>` and cannot tell
// PGlite from Postgres: both are configured to return the same JS values and to run in UTC.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { DB } from './tables.ts';
import { pgliteParsers, pgliteSerializers, postgresJsTypes } from './type-parsers.ts';

export type DialectName = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** A postgres:// URL; when absent the embedded PGlite runs instead. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory (default `.data/pglite` under the working directory); `memory://` for none. */
  dataDir?: string | undefined;
  /** Work inside this schema (created when missing) instead of `public`; lowercase letters, digits, `_`. */
  schema?: string | undefined;
  /** Postgres pool size (default 10). PGlite always has exactly one connection. */
  max?: number | undefined;
}

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Closes the pool or the embedded database; the Database is unusable afterwards. */
  close(): Promise<void>;
}

/** The default PGlite data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.data/pglite';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens Postgres when a databaseUrl is given, the embedded PGlite otherwise; does not migrate. */
export async function createDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`schema "${options.schema}" must be lowercase letters, digits and _ (at most 63), starting with a letter or _`);
  }
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const connection: Record<string, string> = { application_name: 'nurtureflow', TimeZone: 'UTC' };
  // Sent in the startup packet, so every pooled connection lands in the schema without a round trip.
  if (options.schema !== undefined) connection['search_path'] = options.schema;
  const client = postgres(url, {
    max: options.max ?? 10,
    types: postgresJsTypes,
    connection,
    // "already exists, skipping" notices from idempotent DDL are not news.
    onnotice: () => {},
    // Seconds before a lost connection is opened again. postgres.js's default grows with every
    // failed attempt of any connection in the pool, up to 20 s, so after a Postgres restart the
    // pool could sit idle for tens of seconds with the server back; a short, capped wait (0.1 s
    // doubling to at most 2 s) brings the runtime back within seconds.
    backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 2),
  });
  try {
    if (options.schema !== undefined) {
      await client`create schema if not exists ${client(options.schema)}`;
    } else {
      await client`select 1`;
    }
  } catch (error) {
    await client.end({ timeout: 0 });
    throw new Error(`cannot open Postgres at ${redact(url)}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const db = new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: client }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect: 'postgres',
    close: () => (closing ??= db.destroy().then(() => client.end())),
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir.startsWith('memory://');
  const path = inMemory ? dataDir : resolve(dataDir);
  if (!inMemory) mkdirSync(path, { recursive: true });
  const pglite = await PGlite.create(path, { parsers: pgliteParsers, serializers: pgliteSerializers });
  try {
    await pglite.exec(`set time zone 'UTC'`);
    if (options.schema !== undefined) {
      await pglite.exec(`create schema if not exists "${options.schema}"; set search_path to "${options.schema}"`);
    }
  } catch (error) {
    await pglite.close();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect: 'pglite',
    // kysely only closes an instance it has used, so close it here too.
    close: () => (closing ??= db.destroy().then(() => (pglite.closed ? undefined : pglite.close()))),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
