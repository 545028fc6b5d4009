// The product line's audit log: who changed what and when, newest first, by kind of change, with
// "more" following the list's cursor.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dashboardApi, type AuditEntry } from './api.ts';
import { auditSummary } from './shape.ts';

/** Which actions each filter shows. */
const FILTERS: Record<string, string | undefined> = {
  all: undefined,
  publish: 'scenario.published',
  drafts: 'scenario.created,scenario.draftChanged,scenario.renamed',
  status: 'scenario.paused,scenario.resumed,scenario.archived',
  templates: 'template.created,template.changed',
  settings: 'productLine.created,productLine.renamed,productLine.settingsChanged,scoring.changed',
  people: 'member.added,member.changed,member.removed,token.created,token.revoked',
};

/** The audit list. */
export function AuditList({ productLine }: { productLine: string }) {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState('all');
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (cursor: string | undefined, replace: boolean) => {
    setLoading(true);
    setError(null);
    try {
      const page = await dashboardApi.audit(productLine, { action: FILTERS[filter], cursor });
      setItems((old) => (replace ? page.items : [...old, ...page.items]));
      setNext(page.next);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(undefined, true);
    // `load` reads the current filter; it is new each render.
  }, [productLine, filter]);

  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="audit-list" data-testid="audit-list">
      <label className="row">
        {t('dashboard.audit.show')}
        <select data-testid="audit-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
          {Object.keys(FILTERS).map((f) => (
            <option key={f} value={f}>
              {t(`dashboard.audit.filters.${f}`)}
            </option>
          ))}
        </select>
      </label>
      {error && <p className="error">{t('app.error', { message: error })}</p>}
      {!loading && items.length === 0 && !error && <p className="empty">{t('dashboard.audit.empty')}</p>}
      {items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('dashboard.audit.when')}</th>
              <th>{t('dashboard.audit.who')}</th>
              <th>{t('dashboard.audit.what')}</th>
              <th>{t('dashboard.audit.object')}</th>
              <th>{t('dashboard.audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => {
              const s = auditSummary(e);
              return (
                <tr key={e.id} data-testid="audit-entry">
                  <td>{fmt.format(new Date(e.at))}</td>
                  <td>{e.actor}</td>
                  <td>{t(`dashboard.audit.actions.${e.action.replace('.', '_')}`, { defaultValue: e.action })}</td>
                  <td className="mono">{e.objectId}</td>
                  <td>{s.key ? t(s.key, s.values) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" disabled={loading} onClick={() => void load(next, false)}>
          {t('dashboard.audit.more')}
        </button>
      )}
    </div>
  );
}
