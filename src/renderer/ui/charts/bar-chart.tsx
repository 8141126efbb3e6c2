/** A grouped bar chart (echarts, only the parts it needs) that follows the light/dark scheme. */
import { useMemo } from 'react';
import { useComputedColorScheme } from '@mantine/core';
import * as echarts from 'echarts/core';
import { BarChart as EBarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useFontsLoaded, withAppFont } from './font.js';

echarts.use([EBarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  values: number[];
  color: string;
}

export interface BarChartProps {
  categories: string[];
  series: BarSeries[];
  /** Formats axis labels and tooltips. */
  format?: (value: number) => string;
  height?: number;
  /** A logarithmic value axis, for counts that span orders of magnitude (zeros are left out). */
  logScale?: boolean;
  'data-testid'?: string;
}

export function BarChart({ categories, series, format, height = 260, logScale = false, ...rest }: BarChartProps) {
  const scheme = useComputedColorScheme('light');
  const text = scheme === 'dark' ? '#c9c9c9' : '#495057';
  const line = scheme === 'dark' ? '#424242' : '#e9ecef';
  const option = useMemo(
    () => ({
      backgroundColor: 'transparent',
      animation: false,
      textStyle: { color: text },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: text } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => (typeof v === 'number' && format ? format(v) : String(v)),
      },
      xAxis: { type: 'category', data: categories, axisLabel: { color: text, interval: 0 }, axisLine: { lineStyle: { color: line } } },
      yAxis: {
        type: logScale ? 'log' : 'value',
        ...(logScale ? { min: 1, logBase: 10 } : {}),
        axisLabel: { color: text, ...(format ? { formatter: (v: number) => format(v) } : {}) },
        splitLine: { lineStyle: { color: line } },
      },
      series: series.map((s) => ({ name: s.name, type: 'bar', data: logScale ? s.values.map((v) => (v > 0 ? v : null)) : s.values, itemStyle: { color: s.color, borderRadius: [3, 3, 0, 0] }, barMaxWidth: 36 })),
    }),
    [categories, series, format, logScale, text, line],
  );
  const fontsLoaded = useFontsLoaded();
  // fontsLoaded is a dependency only to redraw canvas text once the shipped CJK font has loaded.
  const themed = useMemo(() => withAppFont(option), [option, fontsLoaded]);
  return (
    <div data-testid={rest['data-testid']} style={{ height }}>
      <ReactEChartsCore echarts={echarts} option={themed} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
