import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.ts';
import type { AsyncState } from '../use-async.ts';
import type { HotLead, Page } from './api.ts';
import { ago, formatTime } from './format.ts';
import { LeadHeader } from './lead-header.tsx';
import { Pager } from './pager.tsx';
import { Reasons } from './reasons.tsx';

/** The product line's hot leads, most recently hot first; a row opens the reasons. */
export function HotLeadsTab({ page, offset, onOffset }: { page: AsyncState<Page<HotLead>>; offset: number; onOffset: (offset: number) => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [open, setOpen] = useState<string | null>(null);
  if (page.error) return <p className="error">{t('app.error', { message: page.error.message })}</p>;
  if (!page.data) return <p className="loading">{t('app.loading')}</p>;
  if (page.data.total === 0) return <p className="empty">{t('sales.hot.empty')}</p>;
  const now = Date.now();
  return (
    <>
      <table className="table hot-leads" data-testid="hot-leads">
        <thead>
          <tr>
            <th>{t('sales.hot.lead')}</th>
            <th className="num">{t('sales.hot.score')}</th>
            <th>{t('sales.hot.since')}</th>
            <th>{t('sales.hot.lastActivity')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page.data.items.map((h) => {
            const id = h.lead.id;
            const shown = open === id;
            return (
              <Fragment key={id}>
                <tr data-testid={`hot-lead-${id}`} className={shown ? 'expanded' : undefined}>
                  <td>
                    <LeadHeader lead={h.lead} />
                  </td>
                  <td className="num">
                    <span className={`rank rank-${h.rank ?? 'D'}`}>{h.rank ?? '—'}</span> <strong data-testid="hot-score">{h.score}</strong>
                  </td>
                  <td>
                    {h.hotAt ? (
                      <>
                        <div data-testid="hot-since">{formatTime(h.hotAt, language)}</div>
                        <div className="muted small">{ago(h.hotAt, now, language)}</div>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{h.lastActivityAt ? formatTime(h.lastActivityAt, language) : '—'}</td>
                  <td>
                    <button type="button" data-testid="why" onClick={() => setOpen(shown ? null : id)}>
                      {shown ? t('sales.hot.hide') : t('sales.hot.why')}
                    </button>
                  </td>
                </tr>
                {shown && (
                  <tr className="reasons-row">
                    <td colSpan={5}>
                      <Reasons scoreHistory={h.scoreHistory} recentEvents={h.recentEvents} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <Pager offset={offset} limit={page.data.limit} total={page.data.total} onOffset={onOffset} />
    </>
  );
}
