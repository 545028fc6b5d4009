// The parts of echarts the daily chart uses, registered once. Imported only through a dynamic
// import (daily-chart.tsx), so the chart library is a chunk of its own that loads with the dashboard.
import { BarChart, LineChart } from 'echarts/charts';
import { GridSimpleComponent, LegendPlainComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridSimpleComponent, LegendPlainComponent, TooltipComponent, SVGRenderer]);

export { echarts };
