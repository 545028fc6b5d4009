// The daily chart's echarts option, from the shaped data and the labels in the reader's language:
// sends as bars, the other counts as lines on the left axis, open and click rates as dashed lines
// in percent on the right.
import type { ChartData } from './shape.ts';

/** A plain echarts option object (kept free of echarts' types so it is built and tested without loading the library). */
export function chartOption(data: ChartData, label: (id: string) => string, percentAxis: string): Record<string, unknown> {
  const colors: Record<string, string> = {
    sends: '#93c5fd',
    opens: '#2563eb',
    clicks: '#7c3aed',
    hotLeads: '#dc2626',
    handoffs: '#d97706',
    goals: '#059669',
    openRate: '#2563eb',
    clickRate: '#7c3aed',
  };
  return {
    animation: false,
    grid: { left: 48, right: 56, top: 40, bottom: 32 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: data.days.map((d) => d.slice(5)) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', name: percentAxis, min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      ...data.counts.map((s) => ({
        id: s.id,
        name: label(s.id),
        type: s.id === 'sends' ? 'bar' : 'line',
        data: s.values,
        yAxisIndex: 0,
        itemStyle: { color: colors[s.id] },
        ...(s.id === 'sends' ? { barMaxWidth: 24 } : { symbolSize: 5 }),
      })),
      ...data.rates.map((s) => ({
        id: s.id,
        name: label(s.id),
        type: 'line',
        data: s.values,
        yAxisIndex: 1,
        connectNulls: false,
        symbol: 'none',
        lineStyle: { type: 'dashed', color: colors[s.id] },
        itemStyle: { color: colors[s.id] },
      })),
    ],
  };
}
