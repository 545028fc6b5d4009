import { useTranslation } from 'react-i18next';
import { previewRows, type ScoringPreview } from './form.ts';

/** Leads per rank and hot, now and under the edited rules, with the change; then who moves where. */
export function PreviewTable({ preview, stale }: { preview: ScoringPreview; stale: boolean }) {
  const { t } = useTranslation();
  const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0');
  return (
    <div className={`scoring-preview${stale ? ' stale' : ''}`} data-testid="scoring-preview-result" aria-busy={stale}>
      <p data-testid="preview-leads">{t('scoring.leads', { count: preview.leads })}</p>
      <table className="table compact">
        <thead>
          <tr>
            <th />
            <th className="num">{t('scoring.now')}</th>
            <th className="num">{t('scoring.proposed')}</th>
            <th className="num">{t('scoring.change')}</th>
          </tr>
        </thead>
        <tbody>
          {previewRows(preview).map((r) => (
            <tr key={r.key} data-testid={`preview-${r.key}`} className={r.delta !== 0 ? 'moved' : undefined}>
              <th>{r.key === 'hot' ? t('scoring.hot') : <span className={`rank rank-${r.key}`}>{r.key}</span>}</th>
              <td className="num" data-testid="now">
                {r.now}
              </td>
              <td className="num" data-testid="proposed">
                {r.proposed}
              </td>
              <td className={`num ${r.delta > 0 ? 'plus' : r.delta < 0 ? 'minus' : ''}`}>{signed(r.delta)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.moves.length > 0 && (
        <ul className="moves small">
          {preview.moves.map((m) => (
            <li key={`${m.from}${m.to}`}>{t('scoring.move', { from: m.from, to: m.to, count: m.count })}</li>
          ))}
        </ul>
      )}
      {(preview.changed.becomeHot > 0 || preview.changed.leaveHot > 0) && (
        <p className="small">{t('scoring.hotChange', { become: preview.changed.becomeHot, leave: preview.changed.leaveHot })}</p>
      )}
      {stale && <p className="muted small">{t('scoring.stale')}</p>}
    </div>
  );
}
