// Confidence intervals of the model card: metrics from a confusion matrix equal scikit-learn's (values computed with
// sklearn 1.2 on the expanded label vectors), the bootstrap agrees with a row-resampling bootstrap done in numpy, and
// the AUC interval is Hanley & McNeil's.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aucInterval, bootstrapConfusion, metricFromConfusion } from '../../src/main/core/reports/confidence.js';

const MULTI = [[50, 3, 2], [4, 30, 6], [1, 5, 20]];
const BINARY = [[40, 10], [5, 25]];

describe('metrics from a confusion matrix', () => {
  it('match scikit-learn (binary: positive class 1; multiclass: macro averages)', () => {
    expect(metricFromConfusion(MULTI, 'accuracy')).toBeCloseTo(0.8264462809917356, 12);
    expect(metricFromConfusion(MULTI, 'precision')).toBeCloseTo(0.8042834358623833, 12);
    expect(metricFromConfusion(MULTI, 'recall')).toBeCloseTo(0.8094405594405595, 12);
    expect(metricFromConfusion(MULTI, 'f1')).toBeCloseTo(0.806354139687473, 12);
    expect(metricFromConfusion(MULTI, 'balanced_accuracy')).toBeCloseTo(0.8094405594405595, 12);
    expect(metricFromConfusion(BINARY, 'precision')).toBeCloseTo(0.7142857142857143, 12);
    expect(metricFromConfusion(BINARY, 'recall')).toBeCloseTo(0.8333333333333334, 12);
    expect(metricFromConfusion(BINARY, 'f1')).toBeCloseTo(0.7692307692307692, 12);
  });
});

describe('bootstrap over test rows', () => {
  it('agrees with a numpy row bootstrap (accuracy 95% interval [0.725, 0.8875] on 80 rows) and is reproducible', () => {
    const a = bootstrapConfusion(BINARY, ['accuracy', 'f1'], { resamples: 4000, seed: 1 });
    expect(a.accuracy.estimate).toBeCloseTo(0.8125, 12);
    expect(a.accuracy.low).toBeGreaterThan(0.7);
    expect(a.accuracy.low).toBeLessThan(0.75);
    expect(a.accuracy.high).toBeGreaterThan(0.86);
    expect(a.accuracy.high).toBeLessThan(0.91);
    expect(bootstrapConfusion(BINARY, ['accuracy', 'f1'], { resamples: 4000, seed: 1 })).toEqual(a);
  });

  it('always brackets the estimate and narrows as the test set grows', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 2 }), (m) => {
        const ci = bootstrapConfusion(m, ['accuracy'], { resamples: 300, seed: 3 }).accuracy;
        expect(ci.low).toBeLessThanOrEqual(ci.estimate + 1e-9);
        expect(ci.high).toBeGreaterThanOrEqual(ci.estimate - 1e-9);
        const big = bootstrapConfusion(m.map((r) => r.map((v) => v * 25)), ['accuracy'], { resamples: 300, seed: 3 }).accuracy;
        expect(big.high - big.low).toBeLessThanOrEqual(ci.high - ci.low + 1e-9);
      }),
      { numRuns: 40 },
    );
  });
});

describe('AUC interval', () => {
  it("is Hanley & McNeil's: SE 0.0445 for AUC 0.8 with 50 positives and 50 negatives", () => {
    const ci = aucInterval(0.8, 50, 50);
    expect((ci.high - ci.low) / (2 * 1.96)).toBeCloseTo(0.0445, 4);
    expect(aucInterval(0.99, 10, 10).high).toBeLessThanOrEqual(1);
  });
});
