/** ECharts options of the Quality tab (and of reports): score by dimension, missing per column, histogram, top values, correlations. */
import { baseOption, chartTheme, type ChartOption, type ChartScheme } from './index.js';
import type { ColumnProfile, Correlation, Histogram, QualityDimensions, ValueCount } from '../model/quality.js';

const DIMENSIONS = ['completeness', 'uniqueness', 'validity', 'consistency', 'outliers'] as const;

/** Horizontal bars 0–100 per dimension; an unmeasured one has no bar. */
export function dimensionsChart(dimensions: QualityDimensions, labels: Record<(typeof DIMENSIONS)[number], string>, scheme: ChartScheme): ChartOption {
  const t = chartTheme(scheme);
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: t.line } } },
    yAxis: { type: 'category', inverse: true, data: DIMENSIONS.map((d) => labels[d]), axisLine: { lineStyle: { color: t.line } } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: DIMENSIONS.map((d) => {
          const v = dimensions[d];
          // Green when good, amber when fair, red when poor.
          return v === null ? null : { value: v, itemStyle: { color: v >= 95 ? t.palette[1] : v >= 80 ? t.palette[6] : t.palette[3] } };
        }),
        label: { show: true, position: 'right', formatter: '{c}', color: t.text },
      },
    ],
  };
}

/** Percentage of missing cells per column (only columns with any), largest first. */
export function missingChart(columns: readonly ColumnProfile[], scheme: ChartScheme): ChartOption {
  const t = chartTheme(scheme);
  const rows = columns
    .filter((c) => c.missing > 0)
    .map((c) => ({ name: c.name, value: Math.round((10_000 * c.missing) / (c.count + c.missing)) / 100 }))
    .sort((a, b) => b.value - a.value);
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: t.line } } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name) },
    series: [{ type: 'bar', barMaxWidth: 16, data: rows.map((r) => r.value), itemStyle: { color: t.palette[3] }, label: { show: true, position: 'right', formatter: '{c}%', color: t.text } }],
  };
}

/** Counts per bin, bins labelled by their lower edge. */
export function histogramChart(histogram: Histogram, countLabel: string, scheme: ChartScheme): ChartOption {
  const t = chartTheme(scheme);
  const digits = (x: number) => (Math.abs(x) >= 100 || Number.isInteger(x) ? 0 : Math.abs(x) >= 1 ? 2 : 3);
  const label = (x: number) => x.toFixed(digits(x));
  return {
    ...baseOption(scheme),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: histogram.counts.map((_, i) => `${label(histogram.edges[i]!)}–${label(histogram.edges[i + 1]!)}`),
      axisLabel: { hideOverlap: true },
      axisLine: { lineStyle: { color: t.line } },
    },
    yAxis: { type: 'value', name: countLabel, splitLine: { lineStyle: { color: t.line } } },
    series: [{ type: 'bar', barCategoryGap: '4%', data: histogram.counts, itemStyle: { color: t.palette[0] } }],
  };
}

/** The most frequent values, as horizontal bars. */
export function topValuesChart(values: readonly ValueCount[], scheme: ChartScheme): ChartOption {
  const t = chartTheme(scheme);
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', splitLine: { lineStyle: { color: t.line } } },
    yAxis: { type: 'category', inverse: true, data: values.map((v) => String(v.value)), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [{ type: 'bar', barMaxWidth: 16, data: values.map((v) => v.count), itemStyle: { color: t.palette[4] }, label: { show: true, position: 'right', color: t.text } }],
  };
}

/** A correlation matrix as a heatmap: −1..1 for Pearson, 0..1 for Cramér's V. */
export function correlationHeatmap(correlation: Correlation, scheme: ChartScheme): ChartOption {
  const t = chartTheme(scheme);
  const data: [number, number, number | string][] = [];
  correlation.matrix.forEach((row, y) => row.forEach((v, x) => data.push([x, y, v === null ? '-' : Math.round(v * 100) / 100])));
  const signed = correlation.method === 'pearson';
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    tooltip: { position: 'top' },
    xAxis: { type: 'category', data: correlation.columns, axisLabel: { rotate: 40, width: 90, overflow: 'truncate' }, splitArea: { show: true } },
    yAxis: { type: 'category', data: correlation.columns, inverse: true, axisLabel: { width: 110, overflow: 'truncate' }, splitArea: { show: true } },
    visualMap: {
      min: signed ? -1 : 0,
      max: 1,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      textStyle: { color: t.text },
      inRange: { color: signed ? ['#1c7ed6', scheme === 'dark' ? '#2e2e2e' : '#f8f9fa', '#e03131'] : [scheme === 'dark' ? '#2e2e2e' : '#f8f9fa', '#e8590c'] },
    },
    series: [{ type: 'heatmap', data, label: { show: correlation.columns.length <= 12, fontSize: 10, color: t.text } }],
  };
}
