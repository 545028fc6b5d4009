import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ScenarioSummary } from '../api/client.ts';
import { navigate } from '../router.ts';
import { useAsync } from '../use-async.ts';

/** The published versions, newest first, each with its note; any one opens read-only. */
export function VersionsMenu({ scenario }: { scenario: ScenarioSummary }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const versions = useAsync(() => (open ? api.versions(scenario.id) : Promise.resolve([])), [open, scenario.id, scenario.publishedVersion]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="menu">
      <button data-testid="versions" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('toolbar.versions')} ▾
      </button>
      {open && (
        <div className="menu-panel" data-testid="versions-panel">
          {versions.data && versions.data.length === 0 && <p className="muted">{t('versions.none')}</p>}
          <ul>
            {versions.data?.map((v) => (
              <li key={v.version}>
                <button
                  onClick={() => {
                    setOpen(false);
                    navigate({ screen: 'editor', scenarioId: scenario.id, version: v.version });
                  }}
                >
                  <strong>v{v.version}</strong>
                  {v.current && <span className="status status-active">{t('versions.current')}</span>}
                  <span className="muted">{fmt.format(new Date(v.publishedAt))}</span>
                  <span className="note">{v.note}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
