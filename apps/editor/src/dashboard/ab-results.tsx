// A/B results of the chosen scenario's splits: per variant the leads, conversions by the chosen
// metric, rate, difference from the control and confidence, and the verdict in words.
import { useTranslation } from 'react-i18next';
import { useAsync } from '../use-async.ts';
import { dashboardApi, type KpiFilter, type SplitMetric } from './api.ts';
import { percent, points, verdictText } from './shape.ts';

const METRICS: readonly SplitMetric[] = ['click', 'open', 'goal', 'hot'];

/** The split results panel; `metric` is the marketer's choice of what counts as converting. */
export function AbResults({ scenarioId, filter, metric, onMetric }: { scenarioId: string; filter: KpiFilter; metric: SplitMetric; onMetric(m: SplitMetric): void }) {
  const { t, i18n } = useTranslation();
  const report = useAsync(() => dashboardApi.splits(scenarioId, metric, filter), [scenarioId, metric, filter.from, filter.to, filter.version]);
  const n = (x: number) => new Intl.NumberFormat(i18n.language).format(x);
  return (
    <div className="ab-results" data-testid="ab-results">
      <label className="row">
        {t('dashboard.ab.metric')}
        <select data-testid="ab-metric" value={metric} onChange={(e) => onMetric(e.target.value as SplitMetric)}>
          {METRICS.map((m) => (
            <option key={m} value={m}>
              {t(`dashboard.ab.metrics.${m}`)}
            </option>
          ))}
        </select>
      </label>
      {report.error && <p className="error">{t('app.error', { message: report.error.message })}</p>}
      {report.data && report.data.splits.length === 0 && <p className="empty">{t('dashboard.ab.none')}</p>}
      {report.data?.splits.map((s) => (
        <div key={s.nodeId} className="ab-split" data-testid={`ab-split-${s.nodeId}`}>
          <h3>
            {t('dashboard.ab.split', { node: s.nodeId })}
            {s.winner !== null && (
              <span className="ab-winner" data-testid="ab-winner">
                {t('dashboard.ab.wins', { variant: s.winner, level: `${Math.round(report.data!.level * 100)}%` })}
              </span>
            )}
          </h3>
          <table className="table">
            <thead>
              <tr>
                <th>{t('dashboard.ab.variant')}</th>
                <th className="num">{t('dashboard.ab.leads')}</th>
                <th className="num">{t('dashboard.ab.conversions')}</th>
                <th className="num">{t('dashboard.ab.rate')}</th>
                <th className="num">{t('dashboard.ab.difference')}</th>
                <th className="num">{t('dashboard.ab.confidence')}</th>
                <th>{t('dashboard.ab.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {s.variants.map((v) => {
                const verdict = verdictText(v, s.control);
                return (
                  <tr key={v.variant} data-testid={`ab-variant-${v.variant}`}>
                    <td>
                      <strong>{v.variant}</strong> {v.label && <span className="muted">{v.label}</span>} {v.holdout && <span className="status">{t('dashboard.ab.holdout')}</span>}
                      {v.control && <span className="status status-draft">{t('dashboard.ab.controlTag')}</span>}
                    </td>
                    <td className="num">{n(v.leads)}</td>
                    <td className="num">{n(v.conversions)}</td>
                    <td className="num">{percent(v.rate, i18n.language)}</td>
                    <td className="num">{v.control ? '—' : points(v.difference, i18n.language)}</td>
                    <td className="num">{v.confidence === null ? '—' : percent(v.confidence, i18n.language)}</td>
                    <td data-testid="ab-verdict">{t(verdict.key, verdict.values)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
