import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.ts';
import type { AsyncState } from '../use-async.ts';
import { salesApi, type CallOutcome, type CallTask } from './api.ts';
import { ago, formatTime } from './format.ts';
import { LeadHeader } from './lead-header.tsx';
import { RecentEvents } from './reasons.tsx';

const OUTCOMES: readonly CallOutcome[] = ['appointment', 'connected', 'noAnswer', 'refused'];

/** Inside sales' queue: calls by due time, each completed with its outcome. */
export function CallTasksTab({ tasks, showDone, onShowDone, onCompleted }: { tasks: AsyncState<CallTask[]>; showDone: boolean; onShowDone: (v: boolean) => void; onCompleted: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={showDone} onChange={(e) => onShowDone(e.target.checked)} /> {t('sales.calls.showDone')}
      </label>
      {tasks.error && <p className="error">{t('app.error', { message: tasks.error.message })}</p>}
      {!tasks.data && !tasks.error && <p className="loading">{t('app.loading')}</p>}
      {tasks.data && tasks.data.length === 0 && <p className="empty">{t(showDone ? 'sales.calls.emptyDone' : 'sales.calls.empty')}</p>}
      {tasks.data?.map((task) => <CallCard key={task.key} task={task} onCompleted={onCompleted} />)}
    </>
  );
}

function CallCard({ task, onCompleted }: { task: CallTask; onCompleted: () => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const open = task.status === 'pending' || task.status === 'sent';
  const complete = async (outcome: CallOutcome) => {
    setBusy(true);
    setFailure(null);
    try {
      await salesApi.completeCall(task.key, outcome, note);
      onCompleted();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const lead = task.lead;
  return (
    <article className={`sales-card${task.due ? ' due' : ''}`} data-testid={`call-${lead.id}`}>
      <LeadHeader lead={lead} {...('score' in lead ? { score: lead.score, rank: lead.rank } : {})} />
      <div className="card-meta">
        <span className={task.due ? 'due-now' : undefined}>
          {task.due ? t('sales.calls.dueNow') : t('sales.calls.due')} {formatTime(task.dueAt, language)} <span className="muted">({ago(task.dueAt, Date.now(), language)})</span>
        </span>
        <span>{t('sales.calls.attempt', { attempt: task.attempt, max: task.maxAttempts })}</span>
        <span className="muted">{t('sales.handoffs.node', { node: task.nodeId, scenario: task.scenarioId })}</span>
      </div>
      {task.script && (
        <p className="call-script">
          <span className="muted">{t('sales.calls.script')}</span> {task.script}
        </p>
      )}
      <h4>{t('sales.recent.title')}</h4>
      <RecentEvents events={lead.recentEvents} />
      {open ? (
        <div className="answer-form">
          <input placeholder={t('sales.note')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          {OUTCOMES.map((o) => (
            <button key={o} type="button" data-testid={`outcome-${o}`} className={o === 'appointment' ? 'primary' : undefined} disabled={busy} onClick={() => void complete(o)}>
              {t(`sales.calls.outcome.${o}`)}
            </button>
          ))}
        </div>
      ) : (
        <p className="muted small">{t('sales.calls.done')}</p>
      )}
      {failure && <p className="error">{t('sales.failed', { message: failure })}</p>}
    </article>
  );
}
