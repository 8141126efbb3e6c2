/**
 * Credit-risk dashboard from a run's held-out applicants: the model's P(bad), the true outcome, sex and age
 * band. The cut-off what-if re-cuts the stored scores: approval and bad rates, the trade-off curve, the group
 * approval rates of the fairness panel, and each explained applicant's decision.
 */
import type { Dashboard, WhatIf } from '../../../shared/model/scenarios.js';
import { creditAt, groupRates, scoreHistogram, THRESHOLD_GRID } from './kpis.js';

export interface CreditBase {
  heldOut: { score: number[]; bad: number[]; sex: string[]; ageBand: string[] };
  /** Explained applicants: held-out position, the model's P(bad), and the inputs pushing it up most. */
  reasons: { index: number; applicant: string; score: number; top: { feature: string; value: number }[] }[];
  rocAuc: number | null;
}

export const CREDIT_WHAT_IF = { cutoff: 0.5 } as const;

/** German Credit's personal_status codes (german.doc): A92 and A95 are female, A91, A93 and A94 male. */
export function sexOf(value: string): string {
  const v = value.trim().toUpperCase();
  if (v === 'A92' || v === 'A95') return 'female';
  if (v === 'A91' || v === 'A93' || v === 'A94') return 'male';
  return value;
}

export function ageBand(age: number | null): string {
  if (age === null || !Number.isFinite(age)) return 'unknown';
  if (age < 25) return '<25';
  if (age < 35) return '25-34';
  if (age < 50) return '35-49';
  return '50+';
}

const r3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

export function creditDashboard(base: CreditBase, whatIf: WhatIf): Dashboard {
  const settings = { ...CREDIT_WHAT_IF, ...whatIf };
  const { score, bad, sex, ageBand: age } = base.heldOut;
  const at = creditAt(score, bad, settings.cutoff);
  const hist = scoreHistogram(score, bad);
  const curve = THRESHOLD_GRID.map((t) => creditAt(score, bad, t));
  const approved = score.map((s) => s < settings.cutoff);
  const bySex = groupRates(sex, approved);
  const byAge = groupRates(age, approved);
  const hasSex = new Set(sex).size > 1;
  const hasAge = new Set(age).size > 1;
  return {
    kpis: [
      { key: 'approvalRate', value: at.approvalRate, format: 'percent' },
      { key: 'badRate', value: at.badRate, format: 'percent' },
      { key: 'badsCaught', value: at.badsCaught, format: 'percent' },
      { key: 'rocAuc', value: base.rocAuc, format: 'ratio' },
      { key: 'gini', value: base.rocAuc === null ? null : 2 * base.rocAuc - 1, format: 'ratio' },
      ...(hasSex ? [{ key: 'disparateImpactSex', value: bySex.disparateImpact, format: 'ratio' as const }] : []),
      ...(hasAge ? [{ key: 'disparateImpactAge', value: byAge.disparateImpact, format: 'ratio' as const }] : []),
    ],
    charts: [
      { key: 'scoreHistogram', kind: 'histogram', x: hist.starts, series: [{ name: 'good', values: hist.negative }, { name: 'bad', values: hist.positive }], markX: settings.cutoff },
      {
        key: 'tradeOff',
        kind: 'line',
        x: [...THRESHOLD_GRID],
        series: [
          { name: 'approvalRate', values: curve.map((c) => r3(c.approvalRate)) },
          { name: 'badRate', values: curve.map((c) => r3(c.badRate)) },
        ],
        markX: settings.cutoff,
      },
      ...(hasSex ? [{ key: 'approvalBySex', kind: 'bar' as const, x: bySex.rates.map((r) => r.group), series: [{ name: 'approvalRate', values: bySex.rates.map((r) => r3(r.rate)) }] }] : []),
      ...(hasAge ? [{ key: 'approvalByAge', kind: 'bar' as const, x: byAge.rates.map((r) => r.group), series: [{ name: 'approvalRate', values: byAge.rates.map((r) => r3(r.rate)) }] }] : []),
    ],
    tables: [
      {
        key: 'fairness',
        columns: ['attribute', 'group', 'applicants', 'approvalRate'],
        rows: [...(hasSex ? bySex.rates.map((r) => ['sex', r.group, r.n, r3(r.rate)]) : []), ...(hasAge ? byAge.rates.map((r) => ['age', r.group, r.n, r3(r.rate)]) : [])],
      },
      {
        key: 'reasons',
        columns: ['applicant', 'risk', 'decision', 'reasons'],
        rows: base.reasons.map((r) => [
          r.applicant,
          r3(r.score),
          r.score < settings.cutoff ? 'approve' : 'decline',
          r.top.map((t) => `${t.feature} ${t.value >= 0 ? '+' : ''}${t.value.toFixed(3)}`).join('; '),
        ]),
      },
    ],
    controls: [{ key: 'cutoff', min: 0.05, max: 0.95, step: 0.01, format: 'number' }],
    whatIf: settings,
    notes: [
      { key: 'heldOutRows', params: { rows: score.length } },
      ...(hasSex ? [{ key: 'parityDifference', params: { attribute: 'sex', value: r3(bySex.parityDifference) ?? 0 } }] : []),
      ...(hasAge ? [{ key: 'parityDifference', params: { attribute: 'age', value: r3(byAge.parityDifference) ?? 0 } }] : []),
    ],
  };
}
