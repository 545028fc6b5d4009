// The simulation panel: the settings, run and cancel with progress, then the results, a lead's
// replay and a comparison of two drafts, each on its own tab. The draft runs as it is drawn now —
// compiled in the page, never saved for it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScenarioSummary } from '../api/client.ts';
import { useEditorStore } from '../store/context.ts';
import { ComparePane } from './compare.tsx';
import { useSimulation, useSimulationStore } from './context.ts';
import { runTargetFor } from './environment.ts';
import { ReplayPane } from './replay.tsx';
import { ResultsPane } from './results.tsx';
import { SetupForm, useIssueText } from './setup-form.tsx';
import type { RunTarget } from './settings.ts';

type Tab = 'setup' | 'results' | 'replay' | 'compare';
const TABS: Tab[] = ['setup', 'results', 'replay', 'compare'];

/** The draft as drawn now, compiled; null (and the count of errors) when it does not compile. */
export function useDraftTarget(): () => Promise<RunTarget | { errors: number }> {
  const editor = useEditorStore();
  const { t } = useTranslation();
  return async () => {
    editor.getState().revalidate();
    const { compiled, errors } = editor.getState();
    if (compiled === null) return { errors: Math.max(errors, 1) };
    return runTargetFor(t('simulation.draft'), compiled);
  };
}

/** Progress, the state of the run and what went wrong. */
function RunStatus() {
  const { t } = useTranslation();
  const status = useSimulation((s) => s.status);
  const progress = useSimulation((s) => s.progress);
  const failure = useSimulation((s) => s.failure);
  const compared = useSimulation((s) => s.b !== null);
  const elapsed = useSimulation((s) => s.a?.elapsedMs ?? null);
  const leads = useSimulation((s) => s.a?.report.leads ?? null);
  const say = useIssueText();
  return (
    <div className="sim-status" data-testid="sim-status" data-status={status} data-elapsed-ms={elapsed ?? undefined}>
      {status === 'preparing' && <span>{t('simulation.status.preparing')}</span>}
      {status === 'running' && progress && (
        <>
          <progress data-testid="sim-progress" value={progress.done} max={Math.max(progress.total, 1)} />
          <span>
            {progress.run === 'b' || compared ? `${progress.run.toUpperCase()}: ` : ''}
            {t('simulation.status.running', { done: progress.done.toLocaleString(), total: progress.total.toLocaleString() })}
          </span>
        </>
      )}
      {status === 'done' && elapsed !== null && leads !== null && <span>{t('simulation.status.done', { leads: leads.toLocaleString(), seconds: (elapsed / 1000).toFixed(1) })}</span>}
      {status === 'cancelled' && <span>{t('simulation.status.cancelled')}</span>}
      {status === 'failed' && failure && (
        <div className="error" data-testid="sim-failure">
          <strong>{t('simulation.status.failed')}</strong>
          <ul>
            {failure.issues.length > 0 ? failure.issues.map((i, k) => <li key={k}>{`${i.path}: ${say(i)}`}</li>) : <li>{failure.message}</li>}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The panel in the inspector's place. */
export function SimulationPanel({ scenario }: { scenario: ScenarioSummary }) {
  const { t } = useTranslation();
  const sim = useSimulationStore();
  const status = useSimulation((s) => s.status);
  const hasResult = useSimulation((s) => s.a !== null);
  const [tab, setTab] = useState<Tab>('setup');
  const [blocked, setBlocked] = useState<number | null>(null);
  const draftTarget = useDraftTarget();
  const busy = status === 'preparing' || status === 'running';

  // A finished run opens its results.
  useEffect(() => {
    if (status === 'done' && tab === 'setup') setTab('results');
    // Only a change of status moves the tab; the marketer's own choice stays otherwise.
  }, [status]);

  const run = async () => {
    setBlocked(null);
    const target = await draftTarget();
    if ('errors' in target) return setBlocked(target.errors);
    await sim.getState().run(target);
  };

  return (
    <aside className="sim-panel" data-testid="sim-panel">
      <div className="sim-head">
        <h2>{t('simulation.title')}</h2>
        <button className="link" onClick={() => sim.getState().setOpen(false)} aria-label={t('simulation.close')} title={t('simulation.close')}>
          ✕
        </button>
      </div>
      <p className="muted small">{t('simulation.hint')}</p>
      <div className="sim-actions">
        <button className="primary" data-testid="sim-run" disabled={busy} onClick={() => void run()}>
          ▶ {t('simulation.runButton')}
        </button>
        {busy && (
          <button data-testid="sim-cancel" onClick={() => sim.getState().cancel()}>
            {t('simulation.cancel')}
          </button>
        )}
        {hasResult && !busy && (
          <button data-testid="sim-clear" onClick={() => sim.getState().clear()}>
            {t('simulation.clear')}
          </button>
        )}
      </div>
      {blocked !== null && (
        <p className="error" data-testid="sim-blocked">
          {t('simulation.blocked', { count: blocked })}
        </p>
      )}
      <RunStatus />
      <div className="sim-tabs" role="tablist">
        {TABS.map((k) => (
          <button key={k} role="tab" data-testid={`sim-tab-${k}`} aria-selected={tab === k} className={tab === k ? 'active' : undefined} onClick={() => setTab(k)}>
            {t(`simulation.tabs.${k}`)}
          </button>
        ))}
      </div>
      <div className="sim-body">
        {tab === 'setup' && <SetupForm />}
        {tab === 'results' && <ResultsPane />}
        {tab === 'replay' && <ReplayPane />}
        {tab === 'compare' && <ComparePane scenario={scenario} draftTarget={draftTarget} onBlocked={setBlocked} />}
      </div>
    </aside>
  );
}
