import { describe, expect, it } from 'vitest';
import type { KpiFigures, KpiRow, VariantResult } from './api.ts';
import { chartOption } from './chart-option.ts';
import { auditSummary, chartData, kpiCards, percent, points, rangeFor, tableRows, verdictText } from './shape.ts';

const zero: KpiFigures = {
  leads: 0, sends: 0, deliveries: 0, bounces: 0, opens: 0, openRate: null, clicks: 0, clickRate: null, totalClicks: 0,
  unsubscribes: 0, hotLeads: 0, handoffs: 0, handoffsAccepted: 0, handoffsReturned: 0, goals: 0,
};

describe('the dashboard’s range', () => {
  it('is the last N days up to today in the product line’s time zone', () => {
    // 2026-04-06 23:30 UTC is already the 7th in Tokyo, still the 6th in New York.
    const now = Date.parse('2026-04-06T23:30:00Z');
    expect(rangeFor(7, now, 'Asia/Tokyo')).toEqual({ from: '2026-04-01', to: '2026-04-07' });
    expect(rangeFor(7, now, 'America/New_York')).toEqual({ from: '2026-03-31', to: '2026-04-06' });
    expect(rangeFor(30, Date.parse('2026-03-01T03:00:00Z'), 'Asia/Tokyo')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(rangeFor(1, now, 'Asia/Tokyo')).toEqual({ from: '2026-04-07', to: '2026-04-07' });
  });
});

describe('numbers as a marketer reads them', () => {
  it('rates in percent with one decimal, a dash when nothing was delivered; differences in points with their sign', () => {
    expect(percent(0.8, 'en')).toBe('80.0%');
    expect(percent(2 / 3, 'ja')).toBe('66.7%');
    expect(percent(null, 'en')).toBe('—');
    expect(points(1 / 3, 'en')).toBe('+33.3 pt');
    expect(points(-0.05, 'en')).toBe('-5.0 pt');
    expect(points(0, 'en')).toBe('0.0 pt');
    expect(points(null, 'en')).toBe('—');
  });

  it('cards: sends with delivered and bounced, rates with their counts, hand-offs with their answers', () => {
    const cards = kpiCards({ ...zero, sends: 1200, deliveries: 1180, bounces: 20, opens: 472, openRate: 0.4, clicks: 59, clickRate: 0.05, totalClicks: 80, handoffs: 3, handoffsAccepted: 2, handoffsReturned: 1 }, 'en');
    expect(cards.map((c) => [c.id, c.value])).toEqual([
      ['sends', '1,200'],
      ['openRate', '40.0%'],
      ['clickRate', '5.0%'],
      ['unsubscribes', '0'],
      ['hotLeads', '0'],
      ['handoffs', '3'],
      ['goals', '0'],
      ['leads', '0'],
    ]);
    expect(cards[0]!.detail).toEqual({ key: 'dashboard.kpi.deliveredOf', values: { deliveries: '1,180', bounces: '20' } });
    expect(cards[5]!.detail).toEqual({ key: 'dashboard.kpi.answers', values: { accepted: '2', returned: '1' } });
  });
});

describe('the daily chart', () => {
  const rows: KpiRow[] = [
    { day: '2026-04-08', ...zero, goals: 2 },
    { day: '2026-04-06', ...zero, sends: 6, deliveries: 5, opens: 4, openRate: 0.8, clicks: 3, clickRate: 0.6 },
  ];

  it('has every day of the range, in order, with zeros for days without rows and no rate where nothing was delivered', () => {
    const d = chartData(rows, '2026-04-06', '2026-04-09');
    expect(d.days).toEqual(['2026-04-06', '2026-04-07', '2026-04-08', '2026-04-09']);
    expect(d.counts.find((s) => s.id === 'sends')!.values).toEqual([6, 0, 0, 0]);
    expect(d.counts.find((s) => s.id === 'goals')!.values).toEqual([0, 0, 2, 0]);
    expect(d.rates.find((s) => s.id === 'openRate')!.values).toEqual([80, null, null, null]);
    expect(d.rates.find((s) => s.id === 'clickRate')!.values).toEqual([60, null, null, null]);
  });

  it('draws sends as bars, the other counts as lines, the rates on the percent axis, days as MM-DD', () => {
    const option = chartOption(chartData(rows, '2026-04-06', '2026-04-07'), (id) => `L:${id}`, '%') as { xAxis: { data: string[] }; series: { id: string; name: string; type: string; yAxisIndex: number; data: unknown[] }[] };
    expect(option.xAxis.data).toEqual(['04-06', '04-07']);
    expect(option.series.map((s) => [s.id, s.type, s.yAxisIndex])).toEqual([
      ['sends', 'bar', 0],
      ['opens', 'line', 0],
      ['clicks', 'line', 0],
      ['hotLeads', 'line', 0],
      ['handoffs', 'line', 0],
      ['goals', 'line', 0],
      ['openRate', 'line', 1],
      ['clickRate', 'line', 1],
    ]);
    expect(option.series[0]!.name).toBe('L:sends');
    expect(option.series[0]!.data).toEqual([6, 0]);
  });
});

describe('the breakdown table', () => {
  it('names scenarios, sorts by name then version or node, leaves out empty rows and puts the product line’s own row last', () => {
    const names = new Map([
      ['s-b', 'Beta'],
      ['s-a', 'Alpha'],
    ]);
    const rows: KpiRow[] = [
      { scenarioId: null, nodeId: null, ...zero, unsubscribes: 1 },
      { scenarioId: 's-b', nodeId: 'm1', ...zero, sends: 1 },
      { scenarioId: 's-a', nodeId: null, ...zero, leads: 4 },
      { scenarioId: 's-a', nodeId: 'm2', ...zero, sends: 2 },
      { scenarioId: 's-a', nodeId: 'm1', ...zero, sends: 3 },
      { scenarioId: 's-a', nodeId: 'x', ...zero },
      { scenarioId: 'gone', nodeId: 'm1', ...zero, goals: 1 },
    ];
    expect(tableRows(rows, names).map((r) => [r.scenarioName, r.nodeId])).toEqual([
      ['Alpha', 'm1'],
      ['Alpha', 'm2'],
      ['Alpha', null],
      ['Beta', 'm1'],
      ['gone', 'm1'],
      [null, null],
    ]);
  });
});

describe('what a split’s verdict says', () => {
  const variant = (v: Partial<VariantResult>): VariantResult => ({
    variant: 'B', label: '', holdout: false, share: 0.5, control: false, leads: 1000, conversions: 250, rate: 0.25, difference: 0.05, z: 2.68, pValue: 0.0074, confidence: 0.9926,
    verdict: { kind: 'wins', level: 0.95 }, ...v,
  });

  it('"B wins at 95%", the control winning when B loses, or why there is no winner yet', () => {
    expect(verdictText(variant({}), 'A')).toEqual({ key: 'dashboard.ab.wins', values: { variant: 'B', level: '95%' } });
    expect(verdictText(variant({ verdict: { kind: 'loses', level: 0.99 } }), 'A')).toEqual({ key: 'dashboard.ab.wins', values: { variant: 'A', level: '99%' } });
    expect(verdictText(variant({ verdict: { kind: 'inconclusive', level: 0.9 } }), 'A')).toEqual({ key: 'dashboard.ab.inconclusive', values: { level: '90%' } });
    expect(verdictText(variant({ verdict: { kind: 'tooFewLeads', level: 0.95 } }), 'A').key).toBe('dashboard.ab.tooFew');
    expect(verdictText(variant({ variant: 'A', control: true, verdict: null }), 'A').key).toBe('dashboard.ab.control');
  });
});

describe('an audit entry in one line', () => {
  const entry = (action: string, details: Record<string, unknown>) => ({ id: 1, actor: 'a@example.jp', action, objectKind: 'scenario', objectId: 's', at: '2026-04-06T00:00:00Z', details });

  it('a publish counts the nodes added, removed and changed; other changes name what changed', () => {
    expect(auditSummary(entry('scenario.published', { version: 2, added: ['w2'], removed: ['w'], changed: ['m1', 't'] }))).toEqual({ key: 'dashboard.audit.published', values: { version: 2, added: 1, removed: 1, changed: 2 } });
    expect(auditSummary(entry('scenario.draftChanged', { saves: 12 }))).toEqual({ key: 'dashboard.audit.draftChanged', values: { saves: 12 } });
    expect(auditSummary(entry('scenario.renamed', { from: '旧', to: '新' }))).toEqual({ key: 'dashboard.audit.renamed', values: { from: '旧', to: '新' } });
    expect(auditSummary(entry('productLine.settingsChanged', { changes: { salesEmail: {} }, secrets: { webhookSecret: 'set' } }))).toEqual({ key: 'dashboard.audit.settingsChanged', values: { fields: 'salesEmail, webhookSecret' } });
    expect(auditSummary(entry('template.changed', { fields: ['subject', 'html'] }))).toEqual({ key: 'dashboard.audit.templateChanged', values: { fields: 'subject, html' } });
    expect(auditSummary(entry('scenario.archived', { exited: 3 }))).toEqual({ key: 'dashboard.audit.status', values: { exited: 3 } });
    expect(auditSummary(entry('member.added', { email: 'hanako@example.jp', role: 'analyst' }))).toEqual({ key: 'dashboard.audit.member', values: { email: 'hanako@example.jp', role: 'analyst' } });
    expect(auditSummary(entry('scoring.changed', { before: { hotThreshold: 60 }, after: { hotThreshold: 70 } }))).toEqual({ key: 'dashboard.audit.scoring', values: { before: '60', after: '70' } });
    expect(auditSummary(entry('user.created', {})).key).toBe('');
  });
});
