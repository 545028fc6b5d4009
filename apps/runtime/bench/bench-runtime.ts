// What every runtime benchmark needs: a fresh migrated database (a throwaway schema on the local
// Postgres, or an in-memory PGlite) with a Runtime over it, and a JSON request to the real app.
import { randomBytes } from 'node:crypto';
import { createDatabase, migrateToLatest, type Database } from '@nurtureflow/db';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { createApiToken } from '../src/auth/tokens.ts';
import type { Clock } from '../src/clock.ts';
import { ALL_ROUTES } from '../src/routes/index.ts';
import type { Runtime } from '../src/runtime.ts';

/** The Postgres benchmarks use: BENCH_DATABASE_URL, or the local server's `test` database. */
export const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A runtime over a fresh database; `drop` removes the schema (Postgres) and closes it. */
export async function openBenchRuntime(dialect: 'postgres' | 'pglite', clock: Clock): Promise<{ rt: Runtime; database: Database; drop: () => Promise<void> }> {
  const schema = `bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const database = dialect === 'postgres' ? await createDatabase({ databaseUrl: PG_URL, schema, max: 8 }) : await createDatabase({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const rt: Runtime = { db: database.db, dialect, clock, workerId: `bench-${process.pid}`, productLines: null };
  return {
    rt,
    database,
    drop: async () => {
      if (dialect === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    },
  };
}

const adminTokens = new WeakMap<Runtime, Promise<string>>();

/** An organisation admin's API token on the runtime's database, made once. */
export function benchAdminToken(rt: Runtime): Promise<string> {
  let token = adminTokens.get(rt);
  if (!token) adminTokens.set(rt, (token = createApiToken(rt.db, { name: 'bench', orgAdmin: true }, new Date(rt.clock.now())).then((t) => t.secret)));
  return token;
}

/** A JSON request to the real app as an organisation admin; throws with the response on any status from 300 up. */
export async function benchRequest(rt: Runtime, method: string, path: string, body: unknown): Promise<any> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${await benchAdminToken(rt)}` };
  const res = await createApp(rt, ALL_ROUTES).request(`/api/v1${path}`, { method, headers, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Best of three: wall-clock ms and this process's CPU ms (which includes PGlite's own work). */
export async function best(run: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  let out = { ms: Infinity, cpuMs: Infinity };
  for (let i = 0; i < 3; i++) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    if (ms < out.ms) out = { ms, cpuMs: (used.user + used.system) / 1000 };
  }
  return { ms: Math.round(out.ms), cpuMs: Math.round(out.cpuMs) };
}
