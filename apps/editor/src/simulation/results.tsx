// The run's results beside the canvas: KPIs, when leads became hot, who got too much mail, and
// who is still waiting at the horizon (a click on a node brings it into view).
import { useTranslation } from 'react-i18next';
import { useEditorStore } from '../store/context.ts';
import { useSimulation } from './context.ts';
import { HotHistogram } from './hot-histogram.tsx';
import { isRate, KPI_KEYS, kpiValue, scenarioOf, type KpiKey } from './overlay.ts';

/** A KPI's value as the panel writes it: rates as percentages, counts with separators. */
export function formatKpi(key: KpiKey, value: number, lang: string): string {
  return isRate(key) ? `${(value * 100).toFixed(1)}%` : value.toLocaleString(lang);
}

/** The results tab. */
export function ResultsPane() {
  const { t, i18n } = useTranslation();
  const editor = useEditorStore();
  const run = useSimulation((s) => s.a);
  if (run === null) return <p className="muted">{t('simulation.results.none')}</p>;
  const { report } = run;
  const scenario = scenarioOf(report, run.scenarioId);
  const fatigue = report.fatigue;
  const lang = i18n.language;
  return (
    <div className="sim-results" data-testid="sim-results">
      <p className="muted small">
        {t('simulation.results.summary', { label: run.label, leads: report.leads.toLocaleString(lang), days: report.days, seed: report.seed, start: report.start.slice(0, 10) })}
      </p>
      <dl className="sim-kpis" data-testid="sim-kpis">
        {KPI_KEYS.map((k) => (
          <div key={k} data-testid={`sim-kpi-${k}`} data-value={kpiValue(report.kpis, k)}>
            <dt>{t(`simulation.kpis.${k}`)}</dt>
            <dd>{formatKpi(k, kpiValue(report.kpis, k), lang)}</dd>
          </div>
        ))}
      </dl>

      <h3>{t('simulation.results.hot')}</h3>
      <HotHistogram byDay={report.hot.byDay} days={report.days} />

      <h3>{t('simulation.results.fatigue')}</h3>
      <div data-testid="sim-fatigue">
        {Object.entries(fatigue.thresholds).map(([pl, th]) => (
          <p key={pl} className="small">
            {t('simulation.results.threshold', { productLine: pl, perWeek: th.perWeek, source: t(`simulation.results.source.${th.source}`) })}
          </p>
        ))}
        {fatigue.leadsOver === 0 ? (
          <p className="ok small">{t('simulation.results.noFatigue')}</p>
        ) : (
          <>
            <p className="warning-text" data-testid="sim-fatigue-warning">
              ⚠ {t('simulation.results.fatigueWarning', { leads: fatigue.leadsOver.toLocaleString(lang), weeks: fatigue.leadWeeksOver.toLocaleString(lang) })}
            </p>
            <table className="sim-table">
              <thead>
                <tr>
                  <th>{t('simulation.results.lead')}</th>
                  <th>{t('simulation.results.week')}</th>
                  <th>{t('simulation.results.mails')}</th>
                </tr>
              </thead>
              <tbody>
                {fatigue.warnings.slice(0, 20).map((w) => (
                  <tr key={`${w.leadId}:${w.productLine}:${w.week}`}>
                    <td className="mono">{w.leadId}</td>
                    <td>{w.week + 1}</td>
                    <td>{w.messages}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <p className="muted small">{t('simulation.results.held', { deferred: fatigue.capDeferred, skipped: fatigue.capSkipped, quiet: fatigue.quietHoursDeferred })}</p>
      </div>

      <h3>{t('simulation.results.stuck')}</h3>
      {scenario && (
        <div data-testid="sim-stuck">
          <p className="small">{t('simulation.results.stuckSummary', { total: scenario.stuck.total, noDeadline: scenario.stuck.noDeadline, later: scenario.stuck.dueAfterHorizon })}</p>
          <ul className="sim-stuck-list">
            {scenario.stuck.byNode.map((n) => (
              <li key={n.nodeId}>
                <button className="link" onClick={() => editor.getState().focusNode(n.nodeId)}>
                  {n.nodeId}
                </button>{' '}
                {n.count.toLocaleString(lang)} <span className="muted small">({Object.entries(n.reasons).map(([r, c]) => `${r} ${c}`).join(', ')})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
