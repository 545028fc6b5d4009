// Several runtime processes share one Postgres: each claims due enrollments with FOR UPDATE SKIP
// LOCKED, so the work splits between them and no step is taken twice. The workers here are real
// child processes (`main.ts --worker-only`) on one Postgres schema; the test process sets the
// scenario up through the real app and reads the database afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '@nurtureflow/db/testing';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestRuntime, type TestRuntime } from './testing.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = 'apps/runtime/src/main.ts';
const MINUTE = 60_000;

/** A runtime process started as a child, with what it printed so far and how it ended. */
interface Child {
  proc: ChildProcess;
  out: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: Child[] = [];

/** Kills every child still running and waits for it to be gone. */
async function killChildren(): Promise<void> {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
}

function startWorker(schema: string, args: readonly string[] = []): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--worker-only', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, NURTUREFLOW_DB_SCHEMA: schema },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => out.push(s));
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => out.push(s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const child = { proc, out, exited };
  children.push(child);
  return child;
}

/** Waits until the child printed a line matching `re`; fails early when it exits first. */
async function printed(child: Child, re: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = child.out.join('').match(re);
    if (m) return m;
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) throw new Error(`the runtime exited before printing ${re}:\n${child.out.join('')}`);
    if (Date.now() > deadline) throw new Error(`the runtime did not print ${re} within ${ms} ms:\n${child.out.join('')}`);
    await sleep(50);
  }
}

/** SIGTERM, then how many enrollments the worker says it stepped; it must exit 0. */
async function stopWorker(child: Child): Promise<{ workerId: string; stepped: number }> {
  child.proc.kill('SIGTERM');
  const { code, signal } = await child.exited;
  expect({ code, signal }, child.out.join('')).toEqual({ code: 0, signal: null });
  const m = child.out.join('').match(/"msg":"worker (\S+) stepped (\d+) enrollments"/);
  if (!m) throw new Error(`no "worker … stepped … enrollments" line:\n${child.out.join('')}`);
  return { workerId: m[1]!, stepped: Number(m[2]) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `done()` holds; throws after `ms`. */
async function until(what: string, done: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await sleep(100);
  }
}

async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Three mails a minute apart, then the exit: m1 · w1 · m2 · w2 · m3 · w3 · done. */
function dripGraph(productLine: string, scenarioId: string) {
  return aGraph({ productLine, scenarioId, name: `Drip ${scenarioId}` })
    .trigger('t', { type: 'import' })
    .email('m1', 'day-1')
    .wait('w1', dur(1, 'minutes'))
    .email('m2', 'day-2')
    .wait('w2', dur(1, 'minutes'))
    .email('m3', 'day-3')
    .wait('w3', dur(1, 'minutes'))
    .exit('done')
    .input();
}

/**
 * The history of one drip enrollment, one row per transition and per wait started:
 * t→m1, m1→w1, w1 started, w1→m2, m2→w2, w2 started, w2→m3, m3→w3, w3 started, w3→done, done.
 */
const DRIP_HISTORY = 11;
const DRIP_MAILS = 3;

/** A product line, a published drip scenario, `n` leads imported and enrolled at the clock's time. */
async function enrolledDrip(t: TestRuntime, productLine: string, scenarioId: string, n: number, enroll = true): Promise<{ leadIds: string[]; enroll: () => Promise<void> }> {
  await ok(t, 'POST', '/product-lines', { id: productLine, name: `Product ${productLine}` });
  await ok(t, 'POST', '/scenarios', { id: scenarioId, productLine, name: `Drip ${scenarioId}`, draft: dripGraph(productLine, scenarioId) });
  await ok(t, 'POST', `/scenarios/${scenarioId}/publish`, { note: 'drip' });
  const rows = Array.from({ length: n }, (_, i) => ({ id: `${productLine}-lead-${i}`, email: `lead${i}@${productLine}.example.jp` }));
  const report = await ok(t, 'POST', '/leads/import', rows);
  expect(report.totals).toMatchObject({ rows: n, created: n });
  const leadIds = rows.map((r) => r.id);
  const start = async () => {
    const res = await ok(t, 'POST', '/enrollments', { scenarioId, leadIds });
    expect(res).toMatchObject({ enrolled: n, refused: 0 });
  };
  if (enroll) await start();
  return { leadIds, enroll: start };
}

/** Per enrollment of a scenario: status, node, history rows (count, distinct seqs, min, max) and mails; grouped. */
async function shapes(db: TestDatabase['db'], scenarioId: string) {
  const rows = await sql<{ status: string; node_id: string | null; state_seq: number; rows: number; seqs: number; min: number | null; max: number | null; mails: number; n: number }>`
    with h as (
      select lead_id, enrollment_id, count(*)::int as rows, count(distinct seq)::int as seqs, min(seq) as min, max(seq) as max
      from enrollment_history group by lead_id, enrollment_id
    ), o as (
      select lead_id, enrollment_id, count(*)::int as mails from outbox where type = 'sendEmail' group by lead_id, enrollment_id
    )
    select e.status, e.node_id, (e.state->>'seq')::int as state_seq, coalesce(h.rows, 0) as rows, coalesce(h.seqs, 0) as seqs, h.min, h.max,
      coalesce(o.mails, 0) as mails, count(*)::int as n
    from enrollments e
      left join h on h.lead_id = e.lead_id and h.enrollment_id = e.id
      left join o on o.lead_id = e.lead_id and o.enrollment_id = e.id
    where e.scenario_id = ${scenarioId}
    group by 1, 2, 3, 4, 5, 6, 7, 8 order by n desc`.execute(db);
  return rows.rows;
}

describe.skipIf(!TEST_DIALECTS.includes('postgres'))('worker processes sharing one Postgres', () => {
  let database: TestDatabase;
  let t: TestRuntime;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // The enrollments' logical time is ten minutes back, so under the workers' real clock every
    // one-minute wait of the drip has already ended when they look.
    t = makeTestRuntime(database, new Date(Date.now() - 10 * MINUTE).toISOString());
  });

  // Whatever happened in a test, none of its workers lives on into the next one or past the file.
  afterEach(killChildren);
  afterAll(async () => {
    await killChildren();
    await database?.close();
  });

  it('two workers over 10,000 leads split the work, and every enrollment is stepped exactly once', { timeout: 60_000 }, async () => {
    const N = 10_000;
    const drip = await enrolledDrip(t, 'mw', 'drip', N, false);
    const schema = database.schema!;
    const workers = [startWorker(schema), startWorker(schema)];
    await Promise.all(workers.map((w) => printed(w, /Nurtureflow worker \S+ is running/)));
    // Enrolled only once both workers poll, so both find work.
    await drip.enroll();

    // Each enrollment waits at w1 after its entry; a late tick ends every wait that ended before it
    // (the engine's catch-up), so each needs exactly one wake-up to run to the end.
    const expectedWakeUps = N;
    const left = async () => Number((await sql<{ n: string }>`select count(*) as n from enrollments where scenario_id = 'drip' and status <> 'completed'`.execute(database.db)).rows[0]!.n);
    await until('every enrollment completed', async () => (await left()) === 0, 40_000);

    const [a, b] = await Promise.all(workers.map(stopWorker));
    expect(a!.workerId).not.toBe(b!.workerId);
    expect(a!.stepped, 'the first worker stepped some').toBeGreaterThan(0);
    expect(b!.stepped, 'the second worker stepped some').toBeGreaterThan(0);
    expect(a!.stepped + b!.stepped, 'no step taken twice, none missed').toBe(expectedWakeUps);

    expect(await shapes(database.db, 'drip')).toEqual([
      { status: 'completed', node_id: 'done', state_seq: DRIP_HISTORY, rows: DRIP_HISTORY, seqs: DRIP_HISTORY, min: 1, max: DRIP_HISTORY, mails: DRIP_MAILS, n: N },
    ]);
    const outbox = await sql<{ rows: number; keys: number; templates: string[] }>`
      select count(*)::int as rows, count(distinct key)::int as keys, array_agg(distinct payload->>'template' order by payload->>'template') as templates
      from outbox where type = 'sendEmail' and scenario_id = 'drip'`.execute(database.db);
    expect(outbox.rows[0]).toEqual({ rows: N * DRIP_MAILS, keys: N * DRIP_MAILS, templates: ['day-1', 'day-2', 'day-3'] });
  });

  it('a worker limited to product line a steps a’s enrollments and never touches b’s, though they are due first', { timeout: 40_000 }, async () => {
    const N = 300;
    // b's enrollments are a minute older than a's: a worker that ignored its product lines would
    // claim them first.
    await enrolledDrip(t, 'b', 'drip-b', N);
    t.clock.advance(MINUTE);
    await enrolledDrip(t, 'a', 'drip-a', N);
    const bRows = () =>
      database.db
        .selectFrom('enrollments')
        .select(['lead_id', 'id', 'status', 'node_id', 'state', 'wake_at', 'wait_events', 'event_cursor', 'claimed_by', 'updated_at'])
        .where('product_line', '=', 'b')
        .orderBy('lead_id')
        .execute();
    const bOthers = async () => ({
      history: Number((await sql<{ n: string }>`select count(*) as n from enrollment_history h join enrollments e on e.lead_id = h.lead_id and e.id = h.enrollment_id where e.product_line = 'b'`.execute(database.db)).rows[0]!.n),
      outbox: Number((await sql<{ n: string }>`select count(*) as n from outbox where product_line = 'b'`.execute(database.db)).rows[0]!.n),
    });
    const before = await bRows();
    const othersBefore = await bOthers();
    expect(before).toHaveLength(N);
    expect(before.every((r) => r.status === 'waiting' && r.node_id === 'w1' && r.wake_at!.getTime() < Date.now())).toBe(true);

    const worker = startWorker(database.schema!, ['--product-lines', 'a']);
    await printed(worker, /Nurtureflow worker \S+ is running for a"/);
    await until(
      'a’s enrollments completed',
      async () => Number((await sql<{ n: string }>`select count(*) as n from enrollments where product_line = 'a' and status <> 'completed'`.execute(database.db)).rows[0]!.n) === 0,
      20_000,
    );
    // A few more idle polls in which b's due enrollments are there for the taking.
    await sleep(600);
    const { stepped } = await stopWorker(worker);

    expect(stepped).toBe(N);
    expect(await shapes(database.db, 'drip-a')).toEqual([
      { status: 'completed', node_id: 'done', state_seq: DRIP_HISTORY, rows: DRIP_HISTORY, seqs: DRIP_HISTORY, min: 1, max: DRIP_HISTORY, mails: DRIP_MAILS, n: N },
    ]);
    expect(await bRows()).toEqual(before);
    expect(await bOthers()).toEqual(othersBefore);
  });
});
