/**
 * Credit-risk dashboard from a run's held-out applicants: the model's P(bad), the true outcome, sex and age
 * band. The cut-off what-if re-cuts the stored scores: approval and bad rates, the trade-off curve, the group
 * approval rates of the fairness panel, and each explained applicant's decision.
 */
import type { Dashboard, WhatIf } from '../../../shared/model/scenarios.js';
import { auditFairness, encodeCategorical } from '../fairness/index.js';
import { creditAt, scoreHistogram, THRESHOLD_GRID } from './kpis.js';

/** Groups smaller than this among the held-out applicants are shown but left out of the disparities (the fairness engine's rule). */
const MIN_GROUP = 20;

export interface GroupFairness {
  rates: { group: string; n: number; rate: number | null; disparateImpact: number | null; verdict: string }[];
  /** The lowest disparate impact (approval rate over the reference group's) among the groups compared. */
  disparateImpact: number | null;
  /** Fairlearn's demographic parity difference of the approvals (max − min approval rate). */
  parityDifference: number | null;
}

/**
 * Approval rates by one attribute, from the fairness engine: approval is the favourable prediction and a good
 * outcome the favourable label, so its selection rate is the approval rate; the reference is the largest group.
 */
export function approvalFairness(attribute: string, groups: readonly string[], bad: readonly number[], approved: readonly boolean[]): GroupFairness {
  const result = auditFairness(
    { label: Uint8Array.from(bad, (b) => (b === 1 ? 0 : 1)), prediction: Uint8Array.from(approved, (a) => (a ? 1 : 0)), sensitive: [encodeCategorical(attribute, groups)] },
    { bootstrap: 0, minGroupSize: MIN_GROUP },
  );
  const impacts = result.groups
    .filter((g) => !g.small && !g.reference)
    .map((g) => result.disparities.disparateImpact[g.key]?.ratio)
    .filter((r): r is number => typeof r === 'number');
  return {
    rates: result.groups.map((g) => ({
      group: g.attributes[attribute] ?? g.key,
      n: g.n,
      rate: g.selectionRate,
      disparateImpact: result.disparities.disparateImpact[g.key]?.ratio ?? null,
      verdict: result.disparities.disparateImpact[g.key]?.verdict ?? 'insufficient',
    })),
    disparateImpact: impacts.length > 0 ? Math.min(...impacts) : null,
    parityDifference: result.disparities.demographicParityDifference,
  };
}

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
  const hasSexGroups = new Set(sex).size > 1;
  const hasAgeGroups = new Set(age).size > 1;
  const bySex = hasSexGroups ? approvalFairness('sex', sex, bad, approved) : null;
  const byAge = hasAgeGroups ? approvalFairness('age', age, bad, approved) : null;

  return {
    kpis: [
      { key: 'approvalRate', value: at.approvalRate, format: 'percent' },
      { key: 'badRate', value: at.badRate, format: 'percent' },
      { key: 'badsCaught', value: at.badsCaught, format: 'percent' },
      { key: 'rocAuc', value: base.rocAuc, format: 'ratio' },
      { key: 'gini', value: base.rocAuc === null ? null : 2 * base.rocAuc - 1, format: 'ratio' },
      ...(bySex ? [{ key: 'disparateImpactSex', value: bySex.disparateImpact, format: 'ratio' as const }] : []),
      ...(byAge ? [{ key: 'disparateImpactAge', value: byAge.disparateImpact, format: 'ratio' as const }] : []),
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
      ...(bySex ? [{ key: 'approvalBySex', kind: 'bar' as const, x: bySex.rates.map((r) => r.group), series: [{ name: 'approvalRate', values: bySex.rates.map((r) => r3(r.rate)) }] }] : []),
      ...(byAge ? [{ key: 'approvalByAge', kind: 'bar' as const, x: byAge.rates.map((r) => r.group), series: [{ name: 'approvalRate', values: byAge.rates.map((r) => r3(r.rate)) }] }] : []),
    ],
    tables: [
      {
        key: 'fairness',
        columns: ['attribute', 'group', 'applicants', 'approvalRate', 'disparateImpact', 'verdict'],
        rows: [...(bySex ? bySex.rates.map((r) => ['sex', r.group, r.n, r3(r.rate), r3(r.disparateImpact), r.verdict]) : []), ...(byAge ? byAge.rates.map((r) => ['age', r.group, r.n, r3(r.rate), r3(r.disparateImpact), r.verdict]) : [])],
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
      ...(bySex ? [{ key: 'parityDifference', params: { attribute: 'sex', value: r3(bySex.parityDifference) ?? 0 } }] : []),
      ...(byAge ? [{ key: 'parityDifference', params: { attribute: 'age', value: r3(byAge.parityDifference) ?? 0 } }] : []),
    ],
  };
}
