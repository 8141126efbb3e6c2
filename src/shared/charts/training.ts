/**
 * A model's evaluation charts (ROC, learning curves, confusion matrix, cross-validation, feature importance) as
 * ECharts options, for the model card and any page that wants them. Texts come in as arguments (already translated).
 */
import { baseOption, chartTheme, type ChartOption, type ChartScheme } from './index.js';
import type { ModelReport } from '../model/training.js';

const axis = (scheme: ChartScheme, name: string | undefined, extra: Record<string, unknown> = {}) => {
  const t = chartTheme(scheme);
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 28,
    nameTextStyle: { color: t.text },
    axisLabel: { color: t.text },
    axisLine: { lineStyle: { color: t.line } },
    splitLine: { lineStyle: { color: t.line } },
    ...extra,
  };
};

/** ROC curve with the chance diagonal; the legend names the AUC when it is known. */
export function rocOption(roc: NonNullable<ModelReport['roc']>, labels: { fpr: string; tpr: string; chance: string; auc?: number }, scheme: ChartScheme = 'light'): ChartOption {
  const t = chartTheme(scheme);
  const name = labels.auc !== undefined ? `ROC (AUC ${labels.auc.toFixed(3)})` : 'ROC';
  return {
    ...baseOption(scheme),
    grid: { left: 44, right: 20, top: 36, bottom: 40, containLabel: false },
    legend: { top: 0, textStyle: { color: t.text } },
    xAxis: axis(scheme, labels.fpr, { min: 0, max: 1 }),
    yAxis: axis(scheme, labels.tpr, { min: 0, max: 1, nameGap: 32 }),
    series: [
      { name, type: 'line', showSymbol: false, data: roc.fpr.map((x, i) => [x, roc.tpr[i] ?? 0]), lineStyle: { width: 2, color: t.palette[0] }, itemStyle: { color: t.palette[0] }, areaStyle: { opacity: 0.12 } },
      { name: labels.chance, type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { type: 'dashed', color: '#adb5bd' }, itemStyle: { color: '#adb5bd' } },
    ],
  };
}

/** Training loss, validation loss and (on the right axis) the validation metric by epoch. */
export function learningCurvesOption(history: ModelReport['history'], labels: { epoch: string; loss: string; valLoss: string; valMetric: string }, scheme: ChartScheme = 'light'): ChartOption {
  const t = chartTheme(scheme);
  const series: Record<string, unknown>[] = [{ name: labels.loss, type: 'line', showSymbol: history.length < 30, data: history.map((h) => [h.epoch, h.loss]), itemStyle: { color: t.palette[0] } }];
  const val = history.filter((h) => h.valLoss !== undefined);
  if (val.length) series.push({ name: labels.valLoss, type: 'line', showSymbol: val.length < 30, data: val.map((h) => [h.epoch, h.valLoss]), itemStyle: { color: t.palette[2] } });
  const metric = history.filter((h) => h.valMetric !== undefined);
  if (metric.length) series.push({ name: labels.valMetric, type: 'line', yAxisIndex: 1, showSymbol: metric.length < 30, lineStyle: { type: 'dashed' }, data: metric.map((h) => [h.epoch, h.valMetric]), itemStyle: { color: t.palette[1] } });
  return {
    ...baseOption(scheme),
    grid: { left: 50, right: metric.length ? 50 : 20, top: 36, bottom: 40, containLabel: false },
    legend: { top: 0, textStyle: { color: t.text } },
    xAxis: axis(scheme, labels.epoch, { minInterval: 1, min: history[0]?.epoch ?? 1 }),
    yAxis: [axis(scheme, undefined, { scale: true }), axis(scheme, undefined, { scale: true, splitLine: { show: false } })],
    series,
  };
}

/** Confusion matrix as a heat map: rows the true classes, columns the predicted, each cell its count. */
export function confusionOption(classes: string[], matrix: number[][], labels: { actual: string; predicted: string }, scheme: ChartScheme = 'light'): ChartOption {
  const t = chartTheme(scheme);
  const names = classes.length === matrix.length ? classes : matrix.map((_, i) => String(i));
  const data: [number, number, number][] = [];
  let max = 0;
  matrix.forEach((row, i) => row.forEach((v, j) => {
    data.push([j, names.length - 1 - i, v]);
    max = Math.max(max, v);
  }));
  return {
    ...baseOption(scheme),
    grid: { left: 70, right: 20, top: 16, bottom: 44, containLabel: false },
    xAxis: { type: 'category', data: names, name: labels.predicted, nameLocation: 'middle', nameGap: 28, axisLabel: { color: t.text }, nameTextStyle: { color: t.text }, splitArea: { show: true } },
    yAxis: { type: 'category', data: [...names].reverse(), name: labels.actual, nameLocation: 'middle', nameGap: 56, axisLabel: { color: t.text }, nameTextStyle: { color: t.text }, splitArea: { show: true } },
    visualMap: { show: false, min: 0, max: Math.max(1, max), inRange: { color: scheme === 'dark' ? ['#25262b', '#364fc7'] : ['#f8f9fa', '#91a7ff'] } },
    series: [{ type: 'heatmap', data, label: { show: true, color: t.text, fontSize: 13 } }],
  };
}

/** One bar per cross-validation fold. */
export function crossValidationOption(cv: NonNullable<ModelReport['cv']>, labels: { fold: (n: number) => string }, scheme: ChartScheme = 'light'): ChartOption {
  const t = chartTheme(scheme);
  return {
    ...baseOption(scheme),
    xAxis: { type: 'category', data: cv.scores.map((_, i) => labels.fold(i + 1)), axisLabel: { color: t.text } },
    yAxis: axis(scheme, cv.metric, { scale: true, nameGap: 40 }),
    grid: { left: 56, right: 16, top: 20, bottom: 28, containLabel: false },
    series: [{ type: 'bar', data: cv.scores.map((s) => Math.round(s * 1e4) / 1e4), barMaxWidth: 36, label: { show: true, position: 'top', color: t.text } }],
  };
}

/** Permutation importance, largest on top, with one standard deviation as a label. */
export function importanceOption(importance: { feature: string; mean: number; std: number }[], labels: { metric: string }, scheme: ChartScheme = 'light', limit = 15): ChartOption {
  const t = chartTheme(scheme);
  const top = [...importance].sort((a, b) => b.mean - a.mean).slice(0, limit).reverse();
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 40, top: 24, bottom: 8, containLabel: true },
    xAxis: axis(scheme, labels.metric, { nameLocation: 'end', nameGap: 8 }),
    yAxis: { type: 'category', data: top.map((f) => f.feature), axisLabel: { color: t.text } },
    series: [{ type: 'bar', data: top.map((f) => Math.round(f.mean * 1e4) / 1e4), itemStyle: { color: t.palette[0] }, label: { show: true, position: 'right', color: t.text } }],
  };
}
