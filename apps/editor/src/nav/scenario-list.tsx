import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ScenarioSummary } from '../api/client.ts';
import { navigate, type Route } from '../router.ts';
import { useAsync } from '../use-async.ts';
import { ProductLinePages } from './product-line-pages.tsx';
import { fetchMe, homeScreen } from './screens.ts';
import { ProductLineSwitcher } from './product-line-switcher.tsx';
import { StatusLabel } from './status-label.tsx';

/** The start screen: the first product line's scenarios (its sales view for a sales member), or how to create a product line. */
export function ProductLineHome() {
  const { t } = useTranslation();
  const lines = useAsync(async () => ({ lines: await api.productLines(), me: await fetchMe() }), []);
  const first = lines.data?.lines[0];
  useEffect(() => {
    if (first) navigate({ screen: homeScreen(lines.data?.me, first.id), productLine: first.id } as Route, true);
  }, [first]);
  if (lines.error) return <p className="error">{t('app.error', { message: lines.error.message })}</p>;
  if (lines.data && lines.data.lines.length === 0) return <p className="empty">{t('nav.noProductLines')}</p>;
  return <p className="loading">{t('app.loading')}</p>;
}

/**
 * Leads in a scenario now (active or waiting, over all its versions), and the name its draft gives
 * it: the editor renames a scenario in its draft, so the list shows that name.
 */
async function details(id: string): Promise<{ leads: number; name: string | null }> {
  const d = await api.scenario(id);
  return { leads: d.enrollments.active + d.enrollments.waiting, name: typeof d.draft['name'] === 'string' && d.draft['name'] !== '' ? d.draft['name'] : null };
}

/** A product line's scenarios with their status and leads, and create / duplicate / archive. */
export function ScenarioList({ productLine }: { productLine: string }) {
  const { t, i18n } = useTranslation();
  const [showArchived, setShowArchived] = useState(false);
  const list = useAsync(async () => {
    const scenarios = await api.scenarios(productLine);
    const more = await Promise.all(scenarios.map((s) => details(s.id).catch(() => ({ leads: 0, name: null }))));
    return scenarios.map((s, i) => ({ ...s, leads: more[i]?.leads ?? 0, name: more[i]?.name ?? s.name }));
  }, [productLine]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const create = () =>
    act(async () => {
      const name = window.prompt(t('list.createPrompt'), t('list.defaultName'));
      if (!name) return;
      const created = await api.createScenario({ productLine, name });
      navigate({ screen: 'editor', scenarioId: created.id, version: null });
    });
  const duplicate = (s: ScenarioSummary) =>
    act(async () => {
      const source = await api.scenario(s.id);
      const name = t('list.copyOf', { name: s.name });
      const draft = { ...source.draft, name };
      const created = await api.createScenario({ productLine, name, draft });
      navigate({ screen: 'editor', scenarioId: created.id, version: null });
    });
  const archive = (s: ScenarioSummary) =>
    act(async () => {
      if (!window.confirm(t('list.archiveConfirm', { name: s.name }))) return;
      await api.status(s.id, 'archive');
      list.reload();
    });

  const rows = (list.data ?? []).filter((s) => showArchived || s.status !== 'archived');
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="scenario-list">
      <div className="list-toolbar">
        <ProductLineSwitcher value={productLine} />
        <h1>{t('nav.scenarios')}</h1>
        <ProductLinePages productLine={productLine} current="list" />
        <div className="spacer" />
        <label className="check">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> {t('list.showArchived')}
        </label>
        <button className="primary" data-testid="create-scenario" disabled={busy} onClick={() => void create()}>
          {t('list.create')}
        </button>
      </div>
      {failure && <p className="error">{failure}</p>}
      {list.error && <p className="error">{t('app.error', { message: list.error.message })}</p>}
      {list.loading && !list.data && <p className="loading">{t('app.loading')}</p>}
      {list.data && rows.length === 0 && <p className="empty">{t('list.empty')}</p>}
      {rows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('list.name')}</th>
              <th>{t('list.status')}</th>
              <th className="num">{t('list.activeLeads')}</th>
              <th>{t('list.updated')}</th>
              <th>{t('list.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.id} data-testid={`scenario-row-${s.id}`}>
                <td>
                  <a
                    href={`/scenarios/${encodeURIComponent(s.id)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ screen: 'editor', scenarioId: s.id, version: null });
                    }}
                  >
                    {s.name}
                  </a>
                  <div className="muted mono">{s.id}</div>
                </td>
                <td>
                  <StatusLabel scenario={s} />
                </td>
                <td className="num" data-testid="leads-now">
                  {s.leads}
                </td>
                <td>{fmt.format(new Date(s.updatedAt))}</td>
                <td className="actions">
                  <button disabled={busy} onClick={() => void duplicate(s)}>
                    {t('list.duplicate')}
                  </button>
                  {s.status !== 'archived' && (
                    <button disabled={busy} className="danger" onClick={() => void archive(s)}>
                      {t('list.archive')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
