/** Server-side charts: an ECharts option from src/shared/charts rendered to an SVG string (no DOM, no canvas). */
import * as echarts from 'echarts';
import type { ChartOption } from '../../shared/charts/index.js';

/** Renders `option` at width × height CSS pixels; animation is off so the SVG is the final frame. */
export function renderChartSvg(option: ChartOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
