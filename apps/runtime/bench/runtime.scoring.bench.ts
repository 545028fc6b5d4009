// Scoring preview and the sales view's hot-lead page, on the local Postgres and on the embedded
// PGlite: 10,000 leads of one product line with two to six scored events each (40,000, ingested
// through POST /events/batch so standings are real), then POST /product-lines/:pl/scoring/preview
// with a changed hot threshold and decay (every lead replayed from its stored events), and
// GET /product-lines/:pl/hot-leads (a page of 20 with score histories and recent events).
import { benchRequest, best, openBenchRuntime } from './bench-runtime.ts';
import { ManualClock } from '../src/clock.ts';
import type { Runtime } from '../src/runtime.ts';

const LEADS = Number(process.env['BENCH_LEADS'] ?? 10_000);
const DAY = 86_400_000;
const KINDS = ['email_opened', 'email_opened', 'link_clicked', 'page_visited', 'whitepaper_downloaded', 'seminar_attended'];
const scoring = {
  rules: [
    { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 5 },
    { id: 'clicked', event: 'link_clicked', points: 10 },
    { id: 'pricing', event: 'page_visited', points: 15, filters: [{ field: 'path', op: 'eq', value: '/pricing' }] },
    { id: 'wp', event: 'whitepaper_downloaded', points: 20 },
    { id: 'seminar', event: 'seminar_attended', points: 30 },
  ],
  hotThreshold: 60,
};

async function seed(rt: Runtime): Promise<void> {
  await benchRequest(rt, 'POST', '/product-lines', { id: 'bench', name: 'Bench', settings: { scoring } });
  const ids = Array.from({ length: LEADS }, (_, i) => `lead-${i}`);
  for (let i = 0; i < ids.length; i += 5000) {
    await rt.db.insertInto('leads').values(ids.slice(i, i + 5000).map((id) => ({ id, email: `${id}@example.jp`, attributes: { name: `リード ${id}` }, tags: [] }))).execute();
  }
  const now = rt.clock.now();
  // Each lead does a different subset over the last 30 days, so ranks spread from D to A.
  const events = ids.flatMap((leadId, i) =>
    KINDS.filter((_, k) => (i >> k) % 2 === 0 || k < 2).map((kind, k) => ({
      id: `${leadId}-${k}`,
      kind,
      leadId,
      productLine: 'bench',
      at: new Date(now - ((i + k * 7) % 30) * DAY - k * 3_600_000).toISOString(),
      data: kind === 'page_visited' ? { path: '/pricing' } : {},
    })),
  );
  for (let i = 0; i < events.length; i += 10_000) await benchRequest(rt, 'POST', '/events/batch', { events: events.slice(i, i + 10_000) });
}

async function measure(dialect: 'postgres' | 'pglite') {
  const clock = new ManualClock(Date.parse('2026-04-06T00:00:00Z'));
  const s = await openBenchRuntime(dialect, clock);
  try {
    await seed(s.rt);
    const proposed = { ...scoring, hotThreshold: 45, decay: { points: 5, everyDays: 7 } };
    let preview: { leads: number; now: unknown; proposed: unknown } | undefined;
    const p = await best(async () => (preview = await benchRequest(s.rt, 'POST', '/product-lines/bench/scoring/preview', { scoring: proposed })));
    let total = 0;
    const h = await best(async () => (total = (await benchRequest(s.rt, 'GET', '/product-lines/bench/hot-leads?limit=20', undefined)).total));
    return { preview: p, hot: h, leads: preview!.leads, now: preview!.now, proposed: preview!.proposed, hotLeads: total };
  } finally {
    await s.drop();
  }
}

const prefix = { postgres: 'pg', pglite: 'pglite' } as const;
for (const dialect of ['postgres', 'pglite'] as const) {
  const r = await measure(dialect);
  console.log(`\n${dialect}: ${r.leads} leads, ${r.hotLeads} hot; now ${JSON.stringify(r.now)}; proposed ${JSON.stringify(r.proposed)}`);
  console.table({ 'scoring preview': r.preview, 'hot leads page (20)': r.hot });
  console.log(`bench runtime.${prefix[dialect]}.scoring_preview_10k_ms ${r.preview.ms}`);
  console.log(`bench runtime.${prefix[dialect]}.scoring_preview_10k_cpu_ms ${r.preview.cpuMs}`);
  console.log(`bench runtime.${prefix[dialect]}.hot_leads_page_ms ${r.hot.ms}`);
}
