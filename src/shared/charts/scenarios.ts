/**
 * Scenario dashboard charts: one builder turns a run's stored ChartData (bar, hbar, line, histogram) into an
 * ECharts option, so the dashboard and a PDF snapshot of it draw the same thing. Texts come in translated.
 */
import type { ChartData } from '../model/scenarios.js';
import { baseOption, chartTheme, type ChartOption, type ChartScheme } from './index.js';

export interface ScenarioChartLabels {
  title: string;
  /** Series display names by series name. */
  series: Record<string, string>;
  /** Graph charts: the layers' display names, in category order. */
  categories?: string[];
}

export function scenarioChartOption(chart: ChartData, scheme: ChartScheme, labels: ScenarioChartLabels): ChartOption {
  const theme = chartTheme(scheme);
  const base = baseOption(scheme);
  const name = (s: string) => labels.series[s] ?? s;
  const axisLine = { lineStyle: { color: theme.line } };
  const splitLine = { lineStyle: { color: theme.line } };
  const legend = chart.series.length > 1 ? { top: 24, textStyle: { color: theme.text }, data: chart.series.map((s) => name(s.name)) } : undefined;
  const common = {
    ...base,
    title: { text: labels.title, left: 0, top: 0, textStyle: { fontSize: 13, fontWeight: 600, color: theme.text } },
    tooltip: { trigger: 'axis' },
    ...(legend ? { legend } : {}),
    grid: { left: 8, right: 16, top: legend ? 56 : 36, bottom: 8, containLabel: true },
  };
  // A vertical marker (threshold, cut-off) on the category or value axis.
  const mark = (x: number | undefined, categories: boolean) =>
    x === undefined
      ? {}
      : {
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: theme.palette[3], type: 'dashed', width: 2 },
            label: { formatter: String(x), color: theme.text },
            data: [categories ? { xAxis: nearestCategory(chart.x as number[], x) } : { xAxis: x }],
          },
        };

  if (chart.kind === 'graph') {
    // Layered network: nodes at their given positions, coloured by layer; a single point of failure gets a red
    // border, a failed (lost) node is drawn grey.
    const categories = (labels.categories ?? []).map((name) => ({ name }));
    return {
      ...base,
      title: common.title,
      tooltip: { trigger: 'item' },
      legend: { top: 24, textStyle: { color: theme.text }, data: categories.map((c) => c.name) },
      series: [
        {
          type: 'graph',
          layout: 'none',
          top: 64,
          bottom: 16,
          left: 40,
          // Labels sit right of their node: the last layer (plants) needs room for its names.
          right: 96,
          roam: true,
          categories,
          label: { show: true, position: 'right', fontSize: 10, color: theme.text },
          lineStyle: { color: theme.line, opacity: 0.9, width: 1 },
          data: (chart.nodes ?? []).map((n) => ({
            id: n.id,
            name: n.name,
            x: n.x,
            y: n.y,
            category: n.category,
            symbolSize: n.size,
            itemStyle: n.flag === 'lost' ? { color: '#868e96', opacity: 0.6 } : n.flag === 'cut' ? { borderColor: theme.palette[3], borderWidth: 3 } : {},
          })),
          links: (chart.links ?? []).map((l) => ({ source: l.source, target: l.target })),
        },
      ],
    };
  }
  if (chart.kind === 'hbar') {
    return {
      ...common,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', axisLine, splitLine },
      yAxis: { type: 'category', data: [...chart.x].reverse(), axisLine, axisLabel: { color: theme.text } },
      series: chart.series.map((s) => ({ type: 'bar', name: name(s.name), data: [...s.values].reverse(), barMaxWidth: 22 })),
    };
  }
  if (chart.kind === 'line' && typeof chart.x[0] === 'string') {
    // A time series (days): a category axis in the given order.
    return {
      ...common,
      xAxis: { type: 'category', data: chart.x.map(String), axisLine, axisLabel: { color: theme.text } },
      yAxis: { type: 'value', axisLine, splitLine, scale: true },
      series: chart.series.map((s) => ({ type: 'line', name: name(s.name), showSymbol: false, smooth: false, data: s.values })),
    };
  }
  if (chart.kind === 'line') {
    return {
      ...common,
      xAxis: { type: 'value', min: 0, max: 1, axisLine, splitLine },
      yAxis: { type: 'value', axisLine, splitLine, scale: true },
      series: chart.series.map((s, i) => ({
        type: 'line',
        name: name(s.name),
        showSymbol: false,
        data: chart.x.map((x, k) => [x, s.values[k] ?? null]),
        ...(i === 0 ? mark(chart.markX, false) : {}),
      })),
    };
  }
  if (chart.kind === 'histogram') {
    // Stacked bars per bin, labelled by the bin's start.
    return {
      ...common,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: chart.x.map(String), axisLine, axisLabel: { color: theme.text } },
      yAxis: { type: 'value', axisLine, splitLine },
      series: chart.series.map((s, i) => ({ type: 'bar', name: name(s.name), stack: 'all', data: s.values, barCategoryGap: '5%', ...(i === 0 ? mark(chart.markX, true) : {}) })),
    };
  }
  return {
    ...common,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: chart.x.map(String), axisLine, axisLabel: { color: theme.text, interval: 0, rotate: chart.x.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', axisLine, splitLine },
    series: chart.series.map((s) => ({ type: 'bar', name: name(s.name), data: s.values, barMaxWidth: 36 })),
  };
}

/** The category label of the bin that holds x (bins labelled by their start). */
function nearestCategory(starts: number[], x: number): string {
  let best = starts[0] ?? 0;
  for (const s of starts) if (s <= x) best = s;
  return String(best);
}
