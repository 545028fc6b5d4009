// Many workers: 1, 2 and 4 worker processes (`main.ts --worker-only`) on one Postgres over 100,000
// enrolled leads (BENCH_WORKER_LEADS), each run on a fresh schema. The leads are enrolled with both
// of their one-minute waits already over and held (scenario paused) until every process runs; then
// released at once, and timed until the last enrollment is completed. Each enrollment needs one
// wake-up (a step: score, branch, tag, second wait ended, score, exit), so steps/s is
// enrollments/s. The journey sends no mail, so the figure is the workers' alone. Checked after each
// run: the workers' own counts add up to the leads, every enrollment keeps the id of the process that
// stepped it and the counts per process agree, and every enrollment's history has each row once.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createDatabase, migrateToLatest } from '@nurtureflow/db';
import { sql } from 'kysely';
import { ManualClock } from '../src/clock.ts';
import { killAll, until, type ChildRuntime } from '../src/ops/child-runtime.ts';
import { fleetJourney, historyShapes, insertLeads, setScenarioStatus, startFleet, stopFleet } from '../src/ops/fleet.ts';
import type { Runtime } from '../src/runtime.ts';
import { benchRequest, PG_URL } from './bench-runtime.ts';

const LEADS = Number(process.env['BENCH_WORKER_LEADS'] ?? 100_000);
const COUNTS = (process.env['BENCH_WORKERS'] ?? '1,2,4').split(',').map(Number);
const MINUTE = 60_000;

async function run(processes: number) {
  const schema = `bench_workers_${process.pid}_${randomBytes(4).toString('hex')}`;
  const database = await createDatabase({ databaseUrl: PG_URL, schema, max: 8 });
  let fleet: ChildRuntime[] = [];
  try {
    await migrateToLatest(database.db);
    const rt: Runtime = { db: database.db, dialect: 'postgres', clock: new ManualClock(Date.now() - 10 * MINUTE), workerId: `bench-${process.pid}`, productLines: null };
    await benchRequest(rt, 'POST', '/product-lines', { id: 'fleet', name: 'Fleet' });
    await benchRequest(rt, 'POST', '/scenarios', { id: 'fleet', productLine: 'fleet', name: 'Fleet', draft: fleetJourney('fleet', 'fleet') });
    await benchRequest(rt, 'POST', '/scenarios/fleet/publish', { note: 'bench' });
    const ids = Array.from({ length: LEADS }, (_, i) => `fleet-${i}`);
    await insertLeads(database.db, ids);
    for (let i = 0; i < ids.length; i += 5000) await benchRequest(rt, 'POST', '/enrollments', { scenarioId: 'fleet', leadIds: ids.slice(i, i + 5000) });
    await sql`analyze`.execute(database.db);
    await setScenarioStatus(database.db, ['fleet'], 'paused');

    fleet = await startFleet(PG_URL, schema, Array.from({ length: processes }, () => []));
    const load = execFileSync('uptime').toString().trim().replace(/.*load average: /, '');
    const t0 = performance.now();
    await setScenarioStatus(database.db, ['fleet'], 'active');
    await until(
      'every enrollment completed',
      async () => Number((await sql<{ n: number }>`select count(*)::int as n from enrollments where status <> 'completed'`.execute(database.db)).rows[0]!.n) === 0,
      30 * MINUTE,
      100,
    );
    const seconds = (performance.now() - t0) / 1000;
    const reports = await stopFleet(fleet);
    fleet = [];

    // No step twice, none missed: the workers' counts, the database's record of who stepped what, every history row once.
    const stepped = reports.reduce((s, r) => s + r.stepped, 0);
    if (stepped !== LEADS) throw new Error(`${processes} workers stepped ${stepped} enrollments, not ${LEADS}`);
    const byWorker = await sql<{ claimed_by: string; n: number }>`select claimed_by, count(*)::int as n from enrollments group by 1`.execute(database.db);
    for (const r of reports) {
      const n = byWorker.rows.find((row) => row.claimed_by === r.workerId)?.n ?? 0;
      if (n !== r.stepped) throw new Error(`${r.workerId} says it stepped ${r.stepped}, the database says ${n}`);
    }
    const shapes = await historyShapes(database.db, ['fleet']);
    const [shape] = shapes;
    if (shapes.length !== 1 || !shape || shape.n !== LEADS || shape.status !== 'completed' || shape.rows !== shape.state_seq || shape.seqs !== shape.rows || shape.max !== shape.rows) {
      throw new Error(`history rows missing or doubled: ${JSON.stringify(shapes)}`);
    }
    const cpuMs = reports.reduce((s, r) => s + r.cpuMs, 0);
    return { processes, seconds, perSecond: Math.round(LEADS / seconds), shares: reports.map((r) => r.stepped), cpuUsPerStep: Math.round((cpuMs * 1000) / LEADS), historyRows: shape.rows, load };
  } finally {
    await killAll(fleet);
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db).catch(() => undefined);
    await database.close();
  }
}

const results = [];
for (const n of COUNTS) results.push(await run(n));
console.log(`\nWorker processes on one Postgres (${LEADS} leads, one wake-up each, ${results[0]?.historyRows} history rows an enrollment)`);
for (const r of results) {
  console.log(
    `  ${String(r.processes).padStart(2)} process${r.processes === 1 ? '  ' : 'es'}  ${r.perSecond.toString().padStart(6)} steps/s  (${r.seconds.toFixed(1)} s; shares ${r.shares.join(' / ')}; workers' CPU ${r.cpuUsPerStep} µs a step; load ${r.load})`,
  );
}
for (const r of results) console.log(`bench runtime.pg.workers_${r.processes}_steps_per_s ${r.perSecond}`);
for (const r of results) console.log(`bench runtime.pg.workers_${r.processes}_cpu_us_per_step ${r.cpuUsPerStep}`);
