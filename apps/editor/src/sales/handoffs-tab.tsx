import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.ts';
import type { AsyncState } from '../use-async.ts';
import { salesApi, type Handoff, type Page } from './api.ts';
import { formatTime } from './format.ts';
import { LeadHeader } from './lead-header.tsx';
import { Pager } from './pager.tsx';
import { Reasons } from './reasons.tsx';

/** Open hand-offs to accept or return (or the answered ones), each with its record. */
export function HandoffsTab(props: {
  page: AsyncState<Page<Handoff>>;
  state: 'open' | 'answered';
  onState: (state: 'open' | 'answered') => void;
  offset: number;
  onOffset: (offset: number) => void;
  onAnswered: () => void;
}) {
  const { t } = useTranslation();
  const { page, state } = props;
  return (
    <>
      <div className="segmented" role="group">
        {(['open', 'answered'] as const).map((s) => (
          <button key={s} type="button" data-testid={`handoffs-${s}`} aria-pressed={state === s} className={state === s ? 'on' : undefined} onClick={() => props.onState(s)}>
            {t(`sales.handoffs.${s}`)}
          </button>
        ))}
      </div>
      {page.error && <p className="error">{t('app.error', { message: page.error.message })}</p>}
      {!page.data && !page.error && <p className="loading">{t('app.loading')}</p>}
      {page.data && page.data.total === 0 && <p className="empty">{t(state === 'open' ? 'sales.handoffs.empty' : 'sales.handoffs.emptyAnswered')}</p>}
      {page.data?.items.map((h) => <HandoffCard key={h.key} handoff={h} onAnswered={props.onAnswered} />)}
      {page.data && <Pager offset={props.offset} limit={page.data.limit} total={page.data.total} onOffset={props.onOffset} />}
    </>
  );
}

/** One hand-off: who, why (the node's reason, score history, recent events, the path), and the answer. */
function HandoffCard({ handoff: h, onAnswered }: { handoff: Handoff; onAnswered: () => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const r = h.record;
  const answer = async (kind: 'accept' | 'return') => {
    setBusy(true);
    setFailure(null);
    try {
      await salesApi.answerHandoff(h.key, kind, note);
      onAnswered();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="sales-card" data-testid={`handoff-${h.lead.id}`}>
      <LeadHeader lead={h.lead} {...('score' in h.lead ? { score: h.lead.score, rank: h.lead.rank } : {})} />
      <div className="card-meta">
        <span>{t('sales.handoffs.handedOffAt', { when: formatTime(h.createdAt, language) })}</span>
        <span className="muted" data-testid="handoff-node">
          {t('sales.handoffs.node', { node: h.node.id, scenario: h.scenarioId })}
        </span>
      </div>
      <p className="handoff-reason" data-testid="handoff-reason">
        <span className="muted">{t('sales.handoffs.reason')}</span> {h.node.reason || '—'}
      </p>
      {r ? (
        <>
          <Reasons scoreHistory={r.scoreHistory} recentEvents={r.recentEvents} />
          <details className="path">
            <summary>{t('sales.handoffs.path')}</summary>
            <ol>
              {r.path.map((p, i) => (
                <li key={i}>
                  <span className="muted">{formatTime(p.at, language)}</span> <span className="mono">{p.nodeId ?? '—'}</span>
                  {p.output && <span className="muted"> → {p.output}</span>}
                </li>
              ))}
            </ol>
          </details>
        </>
      ) : (
        <p className="muted small">{t('sales.handoffs.preparing')}</p>
      )}
      {h.answer ? (
        <p className={`answer answer-${h.answer.outcome}`} data-testid="handoff-answer">
          {t(`sales.handoffs.${h.answer.outcome}`, { when: formatTime(h.answer.at, language) })}
          {h.answer.note && <span className="muted"> — {h.answer.note}</span>}
        </p>
      ) : h.open ? (
        <div className="answer-form">
          <input data-testid="handoff-note" placeholder={t('sales.note')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="primary" data-testid="accept" disabled={busy} onClick={() => void answer('accept')}>
            {t('sales.handoffs.accept')}
          </button>
          <button type="button" data-testid="return" disabled={busy} onClick={() => void answer('return')}>
            {t('sales.handoffs.return')}
          </button>
        </div>
      ) : (
        <p className="muted small">{t('sales.handoffs.notOpen', { status: h.status })}</p>
      )}
      {failure && <p className="error">{t('sales.failed', { message: failure })}</p>}
    </article>
  );
}
