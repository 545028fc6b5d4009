import type { NodeKind } from '@nurtureflow/scenario';
import { useTranslation } from 'react-i18next';
import { kindsOf, PALETTE_GROUPS } from '../document/defaults.ts';
import { KIND_ICONS } from './icons.ts';

/** The drag payload type a palette item carries to the canvas. */
export const KIND_MIME = 'application/x-nurtureflow-kind';

/** Every node kind, grouped as a journey reads; drag one onto the canvas, or click to add it. */
export function Palette({ onAdd, disabled }: { onAdd: (kind: NodeKind) => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <aside className="palette" aria-label={t('palette.title')}>
      <h2>{t('palette.title')}</h2>
      <p className="muted small">{t('palette.hint')}</p>
      {PALETTE_GROUPS.map((group) => (
        <section key={group} className={`palette-group group-${group}`}>
          <h3>{t(`groups.${group}`)}</h3>
          {kindsOf(group).map((kind) => (
            <button
              key={kind}
              type="button"
              className="palette-item"
              data-testid={`palette-${kind}`}
              draggable={!disabled}
              disabled={disabled}
              onDragStart={(e) => {
                e.dataTransfer.setData(KIND_MIME, kind);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => onAdd(kind)}
            >
              <span className="kind-icon" aria-hidden>
                {KIND_ICONS[kind]}
              </span>
              {t(`kinds.${kind}`)}
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}
