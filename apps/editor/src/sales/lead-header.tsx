import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.ts';
import type { LeadCard } from './api.ts';
import { leadCompany, leadName, telHref } from './format.ts';

/** Who the lead is and how to reach them: name (様 in Japanese), company, a dialable phone, e-mail, score and rank. */
export function LeadHeader({ lead, score, rank }: { lead: LeadCard | { id: string }; score?: number; rank?: string | null }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const c = lead as Partial<LeadCard>;
  const tel = telHref(c.phone);
  const company = leadCompany(lead);
  return (
    <div className="lead-header">
      <div className="lead-who">
        {company && (
          <div className="lead-company" data-testid="lead-company">
            {company}
          </div>
        )}
        <div className="lead-name" data-testid="lead-name">
          {leadName(lead, language)}
        </div>
      </div>
      <div className="lead-contact">
        {c.phone && (
          <span>
            <span className="muted">{t('sales.phone')}</span>{' '}
            {tel ? (
              <a href={tel} data-testid="lead-phone">
                {c.phone}
              </a>
            ) : (
              <span data-testid="lead-phone">{c.phone}</span>
            )}
          </span>
        )}
        {c.email && (
          <span>
            <span className="muted">{t('sales.email')}</span> <a href={`mailto:${c.email}`}>{c.email}</a>
          </span>
        )}
      </div>
      {(score !== undefined || rank !== undefined) && (
        <div className="lead-standing">
          {rank && (
            <span className={`rank rank-${rank}`} data-testid="lead-rank">
              {rank}
            </span>
          )}
          {score !== undefined && (
            <span className="lead-score" data-testid="lead-score">
              {t('sales.points', { score })}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
