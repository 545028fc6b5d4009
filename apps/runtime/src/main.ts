// `pnpm start`: the runtime — API, worker and schedules in one process by default, on the embedded
// database unless DATABASE_URL names a Postgres. NURTUREFLOW_DB_SCHEMA puts a Postgres process in a
// schema of its own (several processes given the same one share it, as the multi-worker test does).
//
// It logs JSON lines on stdout (LOG_LEVEL) and stops gracefully on SIGTERM or SIGINT: no new work is
// claimed, the batches in flight finish, claimed outbox rows not yet started are given back, the
// HTTP server drains its requests, then the database closes. A second signal exits at once. A
// signal during start-up lets the step under way (a migration, the seed) finish, then exits.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createDatabase, migrateToLatest } from '@nurtureflow/db';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { httpLimitsFromEnv, type HttpLimits } from './http/limits.ts';
import { systemClock } from './clock.ts';
import { runSchedules } from './core/sweep.ts';
import { startWorker } from './core/worker.ts';
import { ALL_ROUTES } from './routes/index.ts';
import type { Runtime } from './runtime.ts';
import { seedDemo } from './seed.ts';
import { ensureFirstAdmin } from './auth/users.ts';
import type { Channel } from './channels/dispatcher.ts';
import { emailChannel } from './channels/email.ts';
import { outboundOptionsFromEnv } from './channels/outbound-options.ts';
import { salesChannels } from './channels/sales-channels.ts';
import { startDispatcher } from './channels/start-dispatcher.ts';
import { parseGlobalCap } from './core/settings.ts';
import { seedDemoTemplates } from './templates/demo.ts';
import { trackingSigner } from './tracking/tokens.ts';
import { createLogger, errorField, parseLogLevel, type Logger } from './ops/logger.ts';
import { ProcessState } from './ops/state.ts';
import { dispatchOptionsFromEnv } from './channels/start-dispatcher.ts';

const { values: flags } = parseArgs({
  options: {
    'worker-only': { type: 'boolean', default: false },
    'api-only': { type: 'boolean', default: false },
    'product-lines': { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'no-seed': { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

let log: Logger;
try {
  log = createLogger(parseLogLevel(process.env['LOG_LEVEL']));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const processState = new ProcessState();
/** How long a graceful stop may take before the process exits anyway (SHUTDOWN_TIMEOUT_MS, default 30 s). */
const shutdownTimeoutMs = positive(process.env['SHUTDOWN_TIMEOUT_MS'], 30_000);

// Signals are taken from here on. Until start-up is done, a signal only asks it to stop after the
// step under way: a migration or the seed is not cut in the middle.
const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
let signalled: string | null = null;
let started = false;
let shutdown: ((signal: string) => Promise<void>) | null = null;
function onSignal(signal: string): void {
  if (signalled) {
    log.warn({ signal }, 'second signal: exiting at once');
    process.exit(EXIT_CODES[signal] ?? 1);
  }
  signalled = signal;
  processState.stopping = true;
  if (started && shutdown) void shutdown(signal);
  else log.info({ signal }, 'stop requested during start-up: the step under way finishes, then the process exits');
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
// An error nothing caught ends the process, as Node would, but said in the log first. Whatever was
// under way is in the database as its last commit left it: a supervisor restarts the process and
// the work goes on (claims end with their transactions, outbox leases run out).
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (e: unknown) => {
    log.fatal({ err: errorField(e), event }, 'an error nothing caught: exiting');
    process.exit(1);
  });
}
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
/** Between start-up steps: a signal that arrived during the last one ends the process here, cleanly. */
async function checkpoint(step: string): Promise<void> {
  if (!signalled) return;
  await database?.close();
  log.info({ signal: signalled, after: step }, 'stopped during start-up');
  process.exit(0);
}

if (flags['worker-only'] && flags['api-only']) {
  console.error('--worker-only and --api-only exclude each other');
  process.exit(2);
}
const port = Number(flags.port ?? process.env['PORT'] ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${flags.port ?? process.env['PORT']}"`);
  process.exit(2);
}
let limits: HttpLimits;
try {
  parseGlobalCap(process.env['GLOBAL_CAP_PER_WEEK']);
  limits = httpLimitsFromEnv(process.env);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const productLines = flags['product-lines'] ? flags['product-lines'].split(',').map((s) => s.trim()).filter(Boolean) : null;
const databaseUrl = process.env['DATABASE_URL'] || undefined;
const dataDir = flags['data-dir'] ?? process.env['NURTUREFLOW_DATA_DIR'] ?? undefined;
// A schema only means something on Postgres; the embedded database has its own data directory.
const schema = databaseUrl ? process.env['NURTUREFLOW_DB_SCHEMA'] || undefined : undefined;

try {
  database = await createDatabase({ databaseUrl, dataDir, schema });
  await checkpoint('opening the database');
  log.info({ step: 'migrations' }, 'applying database migrations');
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) log.info({ applied }, 'database migrations applied');
  await checkpoint('migrations');
} catch (e) {
  log.fatal({ err: errorField(e) }, 'cannot start: the database could not be opened or migrated');
  await database?.close().catch(() => undefined);
  process.exit(1);
}
const workerId = `${hostname()}-${process.pid}`;
const rt: Runtime = { db: database.db, dialect: database.dialect, clock: systemClock, workerId, productLines, log: log.child({ workerId }), process: processState };
// The tracking secret is generated and stored on first start (unless TRACKING_SECRET is set), before any link is signed.
await trackingSigner(rt.db, rt.db);
const app = createApp(rt, ALL_ROUTES, undefined, limits);
serveEditor(app, database.dialect);

// On first start (no user yet) an organisation admin is made; a generated password is printed once.
let firstAdmin: Awaited<ReturnType<typeof ensureFirstAdmin>> = null;
if (!flags['worker-only']) {
  try {
    firstAdmin = await ensureFirstAdmin(rt.db, { email: process.env['NURTUREFLOW_ADMIN_EMAIL'], password: process.env['NURTUREFLOW_ADMIN_PASSWORD'] }, new Date(rt.clock.now()));
  } catch (e) {
    const issue = (e as { issues?: { message: string }[] }).issues?.[0]?.message ?? (e as Error).message;
    console.error(`NURTUREFLOW_ADMIN_EMAIL / NURTUREFLOW_ADMIN_PASSWORD: ${issue}`);
    await database.close();
    process.exit(2);
  }
}

if (!flags['no-seed'] && !flags['worker-only']) await seedDemo(rt, app);
if (!flags['no-seed'] && !flags['worker-only']) await seedDemoTemplates(rt);
await checkpoint('the demo seed');

/** What a graceful stop waits for, by name (the names are logged if the stop takes too long). */
const stops: { name: string; stop: () => Promise<void> }[] = [];
// How many enrollments this process's worker stepped, reported when it stops.
let stepped = 0;
if (!flags['api-only']) {
  const stopWorker = startWorker(rt, { ...(process.env['WORKER_IDLE_MS'] ? { idleMs: positive(process.env['WORKER_IDLE_MS'], 200) } : {}) });
  stops.push({ name: 'worker', stop: async () => void (stepped = await stopWorker()) });
  // The dispatcher delivers the outbox through every channel in this list.
  const email = emailChannel(rt, { baseUrl: process.env['PUBLIC_URL'] || `http://localhost:${port}` });
  const outbound = outboundOptionsFromEnv(process.env, port);
  const channels: Channel[] = [email, ...salesChannels(rt, outbound)];
  const stopDispatcher = startDispatcher(rt, channels, dispatchOptionsFromEnv(process.env));
  // Then the channels' SMTP connections (e-mail, hand-off mail to sales) close.
  stops.push({ name: 'dispatcher', stop: async () => {
    await stopDispatcher();
    for (const channel of channels) (channel as Partial<{ close(): void }>).close?.();
  } });
  log.info(process.env['SMTP_URL'] ? 'E-mail goes out through SMTP_URL' : 'No SMTP_URL: e-mail is kept in the local mailbox (GET /api/v1/mailbox)');
  if (!outbound.webhookSecret) log.warn('No WEBHOOK_SECRET: webhooks and sales notifications fail (never sent unsigned) unless their product line has a webhookSecret');
  // A schedule sweep under way when the process stops finishes before the database closes under it.
  // Its loop turns every 30 s, so readiness counts it stalled only past READY_STALL_MS (default 120 s).
  const schedules = processState.loop('schedules');
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    schedules.turn();
    sweeping = runSchedules(rt).catch((e: unknown) => log.error({ err: errorField(e) }, 'schedule sweep failed'));
  }, 30_000);
  stops.push({ name: 'schedules', stop: async () => (clearInterval(timer), await sweeping, schedules.stopped()) });
}
let server: ReturnType<typeof serve> | undefined;
const db = database;
if (!flags['worker-only']) {
  server = serve({ fetch: app.fetch, port }, (info) => {
    const where = db.dialect === 'pglite' ? `embedded database in ${dataDir ?? '.data/pglite'}` : 'Postgres (DATABASE_URL)';
    log.info({ port: info.port, dialect: db.dialect }, `Nurtureflow is running at http://localhost:${info.port}/  (API: http://localhost:${info.port}/api/v1, ${where})`);
    const banner = [`Nurtureflow is running at http://localhost:${info.port}/`];
    if (firstAdmin) {
      const password = firstAdmin.password === null ? 'the password in NURTUREFLOW_ADMIN_PASSWORD' : `the password ${firstAdmin.password}`;
      log.info({ email: firstAdmin.email }, `First start: log in at http://localhost:${info.port}/ as ${firstAdmin.email} with ${password} (shown only this once; change it after logging in)`);
      banner.push(`Log in as ${firstAdmin.email} with ${password} (shown only this once; change it from the header after logging in).`);
    }
    // For the person at the terminal, plain words beside the JSON log lines (which stay on stdout for log shippers).
    if (process.stderr.isTTY) process.stderr.write(`\n  ${banner.join('\n  ')}\n\n`);
  });
} else {
  log.info({ workerId: rt.workerId, productLines }, `Nurtureflow worker ${rt.workerId} is running${productLines ? ` for ${productLines.join(', ')}` : ''}`);
}

shutdown = async (signal: string) => {
  log.info({ signal }, 'stopping: no new work is claimed, the batches in flight finish, the HTTP server drains');
  // Past the deadline (a batch stuck on a dead SMTP server or database), exit anyway: whatever was
  // claimed is retried by another process when its lease ends.
  const pending = new Set<string>();
  const track = (name: string, p: Promise<void>) => (pending.add(name), p.finally(() => pending.delete(name)));
  setTimeout(() => {
    log.error({ timeoutMs: shutdownTimeoutMs, waitingFor: [...pending] }, 'the graceful stop took too long: exiting');
    process.exit(1);
  }, shutdownTimeoutMs).unref();
  const draining = server
    ? new Promise<void>((resolve) => {
        server!.close(() => resolve());
        // Idle keep-alive connections would hold close() open; requests under way finish first.
        (server as Partial<{ closeIdleConnections(): void }>).closeIdleConnections?.();
      })
    : Promise.resolve();
  await Promise.all([track('http', draining), ...stops.map(({ name, stop }) => track(name, stop()))]);
  await db.close();
  if (!flags['api-only']) log.info({ workerId: rt.workerId, stepped }, `worker ${rt.workerId} stepped ${stepped} enrollments`);
  log.info({ signal }, 'stopped');
  process.exit(0);
};
started = true;
// A signal that came while the loops and the server were starting is acted on now.
if (signalled) void shutdown(signalled);

/** A positive number from the environment, or the default. */
function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * The built editor (apps/editor/dist, made by `pnpm start`) at `/`: its files as they are, and its
 * index.html for every other path outside the API so the editor's own URLs survive a reload.
 * Without a build, a small page points at the API instead.
 */
function serveEditor(app: Hono, dialect: string): void {
  const dist = fileURLToPath(new URL('../../editor/dist', import.meta.url));
  const index = `${dist}/index.html`;
  const outsideApi = (path: string) => path !== '/api' && !path.startsWith('/api/');
  if (!existsSync(index)) {
    app.get('/', (c) =>
      c.html(`<!doctype html><meta charset="utf-8"><title>Nurtureflow</title>
<h1>Nurtureflow</h1><p>The runtime is running on ${dialect === 'pglite' ? 'the embedded database' : 'Postgres'}; the editor is not built (<code>pnpm start</code> builds it).</p>
<ul><li><a href="/api/v1/openapi.json">API (OpenAPI)</a></li><li><a href="/api/v1/scenarios">Scenarios</a></li></ul>`),
    );
    return;
  }
  const files = serveStatic({ root: dist });
  app.get('*', (c, next) => (outsideApi(c.req.path) ? files(c, next) : next()));
  app.get('*', (c, next) => (outsideApi(c.req.path) ? c.html(readFileSync(index, 'utf8')) : next()));
}
