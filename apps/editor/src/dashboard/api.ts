// The runtime's KPI, A/B and audit routes as the dashboard reads them.
import { call } from '../api/client.ts';

export type GroupBy = 'day' | 'scenario' | 'version' | 'node' | 'variant';
export type SplitMetric = 'open' | 'click' | 'goal' | 'hot';

/** The figures of a row or of the totals; rates are fractions, null when nothing was delivered. */
export interface KpiFigures {
  leads: number;
  sends: number;
  deliveries: number;
  bounces: number;
  opens: number;
  openRate: number | null;
  clicks: number;
  clickRate: number | null;
  totalClicks: number;
  unsubscribes: number;
  hotLeads: number;
  handoffs: number;
  handoffsAccepted: number;
  handoffsReturned: number;
  goals: number;
}

export interface KpiRow extends KpiFigures {
  day?: string;
  scenarioId?: string | null;
  version?: number | null;
  nodeId?: string | null;
  splitNodeId?: string;
  variant?: string;
}

export interface KpiReport {
  productLine: string;
  timezone: string;
  from: string;
  to: string;
  groupBy: GroupBy;
  rows: KpiRow[];
  totals: KpiFigures;
}

export interface Verdict {
  kind: 'wins' | 'loses' | 'inconclusive' | 'tooFewLeads';
  level: number;
}

export interface VariantResult {
  variant: string;
  label: string;
  holdout: boolean;
  share: number | null;
  control: boolean;
  leads: number;
  conversions: number;
  rate: number | null;
  difference: number | null;
  z: number | null;
  pValue: number | null;
  confidence: number | null;
  verdict: Verdict | null;
}

export interface SplitResult {
  nodeId: string;
  control: string;
  winner: string | null;
  variants: VariantResult[];
}

export interface SplitsReport {
  scenarioId: string;
  metric: SplitMetric;
  level: number;
  splits: SplitResult[];
}

export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  objectKind: string;
  objectId: string;
  at: string;
  details: Record<string, unknown>;
}

/** What the dashboard looks at. */
export interface KpiFilter {
  from: string;
  to: string;
  scenarioId?: string | undefined;
  version?: number | undefined;
}

/** The query string of a KPI request. */
export function kpiQuery(filter: KpiFilter, groupBy: GroupBy, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ from: filter.from, to: filter.to, groupBy });
  if (filter.scenarioId !== undefined) q.set('scenarioId', filter.scenarioId);
  if (filter.version !== undefined) q.set('version', String(filter.version));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

const pl = (productLine: string) => `/product-lines/${encodeURIComponent(productLine)}`;

/** The dashboard's calls. */
export const dashboardApi = {
  kpis: (productLine: string, filter: KpiFilter, groupBy: GroupBy) => call<KpiReport>('GET', `${pl(productLine)}/kpis?${kpiQuery(filter, groupBy)}`),
  /** The CSV's URL, for a plain download link (the browser sends the session cookie). */
  csvUrl: (productLine: string, filter: KpiFilter, groupBy: GroupBy, lang: 'ja' | 'en') => `/api/v1${pl(productLine)}/kpis.csv?${kpiQuery(filter, groupBy, { lang })}`,
  splits: (scenarioId: string, metric: SplitMetric, filter: KpiFilter) => {
    const q = new URLSearchParams({ metric, from: filter.from, to: filter.to });
    if (filter.version !== undefined) q.set('version', String(filter.version));
    return call<SplitsReport>('GET', `/scenarios/${encodeURIComponent(scenarioId)}/splits?${q.toString()}`);
  },
  audit: (productLine: string, options: { action?: string | undefined; cursor?: string | undefined; limit?: number }) => {
    const q = new URLSearchParams({ limit: String(options.limit ?? 20) });
    if (options.action) q.set('action', options.action);
    if (options.cursor) q.set('cursor', options.cursor);
    return call<{ items: AuditEntry[]; next: string | null }>('GET', `${pl(productLine)}/audit?${q.toString()}`);
  },
};
