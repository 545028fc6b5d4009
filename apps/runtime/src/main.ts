// `pnpm start`: the runtime — API, worker and schedules in one process by default, on the embedded
// database unless DATABASE_URL names a Postgres. NURTUREFLOW_DB_SCHEMA puts a Postgres process in a
// schema of its own (several processes given the same one share it, as the multi-worker test does).
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createDatabase, migrateToLatest } from '@nurtureflow/db';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { runSchedules } from './core/sweep.ts';
import { startWorker } from './core/worker.ts';
import { ALL_ROUTES } from './routes/index.ts';
import type { Runtime } from './runtime.ts';
import { seedDemo } from './seed.ts';
import type { Channel } from './channels/dispatcher.ts';
import { emailChannel } from './channels/email.ts';
import { outboundOptionsFromEnv } from './channels/outbound-options.ts';
import { salesChannels } from './channels/sales-channels.ts';
import { startDispatcher } from './channels/start-dispatcher.ts';
import { parseGlobalCap } from './core/settings.ts';
import { seedDemoTemplates } from './templates/demo.ts';
import { trackingSigner } from './tracking/tokens.ts';

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

if (flags['worker-only'] && flags['api-only']) {
  console.error('--worker-only and --api-only exclude each other');
  process.exit(2);
}
const port = Number(flags.port ?? process.env['PORT'] ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${flags.port ?? process.env['PORT']}"`);
  process.exit(2);
}
try {
  parseGlobalCap(process.env['GLOBAL_CAP_PER_WEEK']);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const productLines = flags['product-lines'] ? flags['product-lines'].split(',').map((s) => s.trim()).filter(Boolean) : null;
const databaseUrl = process.env['DATABASE_URL'] || undefined;
const dataDir = flags['data-dir'] ?? process.env['NURTUREFLOW_DATA_DIR'] ?? undefined;
// A schema only means something on Postgres; the embedded database has its own data directory.
const schema = databaseUrl ? process.env['NURTUREFLOW_DB_SCHEMA'] || undefined : undefined;

const database = await createDatabase({ databaseUrl, dataDir, schema });
await migrateToLatest(database.db);
const rt: Runtime = { db: database.db, dialect: database.dialect, clock: systemClock, workerId: `${hostname()}-${process.pid}`, productLines };
// The tracking secret is generated and stored on first start (unless TRACKING_SECRET is set), before any link is signed.
await trackingSigner(rt.db, rt.db);
const app = createApp(rt, ALL_ROUTES);
serveEditor(app, database.dialect);

if (!flags['no-seed'] && !flags['worker-only']) await seedDemo(rt, app);
if (!flags['no-seed'] && !flags['worker-only']) await seedDemoTemplates(rt);

const stops: (() => Promise<void>)[] = [];
// How many enrollments this process's worker stepped, reported when it stops.
let stepped = 0;
if (!flags['api-only']) {
  const stopWorker = startWorker(rt);
  stops.push(async () => void (stepped = await stopWorker()));
  // The dispatcher delivers the outbox through every channel in this list.
  const email = emailChannel(rt, { baseUrl: process.env['PUBLIC_URL'] || `http://localhost:${port}` });
  const outbound = outboundOptionsFromEnv(process.env, port);
  const channels: Channel[] = [email, ...salesChannels(rt, outbound)];
  const stopDispatcher = startDispatcher(rt, channels);
  // Then the channels' SMTP connections (e-mail, hand-off mail to sales) close.
  stops.push(async () => {
    await stopDispatcher();
    for (const channel of channels) (channel as Partial<{ close(): void }>).close?.();
  });
  console.log(process.env['SMTP_URL'] ? 'E-mail goes out through SMTP_URL' : 'No SMTP_URL: e-mail is kept in the local mailbox (GET /api/v1/mailbox)');
  if (!outbound.webhookSecret) console.log('No WEBHOOK_SECRET: webhooks and sales notifications fail (never sent unsigned) unless their product line has a webhookSecret');
  // A schedule sweep under way when the process stops finishes before the database closes under it.
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => void (sweeping = runSchedules(rt).catch((e) => console.error(e))), 30_000);
  stops.push(async () => (clearInterval(timer), void (await sweeping)));
}
let server: ReturnType<typeof serve> | undefined;
if (!flags['worker-only']) {
  server = serve({ fetch: app.fetch, port }, (info) => {
    const where = database.dialect === 'pglite' ? `embedded database in ${dataDir ?? '.data/pglite'}` : 'Postgres (DATABASE_URL)';
    console.log(`Nurtureflow is running at http://localhost:${info.port}/  (API: http://localhost:${info.port}/api/v1, ${where})`);
  });
} else {
  console.log(`Nurtureflow worker ${rt.workerId} is running${productLines ? ` for ${productLines.join(', ')}` : ''}`);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing the current batch and stopping`);
  server?.close();
  for (const stop of stops) await stop();
  await database.close();
  if (!flags['api-only']) console.log(`worker ${rt.workerId} stepped ${stepped} enrollments`);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

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
