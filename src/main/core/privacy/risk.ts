/** Re-identification risk from the sizes of the quasi-identifier equivalence classes of a table. */

/** Class-size buckets of the histogram, in order. */
export const RISK_HISTOGRAM_BUCKETS = ['1', '2', '3-4', '5-9', '10-19', '20-49', '50+'] as const;
export type RiskHistogramBucket = (typeof RISK_HISTOGRAM_BUCKETS)[number];

export interface ReidentificationRisk {
  /** Records (sum of the class sizes). */
  records: number;
  classes: number;
  /** Prosecutor model: an attacker who knows the target is in the data. Highest risk = 1 / smallest class. */
  prosecutorMax: number;
  /** Average over records of 1 / (its class size) = classes / records. */
  prosecutorAvg: number;
  /**
   * Journalist model: equal to the prosecutor risk here, because the data is taken as the population (no larger
   * population table is known to bound the classes).
   */
  journalistMax: number;
  journalistAvg: number;
  /** Marketer model: expected share of records re-identified when every record is attacked = classes / records. */
  marketer: number;
  /** Threshold used for `recordsAtRisk`. */
  threshold: number;
  /** Share (0 … 1) of records whose prosecutor risk 1 / (class size) exceeds the threshold. */
  recordsAtRisk: number;
  /** Number of such records. */
  recordsAtRiskCount: number;
  /** Classes of size 1 (each a unique record). */
  uniques: number;
  /** Number of classes per size bucket (1, 2, 3-4, 5-9, 10-19, 20-49, 50+). */
  histogram: Record<RiskHistogramBucket, number>;
}

function bucketOf(size: number): RiskHistogramBucket {
  if (size <= 1) return '1';
  if (size === 2) return '2';
  if (size <= 4) return '3-4';
  if (size <= 9) return '5-9';
  if (size <= 19) return '10-19';
  if (size <= 49) return '20-49';
  return '50+';
}

/** Risk figures from the class sizes (classes of size 0 are ignored). An empty table has every risk 0. */
export function reidentificationRisk(classSizes: Int32Array | readonly number[], threshold = 0.2): ReidentificationRisk {
  const histogram = Object.fromEntries(RISK_HISTOGRAM_BUCKETS.map((b) => [b, 0])) as Record<RiskHistogramBucket, number>;
  let records = 0;
  let classes = 0;
  let smallest = Infinity;
  let uniques = 0;
  let atRisk = 0;
  for (let i = 0; i < classSizes.length; i++) {
    const size = classSizes[i] as number;
    if (!(size > 0)) continue;
    records += size;
    classes++;
    if (size < smallest) smallest = size;
    if (size === 1) uniques++;
    if (1 / size > threshold) atRisk += size;
    histogram[bucketOf(size)]++;
  }
  const max = classes === 0 ? 0 : 1 / smallest;
  const avg = records === 0 ? 0 : classes / records;
  return {
    records,
    classes,
    prosecutorMax: max,
    prosecutorAvg: avg,
    journalistMax: max,
    journalistAvg: avg,
    marketer: avg,
    threshold,
    recordsAtRisk: records === 0 ? 0 : atRisk / records,
    recordsAtRiskCount: atRisk,
    uniques,
    histogram,
  };
}

/** Sizes of the equivalence classes of `rows` over the columns `qi`, leaving out rows marked in `excluded`. */
export function classSizesOf(rows: readonly (readonly string[])[], qi: readonly number[], excluded?: Uint8Array): Int32Array {
  const sizes = new Map<string, number>();
  rows.forEach((row, r) => {
    if (excluded && excluded[r] === 1) return;
    const key = JSON.stringify(qi.map((c) => row[c] ?? null));
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  });
  return Int32Array.from(sizes.values());
}
