// What an operator's probes and scrapers call: liveness (`/api/v1/health`), readiness
// (`/api/v1/ready`) and the Prometheus figures (`/metrics`, beside the API as scrapers expect).
import { timingSafeEqual } from 'node:crypto';
import { pendingMigrations } from '@nurtureflow/db';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { registry, scrape } from './metrics.ts';

const tag = 'Operations';

/** How long readiness waits for the database before calling it unreachable. */
const DATABASE_TIMEOUT_MS = 2_000;

/** A loop that has not turned for this long is stalled (READY_STALL_MS; a batch stuck on a dead connection). */
export function stallMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const n = Number(env['READY_STALL_MS'] ?? 120_000);
  return Number.isFinite(n) && n > 0 ? n : 120_000;
}

const readiness = z.object({
  ready: z.boolean(),
  checks: z.object({
    database: z.string().describe('`ok`, or why the database cannot be reached'),
    migrations: z.string().describe('`ok`, or the migrations not yet applied'),
    loops: z.record(z.string(), z.enum(['running', 'stopped', 'stalled'])).describe('each loop this process runs (worker, dispatcher, schedules); none in an API-only process'),
    stopping: z.boolean().describe('true once a stop signal arrived: the process finishes its work and takes no more'),
  }),
});

/** Health, readiness and metrics. */
export const opsRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/health',
      summary: 'Liveness: the process is up and answers (no database call)',
      tag,
      response: z.object({ ok: z.literal(true), dialect: z.enum(['postgres', 'pglite']) }),
      access: { public: true },
    },
    () => ({ ok: true as const, dialect: rt.dialect }),
  );

  api.route(
    {
      method: 'get',
      path: '/ready',
      summary: 'Readiness: the database answers, every migration is applied and the loops run; 503 otherwise (and while stopping)',
      tag,
      response: readiness,
      access: { public: true },
    },
    async ({ c }) => {
      const database = await withTimeout(sql`select 1`.execute(rt.db), DATABASE_TIMEOUT_MS).then(
        () => 'ok',
        (e: unknown) => `unreachable: ${e instanceof Error ? e.message : String(e)}`,
      );
      const migrations =
        database === 'ok'
          ? await withTimeout(pendingMigrations(rt.db), DATABASE_TIMEOUT_MS).then(
              (pending) => (pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`),
              (e: unknown) => `unknown: ${e instanceof Error ? e.message : String(e)}`,
            )
          : 'unknown: the database is unreachable';
      const loops = rt.process?.loopStates(stallMs()) ?? {};
      const stopping = rt.process?.stopping ?? false;
      const ready = database === 'ok' && migrations === 'ok' && Object.values(loops).every((s) => s === 'running') && !stopping;
      const body: z.infer<typeof readiness> = { ready, checks: { database, migrations, loops, stopping } };
      return ready ? body : c.json(body, 503);
    },
  );

  // Prometheus scrapes a fixed path outside the API. Public unless METRICS_TOKEN is set, then only
  // with `Authorization: Bearer <METRICS_TOKEN>`.
  api.page('get', '/metrics', async (c) => {
    const token = process.env['METRICS_TOKEN'];
    if (token && !sameSecret(c.req.header('authorization') ?? '', `Bearer ${token}`)) {
      return c.json({ error: { code: 'unauthenticated', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>', issues: [] } }, 401);
    }
    return c.body(await scrape(rt.db), 200, { 'content-type': registry.contentType });
  });
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
