// A runtime process stops gracefully: on SIGTERM it takes no new work, lets the worker's batch and
// the deliveries under way finish, gives back the outbox rows it claimed but had not started,
// drains the HTTP requests in flight, and exits 0; a second signal exits at once; a signal during
// start-up lets the step under way finish and exits cleanly. Real child processes on Postgres.
import { connect } from 'node:net';
import { createTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '@nurtureflow/db/testing';
import { pendingMigrations } from '@nurtureflow/db';
import type { GraphInput } from '@nurtureflow/scenario';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTestRuntime, type TestRuntime } from '../testing.ts';
import { killAll, listening, logged, spawnRuntime, stopRuntime, tail, type ChildRuntime } from './child-runtime.ts';
import { startTestTarget, type TestTarget } from './test-target.ts';

const MINUTE = 60_000;
const children: ChildRuntime[] = [];
const databases: TestDatabase[] = [];
const targets: TestTarget[] = [];

function start(schema: string, args: readonly string[] = [], env: Record<string, string> = {}): ChildRuntime {
  const child = spawnRuntime(['--no-seed', ...args], { DATABASE_URL: TEST_DATABASE_URL, NURTUREFLOW_DB_SCHEMA: schema, PORT: '0', ...env });
  children.push(child);
  return child;
}

async function database(migrate = true): Promise<TestDatabase> {
  const db = await createTestDatabase('postgres', { migrate });
  databases.push(db);
  return db;
}

async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A product line, a published scenario, `n` leads imported and enrolled at the clock's time. */
async function enrolled(t: TestRuntime, productLine: string, graph: GraphInput, n: number): Promise<void> {
  const scenarioId = graph.scenarioId;
  await ok(t, 'POST', '/product-lines', { id: productLine, name: productLine });
  await ok(t, 'POST', '/scenarios', { id: scenarioId, productLine, name: scenarioId, draft: graph });
  await ok(t, 'POST', `/scenarios/${scenarioId}/publish`, { note: 'test' });
  const rows = Array.from({ length: n }, (_, i) => ({ id: `${productLine}-${i}`, email: `lead${i}@${productLine}.example.jp` }));
  await ok(t, 'POST', '/leads/import', rows);
  for (let i = 0; i < n; i += 2000) await ok(t, 'POST', '/enrollments', { scenarioId, leadIds: rows.slice(i, i + 2000).map((r) => r.id) });
}

async function count(db: TestDatabase['db'], query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return Number((await query.execute(db)).rows[0]!.n);
}

afterEach(() => killAll(children));
afterAll(async () => {
  await killAll(children);
  await Promise.all(targets.map((t) => t.close()));
  await Promise.all(databases.map((d) => d.close()));
});

describe.skipIf(!TEST_DIALECTS.includes('postgres'))('stopping a runtime process', () => {
  it('drains an HTTP request in flight: new connections are refused, the request gets its answer, the process exits 0', { timeout: 120_000 }, async () => {
    const db = await database();
    const child = start(db.schema!);
    const base = new URL(await listening(child));
    // A request whose body is still arriving when the signal comes.
    const socket = connect(Number(base.port), '127.0.0.1');
    const answer = new Promise<string>((resolve, reject) => {
      let got = '';
      socket.setEncoding('utf8').on('data', (s: string) => (got += s));
      socket.on('end', () => resolve(got));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const first = '{"provider":"generic",';
    socket.write(`POST /api/v1/inbound/bounces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
    socket.write(`${Buffer.byteLength(first).toString(16)}\r\n${first}\r\n`);

    child.proc.kill('SIGTERM');
    await logged(child, /^stopping/);
    await expect(fetch(new URL('/api/v1/health', base)), 'a new connection after the signal').rejects.toThrow();
    expect(child.gone(), 'still running while a request is in flight').toBe(false);

    const rest = '"events":[]}';
    socket.write(`${Buffer.byteLength(rest).toString(16)}\r\n${rest}\r\n0\r\n\r\n`);
    const response = await answer;
    expect(response, 'the request in flight got its answer').toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
    expect(await child.exited, tail(child)).toEqual({ code: 0, signal: null });
    expect(child.lines().some((l) => l.msg === 'request' && l.path === '/api/v1/inbound/bounces'), 'the drained request is logged').toBe(true);
  });

  it('lets the worker finish its batch: every enrollment is either stepped in full or untouched, and the count logged is the count stepped', { timeout: 120_000 }, async () => {
    const db = await database();
    // Ten minutes back: every one-minute wait has ended, so each enrollment needs one wake-up to finish.
    const t = makeTestRuntime(db, new Date(Date.now() - 10 * MINUTE).toISOString());
    const graph = aGraph({ productLine: 'sd', scenarioId: 'sd-drip', name: 'drip' })
      .trigger('t', { type: 'import' })
      .email('m1', 'one')
      .wait('w1', dur(1, 'minutes'))
      .email('m2', 'two')
      .wait('w2', dur(1, 'minutes'))
      .exit('done')
      .input();
    const N = 4000;
    await enrolled(t, 'sd', graph, N);
    const before = await count(db.db, sql<{ n: number }>`select count(*)::int as n from enrollment_history`);

    const child = start(db.schema!, ['--worker-only']);
    await logged(child, /^worker batch$/);
    child.proc.kill('SIGTERM');
    expect(await child.exited, tail(child)).toEqual({ code: 0, signal: null });
    const stepped = Number((await logged(child, /stepped \d+ enrollments/)).stepped);

    const shapes = await sql<{ status: string; node_id: string; rows: number; n: number }>`
      select e.status, e.node_id, (select count(*)::int from enrollment_history h where h.lead_id = e.lead_id and h.enrollment_id = e.id) as rows, count(*)::int as n
      from enrollments e group by 1, 2, 3 order by 1`.execute(db.db);
    const perLead = before / N;
    const done = shapes.rows.find((r) => r.status === 'completed');
    const untouched = shapes.rows.find((r) => r.status === 'waiting');
    expect(shapes.rows.length, JSON.stringify(shapes.rows)).toBeLessThanOrEqual(2);
    expect(untouched ?? { node_id: 'w1', rows: perLead }).toMatchObject({ node_id: 'w1', rows: perLead });
    expect(done?.n ?? 0, 'completed enrollments = steps logged').toBe(stepped);
    expect(stepped).toBeGreaterThan(0);
    expect((done?.n ?? 0) + (untouched?.n ?? 0)).toBe(N);
  });

  it('gives back the outbox rows it claimed but had not started, so they are due at once, not after the lease', { timeout: 120_000 }, async () => {
    const db = await database();
    const target = await startTestTarget();
    targets.push(target);
    target.delay(3_000);
    const t = makeTestRuntime(db, new Date().toISOString());
    const graph = aGraph({ productLine: 'hk', scenarioId: 'hk-hook', name: 'hook' })
      .trigger('t', { type: 'import' })
      .add('h1', { kind: 'webhook', url: `${target.url}/crm`, channel: 'crm', payload: {} })
      .exit('x')
      .input();
    const N = 40;
    await enrolled(t, 'hk', graph, N);

    const child = start(db.schema!, ['--worker-only'], { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_SECRET: 'shutdown-test-secret' });
    const deadline = Date.now() + 60_000;
    while (target.started.length === 0 && Date.now() < deadline && !child.gone()) await new Promise((r) => setTimeout(r, 20));
    expect(target.started.length, tail(child)).toBeGreaterThan(0);
    child.proc.kill('SIGTERM');
    expect(await child.exited, tail(child)).toEqual({ code: 0, signal: null });

    // The calls under way were answered and recorded; nothing else was called.
    const sent = await sql<{ key: string }>`select key from outbox where type = 'callWebhook' and status = 'sent' order by key`.execute(db.db);
    expect(sent.rows.map((r) => r.key)).toEqual([...target.keys].sort());
    expect(target.started.sort()).toEqual([...target.keys].sort());
    expect(target.keys.length).toBeLessThan(N);
    // The rest are pending as before the claim: no attempt counted, due now rather than at the lease's end.
    const rest = await sql<{ attempts: number; due: boolean; n: number }>`
      select attempts, next_attempt_at <= now() as due, count(*)::int as n from outbox where type = 'callWebhook' and status = 'pending' group by 1, 2`.execute(db.db);
    expect(rest.rows).toEqual([{ attempts: 0, due: true, n: N - target.keys.length }]);
    const released = child.lines().find((l) => typeof l.released === 'number');
    expect(released?.released).toBe(N - target.keys.length);
  });

  it('a signal during the migrations lets them finish, then exits 0; the next start finds the schema complete', { timeout: 120_000 }, async () => {
    const db = await database(false);
    const child = start(db.schema!, ['--api-only']);
    child.proc.stdout!.on('data', (s: string) => {
      if (s.includes('applying database migrations') && !child.gone()) child.proc.kill('SIGTERM');
    });
    expect(await child.exited, tail(child)).toEqual({ code: 0, signal: null });
    expect(await logged(child, /^stopped during start-up$/)).toMatchObject({ signal: 'SIGTERM', after: 'migrations' });
    expect(child.lines().some((l) => l.msg === 'database migrations applied'), 'the migrations ran to the end').toBe(true);
    expect(await pendingMigrations(db.db)).toEqual([]);

    const again = start(db.schema!, ['--api-only']);
    const base = await listening(again);
    const ready = await fetch(new URL('/api/v1/ready', base));
    expect(ready.status).toBe(200);
    expect(await stopRuntime(again)).toEqual({ code: 0, signal: null });
  });

  it('a second signal exits at once', { timeout: 120_000 }, async () => {
    const db = await database(false);
    const child = start(db.schema!, ['--api-only']);
    // Two different signals: the system may merge two of the same kind sent back to back into one.
    child.proc.stdout!.on('data', (s: string) => {
      if (s.includes('applying database migrations') && !child.gone()) {
        child.proc.kill('SIGTERM');
        child.proc.kill('SIGINT');
      }
    });
    const exit = await child.exited;
    const second = child.lines().find((l) => l.msg === 'second signal: exiting at once');
    expect(second, tail(child)).toBeDefined();
    // Pending signals may be taken in either order; the exit code names the second one.
    expect(exit).toEqual({ code: second!.signal === 'SIGINT' ? 130 : 143, signal: null });
  });
});
