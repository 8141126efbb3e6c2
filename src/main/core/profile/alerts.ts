/**
 * Alerts a data steward should see, with fixed, documented thresholds (docs/areas/quality.md). Most follow
 * ydata-profiling's defaults; skewness uses a stricter 3 instead of its 20 so that heavy tails show.
 */
import type { Alert, ColumnProfile, Correlation } from '../../../shared/model/quality.js';

export const ALERT_THRESHOLDS = {
  /** Share of missing cells above which a column is flagged. */
  missing: 0.05,
  /** Share of zeros among non-missing values. */
  zeros: 0.1,
  /** |skewness| (pandas' adjusted G1). */
  skewness: 3,
  /** Imbalance 1 − H/log(k) of a categorical column (k ≤ 50 categories), H the entropy of its frequencies. */
  imbalance: 0.5,
  /** Distinct text values above which a (non-unique) text column is high-cardinality. */
  highCardinality: 50,
  /** |Pearson r| or Cramér's V. */
  correlation: 0.9,
  /** Share of non-missing texts that look like another type than the column's majority. */
  mixedTypes: 0.01,
} as const;

/** 1 − H/log(k): 0 for a uniform distribution, towards 1 when one category dominates. */
export function imbalanceOf(counts: readonly number[]): number {
  const k = counts.length;
  if (k < 2) return 0;
  const total = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log(c / total);
  return 1 - h / Math.log(k);
}

export function computeAlerts(profile: { rowCount: number; columns: ColumnProfile[]; duplicateRows: number; correlations: Correlation[] }): Alert[] {
  const t = ALERT_THRESHOLDS;
  const alerts: Alert[] = [];
  for (const c of profile.columns) {
    const rows = c.count + c.missing;
    if (rows === 0) continue;
    if (c.count > 0 && c.distinct === 1) alerts.push({ kind: 'constant', column: c.name, value: 1 });
    if (c.count > 1 && c.distinct === c.count) alerts.push({ kind: 'unique', column: c.name, value: c.distinct });
    if (c.missing / rows > t.missing) alerts.push({ kind: 'missing', column: c.name, value: c.missing / rows });
    if (c.numeric && c.count > 0 && c.numeric.zeros / c.count > t.zeros && c.type !== 'boolean') {
      alerts.push({ kind: 'zeros', column: c.name, value: c.numeric.zeros / c.count });
    }
    if (c.numeric?.skewness != null && Math.abs(c.numeric.skewness) > t.skewness) alerts.push({ kind: 'skewed', column: c.name, value: c.numeric.skewness });
    if (c.imbalance !== null && c.imbalance > t.imbalance) alerts.push({ kind: 'imbalance', column: c.name, value: c.imbalance });
    const isText = c.text !== null;
    if (isText && c.distinct > t.highCardinality && c.distinct < c.count) alerts.push({ kind: 'high-cardinality', column: c.name, value: c.distinct });
    if (c.text && c.count > 0) {
      const other = c.count - c.conforming;
      if (other > 0 && other / c.count >= t.mixedTypes) alerts.push({ kind: 'mixed-types', column: c.name, value: other / c.count });
    }
  }
  if (profile.duplicateRows > 0) alerts.push({ kind: 'duplicates', column: null, value: profile.duplicateRows });
  const seen = new Set<string>();
  for (const corr of profile.correlations) {
    corr.matrix.forEach((row, x) =>
      row.forEach((v, y) => {
        if (y <= x || v === null || Math.abs(v) <= t.correlation) return;
        const a = corr.columns[x]!;
        const b = corr.columns[y]!;
        const key = [a, b].sort().join('\u0000');
        if (seen.has(key)) return;
        seen.add(key);
        alerts.push({ kind: 'high-correlation', column: a, otherColumn: b, value: v });
      }),
    );
  }
  return alerts;
}
