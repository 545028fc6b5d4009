import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationError, migrateToLatest, migrations, pendingMigrations } from './migrate.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from './testing.ts';

const TABLES = [
  'api_tokens',
  'audit_log',
  'bounced_addresses',
  'enrollment_history',
  'enrollments',
  'events',
  'handoffs',
  'lead_merges',
  'lead_products',
  'leads',
  'mailbox',
  'memberships',
  'outbox',
  'print_jobs',
  'product_lines',
  'scenario_versions',
  'scenarios',
  'schedule_runs',
  'sent_emails',
  'server_secrets',
  'sessions',
  'templates',
  'users',
];

// Other test files keep their own schemas in the same Postgres database: look at ours only.
async function tableNames(database: TestDatabase): Promise<string[]> {
  const schema = database.schema ?? 'public';
  const tables = await database.db.introspection.getTables();
  return tables.filter((t) => t.schema === schema).map((t) => t.name).sort();
}

for (const dialect of TEST_DIALECTS) {
  describe(`migrations (${dialect})`, () => {
    let database: TestDatabase | undefined;
    afterEach(async () => {
      await database?.close();
      database = undefined;
    });

    it('apply every migration to an empty database, then report nothing pending', async () => {
      database = await createTestDatabase(dialect, { migrate: false });
      const { db } = database;

      expect(await pendingMigrations(db)).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
      expect(await pendingMigrations(db)).toEqual([]);

      expect(await tableNames(database)).toEqual(TABLES);
    });

    it('are idempotent: running them again applies nothing and keeps the data', async () => {
      database = await createTestDatabase(dialect);
      const { db } = database;
      await db.insertInto('product_lines').values({ id: 'crm', name: 'CRM' }).execute();

      expect(await migrateToLatest(db)).toEqual([]);
      expect(await migrateToLatest(db)).toEqual([]);
      expect(await db.selectFrom('product_lines').select('id').execute()).toEqual([{ id: 'crm' }]);
    });

    it('key every hot table by the lead id first, so it can be distributed by lead', async () => {
      database = await createTestDatabase(dialect);
      const { rows } = await sql<{ table_name: string; columns: string[] }>`
        select c.relname as table_name,
               array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, n)
                     join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum order by k.n) as columns
        from pg_index i
        join pg_class c on c.oid = i.indrelid
        where i.indisprimary and c.relnamespace = current_schema()::regnamespace
          and c.relname in ('events', 'enrollments', 'enrollment_history', 'outbox')
        order by c.relname`.execute(database.db);

      expect(rows).toEqual([
        { table_name: 'enrollment_history', columns: ['lead_id', 'enrollment_id', 'seq'] },
        { table_name: 'enrollments', columns: ['lead_id', 'id'] },
        { table_name: 'events', columns: ['lead_id', 'id'] },
        { table_name: 'outbox', columns: ['lead_id', 'key'] },
      ]);
    });

    it('name the migration that failed', async () => {
      database = await createTestDatabase(dialect, { migrate: false });
      await sql`create table product_lines (id text primary key)`.execute(database.db);

      const error = await migrateToLatest(database.db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).migration).toBe('0001-initial');
      expect((error as MigrationError).message).toMatch(/migration "0001-initial" failed.*already exists/);
      // Rolled back as a whole: nothing of the failed migration is left behind.
      expect(await tableNames(database)).toEqual(['product_lines']);
    });
  });
}
