// The daily chart. echarts is loaded with a dynamic import the first time a chart is drawn, so the
// editor's other screens never load it; it draws SVG, redrawn when the data or the language changes
// and resized with its box.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chartOption } from './chart-option.ts';
import type { ChartData } from './shape.ts';

type Chart = { setOption(option: object, notMerge?: boolean): void; resize(): void; dispose(): void };

/** Sends, opens, clicks, hot leads, hand-offs and goals per day, with the open and click rates. */
export function DailyChart({ data }: { data: ChartData }) {
  const { t, i18n } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    import('./chart-setup.ts').then(
      ({ echarts }) => {
        if (!live || !box.current) return;
        chart.current ??= echarts.init(box.current, undefined, { renderer: 'svg' }) as unknown as Chart;
        chart.current.setOption(chartOption(data, (id) => t(`dashboard.series.${id}`), t('dashboard.series.rateAxis')), true);
        box.current.dataset['ready'] = 'true';
      },
      (e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [data, t, i18n.language]);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => chart.current?.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  if (failed) return <p className="error">{t('app.error', { message: failed })}</p>;
  return <div ref={box} className="kpi-chart" data-testid="kpi-chart" role="img" aria-label={t('dashboard.chartTitle')} />;
}
