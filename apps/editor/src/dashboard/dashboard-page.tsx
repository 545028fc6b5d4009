// The KPI dashboard of one product line: the range and the scenario (and version) to look at, the
// KPI cards, the daily chart, a table by scenario, version or node, the A/B results of the chosen
// scenario's splits, the CSV download and the audit log.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { ProductLinePages } from '../nav/product-line-pages.tsx';
import { ProductLineSwitcher } from '../nav/product-line-switcher.tsx';
import { useAsync } from '../use-async.ts';
import { AbResults } from './ab-results.tsx';
import { dashboardApi, type KpiFilter, type SplitMetric } from './api.ts';
import { AuditList } from './audit-list.tsx';
import { DailyChart } from './daily-chart.tsx';
import { KpiTable, type TableMode } from './kpi-table.tsx';
import { chartData, kpiCards, rangeFor } from './shape.ts';
import './dashboard.css';

const RANGES = [7, 30, 90] as const;

/** The dashboard screen. */
export function DashboardPage({ productLine }: { productLine: string }) {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const [scenarioId, setScenarioId] = useState('');
  const [version, setVersion] = useState('');
  const [mode, setMode] = useState<TableMode>('scenario');
  const [metric, setMetric] = useState<SplitMetric>('click');

  const lines = useAsync(() => api.productLines(), []);
  const timezone = lines.data?.find((p) => p.id === productLine)?.settings.timezone ?? 'Asia/Tokyo';
  const scenarios = useAsync(() => api.scenarios(productLine), [productLine]);
  const versions = useAsync(() => (scenarioId ? api.versions(scenarioId) : Promise.resolve([])), [scenarioId]);
  const names = useMemo(() => new Map((scenarios.data ?? []).map((s) => [s.id, s.name])), [scenarios.data]);

  // The range is fixed when the screen opens or the choice changes, in the product line's days.
  const range = useMemo(() => rangeFor(days, Date.now(), timezone), [days, timezone]);
  const filter: KpiFilter = { ...range, scenarioId: scenarioId || undefined, version: version ? Number(version) : undefined };
  const deps = [productLine, filter.from, filter.to, filter.scenarioId, filter.version];
  const daily = useAsync(() => dashboardApi.kpis(productLine, filter, 'day'), deps);
  const table = useAsync(() => dashboardApi.kpis(productLine, filter, mode), [...deps, mode]);
  const chart = useMemo(() => (daily.data ? chartData(daily.data.rows, daily.data.from, daily.data.to) : null), [daily.data]);
  const lang = i18n.language === 'en' ? 'en' : 'ja';

  return (
    <section className="dashboard-page">
      <div className="list-toolbar">
        <ProductLineSwitcher value={productLine} screen="dashboard" />
        <h1>{t('dashboard.title')}</h1>
        <ProductLinePages productLine={productLine} current="dashboard" />
      </div>
      <div className="dashboard-filters row">
        <label className="row">
          {t('dashboard.range')}
          <select data-testid="dashboard-range" value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof RANGES)[number])}>
            {RANGES.map((d) => (
              <option key={d} value={d}>
                {t('dashboard.lastDays', { count: d })}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          {t('dashboard.scenario')}
          <select
            data-testid="dashboard-scenario"
            value={scenarioId}
            onChange={(e) => {
              setScenarioId(e.target.value);
              setVersion('');
            }}
          >
            <option value="">{t('dashboard.allScenarios')}</option>
            {(scenarios.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {scenarioId && (
          <label className="row">
            {t('dashboard.version')}
            <select data-testid="dashboard-version" value={version} onChange={(e) => setVersion(e.target.value)}>
              <option value="">{t('dashboard.allVersions')}</option>
              {(versions.data ?? []).map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="muted small">{t('dashboard.period', { from: range.from, to: range.to, timezone })}</span>
        <div className="spacer" />
        <a className="button-link" data-testid="kpi-csv" href={dashboardApi.csvUrl(productLine, filter, mode, lang)} download>
          {t('dashboard.csv')}
        </a>
      </div>

      {daily.error && <p className="error">{t('app.error', { message: daily.error.message })}</p>}
      {daily.data && (
        <div className="kpi-cards" data-testid="kpi-cards">
          {kpiCards(daily.data.totals, i18n.language).map((c) => (
            <div key={c.id} className="kpi-card" data-testid={`kpi-${c.id}`}>
              <div className="kpi-label">{t(c.label)}</div>
              <div className="kpi-value">{c.value}</div>
              {c.detail && <div className="kpi-detail muted small">{t(c.detail.key, c.detail.values)}</div>}
            </div>
          ))}
        </div>
      )}

      <h2>{t('dashboard.chartTitle')}</h2>
      {chart ? <DailyChart data={chart} /> : <div className="kpi-chart loading">{t('app.loading')}</div>}

      <div className="row dashboard-section-head">
        <h2>{t('dashboard.table.title')}</h2>
        <div className="segmented" role="tablist">
          {(['scenario', 'version', 'node'] as const).map((m) => (
            <button key={m} type="button" role="tab" data-testid={`table-${m}`} aria-selected={mode === m} className={mode === m ? 'on' : undefined} onClick={() => setMode(m)}>
              {t(`dashboard.table.by.${m}`)}
            </button>
          ))}
        </div>
      </div>
      {table.error && <p className="error">{t('app.error', { message: table.error.message })}</p>}
      {table.data && table.data.groupBy === mode && <KpiTable rows={table.data.rows} mode={mode} scenarioNames={names} />}

      <h2>{t('dashboard.ab.title')}</h2>
      {scenarioId ? (
        <AbResults scenarioId={scenarioId} filter={filter} metric={metric} onMetric={setMetric} />
      ) : (
        <p className="muted">{t('dashboard.ab.chooseScenario')}</p>
      )}

      <h2>{t('dashboard.audit.title')}</h2>
      <AuditList productLine={productLine} />
    </section>
  );
}
