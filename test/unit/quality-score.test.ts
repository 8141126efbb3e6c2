// The 0–100 score: each dimension's formula on hand-counted profiles, and the mean over measured dimensions.
import { describe, expect, it } from 'vitest';
import { qualityDimensions, qualityScore, validityOf } from '../../src/main/core/quality/index.js';
import { columnFromCells, profileDataset } from '../../src/main/core/profile/index.js';

describe('quality score', () => {
  it('computes every dimension as documented', () => {
    // 10 rows × 2 columns; 3 missing cells; 1 duplicate row; one outlier of 9 numbers; 2 of 10 texts not numbers.
    const x = columnFromCells('x', 'integer', [1, 2, 3, 4, 5, 6, 7, 8, 1000, null]);
    const t = columnFromCells('t', 'text', ['1', '2', '3', '4', '5', '6', 'seven', 'eight', null, null]);
    const profile = profileDataset([x, t], 10);
    expect(profile.duplicateRows).toBe(0);
    const d = qualityDimensions(profile, [{ passRate: 1 }, { passRate: 0.5 }]);
    expect(d.completeness).toBe(85); // 100 · (1 − 3/20)
    expect(d.uniqueness).toBe(100);
    expect(d.validity).toBe(75); // mean of 100 % and 50 %
    expect(d.consistency).toBeCloseTo((100 * (9 + 6)) / 17, 1); // 6 of 8 texts are number-like
    expect(d.outliers).toBeCloseTo(100 * (1 - 1 / 9), 1);
    const mean = (d.completeness! + d.uniqueness! + d.validity! + d.consistency! + d.outliers!) / 5;
    expect(qualityScore(d)).toBeCloseTo(mean, 1);
  });

  it('leaves unmeasurable dimensions out instead of counting them as perfect', () => {
    const t = columnFromCells('t', 'text', ['a', 'a', 'b', null]);
    const d = qualityDimensions(profileDataset([t], 4), null);
    expect(d.validity).toBeNull();
    expect(d.outliers).toBeNull();
    expect(d.uniqueness).toBe(75); // the second 'a' row duplicates the first
    expect(d.completeness).toBe(75);
    expect(qualityScore(d)).toBe(round1((75 + 75 + 100) / 3));
    expect(validityOf([])).toBeNull();
    expect(qualityScore({ completeness: null, uniqueness: null, validity: null, consistency: null, outliers: null })).toBe(0);
  });
});

function round1(x: number) {
  return Math.round(x * 10) / 10;
}
