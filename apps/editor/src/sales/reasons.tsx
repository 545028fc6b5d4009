import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.ts';
import type { RecentEvent, ScoreEntry } from './api.ts';
import { eventDetail, eventName, formatTime, scoreReason, signed } from './format.ts';

/** How the score was earned, oldest first, each change with the total after it. */
export function ScoreHistory({ entries }: { entries: readonly ScoreEntry[] }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const say = (key: string, options?: Record<string, unknown>) => String(t(key, options ?? {}));
  if (entries.length === 0) return <p className="muted small">{t('sales.history.none')}</p>;
  return (
    <table className="table compact" data-testid="score-history">
      <thead>
        <tr>
          <th>{t('sales.history.at')}</th>
          <th>{t('sales.history.what')}</th>
          <th className="num">{t('sales.history.points')}</th>
          <th className="num">{t('sales.history.score')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e, i) => (
          <tr key={i} className={`source-${e.source}`}>
            <td className="nowrap">{formatTime(e.at, language)}</td>
            <td>{scoreReason(e, say)}</td>
            <td className={`num ${e.points < 0 ? 'minus' : 'plus'}`}>{signed(e.points)}</td>
            <td className="num">{e.score}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the lead did lately, newest first. */
export function RecentEvents({ events }: { events: readonly RecentEvent[] }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const say = (key: string, options?: Record<string, unknown>) => String(t(key, options ?? {}));
  if (events.length === 0) return <p className="muted small">{t('sales.recent.none')}</p>;
  return (
    <ul className="recent-events" data-testid="recent-events">
      {events.map((e, i) => {
        const detail = eventDetail(e);
        return (
          <li key={i}>
            <span className="nowrap muted">{formatTime(e.at, language)}</span> <span>{eventName(e.kind, say)}</span>
            {detail && <span className="muted"> — {detail}</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** Both, side by side: why this lead is in front of sales. */
export function Reasons({ scoreHistory, recentEvents }: { scoreHistory: readonly ScoreEntry[]; recentEvents: readonly RecentEvent[] }) {
  const { t } = useTranslation();
  return (
    <div className="reasons">
      <div>
        <h4>{t('sales.history.title')}</h4>
        <ScoreHistory entries={scoreHistory} />
      </div>
      <div>
        <h4>{t('sales.recent.title')}</h4>
        <RecentEvents events={recentEvents} />
      </div>
    </div>
  );
}
