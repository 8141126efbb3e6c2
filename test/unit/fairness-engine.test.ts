// Fairness engine: hand-computed values, reference values on UCI Adult from an independent pandas/scikit-learn
// script (test/fixtures/fairness/adult_reference.py), and fast-check properties.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyGroupThresholds,
  auditFairness,
  binomial,
  encodeCategorical,
  multinomialFromCounts,
  reweighingWeights,
  thresholdOptimizer,
  tradeoffCurve,
} from '../../src/main/core/fairness/index.js';
import type { FairnessInput } from '../../src/main/core/fairness/index.js';
import { mulberry32 } from '../../src/main/core/random.js';
import { GROUP_METRICS, DISPARITY_METRICS } from '../../src/shared/model/fairness.js';

function tiny(): FairnessInput {
  // sex=F: (y,p) = (1,1) (1,0) (0,1) (0,0) (0,0); sex=M: (1,1) (1,1) (1,0) (0,1)
  const rows: [string, number, number][] = [
    ['F', 1, 1], ['F', 1, 0], ['F', 0, 1], ['F', 0, 0], ['F', 0, 0],
    ['M', 1, 1], ['M', 1, 1], ['M', 1, 0], ['M', 0, 1],
  ];
  return {
    label: Uint8Array.from(rows.map((r) => r[1])),
    prediction: Uint8Array.from(rows.map((r) => r[2])),
    sensitive: [encodeCategorical('sex', rows.map((r) => r[0]))],
  };
}

describe('fairness audit on a hand-computed table', () => {
  const result = auditFairness(tiny(), { minGroupSize: 1, bootstrap: 0 });
  it('computes every group rate', () => {
    const [f, m] = result.groups;
    expect(f!.key).toBe('sex=F');
    expect([f!.n, f!.tp, f!.fn, f!.fp, f!.tn]).toEqual([5, 1, 1, 1, 2]);
    expect(f!.baseRate).toBeCloseTo(0.4, 12);
    expect(f!.selectionRate).toBeCloseTo(0.4, 12);
    expect(f!.accuracy).toBeCloseTo(0.6, 12);
    expect(f!.tpr).toBeCloseTo(0.5, 12);
    expect(f!.fpr).toBeCloseTo(1 / 3, 12);
    expect(f!.tnr).toBeCloseTo(2 / 3, 12);
    expect(f!.ppv).toBeCloseTo(0.5, 12);
    expect(f!.npv).toBeCloseTo(2 / 3, 12);
    expect(f!.for).toBeCloseTo(1 / 3, 12);
    expect(m!.tnr).toBe(0);
    expect(m!.npv).toBe(0);
    expect(m!.for).toBe(1);
    expect(m!.fdr).toBeCloseTo(1 / 3, 12);
  });
  it('computes Fairlearn disparities and disparate impact against the largest group', () => {
    const d = result.disparities;
    expect(d.demographicParityDifference).toBeCloseTo(0.35, 12);
    expect(d.demographicParityRatio).toBeCloseTo(0.4 / 0.75, 12);
    expect(d.equalOpportunityDifference).toBeCloseTo(1 / 6, 12);
    expect(d.equalizedOddsDifference).toBeCloseTo(2 / 3, 12); // FPR gap 1 − 1/3 beats TPR gap 1/6
    expect(d.equalizedOddsRatio).toBeCloseTo(1 / 3, 12); // FPR ratio (1/3)/1 beats TPR ratio 0.75
    expect(result.reference).toEqual({ sex: 'F' });
    expect(d.disparateImpact['sex=M']).toMatchObject({ ratio: 1.875, verdict: 'fail' });
    expect(d.disparateImpact['sex=F']!.verdict).toBe('reference');
    expect(result.groups[1]!.ratios.selectionRate).toBeCloseTo(1.875, 12);
  });
  it('flags small groups and leaves them out of disparities', () => {
    const r = auditFairness(tiny(), { minGroupSize: 5, bootstrap: 0 });
    expect(r.groups.map((g) => g.small)).toEqual([false, true]);
    expect(r.disparities.excludedSmallGroups).toEqual(['sex=M']);
    expect(r.disparities.demographicParityDifference).toBe(0);
    expect(r.disparities.disparateImpact['sex=M']!.verdict).toBe('insufficient');
  });
  it('honours a chosen reference group and rejects an empty one', () => {
    const r = auditFairness(tiny(), { minGroupSize: 1, bootstrap: 0, reference: { sex: 'M' } });
    expect(r.reference).toEqual({ sex: 'M' });
    expect(r.disparities.disparateImpact['sex=F']!.ratio).toBeCloseTo(0.4 / 0.75, 12);
    expect(() => auditFairness(tiny(), { bootstrap: 0, reference: { sex: 'X' } })).toThrow(/reference group/);
  });
  it('rejects columns of different lengths and empty input', () => {
    const input = tiny();
    expect(() => auditFairness({ ...input, prediction: input.prediction.subarray(1) })).toThrow(/length/);
    expect(() => auditFairness({ label: new Uint8Array(0), prediction: new Uint8Array(0), sensitive: [encodeCategorical('s', [])] })).toThrow(/no rows/);
  });
});

interface RefGroup {
  key: string;
  n: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  brier: number;
  calibration: { meanPredicted: number; fractionPositive: number }[];
  [metric: string]: unknown;
}
interface RefAnalysis {
  columns: string[];
  groups: RefGroup[];
  reference: Record<string, string>;
  disparities: Record<string, unknown> & { disparateImpact: Record<string, number>; excludedSmallGroups: string[] };
}
interface Reference {
  rows: number;
  overall: Record<string, number>;
  intersection: RefAnalysis;
  marginal: RefAnalysis[];
  reweighing: { key: string; label: number; n: number; weight: number }[];
}

function loadAdult(): FairnessInput & { score: Float64Array } {
  const text = readFileSync('/work/shared/datasets/adult/adult_all.csv', 'utf8').trim().split('\n');
  const header = text[0]!.split(',');
  const col = (name: string) => header.indexOf(name);
  const rows = text.slice(1).map((line) => line.split(','));
  const edu = rows.map((r) => Number(r[col('education-num')]));
  return {
    label: Uint8Array.from(rows.map((r) => (r[col('income')] === '>50K' ? 1 : 0))),
    prediction: Uint8Array.from(edu.map((e) => (e >= 13 ? 1 : 0))),
    score: Float64Array.from(edu.map((e) => e / 16)),
    sensitive: [encodeCategorical('sex', rows.map((r) => r[col('sex')])), encodeCategorical('race', rows.map((r) => r[col('race')]))],
  };
}

describe('fairness audit on Adult equals the independent pandas/scikit-learn reference', () => {
  const ref = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/fairness/adult_reference.json', import.meta.url)), 'utf8')) as Reference;
  const adult = loadAdult();
  const result = auditFairness(adult, { bootstrap: 200, marginal: true });

  const compare = (ours: ReturnType<typeof auditFairness>['groups'], theirs: RefGroup[]) => {
    expect(ours.map((g) => g.key)).toEqual(theirs.map((g) => g.key));
    ours.forEach((g, i) => {
      const r = theirs[i]!;
      expect([g.n, g.tp, g.fp, g.fn, g.tn]).toEqual([r.n, r.tp, r.fp, r.fn, r.tn]);
      for (const m of GROUP_METRICS) {
        if (r[m] === null) expect(g[m]).toBeNull();
        else expect(Math.abs((g[m] as number) - (r[m] as number))).toBeLessThan(1e-9);
      }
      expect(Math.abs(g.calibration!.brier! - r.brier)).toBeLessThan(1e-9);
      expect(g.calibration!.bins.length).toBe(r.calibration.length);
      g.calibration!.bins.forEach((b, k) => {
        expect(Math.abs(b.meanPredicted - r.calibration[k]!.meanPredicted)).toBeLessThan(1e-9);
        expect(Math.abs(b.fractionPositive - r.calibration[k]!.fractionPositive)).toBeLessThan(1e-9);
      });
    });
  };

  it('matches the intersection groups, disparities and disparate impact', () => {
    expect(result.overall.n).toBe(ref.rows);
    expect(Math.abs(result.overall.accuracy! - ref.overall.accuracy!)).toBeLessThan(1e-9);
    expect(Math.abs(result.overall.brier! - ref.overall.brier!)).toBeLessThan(1e-9);
    compare(result.groups, ref.intersection.groups);
    for (const d of DISPARITY_METRICS) expect(Math.abs(result.disparities[d]! - (ref.intersection.disparities[d] as number))).toBeLessThan(1e-9);
    expect(result.reference).toEqual(ref.intersection.reference);
    for (const [key, di] of Object.entries(ref.intersection.disparities.disparateImpact)) {
      expect(Math.abs(result.disparities.disparateImpact[key]!.ratio! - di)).toBeLessThan(1e-9);
    }
  });
  it('matches each column on its own (--marginal)', () => {
    expect(result.marginal!.map((a) => a.columns)).toEqual([['sex'], ['race']]);
    result.marginal!.forEach((analysis, i) => {
      compare(analysis.groups, ref.marginal[i]!.groups);
      for (const d of DISPARITY_METRICS) expect(Math.abs(analysis.disparities[d]! - (ref.marginal[i]!.disparities[d] as number))).toBeLessThan(1e-9);
    });
  });
  it('bootstrap intervals bracket the point estimates and are reproducible with the seed', () => {
    for (const g of result.groups) {
      for (const m of GROUP_METRICS) {
        const ci = g.ci![m]!;
        if (g[m] === null) continue;
        expect(ci.low!).toBeLessThanOrEqual(g[m] as number);
        expect(ci.high!).toBeGreaterThanOrEqual(g[m] as number);
      }
    }
    const dp = result.disparities.ci!.demographicParityDifference!;
    expect(dp.high! - dp.low!).toBeGreaterThan(0);
    expect(dp.high! - dp.low!).toBeLessThan(0.3);
    const again = auditFairness(adult, { bootstrap: 200, marginal: true });
    expect(again.disparities.ci).toEqual(result.disparities.ci);
  });
  it('reweighing weights equal P(g)P(y)/P(g,y)', () => {
    const { table, weights } = reweighingWeights(adult.label, adult.sensitive);
    for (const r of ref.reweighing) {
      const ours = table.find((t) => t.key === r.key && t.label === r.label)!;
      expect(ours.n).toBe(r.n);
      expect(Math.abs(ours.weight - r.weight)).toBeLessThan(1e-9);
    }
    // Reweighing makes label and group independent: weighted base rates are equal across groups.
    const sums = new Map<string, [number, number]>();
    const groups = adult.sensitive.map((s) => s.codes);
    for (let i = 0; i < weights.length; i++) {
      const key = `${groups[0]![i]}|${groups[1]![i]}`;
      const s = sums.get(key) ?? [0, 0];
      s[0] += weights[i]! * adult.label[i]!;
      s[1] += weights[i]!;
      sums.set(key, s);
    }
    const rates = [...sums.values()].map(([a, b]) => a / b);
    expect(Math.max(...rates) - Math.min(...rates)).toBeLessThan(1e-9);
  });
  it('threshold optimiser narrows demographic parity and equalized odds on Adult', () => {
    const before = auditFairness({ ...adult, prediction: applyGroupThresholds(adult.score, adult.sensitive, { thresholds: [], defaultThreshold: 13 / 16, columns: ['sex', 'race'] }) }, { bootstrap: 0 });
    expect(before.disparities.demographicParityDifference).toBeCloseTo(ref.intersection.disparities.demographicParityDifference as number, 9);
    for (const constraint of ['demographic_parity', 'equalized_odds'] as const) {
      const fitted = thresholdOptimizer(adult, { constraint, tolerance: 0.05 });
      const after = auditFairness({ ...adult, prediction: applyGroupThresholds(adult.score, adult.sensitive, fitted) }, { bootstrap: 0 });
      const name = constraint === 'demographic_parity' ? 'demographicParityDifference' : 'equalizedOddsDifference';
      expect(after.disparities[name]!).toBeLessThan(before.disparities[name]!);
      expect(after.disparities[name]!).toBeCloseTo(fitted.disparity!, 9);
      expect(after.overall.accuracy!).toBeCloseTo(fitted.accuracy, 9);
    }
  });
  it('trade-off curve spans thresholds with accuracy and disparity', () => {
    const curve = tradeoffCurve(adult, 'demographic_parity', 17);
    expect(curve).toHaveLength(17);
    expect(curve[0]!.selectionRate).toBe(1);
    expect(curve[0]!.disparity).toBe(0);
    const at13 = curve.find((p) => Math.abs(p.threshold - 13 / 16) < 1e-12)!;
    expect(at13.accuracy).toBeCloseTo(ref.overall.accuracy!, 12);
    expect(at13.disparity).toBeCloseTo(ref.intersection.disparities.demographicParityDifference as number, 12);
  });
});

describe('fairness properties', () => {
  const rowArb = fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }));
  it('disparities are 0 (ratios 1) when every group holds the same rows', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 4, maxLength: 40 }), fc.integer({ min: 2, max: 4 }), (rows, groupCount) => {
        fc.pre(rows.some(([y]) => y === 1) && rows.some(([y]) => y === 0) && rows.some(([, p]) => p === 1));
        const all = Array.from({ length: groupCount }, (_, g) => rows.map(([y, p]) => [g, y, p] as const)).flat();
        const r = auditFairness(
          { label: Uint8Array.from(all.map((r) => r[1])), prediction: Uint8Array.from(all.map((r) => r[2])), sensitive: [encodeCategorical('g', all.map((r) => `g${r[0]}`))] },
          { minGroupSize: 1, bootstrap: 0 },
        );
        expect(r.disparities.demographicParityDifference).toBe(0);
        expect(r.disparities.equalizedOddsDifference).toBe(0);
        expect(r.disparities.equalOpportunityDifference).toBe(0);
        expect(r.disparities.demographicParityRatio).toBe(1);
        expect(r.disparities.equalizedOddsRatio).toBe(1);
        for (const di of Object.values(r.disparities.disparateImpact)) expect(di.ratio).toBe(1);
      }),
      { numRuns: 60 },
    );
  });
  it('ratios are at most 1, differences in [0, 1], and intervals contain the point estimates', () => {
    const data = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 }), rowArb), { minLength: 6, maxLength: 80 });
    fc.assert(
      fc.property(data, fc.integer(), (rows, seed) => {
        const r = auditFairness(
          {
            label: Uint8Array.from(rows.map((r) => r[2][0])),
            prediction: Uint8Array.from(rows.map((r) => r[2][1])),
            sensitive: [encodeCategorical('a', rows.map((r) => `a${r[0]}`)), encodeCategorical('b', rows.map((r) => `b${r[1]}`))],
          },
          { minGroupSize: 1, bootstrap: 40, seed, marginal: true },
        );
        for (const analysis of [r, ...(r.marginal ?? [])]) {
          const d = analysis.disparities;
          for (const ratio of [d.demographicParityRatio, d.equalizedOddsRatio]) if (ratio !== null) expect(ratio).toBeLessThanOrEqual(1);
          for (const diff of [d.demographicParityDifference, d.equalizedOddsDifference, d.equalOpportunityDifference]) {
            if (diff !== null) expect(diff).toBeGreaterThanOrEqual(0);
            if (diff !== null) expect(diff).toBeLessThanOrEqual(1);
          }
          for (const name of DISPARITY_METRICS) {
            const point = d[name];
            const ci = d.ci![name]!;
            if (point !== null && ci.low !== null) expect(ci.low).toBeLessThanOrEqual(point + 1e-12);
            if (point !== null && ci.high !== null) expect(ci.high).toBeGreaterThanOrEqual(point - 1e-12);
          }
          for (const g of analysis.groups) {
            for (const m of GROUP_METRICS) {
              const ci = g.ci![m]!;
              if (g[m] !== null && ci.low !== null) expect(ci.low).toBeLessThanOrEqual(g[m] as number);
              if (g[m] !== null && ci.high !== null) expect(ci.high).toBeGreaterThanOrEqual(g[m] as number);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
  it('binomial and multinomial draws have the right mean and total', () => {
    const random = mulberry32(7);
    for (const [n, p] of [[10, 0.3], [1000, 0.02], [100000, 0.37], [1000000, 0.9]] as const) {
      let sum = 0;
      const draws = 400;
      for (let k = 0; k < draws; k++) {
        const x = binomial(n, p, random);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(n);
        sum += x;
      }
      const sd = Math.sqrt((n * p * (1 - p)) / draws);
      expect(Math.abs(sum / draws - n * p)).toBeLessThan(5 * sd + 1e-9);
    }
    const counts = Float64Array.from([5, 0, 100, 3, 892]);
    const out = new Float64Array(5);
    multinomialFromCounts(counts, 1000, random, out);
    expect(out.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(out[1]).toBe(0);
  });
});
