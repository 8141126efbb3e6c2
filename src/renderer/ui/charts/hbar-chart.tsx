/**
 * A horizontal bar chart for ranked values (feature importance, per-row contributions), largest on top; negative
 * values draw to the left in their own colour. Optional error bars (± std). Follows the light/dark scheme.
 */
import { useMemo } from 'react';
import { useComputedColorScheme } from '@mantine/core';
import * as echarts from 'echarts/core';
import { BarChart as EBarChart, CustomChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useFontsLoaded, withAppFont } from './font.js';

echarts.use([EBarChart, CustomChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface HBarItem {
  label: string;
  value: number;
  /** Half-width of an error bar around the value. */
  error?: number;
}

export interface HBarChartProps {
  items: HBarItem[];
  color: string;
  negativeColor?: string;
  format?: (value: number) => string;
  /** Pixels per bar; the chart grows with the number of items. */
  barHeight?: number;
  'data-testid'?: string;
}

export function HBarChart({ items, color, negativeColor = '#fa5252', format, barHeight = 26, ...rest }: HBarChartProps) {
  const scheme = useComputedColorScheme('light');
  const text = scheme === 'dark' ? '#c9c9c9' : '#495057';
  const line = scheme === 'dark' ? '#424242' : '#e9ecef';
  const whisker = scheme === 'dark' ? '#e9ecef' : '#343a40';
  // echarts draws the first category at the bottom: reverse so the first item is on top.
  const ordered = useMemo(() => [...items].reverse(), [items]);
  const height = Math.max(120, ordered.length * barHeight + 40);
  const option = useMemo(
    () => ({
      backgroundColor: 'transparent',
      animation: false,
      textStyle: { color: text },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => (typeof v === 'number' && format ? format(v) : String(v)),
      },
      // Axis ticks keep echarts' own short labels; `format` is for the exact values in tooltips.
      xAxis: { type: 'value', axisLabel: { color: text }, splitLine: { lineStyle: { color: line } } },
      yAxis: {
        type: 'category',
        data: ordered.map((i) => i.label),
        axisLabel: { color: text, width: 180, overflow: 'truncate' },
        axisLine: { lineStyle: { color: line } },
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          data: ordered.map((i) => ({ value: i.value, itemStyle: { color: i.value < 0 ? negativeColor : color, borderRadius: i.value < 0 ? [3, 0, 0, 3] : [0, 3, 3, 0] } })),
          barMaxWidth: 18,
        },
        ...(ordered.some((i) => i.error !== undefined)
          ? [
              {
                type: 'custom',
                tooltip: { show: false },
                data: ordered.map((i, idx) => [idx, i.value - (i.error ?? 0), i.value + (i.error ?? 0)]),
                renderItem: (_params: unknown, api: { value: (d: number) => number; coord: (p: [number, number]) => [number, number] }) => {
                  const y = api.value(0);
                  const lo = api.coord([api.value(1), y]);
                  const hi = api.coord([api.value(2), y]);
                  const style = { stroke: whisker, lineWidth: 1.2 };
                  return {
                    type: 'group',
                    children: [
                      { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
                      { type: 'line', shape: { x1: lo[0], y1: lo[1] - 4, x2: lo[0], y2: lo[1] + 4 }, style },
                      { type: 'line', shape: { x1: hi[0], y1: hi[1] - 4, x2: hi[0], y2: hi[1] + 4 }, style },
                    ],
                  };
                },
                encode: { x: [1, 2], y: 0 },
                z: 10,
              },
            ]
          : []),
      ],
    }),
    [ordered, color, negativeColor, format, text, line, whisker],
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
