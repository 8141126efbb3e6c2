/**
 * The 0–100 quality score. Each dimension is a share of cells, rows or rule checks that are good, times 100;
 * the score is the plain mean of the dimensions that can be measured (a dimension with nothing to measure is
 * null and left out, rather than counted as perfect). The same text is in the app's score popover and in
 * docs/areas/quality.md.
 *
 *   completeness = 100 · (1 − missing cells / all cells)
 *   uniqueness   = 100 · (1 − duplicate rows / rows)               (duplicate = equal to an earlier row)
 *   validity     = 100 · mean over the dataset's rules of their pass rate on this version
 *                  (pass rate = passing rows / rows; row-count rule 1 or 0); null when no rule has run
 *   consistency  = 100 · non-missing cells that fit their column's majority type / non-missing cells
 *                  (typed number columns fit by construction; a text column counts the cells that look like
 *                  its most common kind among number, date, boolean, text)
 *   outliers     = 100 · (1 − IQR outliers / non-missing numeric cells), outlier = outside
 *                  [Q1 − 1.5·IQR, Q3 + 1.5·IQR] of its column; null without numeric columns
 *   qualityScore = mean of the non-null dimensions (0 for an empty table), one decimal
 */
import type { ColumnProfile, QualityDimensions, RuleResult } from '../../../shared/model/quality.js';

const round1 = (x: number) => Math.round(x * 10) / 10;

export function validityOf(results: readonly Pick<RuleResult, 'passRate'>[] | null): number | null {
  if (!results || results.length === 0) return null;
  return round1((100 * results.reduce((a, r) => a + r.passRate, 0)) / results.length);
}

export function qualityDimensions(profile: { rowCount: number; columns: readonly ColumnProfile[]; duplicateRows: number }, ruleResults: readonly Pick<RuleResult, 'passRate'>[] | null): QualityDimensions {
  const cells = profile.rowCount * profile.columns.length;
  const missing = profile.columns.reduce((a, c) => a + c.missing, 0);
  const present = cells - missing;
  const conforming = profile.columns.reduce((a, c) => a + c.conforming, 0);
  const numeric = profile.columns.filter((c) => c.numeric !== null && c.type !== 'boolean');
  const numericCells = numeric.reduce((a, c) => a + c.count, 0);
  const outliers = numeric.reduce((a, c) => a + c.numeric!.outliers, 0);
  return {
    completeness: cells > 0 ? round1(100 * (1 - missing / cells)) : null,
    uniqueness: profile.rowCount > 0 ? round1(100 * (1 - profile.duplicateRows / profile.rowCount)) : null,
    validity: validityOf(ruleResults),
    consistency: present > 0 ? round1((100 * conforming) / present) : null,
    outliers: numericCells > 0 ? round1(100 * (1 - outliers / numericCells)) : null,
  };
}

export function qualityScore(dimensions: QualityDimensions): number {
  const measured = Object.values(dimensions).filter((v): v is number => v !== null);
  if (measured.length === 0) return 0;
  return round1(measured.reduce((a, b) => a + b, 0) / measured.length);
}
