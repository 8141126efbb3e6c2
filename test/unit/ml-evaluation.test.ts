// The studio's evaluation helpers against brute force: the F1-best decision threshold and the ROC curve's points.
import { describe, expect, it } from 'vitest';
import { f1Threshold, rocCurve } from '../../src/main/workers/ml/evaluation.js';
import { precisionRecallF1, rocAuc } from '../../src/main/core/ml/metrics.js';
import { mulberry32 } from '../../src/main/core/random.js';

function f1At(y: number[], s: number[], t: number): number {
  return (precisionRecallF1(y, s.map((v) => (v >= t ? 1 : 0)), { average: 'binary', posLabel: 1, zeroDivision: 0 }) as { f1: number }).f1;
}

describe('f1Threshold', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`reaches the best F1 of any threshold (seed ${seed}, ties included)`, () => {
      const random = mulberry32(seed);
      const y = Array.from({ length: 300 }, () => (random() < 0.1 ? 1 : 0));
      // Rounded scores make ties; positives score a little higher on average.
      const s = y.map((v) => Math.round((random() * 0.8 + v * 0.3) * 20) / 20);
      const best = Math.max(...[...new Set(s)].map((t) => f1At(y, s, t)));
      const t = f1Threshold(y, s);
      expect(s).toContain(t);
      expect(f1At(y, s, t)).toBeCloseTo(best, 12);
    });
  }
});

describe('rocCurve', () => {
  it('runs from (0, 0) to (1, 1) and its trapezoids give roc_auc', () => {
    const random = mulberry32(9);
    const y = Array.from({ length: 500 }, () => (random() < 0.3 ? 1 : 0));
    const s = y.map((v) => Math.round((random() + v * 0.5) * 50) / 50);
    const { fpr, tpr } = rocCurve(y, s, 10_000);
    expect([fpr[0], tpr[0]]).toEqual([0, 0]);
    expect([fpr.at(-1), tpr.at(-1)]).toEqual([1, 1]);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
    expect(area).toBeCloseTo(rocAuc(y, s), 12);
    const thinned = rocCurve(y, s, 20);
    expect(thinned.fpr).toHaveLength(20);
    expect(thinned.fpr.at(-1)).toBe(1);
  });
});
