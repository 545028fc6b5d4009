// The baseline: the same 20-node scenario and the same 10,000 leads through a job queue by hand
// (graphile-worker, one job per step, apps/baseline) and through Nurtureflow's durable worker, in the
// same run on the same local Postgres. Prints both rates and the ratio (runtime ÷ baseline).
//
// Equal work. A step is one lead woken from a wait and walked to its next wait or its end: the
// runtime counts the enrollments its worker claims, the baseline the jobs that move a lead. Both
// walk the same nodes (the baseline's test checks the paths against the runtime's history), write
// the same history and outbox rows (counted below), and take 4 steps per lead after enrolment.
// Enrolment (trigger → first mail → first wait) is done before the clock starts on both sides.
//
// Equal time. Neither sleeps through a wait: the runtime runs on a ManualClock moved past each
// 10-minute wait (11 minutes a round, drained between moves); the baseline's leads live on the
// same virtual day, 2026-04-06, in the past, so every job it schedules with `run_at` = the wait's
// end is due as soon as it is added. On both sides a step is stamped with its wait's due time.
import { loadavg } from 'node:os';
import { ManualClock } from '../../runtime/src/clock.ts';
import { drainDue } from '../../runtime/src/core/worker.ts';
import { benchRequest, openBenchRuntime, PG_URL } from '../../runtime/bench/bench-runtime.ts';
import { benchGraph } from '../../runtime/bench/bench-scenario.ts';
import { addLeads, countRows, enrol, openBaseline } from '../src/index.ts';

const LEADS = Number(process.env['BENCH_LEADS'] ?? 10_000);
const START = Date.parse('2026-04-06T00:00:00Z');
const SCENARIO = 'steps';
const env = (name: string) => (process.env[name] === undefined ? undefined : Number(process.env[name]));

interface Side {
  steps: number;
  seconds: number;
  perSecond: number;
  history: number;
  outbox: number;
  /** This process's CPU time per step (µs): the Node side of the work. */
  cpuUsPerStep: number;
  load: number;
}

const leadIds = Array.from({ length: LEADS }, (_, i) => `${SCENARIO}-lead-${i}`);

/** Nurtureflow: the runtime benchmark's `runtime.pg.steps_per_s` measurement, on a throwaway schema. */
async function runtimeSide(): Promise<Side> {
  const clock = new ManualClock(START);
  const s = await openBenchRuntime('postgres', clock);
  try {
    await benchRequest(s.rt, 'POST', '/product-lines', { id: 'bench', name: 'Bench', settings: { scoring: { rules: [{ id: 'open', event: 'email_opened', points: 5 }], hotThreshold: 1000 } } });
    await benchRequest(s.rt, 'POST', '/scenarios', { id: SCENARIO, productLine: 'bench', name: 'bench', draft: benchGraph(SCENARIO, 'minutes', 10) });
    await benchRequest(s.rt, 'POST', `/scenarios/${SCENARIO}/publish`, { note: 'bench' });
    for (let i = 0; i < leadIds.length; i += 5000) {
      await s.rt.db.insertInto('leads').values(leadIds.slice(i, i + 5000).map((id) => ({ id, email: `${id}@example.jp`, attributes: {}, tags: [] }))).execute();
    }
    for (let i = 0; i < leadIds.length; i += 2000) await benchRequest(s.rt, 'POST', '/enrollments', { scenarioId: SCENARIO, leadIds: leadIds.slice(i, i + 2000) });
    let steps = 0;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let round = 0; round < 10; round++) {
      clock.advance(11 * 60_000);
      steps += await drainDue(s.rt);
    }
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const load = loadavg()[0] ?? 0;
    const count = async (table: 'enrollment_history' | 'outbox') =>
      Number((await s.rt.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst())?.n);
    const completed = await s.rt.db.selectFrom('enrollments').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'completed').executeTakeFirst();
    if (Number(completed?.n) !== LEADS) throw new Error(`runtime: ${completed?.n} of ${LEADS} leads completed`);
    return {
      steps,
      seconds,
      perSecond: Math.round(steps / seconds),
      history: await count('enrollment_history'),
      outbox: await count('outbox'),
      cpuUsPerStep: (used.user + used.system) / steps,
      load,
    };
  } finally {
    await s.drop();
  }
}

/** The job queue by hand: graphile-worker with one job per step, until every lead has finished. */
async function baselineSide(): Promise<Side & { settings: string }> {
  const tag = `baseline_${process.pid}`;
  const b = await openBaseline({
    connectionString: PG_URL,
    schemas: { app: tag, worker: `${tag}_worker` },
    scenarioId: SCENARIO,
    ...(env('BASELINE_CONCURRENCY') !== undefined ? { concurrency: env('BASELINE_CONCURRENCY') } : {}),
    ...(env('BASELINE_POOL') !== undefined ? { poolSize: env('BASELINE_POOL') } : {}),
    ...(env('BASELINE_POLL_MS') !== undefined ? { pollInterval: env('BASELINE_POLL_MS') } : {}),
    ...(env('BASELINE_LOCAL_QUEUE') !== undefined ? { localQueueSize: env('BASELINE_LOCAL_QUEUE') } : {}),
    ...(env('BASELINE_COMPLETE_BATCH_MS') !== undefined ? { completeJobBatchDelay: env('BASELINE_COMPLETE_BATCH_MS') } : {}),
  });
  try {
    await addLeads(b.pool, b.schemas, leadIds);
    for (let i = 0; i < leadIds.length; i += 2000) await enrol(b.pool, b.schemas, SCENARIO, leadIds.slice(i, i + 2000), START);
    let steps = 0;
    let finished = 0;
    let allDone!: () => void;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const runner = await b.start((j) => {
      steps++;
      if (j.status === 'completed' && ++finished === LEADS) allDone();
    });
    const failed = new Promise<never>((_, reject) => runner.events.on('job:error', ({ error }) => reject(error)));
    await Promise.race([done, failed]);
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const load = loadavg()[0] ?? 0;
    await runner.stop();
    const rows = await countRows(b.pool, b.schemas);
    const o = b.options;
    return {
      steps,
      seconds,
      perSecond: Math.round(steps / seconds),
      ...rows,
      cpuUsPerStep: (used.user + used.system) / steps,
      load,
      settings: `concurrency ${o.concurrency}, pool ${o.poolSize ?? o.concurrency + 2}, poll ${o.pollInterval} ms, local queue ${o.localQueueSize}, complete batch ${o.completeJobBatchDelay} ms`,
    };
  } finally {
    await b.drop();
  }
}

// The runtime runs before and after the baseline, and its rate is the mean of the two, so a load
// that rises or falls during the run (the machine is shared) does not favour either side.
const before = await runtimeSide();
const baseline = await baselineSide();
const after = await runtimeSide();
for (const runtime of [before, after]) {
  if (runtime.steps !== baseline.steps || runtime.history !== baseline.history || runtime.outbox !== baseline.outbox) {
    throw new Error(`unequal work: runtime ${JSON.stringify(runtime)} vs baseline ${JSON.stringify(baseline)}`);
  }
}
const runtimeRate = (before.steps / before.seconds + after.steps / after.seconds) / 2;
const row = (name: string, s: Side) =>
  console.log(
    `  ${name.padEnd(30)} ${s.steps} steps in ${s.seconds.toFixed(2)} s = ${s.perSecond}/s (${Math.round(s.cpuUsPerStep)} µs Node CPU a step, load ${s.load.toFixed(2)}; ${s.history} history, ${s.outbox} outbox rows)`,
  );
console.log(`\nBaseline (${LEADS} leads, 20-node scenario, local Postgres)`);
row('Nurtureflow runtime (before)', before);
row('graphile-worker by hand', baseline);
row('Nurtureflow runtime (after)', after);
console.log(`  baseline settings: ${baseline.settings}`);
console.log(`bench baseline.steps_per_s ${baseline.perSecond}`);
console.log(`bench baseline.runtime_steps_per_s ${Math.round(runtimeRate)}`);
console.log(`bench baseline.ratio ${(runtimeRate / (baseline.steps / baseline.seconds)).toFixed(2)}`);
