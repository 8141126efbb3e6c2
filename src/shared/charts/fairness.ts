/**
 * Fairness charts (screen and PDF): a metric by group with bootstrap intervals, disparate impact against the
 * reference with the four-fifths line, calibration curves by group, and the fairness–accuracy trade-off.
 * Texts come in as arguments so the same builder serves both languages.
 */
import { baseOption, chartTheme, type ChartOption, type ChartScheme } from './index.js';
import type { GroupResult, GroupMetric, TradeoffPoint, DisparateImpact } from '../model/fairness.js';

const round = (v: number | null | undefined, digits = 4): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

/** Bars of one metric per group, and the 95% interval drawn as a whisker (a boxplot collapsed onto the estimate). */
export function metricByGroupOption(groups: GroupResult[], metric: GroupMetric, scheme: ChartScheme, text: { metric: string; small: string }): ChartOption {
  const t = chartTheme(scheme);
  const names = groups.map((g) => g.key);
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', min: 0, max: 1, name: text.metric, nameLocation: 'middle', nameGap: 24, splitLine: { lineStyle: { color: t.line } } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: t.text, fontSize: 11 } },
    series: [
      {
        name: text.metric,
        type: 'bar',
        barMaxWidth: 18,
        data: groups.map((g) => ({ value: round(g[metric]), itemStyle: { color: g.small ? t.line : t.palette[0], opacity: g.small ? 0.9 : 1 } })),
      },
      {
        name: '95% CI',
        type: 'boxplot',
        boxWidth: [2, 6],
        itemStyle: { color: 'transparent', borderColor: t.text, borderWidth: 1.2 },
        data: groups.map((g) => {
          const v = round(g[metric]);
          const ci = g.ci?.[metric];
          if (v === null || !ci || ci.low === null || ci.high === null) return [null, null, null, null, null];
          return [round(ci.low), v, v, v, round(ci.high)];
        }),
      },
    ],
  };
}

/** Selection rate over the reference group's, per group; the band [0.8, 1.25] passes the four-fifths rule. */
export function disparateImpactOption(groups: GroupResult[], impact: Record<string, DisparateImpact>, scheme: ChartScheme, text: { axis: string; fourFifths: string }): ChartOption {
  const t = chartTheme(scheme);
  const colour = (v: DisparateImpact['verdict']) => (v === 'fail' ? t.palette[3] : v === 'pass' ? t.palette[1] : v === 'reference' ? t.palette[0] : t.line);
  const values = groups.map((g) => impact[g.key]?.ratio ?? null);
  const max = Math.max(1.3, ...values.filter((v): v is number => v !== null).map((v) => v * 1.05));
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', min: 0, max: Number(max.toFixed(2)), name: text.axis, nameLocation: 'middle', nameGap: 24, splitLine: { lineStyle: { color: t.line } } },
    yAxis: { type: 'category', data: groups.map((g) => g.key), inverse: true, axisLabel: { color: t.text, fontSize: 11 } },
    series: [
      {
        name: text.axis,
        type: 'bar',
        barMaxWidth: 18,
        data: groups.map((g, i) => ({ value: round(values[i]), itemStyle: { color: colour(impact[g.key]?.verdict ?? 'insufficient') } })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: t.palette[3], type: 'dashed' },
          label: { formatter: '{b}', color: t.text, fontSize: 10, position: 'end' },
          data: [{ xAxis: 0.8, name: text.fourFifths }, { xAxis: 1.25, name: '1.25' }],
        },
      },
    ],
  };
}

/** Reliability curves: mean predicted score against the observed positive share, per group, with the diagonal. */
export function calibrationOption(groups: GroupResult[], scheme: ChartScheme, text: { predicted: string; observed: string; perfect: string }): ChartOption {
  const t = chartTheme(scheme);
  const shown = groups.filter((g) => g.calibration && g.calibration.bins.length > 0 && !g.small);
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    legend: { type: 'scroll', top: 0, textStyle: { color: t.text, fontSize: 10 } },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', min: 0, max: 1, name: text.predicted, nameLocation: 'middle', nameGap: 24, splitLine: { lineStyle: { color: t.line } } },
    yAxis: { type: 'value', min: 0, max: 1, name: text.observed, splitLine: { lineStyle: { color: t.line } } },
    series: [
      { name: text.perfect, type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { type: 'dashed', color: t.text, width: 1 } },
      ...shown.map((g) => ({
        name: g.key,
        type: 'line',
        symbolSize: 5,
        data: g.calibration!.bins.map((b) => [round(b.meanPredicted), round(b.fractionPositive)]),
      })),
    ],
  };
}

/** Accuracy and the chosen disparity as one threshold moves across the scores; optional mitigated point. */
export function tradeoffOption(points: TradeoffPoint[], scheme: ChartScheme, text: { threshold: string; accuracy: string; disparity: string }): ChartOption {
  const t = chartTheme(scheme);
  return {
    ...baseOption(scheme),
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: t.text } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', min: round(points[0]?.threshold ?? 0), max: round(points[points.length - 1]?.threshold ?? 1), name: text.threshold, nameLocation: 'middle', nameGap: 24, splitLine: { lineStyle: { color: t.line } } },
    yAxis: { type: 'value', min: 0, max: 1, splitLine: { lineStyle: { color: t.line } } },
    series: [
      { name: text.accuracy, type: 'line', showSymbol: false, data: points.map((p) => [round(p.threshold), round(p.accuracy)]) },
      { name: text.disparity, type: 'line', showSymbol: false, data: points.map((p) => [round(p.threshold), round(p.disparity)]) },
    ],
  };
}

/** Privacy × utility × fairness: accuracy and the disparity per version (original, then anonymised), side by side. */
export function privacyFairnessOption(rows: { label: string; accuracy: number | null; disparity: number | null }[], scheme: ChartScheme, text: { accuracy: string; disparity: string }): ChartOption {
  const t = chartTheme(scheme);
  return {
    ...baseOption(scheme),
    legend: { top: 0, textStyle: { color: t.text } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { color: t.text } },
    yAxis: { type: 'value', min: 0, max: 1, splitLine: { lineStyle: { color: t.line } } },
    series: [
      { name: text.accuracy, type: 'bar', barMaxWidth: 28, data: rows.map((r) => round(r.accuracy)) },
      { name: text.disparity, type: 'bar', barMaxWidth: 28, data: rows.map((r) => round(r.disparity)) },
    ],
  };
}
