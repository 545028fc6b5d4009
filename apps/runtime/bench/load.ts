// `pnpm load`: a bounded load test on loopback against real runtime processes on the local Postgres.
//
// In a schema of its own (NURTUREFLOW_DB_SCHEMA): LOAD_LEADS leads (default 1,000,000) imported
// through the product's own import route (POST /leads/import, JSON, 50,000 rows a request, 名寄せ and
// all), each enrolled (POST /enrollments, 10,000 a request) in a scenario that waits for an event
// with a 30-day timeout; then a burst of one event per lead through POST /events/batch (10,000 a
// request, scored by the product line's rules) from this process, while the runtime processes — one
// `--api-only`, LOAD_WORKERS `--worker-only` (default 1), on real time — wake the enrollments and take
// each to the exit. During the burst a read endpoint is sampled every 100 ms.
//
// Printed (`bench load.<name> <n>` lines as well): load times, events/s ingested, steps/s, wake-up
// lag p50/p99 (the event's received_at → the waking step's transaction time, read from the
// database per enrollment), peak RSS of each runtime process (and a timeline), p99 of the reads.
// Every phase runs under LOAD_TIME_LIMIT_S (default 3,600 s for the whole run): past it the run
// stops, says how far it got and exits 1. The schema is dropped at the end unless LOAD_KEEP=1.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createDatabase, migrateToLatest } from '@nurtureflow/db';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { sql } from 'kysely';
import { createApiToken } from '../src/auth/tokens.ts';
import { killAll, listening, logged, spawnRuntime, stopRuntime, tail, type ChildRuntime } from '../src/ops/child-runtime.ts';

const PG_URL = process.env['LOAD_DATABASE_URL'] ?? process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = whole('LOAD_LEADS', 1_000_000);
const WORKERS = whole('LOAD_WORKERS', 1);
/** Requests in flight at once from this process, per phase. */
const CONCURRENCY = whole('LOAD_CONCURRENCY', 2);
const TIME_LIMIT_MS = whole('LOAD_TIME_LIMIT_S', 3_600) * 1000;
const IMPORT_ROWS = 50_000;
const ENROLL_ROWS = 10_000;
const EVENT_ROWS = 10_000;
const SCENARIO = 'load';
const EVENT = 'demo_requested';

const started = Date.now();
const deadline = started + TIME_LIMIT_MS;
const schema = `load_${process.pid}_${randomBytes(3).toString('hex')}`;
const database = await createDatabase({ databaseUrl: PG_URL, schema, max: 4 });
const db = database.db;
const children: ChildRuntime[] = [];
const figures: [string, number][] = [];
let finished = false;

function whole(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name} must be a whole number of at least 1, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

function figure(name: string, value: number): void {
  figures.push([name, value]);
  console.log(`bench load.${name} ${Math.round(value * 100) / 100}`);
}

function log(msg: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s] ${msg}`);
}

function checkDeadline(what: string): void {
  if (Date.now() > deadline) throw new Error(`time limit (LOAD_TIME_LIMIT_S=${TIME_LIMIT_MS / 1000}) reached during ${what}`);
}

/** Resident memory of a process in MB, from /proc (0 once it is gone). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

let base = '';
let token = '';

/** A JSON request to the API process as an organisation admin; 429 and 503 are waited out and retried. */
async function api(method: string, path: string, body?: unknown): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if ((res.status === 429 || res.status === 503) && attempt < 50) {
      const after = Number(res.headers.get('retry-after') ?? 1);
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, Math.max(100, after * 1000)));
      continue;
    }
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  }
}

/** Runs `count` jobs, `CONCURRENCY` at a time. */
async function pool(count: number, what: string, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      while (next < count) {
        checkDeadline(what);
        await job(next++);
      }
    }),
  );
}

const leadId = (i: number) => `ld-${i}`;

/** Samples each runtime process's RSS every 500 ms. */
const memory = new Map<string, { pid: number | undefined; peak: number; samples: { t: number; mb: number }[] }>();
const memTimer = setInterval(() => {
  for (const [, m] of memory) {
    const mb = rssMb(m.pid);
    if (mb === 0) continue;
    m.peak = Math.max(m.peak, mb);
    m.samples.push({ t: Date.now(), mb });
  }
}, 500);

async function main(): Promise<void> {
  console.log(`load: ${N.toLocaleString('en')} leads, ${WORKERS} worker process(es) + 1 API process, schema ${schema} on ${PG_URL.replace(/\/\/[^@]*@/, '//')}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${(await import('node:os')).cpus().length} cores)`);
  await migrateToLatest(db);
  token = (await createApiToken(db, { name: 'load', orgAdmin: true }, new Date())).secret;

  const env = { DATABASE_URL: PG_URL, NURTUREFLOW_DB_SCHEMA: schema, LOG_LEVEL: 'warn' };
  const apiProc = spawnRuntime(['--api-only', '--no-seed', '--port', '0'], { ...env, LOG_LEVEL: 'info' });
  children.push(apiProc);
  base = await listening(apiProc, 120_000);
  memory.set('api', { pid: apiProc.proc.pid, peak: 0, samples: [] });
  for (let w = 0; w < WORKERS; w++) {
    const worker = spawnRuntime(['--worker-only', '--no-seed'], { ...env, LOG_LEVEL: 'info' });
    children.push(worker);
    await logged(worker, /^Nurtureflow worker \S+ is running/, 120_000);
    memory.set(`worker${w + 1}`, { pid: worker.proc.pid, peak: 0, samples: [] });
  }
  log(`runtime up at ${base} (API pid ${apiProc.proc.pid}; worker pid(s) ${children.slice(1).map((c) => c.proc.pid).join(', ')})`);

  await api('POST', '/product-lines', { id: 'load', name: 'Load', settings: { scoring: { rules: [{ id: 'demo', event: EVENT, points: 10 }], hotThreshold: 1_000_000 } } });
  const graph = aGraph({ productLine: 'load', scenarioId: SCENARIO, name: 'Load: wait for a demo request' })
    .trigger('t', { type: 'import' })
    .waitForEvent('we', EVENT, dur(30, 'days'))
    .exit('done', 'asked for a demo')
    .from('we', 'timeout')
    .exit('late', 'no demo request in 30 days')
    .input();
  await api('POST', '/scenarios', { id: SCENARIO, productLine: 'load', name: 'Load', draft: graph });
  await api('POST', `/scenarios/${SCENARIO}/publish`, { note: 'load test' });

  // Leads through the import route.
  let t0 = Date.now();
  await pool(Math.ceil(N / IMPORT_ROWS), 'the lead import', async (k) => {
    const rows = [];
    for (let i = k * IMPORT_ROWS; i < Math.min(N, (k + 1) * IMPORT_ROWS); i++) rows.push({ id: leadId(i), email: `lead${i}@load.example.jp`, name: `リード ${i}`, company: `株式会社ロード${i % 997}` });
    const report = await api('POST', '/leads/import', rows);
    if (report.totals.created !== rows.length) throw new Error(`import ${k}: ${JSON.stringify(report.totals)}`);
    if ((k + 1) % 4 === 0) log(`imported ${((k + 1) * IMPORT_ROWS).toLocaleString('en')} leads`);
  });
  const importS = (Date.now() - t0) / 1000;
  log(`imported ${N.toLocaleString('en')} leads in ${importS.toFixed(1)} s`);
  figure('import_s', importS);
  figure('import_leads_per_s', N / importS);

  // Enrollments, each committed at its wait in the enrolling request.
  t0 = Date.now();
  await pool(Math.ceil(N / ENROLL_ROWS), 'the enrollment', async (k) => {
    const leadIds = [];
    for (let i = k * ENROLL_ROWS; i < Math.min(N, (k + 1) * ENROLL_ROWS); i++) leadIds.push(leadId(i));
    const res = await api('POST', '/enrollments', { scenarioId: SCENARIO, leadIds });
    if (res.enrolled !== leadIds.length) throw new Error(`enrollment ${k}: ${JSON.stringify({ enrolled: res.enrolled, refused: res.refused })}`);
    if ((k + 1) % 20 === 0) log(`enrolled ${((k + 1) * ENROLL_ROWS).toLocaleString('en')}`);
  });
  const enrollS = (Date.now() - t0) / 1000;
  const waiting = Number((await sql<{ n: string }>`select count(*) as n from enrollments where scenario_id = ${SCENARIO} and status = 'waiting' and node_id = 'we'`.execute(db)).rows[0]!.n);
  if (waiting !== N) throw new Error(`${waiting} enrollments wait at the event, expected ${N}`);
  log(`${N.toLocaleString('en')} enrollments waiting for "${EVENT}" after ${enrollS.toFixed(1)} s`);
  figure('enroll_s', enrollS);
  figure('enroll_per_s', N / enrollS);
  await sql`analyze`.execute(db);

  // The burst, with reads sampled every 100 ms.
  const reads: number[] = [];
  const counts: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    let tick = 0;
    while (sampling) {
      const at = Date.now();
      const path = tick++ % 10 === 0 ? `/enrollments/counts?scenarioId=${SCENARIO}` : `/scenarios/${SCENARIO}`;
      await api('GET', path).then(
        () => (path.startsWith('/scenarios') ? reads : counts).push(Date.now() - at),
        (e: unknown) => log(`read failed: ${(e as Error).message}`),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - at))));
    }
  })();
  const done = () => sql<{ n: string }>`select count(*) as n from enrollments where scenario_id = ${SCENARIO} and status = 'completed'`.execute(db).then((r) => Number(r.rows[0]!.n));
  const burstStart = Date.now();
  log('burst: sending one event per lead');
  await pool(Math.ceil(N / EVENT_ROWS), 'the event burst', async (k) => {
    const events = [];
    for (let i = k * EVENT_ROWS; i < Math.min(N, (k + 1) * EVENT_ROWS); i++) events.push({ id: `demo-${i}`, kind: EVENT, leadId: leadId(i), productLine: 'load' });
    const res = await api('POST', '/events/batch', { events });
    if (res.accepted !== events.length) throw new Error(`event batch ${k}: accepted ${res.accepted} of ${events.length}`);
    if ((k + 1) % 20 === 0) log(`sent ${((k + 1) * EVENT_ROWS).toLocaleString('en')} events; ${(await done()).toLocaleString('en')} enrollments completed`);
  });
  const ingestS = (Date.now() - burstStart) / 1000;
  log(`${N.toLocaleString('en')} events ingested in ${ingestS.toFixed(1)} s`);
  for (;;) {
    const n = await done();
    if (n === N) break;
    checkDeadline(`the wake-ups (${n.toLocaleString('en')} of ${N.toLocaleString('en')} completed)`);
    for (const c of children) if (c.gone()) throw new Error(`a runtime process exited:\n${tail(c)}`);
    log(`${n.toLocaleString('en')} enrollments completed`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
  sampling = false;
  await sampler;
  const burstEnd = Date.now();
  log(`every enrollment completed ${((burstEnd - burstStart) / 1000).toFixed(1)} s after the burst began`);

  // From the database: when each event arrived and when its enrollment's waking step committed.
  const timing = await sql<{ first_in: Date; last_in: Date; first_step: Date; last_step: Date; p50: number; p99: number; max: number; wrong: number }>`
    select min(ev.received_at) as first_in, max(ev.received_at) as last_in, min(e.updated_at) as first_step, max(e.updated_at) as last_step,
      percentile_cont(0.5) within group (order by extract(epoch from e.updated_at - ev.received_at) * 1000) as p50,
      percentile_cont(0.99) within group (order by extract(epoch from e.updated_at - ev.received_at) * 1000) as p99,
      max(extract(epoch from e.updated_at - ev.received_at) * 1000) as max,
      count(*) filter (where e.node_id <> 'done')::int as wrong
    from enrollments e join events ev on ev.lead_id = e.lead_id and ev.id = 'demo-' || substr(e.lead_id, 4)
    where e.scenario_id = ${SCENARIO}`.execute(db);
  const tm = timing.rows[0]!;
  if (Number(tm.wrong) !== 0) throw new Error(`${tm.wrong} enrollments did not end at "done"`);
  const history = await sql<{ rows: number; enrollments: number }>`select count(*)::int as rows, count(distinct (lead_id, enrollment_id))::int as enrollments from enrollment_history`.execute(db);
  const stepS = (tm.last_step.getTime() - tm.first_in.getTime()) / 1000;
  figure('events_per_s', N / ingestS);
  figure('steps_per_s', N / stepS);
  figure('lag_p50_ms', Number(tm.p50));
  figure('lag_p99_ms', Number(tm.p99));
  figure('lag_max_ms', Number(tm.max));
  reads.sort((a, b) => a - b);
  counts.sort((a, b) => a - b);
  figure('read_p50_ms', percentile(reads, 50));
  figure('read_p99_ms', percentile(reads, 99));
  figure('counts_p99_ms', percentile(counts, 99));
  for (const [name, m] of memory) figure(`${name}_rss_peak_mb`, m.peak);
  console.log(`\nburst ${((burstEnd - burstStart) / 1000).toFixed(1)} s: ingestion ${ingestS.toFixed(1)} s, last step ${stepS.toFixed(1)} s after the first event; ${history.rows[0]!.rows.toLocaleString('en')} history rows over ${history.rows[0]!.enrollments.toLocaleString('en')} enrollments`);
  console.log(`reads sampled: ${reads.length} × GET /scenarios/:id (p50 ${percentile(reads, 50)} ms, p99 ${percentile(reads, 99)} ms, max ${reads.at(-1)} ms), ${counts.length} × GET /enrollments/counts (p99 ${percentile(counts, 99)} ms)`);
  console.log('RSS (MB) every 10 s from the start of the burst:');
  for (const [name, m] of memory) {
    const line: string[] = [];
    for (let t = burstStart; t <= burstEnd; t += 10_000) {
      const s = m.samples.find((x) => x.t >= t);
      if (s) line.push(s.mb.toFixed(0));
    }
    console.log(`  ${name.padEnd(8)} ${line.join(' ')}  (peak ${m.peak.toFixed(0)})`);
  }
  finished = true;
}

try {
  await main();
} catch (e) {
  console.error(`\nload test stopped: ${(e as Error).message}`);
  const reached = await sql<{ leads: string; enrollments: string; events: string; completed: string }>`
    select (select count(*) from leads) as leads, (select count(*) from enrollments) as enrollments, (select count(*) from events) as events,
      (select count(*) from enrollments where status = 'completed') as completed`
    .execute(db)
    .then((r) => r.rows[0])
    .catch(() => undefined);
  if (reached) console.error(`reached: ${JSON.stringify(reached)}`);
} finally {
  clearInterval(memTimer);
  const stops = await Promise.all(children.map((c) => stopRuntime(c)));
  await killAll(children);
  if (finished && stops.some((s) => s.code !== 0)) console.error(`a runtime process did not stop cleanly: ${JSON.stringify(stops)}`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (process.env['LOAD_KEEP'] === '1') console.log(`schema ${schema} kept (LOAD_KEEP=1)`);
  else await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  await database.close();
}
process.exit(finished ? 0 : 1);
