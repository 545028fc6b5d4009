import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ScenarioSummary } from '../api/client.ts';
import { FIT_EVENT } from '../canvas/canvas.tsx';
import { StatusLabel } from '../nav/status-label.tsx';
import { PublishDialog } from '../publish/publish-dialog.tsx';
import { VersionsMenu } from '../publish/versions-menu.tsx';
import { SimulationButton } from '../simulation/host.tsx';
import { navigate } from '../router.ts';
import { useEditor, useEditorStore } from '../store/context.ts';
import type { SaveState } from './use-autosave.ts';

/** The editor's top bar: where you are, save state, history, layout, versions and publishing. */
export function Toolbar({
  scenario,
  version,
  save,
  flush,
  onScenario,
}: {
  scenario: ScenarioSummary;
  version: number | null;
  save: SaveState;
  flush: () => Promise<void>;
  onScenario: (s: ScenarioSummary) => void;
}) {
  const { t } = useTranslation();
  const store = useEditorStore();
  const canUndo = useEditor((s) => s.past.length > 0 && !s.readOnly);
  const canRedo = useEditor((s) => s.future.length > 0 && !s.readOnly);
  const readOnly = useEditor((s) => s.readOnly);
  const errors = useEditor((s) => s.errors);
  const name = useEditor((s) => s.meta?.name ?? '');
  const [publishing, setPublishing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const changeStatus = async (action: 'pause' | 'resume') => {
    try {
      onScenario((await api.status(scenario.id, action)).scenario);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="toolbar" role="toolbar">
      <a
        href={`/product-lines/${encodeURIComponent(scenario.productLine)}`}
        onClick={(e) => {
          e.preventDefault();
          navigate({ screen: 'list', productLine: scenario.productLine });
        }}
      >
        ← {t('nav.back')}
      </a>
      <input
        className="scenario-name"
        data-testid="scenario-name"
        value={name}
        readOnly={readOnly}
        onChange={(e) => store.getState().updateMeta({ name: e.target.value })}
        aria-label={t('list.name')}
      />
      <StatusLabel scenario={scenario} />
      {version !== null ? (
        <>
          <span className="readonly-tag" data-testid="read-only">
            {t('toolbar.readOnly', { version })}
          </span>
          <button onClick={() => navigate({ screen: 'editor', scenarioId: scenario.id, version: null })}>{t('toolbar.backToDraft')}</button>
        </>
      ) : (
        <span className={`save-state save-${save.state}`} data-testid="save-state">
          {save.state === 'failed' ? t('save.failed', { message: save.message }) : t(`save.${save.state}`)}
        </span>
      )}
      <div className="spacer" />
      <button data-testid="undo" disabled={!canUndo} onClick={() => store.getState().undo()} title="⌘/Ctrl+Z">
        ↶ {t('toolbar.undo')}
      </button>
      <button data-testid="redo" disabled={!canRedo} onClick={() => store.getState().redo()} title="⇧⌘/Ctrl+Z">
        ↷ {t('toolbar.redo')}
      </button>
      <button
        data-testid="layout"
        disabled={readOnly}
        onClick={() => {
          store.getState().autoLayout();
          requestAnimationFrame(() => window.dispatchEvent(new Event(FIT_EVENT)));
        }}
        title="L"
      >
        {t('toolbar.layout')}
      </button>
      <button data-testid="fit" onClick={() => window.dispatchEvent(new Event(FIT_EVENT))} title="F">
        {t('toolbar.fit')}
      </button>
      <span className="help" title={t('toolbar.shortcuts')}>
        ⌨
      </span>
      <SimulationButton />
      <VersionsMenu scenario={scenario} />
      {scenario.status === 'active' && version === null && <button onClick={() => void changeStatus('pause')}>{t('toolbar.pause')}</button>}
      {scenario.status === 'paused' && version === null && <button onClick={() => void changeStatus('resume')}>{t('toolbar.resume')}</button>}
      {version === null && (
        <button
          className="primary"
          data-testid="publish"
          disabled={readOnly || errors > 0}
          title={errors > 0 ? t('toolbar.publishBlocked') : undefined}
          onClick={() => setPublishing(true)}
        >
          {t('toolbar.publish')}
        </button>
      )}
      {failure && <span className="error">{failure}</span>}
      {publishing && (
        <PublishDialog
          scenario={scenario}
          flush={flush}
          onClose={() => setPublishing(false)}
          onPublished={(s) => {
            onScenario(s);
            setPublishing(false);
          }}
        />
      )}
    </div>
  );
}
