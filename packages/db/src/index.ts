/**
 * Nurtureflow's storage: the kysely table types, the migrations, and the factory that opens the
 * embedded PGlite or a Postgres server behind the same `Kysely<DB>`. Test helpers live in
 * `@nurtureflow/db/testing`.
 */
export { createDatabase, DEFAULT_DATA_DIR, type Database, type DatabaseOptions, type DialectName } from './create-database.ts';
export { migrateToLatest, pendingMigrations, migrations, MigrationError } from './migrate.ts';
export { parseInt8, parseTimestamp, serializeJson } from './type-parsers.ts';
export type * from './tables.ts';
