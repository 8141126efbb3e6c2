/**
 * Predictive maintenance dashboard from a run's held-out rows: the classifier's failure risk, the isolation
 * forest's anomaly score and the true outcome of each reading. The what-if (alert threshold, cost of a failure
 * and of an inspection) only re-cuts these stored scores, so it recomputes in microseconds.
 */
import type { Dashboard, WhatIf } from '../../../shared/model/scenarios.js';
import { costSaved, countsAt, ratio, scoreHistogram, THRESHOLD_GRID } from './kpis.js';

export interface MaintenanceBase {
  heldOut: { score: number[]; label: number[]; anomaly: number[]; machine: string[]; group: string[] };
  /** Failure-type counts over all rows (TWF, HDF, …), when the data has those columns. */
  failureTypes: { name: string; count: number }[];
  /** Permutation importance of the classifier's inputs (the explain job). */
  drivers: { feature: string; importance: number }[];
  /** ROC AUC of the classifier and of the anomaly score alone, on the held-out rows. */
  rocAuc: number | null;
  anomalyAuc: number | null;
  /** The classifier's decision threshold tuned for F1 on its validation rows: the alert threshold to start from. */
  defaultThreshold?: number;
}

export const MAINTENANCE_WHAT_IF = { threshold: 0.5, costFailure: 10000, costInspection: 500 } as const;

const r3 = (v: number) => Math.round(v * 1000) / 1000;

export function maintenanceDashboard(base: MaintenanceBase, whatIf: WhatIf): Dashboard {
  const start = base.defaultThreshold === undefined ? {} : { threshold: Math.round(base.defaultThreshold * 100) / 100 };
  const settings = { ...MAINTENANCE_WHAT_IF, ...start, ...whatIf };
  const { score, label, anomaly, machine, group } = base.heldOut;
  const c = countsAt(score, label, settings.threshold);
  const saved = costSaved(c, settings.costFailure, settings.costInspection);
  const hist = scoreHistogram(score, label);
  const curve = THRESHOLD_GRID.map((t) => costSaved(countsAt(score, label, t), settings.costFailure, settings.costInspection));
  const anomalyMax = Math.max(1e-12, ...anomaly);
  const anomalyHist = scoreHistogram(
    anomaly.map((a) => a / anomalyMax),
    label,
  );
  const groups = [...new Set(group)].sort();
  const meanRisk = groups.map((g) => {
    let s = 0;
    let n = 0;
    group.forEach((x, i) => {
      if (x === g) {
        s += score[i] as number;
        n++;
      }
    });
    return n > 0 ? r3(s / n) : null;
  });
  const alerts = score
    .map((s, i) => ({ s, i }))
    .filter((x) => x.s >= settings.threshold)
    .sort((a, b) => b.s - a.s)
    .slice(0, 50)
    .map(({ s, i }) => [machine[i] ?? String(i + 1), group[i] ?? '', r3(s), r3(anomaly[i] as number), label[i] === 1 ? 1 : 0]);
  return {
    kpis: [
      { key: 'alerts', value: c.tp + c.fp, format: 'count' },
      { key: 'failuresCaught', value: c.tp, format: 'count' },
      { key: 'failuresMissed', value: c.fn, format: 'count' },
      { key: 'precision', value: ratio(c.tp, c.tp + c.fp), format: 'percent' },
      { key: 'recall', value: ratio(c.tp, c.tp + c.fn), format: 'percent' },
      { key: 'costSaved', value: saved, format: 'money' },
      { key: 'rocAuc', value: base.rocAuc, format: 'ratio' },
      { key: 'anomalyAuc', value: base.anomalyAuc, format: 'ratio' },
    ],
    charts: [
      { key: 'riskHistogram', kind: 'histogram', x: hist.starts, series: [{ name: 'noFailure', values: hist.negative }, { name: 'failure', values: hist.positive }], markX: settings.threshold },
      { key: 'costCurve', kind: 'line', x: [...THRESHOLD_GRID], series: [{ name: 'costSaved', values: curve }], markX: settings.threshold },
      { key: 'failureTypes', kind: 'bar', x: base.failureTypes.map((f) => f.name), series: [{ name: 'count', values: base.failureTypes.map((f) => f.count) }] },
      { key: 'drivers', kind: 'hbar', x: base.drivers.map((d) => d.feature), series: [{ name: 'importance', values: base.drivers.map((d) => r3(d.importance)) }] },
      { key: 'anomalyHistogram', kind: 'histogram', x: anomalyHist.starts, series: [{ name: 'noFailure', values: anomalyHist.negative }, { name: 'failure', values: anomalyHist.positive }] },
      ...(groups.length > 1 ? [{ key: 'riskByGroup', kind: 'bar' as const, x: groups, series: [{ name: 'meanRisk', values: meanRisk }] }] : []),
    ],
    tables: [{ key: 'alerts', columns: ['machine', 'group', 'risk', 'anomaly', 'failed'], rows: alerts }],
    controls: [
      { key: 'threshold', min: 0.02, max: 0.98, step: 0.01, format: 'number' },
      { key: 'costFailure', min: 1000, max: 50000, step: 500, format: 'money' },
      { key: 'costInspection', min: 50, max: 5000, step: 50, format: 'money' },
    ],
    whatIf: settings,
    notes: [{ key: 'heldOutRows', params: { rows: score.length } }],
  };
}
