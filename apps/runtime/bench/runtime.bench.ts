// Runtime benchmark, on the local Postgres and on the embedded PGlite: lead-steps per second through
// the durable worker (10,000 enrolled leads on a 20-node scenario), events per second through batch
// ingestion over HTTP, and wake-up lag (due time → step committed) p50/p99 with the real clock.
import { benchRequest, openBenchRuntime } from './bench-runtime.ts';
import { benchGraph } from './bench-scenario.ts';
import { sql } from 'kysely';
import { ManualClock, systemClock } from '../src/clock.ts';
import { drainDue, startWorker } from '../src/core/worker.ts';
import type { Runtime } from '../src/runtime.ts';

const LEADS = Number(process.env['BENCH_LEADS'] ?? 10_000);

/** Leads inserted directly (the bench measures the worker, not lead import). */
async function seed(rt: Runtime, scenarioId: string, waitUnit: 'minutes' | 'days', waitAmount: number) {
  await benchRequest(rt, 'POST', '/product-lines', { id: 'bench', name: 'Bench', settings: { scoring: { rules: [{ id: 'open', event: 'email_opened', points: 5 }], hotThreshold: 1000 } } }).catch(() => undefined);
  await benchRequest(rt, 'POST', '/scenarios', { id: scenarioId, productLine: 'bench', name: 'bench', draft: benchGraph(scenarioId, waitUnit, waitAmount) });
  await benchRequest(rt, 'POST', `/scenarios/${scenarioId}/publish`, { note: 'bench' });
  const ids = Array.from({ length: LEADS }, (_, i) => `${scenarioId}-lead-${i}`);
  for (let i = 0; i < ids.length; i += 5000) {
    await rt.db.insertInto('leads').values(ids.slice(i, i + 5000).map((id) => ({ id, email: `${id}@example.jp`, attributes: {}, tags: [] }))).execute();
  }
  for (let i = 0; i < ids.length; i += 2000) await benchRequest(rt, 'POST', '/enrollments', { scenarioId, leadIds: ids.slice(i, i + 2000) });
  return ids;
}

async function stepsPerSecond(dialect: 'postgres' | 'pglite') {
  const clock = new ManualClock(Date.parse('2026-04-06T00:00:00Z'));
  const s = await openBenchRuntime(dialect, clock);
  try {
    await seed(s.rt, 'steps', 'minutes', 10);
    let steps = 0;
    const t0 = performance.now();
    for (let round = 0; round < 10; round++) {
      clock.advance(11 * 60_000);
      steps += await drainDue(s.rt);
    }
    const seconds = (performance.now() - t0) / 1000;
    const waiting = await s.rt.db.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'waiting').executeTakeFirst();
    return { steps, seconds, perSecond: Math.round(steps / seconds), stillWaiting: Number(waiting?.n ?? 0) };
  } finally {
    await s.drop();
  }
}

async function eventsPerSecond(dialect: 'postgres' | 'pglite') {
  const clock = new ManualClock(Date.parse('2026-04-06T00:00:00Z'));
  const s = await openBenchRuntime(dialect, clock);
  try {
    const ids = await seed(s.rt, 'events', 'days', 3);
    const batches = 5;
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) {
      clock.advance(60_000);
      const events = ids.map((leadId, i) => ({ id: `e-${b}-${i}`, kind: b % 2 ? 'page_visited' : 'email_opened', leadId, productLine: 'bench', at: new Date(clock.now()).toISOString() }));
      const r = await benchRequest(s.rt, 'POST', '/events/batch', { events });
      if (r.accepted !== ids.length) throw new Error(`batch ${b}: ${r.accepted} accepted`);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { events: batches * ids.length, seconds, perSecond: Math.round((batches * ids.length) / seconds) };
  } finally {
    await s.drop();
  }
}

/** Leads enrolled in groups whose first wait ends at evenly spread instants from `firstDue` over `spreadMs`. */
async function seedSpread(rt: Runtime, firstDue: number, spreadMs: number, groups: number) {
  const clock = new ManualClock(firstDue - 60_000);
  const enrolRt: Runtime = { ...rt, clock };
  await benchRequest(enrolRt, 'POST', '/product-lines', { id: 'bench', name: 'Bench' });
  await benchRequest(enrolRt, 'POST', '/scenarios', { id: 'lag', productLine: 'bench', name: 'bench', draft: benchGraph('lag', 'minutes', 1) });
  await benchRequest(enrolRt, 'POST', '/scenarios/lag/publish', { note: 'bench' });
  const ids = Array.from({ length: LEADS }, (_, i) => `lag-lead-${i}`);
  await rt.db.insertInto('leads').values(ids.map((id) => ({ id, email: `${id}@example.jp`, attributes: {}, tags: [] }))).execute();
  const size = Math.ceil(ids.length / groups);
  for (let g = 0; g < groups; g++) {
    clock.set(firstDue - 60_000 + Math.round((g * spreadMs) / groups));
    await benchRequest(enrolRt, 'POST', '/enrollments', { scenarioId: 'lag', leadIds: ids.slice(g * size, (g + 1) * size) });
  }
}

/**
 * Wake-up lag under a steady load below capacity: 10,000 first waits ending evenly over 5 s (2,000
 * wake-ups a second, 100 at a time), the worker on real time. Lag is commit time minus due time.
 */
async function wakeLag(dialect: 'postgres' | 'pglite') {
  const s = await openBenchRuntime(dialect, systemClock);
  try {
    const spreadMs = 5_000;
    // Enrol with due times an hour ahead, then move every time of the enrollments by the same
    // amount so the first wake-up is 2 s from now, however long enrolling took.
    const planned = Date.now() + 3_600_000;
    await seedSpread(s.rt, planned, spreadMs, 100);
    const shift = planned - (Date.now() + 2_000);
    await sql`
      update enrollments set wake_at = wake_at - make_interval(secs => ${shift / 1000}),
        state = jsonb_set(jsonb_set(jsonb_set(state,
          '{waiting,until}', to_jsonb((state->'waiting'->>'until')::bigint - ${shift})),
          '{enteredAt}', to_jsonb((state->>'enteredAt')::bigint - ${shift})),
          '{nodeEnteredAt}', to_jsonb((state->>'nodeEnteredAt')::bigint - ${shift}))`.execute(s.rt.db);
    const firstDue = Date.now() + 2_000;
    const lags: number[] = [];
    const stop = startWorker(s.rt, { idleMs: 50, observe: (wakeAts, committedAt) => lags.push(...wakeAts.map((w) => committedAt - w)) });
    while (lags.length < LEADS && Date.now() - firstDue < 120_000) await new Promise((r) => setTimeout(r, 200));
    await stop();
    lags.sort((a, b) => a - b);
    const p = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? NaN;
    return { samples: lags.length, p50: Math.round(p(0.5)), p99: Math.round(p(0.99)) };
  } finally {
    await s.drop();
  }
}

const rows: [string, string][] = [];
const figures: [string, number][] = [];
const only = process.env['BENCH_ONLY'];
for (const dialect of ['postgres', 'pglite'] as const) {
  if (only === 'lag') {
    const lag = await wakeLag(dialect);
    console.log(dialect, lag);
    continue;
  }
  const st = await stepsPerSecond(dialect);
  rows.push([`${dialect}: worker steps`, `${st.steps} steps in ${st.seconds.toFixed(2)} s = ${st.perSecond}/s`]);
  figures.push([`runtime.${dialect === 'postgres' ? 'pg' : 'pglite'}.steps_per_s`, st.perSecond]);
  const ev = await eventsPerSecond(dialect);
  rows.push([`${dialect}: batch ingestion`, `${ev.events} events in ${ev.seconds.toFixed(2)} s = ${ev.perSecond}/s`]);
  figures.push([`runtime.${dialect === 'postgres' ? 'pg' : 'pglite'}.events_per_s`, ev.perSecond]);
  const lag = await wakeLag(dialect);
  rows.push([`${dialect}: wake-up lag`, `p50 ${lag.p50} ms, p99 ${lag.p99} ms over ${lag.samples} steps`]);
  figures.push([`runtime.${dialect === 'postgres' ? 'pg' : 'pglite'}.lag_p50_ms`, lag.p50], [`runtime.${dialect === 'postgres' ? 'pg' : 'pglite'}.lag_p99_ms`, lag.p99]);
}
console.log(`\nRuntime (${LEADS} leads, 20-node scenario)`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(28)} ${v}`);
for (const [k, v] of figures) console.log(`bench ${k} ${v}`);
