// The days leads became hot, as SVG bars. A chart library (recharts brings redux and d3 along) would
// be most of the panel's weight for one bar chart with two axes' labels.
import { useTranslation } from 'react-i18next';
import { hotBars } from './overlay.ts';

const W = 320;
const H = 120;
const PAD = { left: 28, right: 6, top: 8, bottom: 20 };

/** A histogram of the day (since the start) each hot lead crossed the threshold. */
export function HotHistogram({ byDay, days }: { byDay: readonly number[]; days: number }) {
  const { t } = useTranslation();
  const bars = hotBars(byDay, days);
  const max = Math.max(1, ...bars.map((b) => b.count));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = plotW / Math.max(bars.length, 1);
  const total = byDay.reduce((a, b) => a + b, 0);
  return (
    <figure className="sim-histogram" data-testid="sim-hot-histogram">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('simulation.results.hotChart', { count: total })}>
        <line x1={PAD.left} y1={PAD.top + plotH} x2={W - PAD.right} y2={PAD.top + plotH} stroke="#94a3b8" />
        <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end" fontSize="9" fill="#64748b">
          {max}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end" fontSize="9" fill="#64748b">
          0
        </text>
        {bars.map((b, i) => {
          const h = (b.count / max) * plotH;
          const label = b.from === b.to ? t('simulation.results.day', { day: b.from + 1 }) : t('simulation.results.days', { from: b.from + 1, to: b.to + 1 });
          return (
            <rect key={b.from} data-testid="sim-hot-bar" data-count={b.count} x={PAD.left + i * bw + 0.5} y={PAD.top + plotH - h} width={Math.max(bw - 1, 0.5)} height={h} fill="#f97316">
              <title>{`${label}: ${b.count}`}</title>
            </rect>
          );
        })}
        <text x={PAD.left} y={H - 6} fontSize="9" fill="#64748b">
          {t('simulation.results.day', { day: 1 })}
        </text>
        <text x={W - PAD.right} y={H - 6} fontSize="9" fill="#64748b" textAnchor="end">
          {t('simulation.results.day', { day: bars.at(-1) ? bars.at(-1)!.to + 1 : days })}
        </text>
      </svg>
      <figcaption className="muted small">{t('simulation.results.hotChart', { count: total })}</figcaption>
    </figure>
  );
}
