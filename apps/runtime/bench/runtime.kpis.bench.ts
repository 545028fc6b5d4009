// KPI reports and A/B results over a month of one product line's activity, on the local Postgres
// and on the embedded PGlite: 20,000 leads entering a scenario with an A/B split over 30 days, three
// mails each (60,000 sent), 40% opened, 10% clicked, 2% bounced, 1% unsubscribed, one lead in twenty
// hot and handed off (half accepted), one in twenty-five reaching the goal — written straight into
// the tables the worker and the channels write, then GET /product-lines/:pl/kpis by day, node and
// variant, the CSV, and GET /scenarios/:id/splits, each through the real app.
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { sql } from 'kysely';
import { ManualClock } from '../src/clock.ts';
import type { Runtime } from '../src/runtime.ts';
import { benchAdminToken, benchRequest, best, openBenchRuntime } from './bench-runtime.ts';
import { createApp } from '../src/app.ts';
import { ALL_ROUTES } from '../src/routes/index.ts';

const LEADS = Number(process.env['BENCH_LEADS'] ?? 20_000);
const START = '2026-03-07T00:00:00Z';
const NOW = '2026-04-06T00:00:00Z';

const graph = aGraph({ productLine: 'bench', scenarioId: 'bench-flow', name: 'bench' })
  .trigger('t', { type: 'import' })
  .split('s', [
    { id: 'A', weight: 1 },
    { id: 'B', weight: 1 },
  ])
  .email('mA', 'a')
  .wait('w1', dur(1, 'days'))
  .email('m2', 'b')
  .wait('w2', dur(1, 'days'))
  .email('m3', 'c')
  .handoff('h')
  .goal('g', 'deal')
  .from('h', 'returned')
  .exit('x')
  .from('s', 'B')
  .email('mB', 'a')
  .connect('mB', 'sent', 'w1')
  .input();

async function seed(rt: Runtime): Promise<void> {
  await benchRequest(rt, 'POST', '/product-lines', { id: 'bench', name: 'Bench' });
  await benchRequest(rt, 'POST', '/scenarios', { id: 'bench-flow', productLine: 'bench', name: 'bench', draft: graph });
  await rt.db.insertInto('scenario_versions').values({ scenario_id: 'bench-flow', version: 1, graph }).execute();
  const n = LEADS - 1;
  const start = sql`${START}::timestamptz`;
  await sql`insert into leads (id, email) select 'lead-' || i, 'lead-' || i || '@example.jp' from generate_series(0, ${n}) i`.execute(rt.db);
  await sql`
    insert into enrollments (lead_id, id, scenario_id, version, product_line, status, node_id, state, created_at, updated_at)
    select 'lead-' || i, 'enr-' || i, 'bench-flow', 1, 'bench', 'completed', 'x', '{}'::jsonb,
      ${start} + (i % 30) * interval '1 day' + (i % 600) * interval '1 minute', ${start}
    from generate_series(0, ${n}) i`.execute(rt.db);
  await sql`
    insert into enrollment_history (lead_id, enrollment_id, seq, at, node_id, output, to_node, reason)
    select e.lead_id, e.id, 1, e.created_at, 's', v, 'm' || v, jsonb_build_object('code', 'split', 'variant', v, 'bucket', 0.5)
    from (select lead_id, id, created_at, case when substr(id, 5)::int % 2 = 0 then 'A' else 'B' end as v from enrollments) e`.execute(rt.db);
  // Three mails per lead: the variant's, then m2 a day later, m3 two days later.
  await sql`
    insert into outbox (lead_id, key, enrollment_id, scenario_id, product_line, type, payload, status, created_at, updated_at, next_attempt_at)
    select e.lead_id, e.id || ':' || k, e.id, 'bench-flow', 'bench', 'sendEmail',
      jsonb_build_object('type', 'sendEmail', 'key', e.id || ':' || k, 'nodeId', case k when 1 then 'm' || h.output else 'm' || k end, 'productLine', 'bench', 'template', 'a', 'subject', null),
      'sent', e.created_at + (k - 1) * interval '1 day', e.created_at, e.created_at
    from enrollments e join enrollment_history h on h.lead_id = e.lead_id and h.enrollment_id = e.id, generate_series(1, 3) k`.execute(rt.db);
  await sql`
    insert into sent_emails (lead_id, key, product_line, scenario_id, node_id, template_id, "to", subject, message_id, transport, sent_at)
    select lead_id, key, 'bench', 'bench-flow', payload->>'nodeId', 'a', lead_id || '@example.jp', 's', key, 'mailbox', created_at
    from outbox where type = 'sendEmail'`.execute(rt.db);
  // Reactions by a hash of the key: 40% open, 10% click (an open too), 2% bounce, 1% unsubscribe.
  const reacted = (kind: string, share: string, idPrefix: string, minutes: number) => sql`
    insert into events (lead_id, id, kind, at, product_line, scenario_id, node_id, effect_key, data)
    select lead_id, ${idPrefix} || key, ${kind}, created_at + ${minutes} * interval '1 minute', 'bench', 'bench-flow', payload->>'nodeId', key, '{}'::jsonb
    from outbox where type = 'sendEmail' and ${sql.raw(share)}`;
  const h = `abs(hashtext(key)) % 100`;
  await reacted('email_opened', `${h} < 40`, 'open:', 60).execute(rt.db);
  await reacted('link_clicked', `${h} < 10`, 'click:', 61).execute(rt.db);
  await reacted('email_bounced', `${h} between 97 and 98`, 'bounce:', 5).execute(rt.db);
  await reacted('unsubscribed', `${h} = 96`, 'unsub:', 90).execute(rt.db);
  // One lead in twenty hot after its second mail's click, handed off; half accepted; one in twenty-five reaches the goal.
  await sql`
    insert into events (lead_id, id, kind, at, product_line, data)
    select e.lead_id, 'hot:bench:' || e.id, 'lead_became_hot', e.created_at + interval '1 day 2 hours', 'bench', jsonb_build_object('cause', 'click:' || e.id || ':2')
    from enrollments e where substr(e.id, 5)::int % 20 = 0`.execute(rt.db);
  await sql`
    insert into outbox (lead_id, key, enrollment_id, scenario_id, product_line, type, payload, status, created_at, updated_at, next_attempt_at)
    select e.lead_id, e.id || ':h', e.id, 'bench-flow', 'bench', 'handOff', jsonb_build_object('type', 'handOff', 'key', e.id || ':h', 'nodeId', 'h', 'productLine', 'bench', 'to', 'sales', 'reason', ''),
      'done', e.created_at + interval '2 days', e.created_at, e.created_at
    from enrollments e where substr(e.id, 5)::int % 20 = 0`.execute(rt.db);
  await sql`
    insert into events (lead_id, id, kind, at, product_line, scenario_id, node_id, effect_key, data)
    select lead_id, 'answer:' || key, case when substr(enrollment_id, 5)::int % 40 = 0 then 'handoff_accepted' else 'handoff_returned' end,
      created_at + interval '3 hours', 'bench', 'bench-flow', 'h', key, '{}'::jsonb
    from outbox where type = 'handOff'`.execute(rt.db);
  await sql`
    insert into outbox (lead_id, key, enrollment_id, scenario_id, product_line, type, payload, status, created_at, updated_at, next_attempt_at)
    select e.lead_id, e.id || ':g', e.id, 'bench-flow', 'bench', 'goalReached', jsonb_build_object('type', 'goalReached', 'key', e.id || ':g', 'nodeId', 'g', 'productLine', 'bench', 'goal', 'deal'),
      'done', e.created_at + interval '3 days', e.created_at, e.created_at
    from enrollments e where substr(e.id, 5)::int % 25 = 0`.execute(rt.db);
  await sql`analyze`.execute(rt.db);
}

async function measure(dialect: 'postgres' | 'pglite') {
  const clock = new ManualClock(Date.parse(NOW));
  const s = await openBenchRuntime(dialect, clock);
  try {
    const t0 = performance.now();
    await seed(s.rt);
    const seeded = Math.round(performance.now() - t0);
    if (process.env['BENCH_DEBUG']) console.error(`${dialect}: seeded in ${seeded} ms`);
    const q = 'from=2026-03-07&to=2026-04-05';
    let totals: Record<string, unknown> = {};
    const day = await best(async () => (totals = (await benchRequest(s.rt, 'GET', `/product-lines/bench/kpis?${q}&groupBy=day`, undefined)).totals));
    const node = await best(() => benchRequest(s.rt, 'GET', `/product-lines/bench/kpis?${q}&groupBy=node`, undefined));
    const variant = await best(() => benchRequest(s.rt, 'GET', `/product-lines/bench/kpis?${q}&groupBy=variant&scenarioId=bench-flow`, undefined));
    const token = await benchAdminToken(s.rt);
    const csv = await best(async () => {
      const res = await createApp(s.rt, ALL_ROUTES).request(`/api/v1/product-lines/bench/kpis.csv?${q}&groupBy=node`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`csv: ${res.status}`);
      await res.text();
    });
    let verdict = '';
    const splits = await best(async () => {
      const r = await benchRequest(s.rt, 'GET', `/scenarios/bench-flow/splits?metric=click&${q}`, undefined);
      verdict = JSON.stringify(r.splits[0].variants.map((v: { variant: string; leads: number; conversions: number; verdict: unknown }) => [v.variant, v.leads, v.conversions, v.verdict]));
    });
    return { seeded, day, node, variant, csv, splits, totals, verdict };
  } finally {
    await s.drop();
  }
}

const prefix = { postgres: 'pg', pglite: 'pglite' } as const;
for (const dialect of ['postgres', 'pglite'] as const) {
  const r = await measure(dialect);
  console.log(`\n${dialect}: ${LEADS} leads seeded in ${r.seeded} ms; totals ${JSON.stringify(r.totals)}; click split ${r.verdict}`);
  console.table({ 'kpis by day (30 days)': r.day, 'kpis by node': r.node, 'kpis by variant': r.variant, 'kpis.csv by node': r.csv, 'splits (click)': r.splits });
  console.log(`bench runtime.${prefix[dialect]}.kpis_day_20k_ms ${r.day.ms}`);
  console.log(`bench runtime.${prefix[dialect]}.kpis_day_20k_cpu_ms ${r.day.cpuMs}`);
  console.log(`bench runtime.${prefix[dialect]}.kpis_node_20k_ms ${r.node.ms}`);
  console.log(`bench runtime.${prefix[dialect]}.kpis_variant_20k_ms ${r.variant.ms}`);
  console.log(`bench runtime.${prefix[dialect]}.splits_20k_ms ${r.splits.ms}`);
}
