import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from './create-database.ts';
import { migrateToLatest } from './migrate.ts';
import { createTestDatabase, TEST_DIALECTS } from './testing.ts';

describe('createDatabase with PGlite on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'nurtureflow-db-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory on first start and keeps the data across a restart', async () => {
    const dataDir = join(root, 'nested', 'pglite');
    const first = await createDatabase({ dataDir });
    expect(first.dialect).toBe('pglite');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    await migrateToLatest(first.db);
    await first.db.insertInto('product_lines').values({ id: 'crm', name: 'CRM', settings: { hotThreshold: 80 } }).execute();
    await first.close();

    const second = await createDatabase({ dataDir });
    try {
      expect(await migrateToLatest(second.db)).toEqual([]);
      expect(await second.db.selectFrom('product_lines').select(['id', 'settings']).execute()).toEqual([
        { id: 'crm', settings: { hotThreshold: 80 } },
      ]);
    } finally {
      await second.close();
    }
  });

  it('can be closed twice', async () => {
    const database = await createDatabase({ dataDir: 'memory://' });
    await database.close();
    await expect(database.close()).resolves.toBeUndefined();
  });
});

describe('createDatabase options', () => {
  it('rejects a schema name that is not a plain lowercase identifier', async () => {
    await expect(createDatabase({ dataDir: 'memory://', schema: 'Robert"; drop table leads' })).rejects.toThrow(/schema .* must be lowercase/);
  });

  it('says which Postgres it could not open, without the password', async () => {
    const error = await createDatabase({ databaseUrl: 'postgres://nurture:secret@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^cannot open Postgres at postgres:\/\/nurture:\*\*\*@127\.0\.0\.1:1\/none/);
    expect((error as Error).message).not.toContain('secret');
  });
});

describe.runIf(TEST_DIALECTS.includes('postgres'))('createDatabase with Postgres and a schema', () => {
  it('puts every pooled connection in the schema, so two pools on it share its tables', async () => {
    const test = await createTestDatabase('postgres');
    const other = await createDatabase({ databaseUrl: test.databaseUrl ?? '', schema: test.schema ?? '', max: 2 });
    try {
      expect(other.dialect).toBe('postgres');
      await test.db.insertInto('product_lines').values({ id: 'crm', name: 'CRM' }).execute();
      const reads = await Promise.all([1, 2, 3].map(() => other.db.selectFrom('product_lines').select('id').execute()));
      expect(reads).toEqual([[{ id: 'crm' }], [{ id: 'crm' }], [{ id: 'crm' }]]);
    } finally {
      await other.close();
      await test.close();
    }
  });
});
