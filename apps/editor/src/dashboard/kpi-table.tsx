// The KPI table: one row per scenario, version or node (the product line's own facts — leads not in
// any scenario's mail — last), the same figures as the cards.
import { useTranslation } from 'react-i18next';
import type { KpiRow } from './api.ts';
import { percent, tableRows } from './shape.ts';

export type TableMode = 'scenario' | 'version' | 'node';

/** The rows of a report grouped by scenario, version or node. */
export function KpiTable({ rows, mode, scenarioNames }: { rows: readonly KpiRow[]; mode: TableMode; scenarioNames: ReadonlyMap<string, string> }) {
  const { t, i18n } = useTranslation();
  const lines = tableRows(rows, scenarioNames);
  const n = (x: number) => new Intl.NumberFormat(i18n.language).format(x);
  if (lines.length === 0) return <p className="empty">{t('dashboard.table.empty')}</p>;
  return (
    <div className="table-scroll">
      <table className="table kpi-table" data-testid={`kpi-table-${mode}`}>
        <thead>
          <tr>
            <th>{t('dashboard.table.scenario')}</th>
            {mode === 'version' && <th>{t('dashboard.table.version')}</th>}
            {mode === 'node' && <th>{t('dashboard.table.node')}</th>}
            <th className="num">{t('dashboard.kpi.leads')}</th>
            <th className="num">{t('dashboard.kpi.sends')}</th>
            <th className="num">{t('dashboard.table.deliveries')}</th>
            <th className="num">{t('dashboard.kpi.openRate')}</th>
            <th className="num">{t('dashboard.kpi.clickRate')}</th>
            <th className="num">{t('dashboard.kpi.unsubscribes')}</th>
            <th className="num">{t('dashboard.table.bounces')}</th>
            <th className="num">{t('dashboard.kpi.hotLeads')}</th>
            <th className="num">{t('dashboard.kpi.handoffs')}</th>
            <th className="num">{t('dashboard.table.accepted')}</th>
            <th className="num">{t('dashboard.table.returned')}</th>
            <th className="num">{t('dashboard.kpi.goals')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((r) => (
            <tr key={`${r.scenarioId ?? ''}|${r.version ?? ''}|${r.nodeId ?? ''}`} data-testid="kpi-row">
              <td>{r.scenarioName ?? <span className="muted">{t('dashboard.table.productLineOnly')}</span>}</td>
              {mode === 'version' && <td>{r.version === null || r.version === undefined ? '—' : `v${r.version}`}</td>}
              {mode === 'node' && <td className="mono">{r.nodeId ?? <span className="muted">{t('dashboard.table.noNode')}</span>}</td>}
              <td className="num">{n(r.leads)}</td>
              <td className="num">{n(r.sends)}</td>
              <td className="num">{n(r.deliveries)}</td>
              <td className="num">
                {percent(r.openRate, i18n.language)} <span className="muted small">({n(r.opens)})</span>
              </td>
              <td className="num">
                {percent(r.clickRate, i18n.language)} <span className="muted small">({n(r.clicks)})</span>
              </td>
              <td className="num">{n(r.unsubscribes)}</td>
              <td className="num">{n(r.bounces)}</td>
              <td className="num">{n(r.hotLeads)}</td>
              <td className="num">{n(r.handoffs)}</td>
              <td className="num">{n(r.handoffsAccepted)}</td>
              <td className="num">{n(r.handoffsReturned)}</td>
              <td className="num">{n(r.goals)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
