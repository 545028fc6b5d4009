// KPIs of a product line — optionally of one scenario and version — over a range of days in the
// product line's time zone, by day, scenario, version, node or split variant, with the totals.
import type { DB } from '@nurtureflow/db';
import { TZDate } from '@date-fns/tz';
import { sql, type Kysely } from 'kysely';
import { FACT_METRICS, factsCtes, type FactMetric, type FactScope, type KpiGroupBy } from './facts.ts';

/** The figures of one row (or of the totals). Rates are fractions, null when nothing was delivered. */
export type KpiFigures = Record<FactMetric, number> & { openRate: number | null; clickRate: number | null };

/** One row: its group's keys, then the figures. */
export interface KpiRow extends KpiFigures {
  day?: string;
  scenarioId?: string | null;
  version?: number | null;
  nodeId?: string | null;
  splitNodeId?: string;
  variant?: string;
}

/** A KPI report. */
export interface KpiReport {
  productLine: string;
  timezone: string;
  from: string;
  to: string;
  groupBy: KpiGroupBy;
  scenarioId: string | null;
  version: number | null;
  rows: KpiRow[];
  totals: KpiFigures;
}

/** What to report. */
export interface KpiRequest {
  productLine: string;
  timezone: string;
  /** Days (YYYY-MM-DD) in the product line's time zone, both counted. */
  from: string;
  to: string;
  groupBy: KpiGroupBy;
  scenarioId?: string | undefined;
  version?: number | undefined;
}

/** The instant a calendar day starts in a time zone. */
export function dayStart(day: string, timezone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, timezone).getTime());
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayOf(at: number, timezone: string): string {
  const t = new TZDate(at, timezone);
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Figures with every count at 0. */
export function zeroFigures(): KpiFigures {
  return { ...(Object.fromEntries(FACT_METRICS.map((m) => [m, 0])) as Record<FactMetric, number>), openRate: null, clickRate: null };
}

/** Fills in the rates from the counts. */
export function withRates(f: KpiFigures): KpiFigures {
  f.openRate = f.deliveries > 0 ? f.opens / f.deliveries : null;
  f.clickRate = f.deliveries > 0 ? f.clicks / f.deliveries : null;
  return f;
}

/** A grouping: the columns it adds (their SQL over the facts `f`, and their names), and what it joins. */
type Dims = { columns: [expr: ReturnType<typeof sql>, name: string][]; join?: ReturnType<typeof sql>; where?: ReturnType<typeof sql> };

function dims(groupBy: KpiGroupBy | 'none', timezone: string): Dims {
  switch (groupBy) {
    case 'none':
      return { columns: [] };
    case 'day':
      return { columns: [[sql`to_char(f.at at time zone ${timezone}, 'YYYY-MM-DD')`, 'day']] };
    case 'scenario':
      return { columns: [[sql`f.scenario_id`, 'scenario_id']] };
    case 'version':
      return { columns: [[sql`f.scenario_id`, 'scenario_id'], [sql`en.version`, 'version']] };
    case 'node':
      return { columns: [[sql`f.scenario_id`, 'scenario_id'], [sql`f.node_id`, 'node_id']] };
    case 'variant':
      return {
        columns: [[sql`f.scenario_id`, 'scenario_id'], [sql`sp.split_node`, 'split_node'], [sql`sp.variant`, 'variant']],
        // A fact counts for the variant its enrollment took before it; a lead counts at its own split.
        // The enrollment's split rows are looked up per fact through the history's primary key (lead,
        // enrollment first): a join of the facts with the splits as a whole was planned as a nested
        // loop over both and took minutes.
        join: sql`cross join lateral (
            select h.node_id as split_node, h.output as variant, min(h.at) as at
            from enrollment_history h
            where h.lead_id = f.lead_id and h.enrollment_id = f.enrollment_id and h.reason->>'code' = 'split' and h.output is not null
            group by h.node_id, h.output
          ) sp`,
        where: sql`and f.at >= sp.at and (f.metric <> 'leads' or f.node_id = sp.split_node)`,
      };
  }
}

type FactRow = Record<string, unknown> & { metric: 'mail' | Exclude<FactMetric, 'sends' | 'deliveries' | 'bounces' | 'opens' | 'clicks' | 'totalClicks'>; subjects: number; n: number; bounced: number; opened: number; clicked: number };

/**
 * Counts the facts per group: first one row per group, metric and subject (what makes a fact
 * distinct — a message, a lead, a hand-off), by hashing, then those rows per group and metric. A
 * `count(distinct)` instead sorted every fact, on disk once a month of mail passed the sort memory.
 */
async function countFacts(db: Kysely<DB>, scope: FactScope, groupBy: KpiGroupBy | 'none'): Promise<FactRow[]> {
  const d = dims(groupBy, scope.timezone);
  const inner = d.columns.map(([expr, name]) => sql`${expr} as ${sql.ref(name)}, `);
  const innerGroup = d.columns.map((_, i) => sql.raw(`${i + 1}, `));
  const outer = d.columns.map(([, name]) => sql`x.${sql.ref(name)}, `);
  const { rows } = await sql<FactRow>`
    with ${factsCtes(scope, groupBy === 'variant')}
    select ${sql.join(outer, sql``)} x.metric, count(*) as subjects, sum(x.n) as n, sum(x.bounced) as bounced, sum(x.opened) as opened, sum(x.clicked) as clicked
    from (
      select ${sql.join(inner, sql``)} f.metric, f.subject, max(f.n) as n, max(f.bounced) as bounced, max(f.opened) as opened, max(f.clicked) as clicked
      from facts f
      ${groupBy === 'version' || scope.version !== undefined ? sql`left join enrollments en on en.lead_id = f.lead_id and en.id = f.enrollment_id` : sql``}
      ${d.join ?? sql``}
      where f.at >= ${scope.lo} and f.at < ${scope.hi}
        ${scope.version !== undefined ? sql`and en.version = ${scope.version}` : sql``}
        ${d.where ?? sql``}
      group by ${sql.join(innerGroup, sql``)} f.metric, f.subject
    ) x
    group by ${sql.join(outer, sql``)} x.metric`.execute(db);
  return rows;
}

function add(f: KpiFigures, r: FactRow): void {
  if (r.metric !== 'mail') {
    f[r.metric] = Number(r.subjects);
    return;
  }
  f.sends = Number(r.subjects);
  f.bounces = Number(r.bounced);
  f.deliveries = f.sends - f.bounces;
  f.opens = Number(r.opened);
  f.clicks = Number(r.clicked);
  f.totalClicks = Number(r.n);
}

/** The report: rows by the grouping, and the totals over the whole range. */
export async function kpiReport(db: Kysely<DB>, q: KpiRequest): Promise<KpiReport> {
  const scope: FactScope = {
    productLine: q.productLine,
    timezone: q.timezone,
    lo: dayStart(q.from, q.timezone),
    hi: dayStart(nextDay(q.to), q.timezone),
    scenarioId: q.scenarioId,
    version: q.version,
  };
  const [grouped, total] = await Promise.all([countFacts(db, scope, q.groupBy), countFacts(db, scope, 'none')]);
  const totals = zeroFigures();
  for (const r of total) add(totals, r);
  withRates(totals);

  const byKey = new Map<string, KpiRow>();
  const keyOf = (r: FactRow): KpiRow => {
    switch (q.groupBy) {
      case 'day':
        return { day: String(r['day']) } as KpiRow;
      case 'scenario':
        return { scenarioId: (r['scenario_id'] as string | null) ?? null } as KpiRow;
      case 'version':
        return { scenarioId: (r['scenario_id'] as string | null) ?? null, version: r['version'] === null || r['version'] === undefined ? null : Number(r['version']) } as KpiRow;
      case 'node':
        return { scenarioId: (r['scenario_id'] as string | null) ?? null, nodeId: (r['node_id'] as string | null) ?? null } as KpiRow;
      case 'variant':
        return { scenarioId: r['scenario_id'] as string, splitNodeId: r['split_node'] as string, variant: r['variant'] as string } as KpiRow;
    }
  };
  if (q.groupBy === 'day') for (const day of daysBetween(q.from, q.to)) byKey.set(JSON.stringify({ day }), { day, ...zeroFigures() });
  for (const r of grouped) {
    const key = keyOf(r);
    const id = JSON.stringify(key);
    let row = byKey.get(id);
    if (!row) byKey.set(id, (row = { ...key, ...zeroFigures() }));
    add(row, r);
  }
  const rows = [...byKey.values()].map((r) => withRates(r) as KpiRow);
  rows.sort(compareRows);
  return {
    productLine: q.productLine,
    timezone: q.timezone,
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    scenarioId: q.scenarioId ?? null,
    version: q.version ?? null,
    rows,
    totals,
  };
}

/** The day `n` days after a day (YYYY-MM-DD); before it for a negative `n`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The day after a day. */
export function nextDay(day: string): string {
  return addDays(day, 1);
}

function compareRows(a: KpiRow, b: KpiRow): number {
  const keys = ['day', 'scenarioId', 'version', 'splitNodeId', 'nodeId', 'variant'] as const;
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    // The product line's own row (no scenario, no node) last.
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
