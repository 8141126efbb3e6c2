/** A line chart over numeric x (epochs, thresholds, feature values) that follows the light/dark scheme; an optional second y axis. */
import { useMemo } from 'react';
import { useComputedColorScheme } from '@mantine/core';
import * as echarts from 'echarts/core';
import { LineChart as ELineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useFontsLoaded, withAppFont } from './font.js';

echarts.use([ELineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface LineSeries {
  name: string;
  points: [number, number][];
  color: string;
  dashed?: boolean;
  /** Plots against the right-hand axis (e.g. accuracy beside a loss). */
  right?: boolean;
  /** Draws a marker on each point (useful while few points exist). */
  symbols?: boolean;
  /** Fills the area under the line lightly. */
  area?: boolean;
}

export interface LineChartProps {
  series: LineSeries[];
  xName?: string;
  yName?: string;
  rightName?: string;
  /** Fixes the x range (e.g. 1..epochs, so a curve grows from the left as epochs arrive). */
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
  format?: (value: number) => string;
  height?: number;
  /** A square plot (ROC curves). */
  square?: boolean;
  legend?: boolean;
  /** Whole-number ticks on x (epochs). */
  integerX?: boolean;
  'data-testid'?: string;
  /** Extra attributes for tests (e.g. the number of plotted points). */
  dataAttributes?: Record<string, string | number>;
}

export function LineChart({ series, xName, yName, rightName, xMin, xMax, yMin, yMax, format, height = 260, square = false, legend = true, integerX = false, dataAttributes = {}, ...rest }: LineChartProps) {
  const scheme = useComputedColorScheme('light');
  const text = scheme === 'dark' ? '#c9c9c9' : '#495057';
  const line = scheme === 'dark' ? '#424242' : '#e9ecef';
  const hasRight = series.some((s) => s.right);
  const option = useMemo(() => {
    const axisLabel = { color: text, ...(format ? { formatter: (v: number) => format(v) } : {}) };
    // Axis names sit along the axis, outside the labels (the grid leaves room for them below).
    const valueAxis = (name: string | undefined, min: number | undefined, max: number | undefined, split: boolean, right = false) => ({
      type: 'value',
      name,
      nameLocation: 'middle',
      nameGap: 46,
      nameRotate: right ? -90 : 90,
      nameTextStyle: { color: text },
      scale: min === undefined,
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      axisLabel,
      axisLine: { lineStyle: { color: line } },
      splitLine: { show: split, lineStyle: { color: line } },
    });
    return {
      backgroundColor: 'transparent',
      animation: false,
      textStyle: { color: text },
      grid: { left: yName ? 40 : 8, right: hasRight ? (rightName ? 40 : 8) : 20, top: legend ? 40 : 16, bottom: xName ? 28 : 8, containLabel: true },
      legend: legend ? { top: 0, textStyle: { color: text } } : undefined,
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? (format ? format(v) : String(Math.round(v * 1e4) / 1e4)) : String(v)),
      },
      xAxis: {
        type: 'value',
        name: xName,
        nameLocation: 'middle',
        nameGap: 24,
        nameTextStyle: { color: text },
        ...(xMin !== undefined ? { min: xMin } : { scale: true }),
        ...(xMax !== undefined ? { max: xMax } : {}),
        ...(integerX ? { minInterval: 1 } : {}),
        axisLabel: { color: text },
        axisLine: { lineStyle: { color: line } },
        splitLine: { show: false },
      },
      yAxis: hasRight ? [valueAxis(yName, yMin, yMax, true), valueAxis(rightName, undefined, undefined, false, true)] : valueAxis(yName, yMin, yMax, true),
      series: series.map((s) => ({
        name: s.name,
        type: 'line',
        data: s.points,
        yAxisIndex: hasRight && s.right ? 1 : 0,
        showSymbol: s.symbols ?? s.points.length <= 30,
        symbolSize: 5,
        lineStyle: { color: s.color, width: 2, type: s.dashed ? 'dashed' : 'solid' },
        itemStyle: { color: s.color },
        ...(s.area ? { areaStyle: { color: s.color, opacity: 0.08 } } : {}),
      })),
    };
  }, [series, xName, yName, rightName, xMin, xMax, yMin, yMax, format, text, line, hasRight, legend, integerX]);
  const attrs = Object.fromEntries(Object.entries(dataAttributes).map(([k, v]) => [`data-${k}`, String(v)]));
  const fontsLoaded = useFontsLoaded();
  // fontsLoaded is a dependency only to redraw canvas text once the shipped CJK font has loaded.
  const themed = useMemo(() => withAppFont(option), [option, fontsLoaded]);
  return (
    <div data-testid={rest['data-testid']} {...attrs} style={{ height, width: square ? height + 40 : '100%', maxWidth: '100%' }}>
      <ReactEChartsCore echarts={echarts} option={themed} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
