/** Re-identification risk charts for an anonymised version (certificate, privacy results). Texts come in translated. */
import { baseOption, chartTheme, type ChartOption, type ChartScheme } from './index.js';
import type { Risk } from '../model/privacy.js';

/** The bucket order of Risk.histogram (class sizes). */
export const CLASS_SIZE_BUCKETS = ['1', '2', '3-4', '5-9', '10-19', '20-49', '50+'] as const;

/** Number of equivalence classes per class-size bucket, before and after anonymisation, side by side. */
export function classSizeOption(before: Risk, after: Risk, labels: { before: string; after: string; classSize: string; classes: string }, scheme: ChartScheme = 'light'): ChartOption {
  const t = chartTheme(scheme);
  const values = (r: Risk) => CLASS_SIZE_BUCKETS.map((b) => r.histogram[b] ?? 0);
  return {
    ...baseOption(scheme),
    legend: { top: 0, textStyle: { color: t.text } },
    grid: { left: 56, right: 16, top: 36, bottom: 40, containLabel: false },
    xAxis: { type: 'category', data: [...CLASS_SIZE_BUCKETS], name: labels.classSize, nameLocation: 'middle', nameGap: 26, axisLabel: { color: t.text }, nameTextStyle: { color: t.text } },
    yAxis: { type: 'value', name: labels.classes, nameLocation: 'middle', nameGap: 40, axisLabel: { color: t.text }, nameTextStyle: { color: t.text }, splitLine: { lineStyle: { color: t.line } } },
    series: [
      { name: labels.before, type: 'bar', data: values(before), itemStyle: { color: t.palette[3] }, label: { show: true, position: 'top', color: t.text } },
      { name: labels.after, type: 'bar', data: values(after), itemStyle: { color: t.palette[1] }, label: { show: true, position: 'top', color: t.text } },
    ],
  };
}

/** Prosecutor (max, average), marketer risk and records at risk, before vs after, in percent. */
export function riskComparisonOption(before: Risk, after: Risk, labels: { before: string; after: string; measures: [string, string, string, string] }, scheme: ChartScheme = 'light'): ChartOption {
  const t = chartTheme(scheme);
  const pick = (r: Risk) => [r.prosecutorMax, r.prosecutorAvg, r.marketer, r.recordsAtRisk].map((v) => Math.round(v * 1e4) / 100);
  return {
    ...baseOption(scheme),
    legend: { top: 0, textStyle: { color: t.text } },
    grid: { left: 48, right: 16, top: 36, bottom: 28, containLabel: false },
    xAxis: { type: 'category', data: labels.measures, axisLabel: { color: t.text, interval: 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { color: t.text, formatter: '{value}%' }, splitLine: { lineStyle: { color: t.line } } },
    series: [
      { name: labels.before, type: 'bar', data: pick(before), itemStyle: { color: t.palette[3] }, label: { show: true, position: 'top', color: t.text, formatter: '{c}%' } },
      { name: labels.after, type: 'bar', data: pick(after), itemStyle: { color: t.palette[1] }, label: { show: true, position: 'top', color: t.text, formatter: '{c}%' } },
    ],
  };
}
