// The KPI report as CSV for Excel: UTF-8 with a BOM (so Excel in Japan reads Japanese as it is),
// CRLF line ends, one header line in English or Japanese, cells that would run as a formula escaped,
// rates as fractions with four decimals, the totals as the last line.
import { stringify } from 'csv-stringify/sync';
import type { KpiFigures, KpiReport, KpiRow } from './kpis.ts';

type Lang = 'en' | 'ja';

const KEY_COLUMNS: Record<KpiReport['groupBy'], readonly (keyof KpiRow)[]> = {
  day: ['day'],
  scenario: ['scenarioId'],
  version: ['scenarioId', 'version'],
  node: ['scenarioId', 'nodeId'],
  variant: ['scenarioId', 'splitNodeId', 'variant'],
};

const FIGURES: readonly (keyof KpiFigures)[] = [
  'leads',
  'sends',
  'deliveries',
  'bounces',
  'opens',
  'openRate',
  'clicks',
  'clickRate',
  'totalClicks',
  'unsubscribes',
  'hotLeads',
  'handoffs',
  'handoffsAccepted',
  'handoffsReturned',
  'goals',
];

const HEADERS: Record<Lang, Record<string, string>> = {
  en: {
    day: 'day', scenarioId: 'scenario', version: 'version', nodeId: 'node', splitNodeId: 'split', variant: 'variant',
    leads: 'leads', sends: 'sends', deliveries: 'deliveries', bounces: 'bounces', opens: 'unique_opens', openRate: 'open_rate',
    clicks: 'unique_clicks', clickRate: 'click_rate', totalClicks: 'total_clicks', unsubscribes: 'unsubscribes', hotLeads: 'hot_leads',
    handoffs: 'handoffs', handoffsAccepted: 'handoffs_accepted', handoffsReturned: 'handoffs_returned', goals: 'goals',
  },
  ja: {
    day: '日付', scenarioId: 'シナリオ', version: 'バージョン', nodeId: 'ノード', splitNodeId: '分岐', variant: 'パターン',
    leads: 'リード数', sends: '送信数', deliveries: '配信数', bounces: 'バウンス数', opens: '開封数', openRate: '開封率',
    clicks: 'クリック数', clickRate: 'クリック率', totalClicks: '総クリック数', unsubscribes: '配信停止数', hotLeads: 'ホットリード数',
    handoffs: '営業引き継ぎ数', handoffsAccepted: '引き継ぎ受諾数', handoffsReturned: '引き継ぎ差し戻し数', goals: 'ゴール到達数',
  },
};

function cell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toFixed(4));
  return String(value);
}

/** The report as a CSV document (rows, then a totals line). */
export function kpiCsv(report: KpiReport, lang: Lang = 'en'): string {
  const keys = KEY_COLUMNS[report.groupBy];
  const h = HEADERS[lang];
  const header = [...keys, ...FIGURES].map((k) => h[k] ?? k);
  const rows = report.rows.map((r) => [...keys.map((k) => cell(r[k])), ...FIGURES.map((f) => cell(r[f]))]);
  const totals = [...keys.map((_, i) => (i === 0 ? (lang === 'ja' ? '合計' : 'total') : '')), ...FIGURES.map((f) => cell(report.totals[f]))];
  return stringify([...rows, totals], { header: true, columns: header, bom: true, record_delimiter: 'windows', escape_formulas: true });
}
