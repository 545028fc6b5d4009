import { useTranslation } from 'react-i18next';

/** Previous / next over a paged list, with where the page is in it. */
export function Pager({ offset, limit, total, onOffset }: { offset: number; limit: number; total: number; onOffset: (offset: number) => void }) {
  const { t } = useTranslation();
  if (total <= limit && offset === 0) return null;
  return (
    <div className="pager">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        {t('sales.prev')}
      </button>
      <span className="muted">{t('sales.range', { from: total === 0 ? 0 : offset + 1, to: Math.min(total, offset + limit), total })}</span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
        {t('sales.next')}
      </button>
    </div>
  );
}
