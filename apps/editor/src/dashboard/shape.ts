// The dashboard's data shaping, apart from React so it is tested in node: the date range in the
// product line's time zone, the KPI cards, the daily chart's series, the tables' rows, a split's
// verdict and an audit entry's one-line summary.
import { TZDate } from '@date-fns/tz';
import type { AuditEntry, KpiFigures, KpiRow, VariantResult } from './api.ts';

/** The last `days` days up to today in the product line's time zone, as YYYY-MM-DD. */
export function rangeFor(days: number, now: number, timezone: string): { from: string; to: string } {
  const t = new TZDate(now, timezone);
  const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const to = day(t);
  const start = new TZDate(t.getFullYear(), t.getMonth(), t.getDate() - (days - 1), timezone);
  return { from: day(start), to };
}

/** A rate as a percentage with one decimal ("80.0%"), or a dash when there is none. */
export function percent(rate: number | null, locale: string): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rate);
}

/** A signed difference of rates in percentage points ("+33.3 pt"). */
export function points(difference: number | null, locale: string): string {
  if (difference === null || !Number.isFinite(difference)) return '—';
  const n = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(difference * 100);
  return `${n} pt`;
}

/** One KPI card: its label key, the main figure, and the line under it. */
export interface Card {
  id: string;
  label: string;
  value: string;
  /** A translation key and its values for the line below, or null. */
  detail: { key: string; values: Record<string, string | number> } | null;
}

/** The cards across the top, from the totals. */
export function kpiCards(f: KpiFigures, locale: string): Card[] {
  const n = (x: number) => new Intl.NumberFormat(locale).format(x);
  return [
    { id: 'sends', label: 'dashboard.kpi.sends', value: n(f.sends), detail: { key: 'dashboard.kpi.deliveredOf', values: { deliveries: n(f.deliveries), bounces: n(f.bounces) } } },
    { id: 'openRate', label: 'dashboard.kpi.openRate', value: percent(f.openRate, locale), detail: { key: 'dashboard.kpi.opensOf', values: { opens: n(f.opens) } } },
    { id: 'clickRate', label: 'dashboard.kpi.clickRate', value: percent(f.clickRate, locale), detail: { key: 'dashboard.kpi.clicksOf', values: { clicks: n(f.clicks), total: n(f.totalClicks) } } },
    { id: 'unsubscribes', label: 'dashboard.kpi.unsubscribes', value: n(f.unsubscribes), detail: null },
    { id: 'hotLeads', label: 'dashboard.kpi.hotLeads', value: n(f.hotLeads), detail: null },
    {
      id: 'handoffs',
      label: 'dashboard.kpi.handoffs',
      value: n(f.handoffs),
      detail: { key: 'dashboard.kpi.answers', values: { accepted: n(f.handoffsAccepted), returned: n(f.handoffsReturned) } },
    },
    { id: 'goals', label: 'dashboard.kpi.goals', value: n(f.goals), detail: null },
    { id: 'leads', label: 'dashboard.kpi.leads', value: n(f.leads), detail: null },
  ];
}

/** The counts the daily chart draws as lines (sends as bars) and the rates on the right axis. */
export const CHART_COUNTS = ['sends', 'opens', 'clicks', 'hotLeads', 'handoffs', 'goals'] as const;
export const CHART_RATES = ['openRate', 'clickRate'] as const;

/** The daily chart's data: days on the x axis, one series per count, rates in percent (null where nothing was delivered). */
export interface ChartData {
  days: string[];
  counts: { id: (typeof CHART_COUNTS)[number]; values: number[] }[];
  rates: { id: (typeof CHART_RATES)[number]; values: (number | null)[] }[];
}

/** Day rows (any order, gaps allowed) into series over every day of the range. */
export function chartData(rows: readonly KpiRow[], from: string, to: string): ChartData {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const byDay = new Map(rows.filter((r) => r.day !== undefined).map((r) => [r.day!, r]));
  return {
    days,
    counts: CHART_COUNTS.map((id) => ({ id, values: days.map((d) => byDay.get(d)?.[id] ?? 0) })),
    rates: CHART_RATES.map((id) => ({
      id,
      values: days.map((d) => {
        const r = byDay.get(d)?.[id];
        return r === null || r === undefined ? null : Math.round(r * 1000) / 10;
      }),
    })),
  };
}

const COUNTS = ['leads', 'sends', 'unsubscribes', 'hotLeads', 'handoffs', 'handoffsAccepted', 'handoffsReturned', 'goals'] as const;

/** Table rows in reading order (rows with nothing counted left out): by scenario name, then version or node; the product line's own row (no scenario) last. */
export function tableRows(rows: readonly KpiRow[], scenarioNames: ReadonlyMap<string, string>): (KpiRow & { scenarioName: string | null })[] {
  const named = rows.map((r) => ({ ...r, scenarioName: r.scenarioId ? (scenarioNames.get(r.scenarioId) ?? r.scenarioId) : null }));
  const key = (r: (typeof named)[number]) => [r.scenarioName === null ? 1 : 0, r.scenarioName ?? '', r.version ?? 0, r.nodeId === null || r.nodeId === undefined ? '\uffff' : r.nodeId] as const;
  return named
    .filter((r) => COUNTS.some((k) => r[k] > 0))
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return 0;
    });
}

/** What a variant's verdict says, as a translation key and its values ("B wins at 95%"). */
export function verdictText(v: VariantResult, control: string): { key: string; values: Record<string, string> } {
  if (v.control || v.verdict === null) return { key: 'dashboard.ab.control', values: {} };
  const level = `${Math.round(v.verdict.level * 1000) / 10}%`;
  switch (v.verdict.kind) {
    case 'wins':
      return { key: 'dashboard.ab.wins', values: { variant: v.variant, level } };
    case 'loses':
      return { key: 'dashboard.ab.wins', values: { variant: control, level } };
    case 'inconclusive':
      return { key: 'dashboard.ab.inconclusive', values: { level } };
    case 'tooFewLeads':
      return { key: 'dashboard.ab.tooFew', values: {} };
  }
}

/** An audit entry in one line: a translation key by action and the values it names. */
export function auditSummary(e: AuditEntry): { key: string; values: Record<string, string | number> } {
  const d = e.details;
  const list = (x: unknown) => (Array.isArray(x) ? x.length : 0);
  switch (e.action) {
    case 'scenario.published':
      return { key: 'dashboard.audit.published', values: { version: Number(d['version'] ?? 0), added: list(d['added']), removed: list(d['removed']), changed: list(d['changed']) } };
    case 'scenario.draftChanged':
      return { key: 'dashboard.audit.draftChanged', values: { saves: Number(d['saves'] ?? 1) } };
    case 'scenario.renamed':
    case 'productLine.renamed':
      return { key: 'dashboard.audit.renamed', values: { from: String(d['from'] ?? ''), to: String(d['to'] ?? '') } };
    case 'productLine.settingsChanged': {
      const changed = Object.keys((d['changes'] as Record<string, unknown> | undefined) ?? {});
      const secrets = Object.keys((d['secrets'] as Record<string, unknown> | undefined) ?? {});
      return { key: 'dashboard.audit.settingsChanged', values: { fields: [...changed, ...secrets].join(', ') } };
    }
    case 'template.changed':
      return { key: 'dashboard.audit.templateChanged', values: { fields: ((d['fields'] as string[] | undefined) ?? []).join(', ') } };
    case 'scenario.archived':
    case 'scenario.paused':
    case 'scenario.resumed':
      return { key: 'dashboard.audit.status', values: { exited: Number(d['exited'] ?? 0) } };
    case 'member.added':
    case 'member.changed':
    case 'member.removed':
      return { key: 'dashboard.audit.member', values: { email: String(d['email'] ?? ''), role: String(d['role'] ?? '') } };
    case 'token.created':
    case 'token.revoked':
      return { key: 'dashboard.audit.token', values: { name: String(d['name'] ?? '') } };
    case 'scoring.changed': {
      const before = d['before'] as { hotThreshold?: unknown } | undefined;
      const after = d['after'] as { hotThreshold?: unknown } | undefined;
      return { key: 'dashboard.audit.scoring', values: { before: String(before?.hotThreshold ?? '—'), after: String(after?.hotThreshold ?? '—') } };
    }
    default:
      return { key: '', values: {} };
  }
}
