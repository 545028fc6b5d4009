// What an operator's probes, scrapers and log shippers see: liveness, readiness (503 when the
// database, the migrations or a loop is not right, or while stopping), the OpenAPI document listing
// them, Prometheus figures that move with the work done, and JSON log lines without secrets.
import { Writable } from 'node:stream';
import { migrateToLatest, migrations } from '@nurtureflow/db';
import { createTestDatabase } from '@nurtureflow/db/testing';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { emailChannel } from '../channels/email.ts';
import { dispatchAllDue } from '../channels/start-dispatcher.ts';
import { drainDue } from '../core/worker.ts';
import { eachRuntime, makeTestRuntime, type TestRuntime } from '../testing.ts';
import { createLogger, loggedPath, parseLogLevel } from './logger.ts';
import { ProcessState } from './state.ts';

/** The value of one series in a Prometheus text exposition (0 when absent). */
function figure(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (want.every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return 0;
}

async function scrape(t: TestRuntime): Promise<string> {
  const res = await t.app.request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A JSON-lines logger writing into an array. */
function capture(level = 'info' as const) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger(level, sink), lines };
}

eachRuntime('operations endpoints', (current, dialect) => {
  afterEach(() => {
    delete process.env['METRICS_TOKEN'];
  });

  it('GET /health answers without a login and names the database', async () => {
    expect(await current().call('GET', '/health')).toEqual({ status: 200, body: { ok: true, dialect } });
  });

  it('GET /ready is 200 with every check ok, and 503 naming the reason while stopping or when a loop stalls', async () => {
    const base = current();
    const state = new ProcessState();
    const t = makeTestRuntime(base.database);
    t.rt.process = state;
    const worker = state.loop('worker');
    expect(await t.call('GET', '/ready')).toEqual({ status: 200, body: { ready: true, checks: { database: 'ok', migrations: 'ok', loops: { worker: 'running' }, stopping: false } } });

    worker.stopped();
    expect(await t.call('GET', '/ready')).toMatchObject({ status: 503, body: { ready: false, checks: { loops: { worker: 'stopped' } } } });
    state.loop('worker');
    state.stopping = true;
    expect(await t.call('GET', '/ready')).toMatchObject({ status: 503, body: { ready: false, checks: { stopping: true } } });

    const stalled = new ProcessState();
    stalled.loop('dispatcher');
    expect(stalled.loopStates(1_000, Date.now() + 5_000)).toEqual({ dispatcher: 'stalled' });
  });

  it('GET /ready is 503 when a migration is not applied', async () => {
    const t = current();
    await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(t.rt.db);
    try {
      const res = await t.call('GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body.checks.migrations).toMatch(/^pending: \d{4}-/);
    } finally {
      // Applying the last migration again would fail on its existing tables: put its bookkeeping row back instead.
      const names = Object.keys(migrations);
      await sql`insert into kysely_migration (name, timestamp) values (${names[names.length - 1]!}, ${new Date().toISOString()})`.execute(t.rt.db);
      expect(await migrateToLatest(t.rt.db)).toEqual([]);
    }
  });

  it('the OpenAPI document lists health, readiness and itself as public operations', async () => {
    const { body } = await current().call('GET', '/openapi.json');
    for (const path of ['/health', '/ready', '/openapi.json']) {
      expect(body.paths[path]?.get, path).toMatchObject({ tags: ['Operations'] });
    }
    expect(Object.keys(body.paths['/ready'].get.responses)).toContain('200');
  });

  it('GET /metrics moves with a scripted run: steps, batch time, lag, outbox depth, deliveries and failures, events, HTTP durations', async () => {
    const t = current();
    const pl = `metrics-${dialect}`;
    const before = await scrape(t);
    await ok(t, 'POST', '/product-lines', { id: pl, name: 'Metrics' });
    await ok(t, 'POST', `/product-lines/${pl}/templates`, { id: 'hello', name: 'hello', subject: 'hello', html: '<p>hello</p>' });
    const graph = aGraph({ productLine: pl, scenarioId: `${pl}-s`, name: 'metrics' })
      .trigger('t', { type: 'import' })
      .email('m1', 'hello')
      .wait('w1', dur(1, 'minutes'))
      .email('m2', 'no-such-template')
      .exit('x')
      .input();
    await ok(t, 'POST', '/scenarios', { id: `${pl}-s`, productLine: pl, name: 'metrics', draft: graph });
    await ok(t, 'POST', `/scenarios/${pl}-s/publish`, { note: 'metrics' });
    const leads = Array.from({ length: 5 }, (_, i) => ({ id: `${pl}-${i}`, email: `m${i}@example.jp` }));
    await ok(t, 'POST', '/leads/import', leads);
    await ok(t, 'POST', '/enrollments', { scenarioId: `${pl}-s`, leadIds: leads.map((l) => l.id) });
    await ok(t, 'POST', '/events', { id: `${pl}-e1`, kind: 'page_visited', leadId: leads[0]!.id, productLine: pl, at: new Date(t.clock.now()).toISOString() });
    await ok(t, 'POST', '/events', { id: `${pl}-e1`, kind: 'page_visited', leadId: leads[0]!.id, productLine: pl, at: new Date(t.clock.now()).toISOString() });
    const mid = await scrape(t);
    expect(figure(mid, 'nurtureflow_outbox_rows', { type: 'sendEmail', status: 'pending' }) - figure(before, 'nurtureflow_outbox_rows', { type: 'sendEmail', status: 'pending' })).toBe(5);

    t.clock.advance(90_000);
    expect(await drainDue(t.rt)).toBe(5);
    const mail = emailChannel(t.rt, { smtpUrl: null, baseUrl: 'http://nf.test' });
    try {
      await dispatchAllDue(t.rt, [mail]);
    } finally {
      mail.close();
    }
    const after = await scrape(t);
    const moved = (name: string, labels: Record<string, string> = {}) => figure(after, name, labels) - figure(before, name, labels);
    expect(moved('nurtureflow_steps_total')).toBe(5);
    expect(moved('nurtureflow_step_batch_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(moved('nurtureflow_wakeup_lag_seconds_count')).toBe(5);
    // Due one minute after entry, stepped at 1.5 minutes: 30 s late on the test's clock.
    expect(moved('nurtureflow_wakeup_lag_seconds_sum')).toBeCloseTo(5 * 30, 3);
    expect(moved('nurtureflow_deliveries_total', { channel: 'sendEmail', outcome: 'sent' })).toBe(5);
    expect(moved('nurtureflow_deliveries_total', { channel: 'sendEmail', outcome: 'failed' })).toBe(5);
    expect(moved('nurtureflow_delivery_failures_total', { channel: 'sendEmail', kind: 'failed' })).toBe(5);
    expect(moved('nurtureflow_events_ingested_total', { outcome: 'accepted' })).toBe(1);
    expect(moved('nurtureflow_events_ingested_total', { outcome: 'duplicate' })).toBe(1);
    expect(figure(after, 'nurtureflow_outbox_rows', { type: 'sendEmail', status: 'sent' }) - figure(before, 'nurtureflow_outbox_rows', { type: 'sendEmail', status: 'sent' })).toBe(5);
    expect(figure(after, 'nurtureflow_outbox_rows', { type: 'sendEmail', status: 'failed' }) - figure(before, 'nurtureflow_outbox_rows', { type: 'sendEmail', status: 'failed' })).toBe(5);
    expect(moved('nurtureflow_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/events', status: '202' })).toBe(2);
    expect(moved('nurtureflow_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/scenarios/:id/publish', status: '201' })).toBe(1);
  });

  it('GET /metrics needs the bearer token when METRICS_TOKEN is set', async () => {
    const t = current();
    process.env['METRICS_TOKEN'] = 'scrape-me';
    expect((await t.app.request('/metrics')).status).toBe(401);
    expect((await t.app.request('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await t.app.request('/metrics', { headers: { authorization: 'Bearer scrape-me' } })).status).toBe(200);
  });
});

describe('logs', () => {
  it('are JSON lines at the level asked, with secrets redacted wherever they sit', () => {
    const { log, lines } = capture('info');
    log.debug('not shown at info');
    log.info({ smtpUrl: 'smtp://u:pw@mail', settings: { webhookSecret: 's3', smtp: { password: 'pw' } }, authorization: 'Bearer t' }, 'configured');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'configured', service: 'nurtureflow', smtpUrl: '[redacted]', authorization: '[redacted]', settings: { webhookSecret: '[redacted]', smtp: { password: '[redacted]' } } });
    expect(JSON.stringify(lines)).not.toMatch(/pw|s3|Bearer t/);
    expect(typeof lines[0]!['time']).toBe('string');
  });

  it('LOG_LEVEL names a level or the runtime refuses to start', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(() => parseLogLevel('verbose')).toThrow(/LOG_LEVEL must be one of/);
  });

  it('a request is one line with method, path (tokens masked, no query), route, status and ms', async () => {
    const { log, lines } = capture('info');
    const db = await createTestDatabase('pglite');
    try {
      const t = makeTestRuntime(db);
      t.rt.log = log;
      await t.app.request('/api/v1/health?secret=x');
      await t.app.request('/t/o/abc.def');
      expect(lines.filter((l) => l['msg'] === 'request')).toEqual([
        expect.objectContaining({ method: 'GET', path: '/api/v1/health', route: '/api/v1/health', status: 200, ms: expect.any(Number) }),
        expect.objectContaining({ method: 'GET', path: '/t/o/…', route: '/t/o/:token', status: expect.any(Number) }),
      ]);
      expect(loggedPath('/u/tok123/x', { token: 'tok123' })).toBe('/u/…/x');
    } finally {
      await db.close();
    }
  });
});
