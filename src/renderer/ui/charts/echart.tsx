/**
 * Draws any ECharts option built in src/shared/charts (the same option the PDF reports render to SVG). Registers the
 * chart types and components those builders use; add one here when a builder needs it.
 */
import * as echarts from 'echarts/core';
import { BarChart, BoxplotChart, GaugeChart, GraphChart, HeatmapChart, LineChart, PieChart, ScatterChart, SankeyChart, TreemapChart } from 'echarts/charts';
import {
  DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, MarkPointComponent, TitleComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useFontsLoaded, withAppFont } from './font.js';
import type { ChartOption } from '../../../shared/charts/index.js';

echarts.use([
  BarChart, BoxplotChart, GaugeChart, GraphChart, HeatmapChart, LineChart, PieChart, ScatterChart, SankeyChart, TreemapChart,
  DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, MarkPointComponent, TitleComponent, TooltipComponent, VisualMapComponent,
  CanvasRenderer,
]);

export interface EChartProps {
  option: ChartOption;
  height?: number;
  /** Called with the clicked item's params (e.g. a bar or a graph node). */
  onClick?: (params: { name?: string; dataIndex?: number; seriesIndex?: number; data?: unknown }) => void;
  'data-testid'?: string;
}

export function EChart({ option, height = 280, onClick, ...rest }: EChartProps) {
  const fontsLoaded = useFontsLoaded();
  // fontsLoaded is a dependency only to redraw canvas text once the shipped CJK font has loaded.
  const themed = useMemo(() => withAppFont(option), [option, fontsLoaded]);
  return (
    <div data-testid={rest['data-testid']} style={{ height }}>
      <ReactEChartsCore
        echarts={echarts}
        option={themed}
        notMerge
        style={{ height, width: '100%' }}
        opts={{ renderer: 'canvas' }}
        onEvents={onClick ? { click: onClick } : {}}
      />
    </div>
  );
}
