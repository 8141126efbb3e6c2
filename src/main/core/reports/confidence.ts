/**
 * Confidence intervals for a classifier's stored evaluation. The test set's (true, predicted) pairs are exactly its
 * confusion matrix, so a percentile bootstrap over test rows is a multinomial resample of the matrix' cells. The AUC
 * needs the scores, which are not stored: its interval is Hanley & McNeil's (1982) normal approximation.
 */
import { mulberry32 } from '../random.js';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export type ConfusionMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'balanced_accuracy';

/** scikit-learn's definitions; binary metrics take class index 1 as the positive class, multiclass ones are macro averages. */
export function metricFromConfusion(matrix: number[][], metric: ConfusionMetric): number {
  const k = matrix.length;
  const total = matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (total === 0) return Number.NaN;
  const tp = (c: number) => matrix[c]![c]!;
  const actual = (c: number) => matrix[c]!.reduce((a, b) => a + b, 0);
  const predicted = (c: number) => matrix.reduce((s, row) => s + row[c]!, 0);
  const precisionOf = (c: number) => (predicted(c) === 0 ? 0 : tp(c) / predicted(c));
  const recallOf = (c: number) => (actual(c) === 0 ? 0 : tp(c) / actual(c));
  const f1Of = (c: number) => {
    const p = precisionOf(c);
    const r = recallOf(c);
    return p + r === 0 ? 0 : (2 * p * r) / (p + r);
  };
  const classes = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  const mean = (f: (c: number) => number) => classes.reduce((s, c) => s + f(c), 0) / classes.length;
  switch (metric) {
    case 'accuracy':
      return Array.from({ length: k }, (_, c) => tp(c)).reduce((a, b) => a + b, 0) / total;
    case 'precision':
      return mean(precisionOf);
    case 'recall':
      return mean(recallOf);
    case 'f1':
      return mean(f1Of);
    case 'balanced_accuracy': {
      const present = Array.from({ length: k }, (_, c) => c).filter((c) => actual(c) > 0);
      return present.reduce((s, c) => s + recallOf(c), 0) / present.length;
    }
  }
}

/** Draws a Binomial(n, p) count: inversion for small means, a rounded normal for large ones. */
function binomial(n: number, p: number, random: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 30 || n * (1 - p) < 30) {
    if (n <= 200) {
      let count = 0;
      for (let i = 0; i < n; i++) if (random() < p) count++;
      return count;
    }
    // Inversion from the pmf (mean is small, so few steps).
    const q = 1 - p;
    let prob = Math.pow(q, n);
    if (prob === 0) return Math.round(mean);
    let cumulative = prob;
    const u = random();
    let x = 0;
    while (u > cumulative && x < n) {
      prob *= ((n - x) / (x + 1)) * (p / q);
      x++;
      cumulative += prob;
    }
    return x;
  }
  // Box–Muller normal approximation.
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.min(n, Math.max(0, Math.round(mean + z * Math.sqrt(mean * (1 - p)))));
}

/** Percentile bootstrap (B resamples of the test rows, seeded) of confusion-matrix metrics, 95% by default. */
export function bootstrapConfusion(matrix: number[][], metrics: ConfusionMetric[], options: { resamples?: number; seed?: number; level?: number } = {}): Record<ConfusionMetric, Interval> {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const random = mulberry32(options.seed ?? 42);
  const k = matrix.length;
  const cells = matrix.flat();
  const n = cells.reduce((a, b) => a + b, 0);
  const draws = new Map<ConfusionMetric, number[]>(metrics.map((m) => [m, []]));
  for (let b = 0; b < resamples; b++) {
    // Multinomial(n, cells / n) as a chain of conditional binomials.
    let left = n;
    let mass = n;
    const sample: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    cells.forEach((count, i) => {
      const drawn = i === cells.length - 1 ? left : binomial(left, mass > 0 ? count / mass : 0, random);
      sample[Math.floor(i / k)]![i % k] = drawn;
      left -= drawn;
      mass -= count;
    });
    for (const m of metrics) draws.get(m)!.push(metricFromConfusion(sample, m));
  }
  const out = {} as Record<ConfusionMetric, Interval>;
  for (const m of metrics) {
    const sorted = draws.get(m)!.filter(Number.isFinite).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))] ?? Number.NaN;
    out[m] = { estimate: metricFromConfusion(matrix, m), low: at((1 - level) / 2), high: at(1 - (1 - level) / 2) };
  }
  return out;
}

/** Hanley & McNeil's standard error of an AUC from the number of positives and negatives; a 95% normal interval. */
export function aucInterval(auc: number, positives: number, negatives: number): Interval {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  const se = Math.sqrt(Math.max(0, variance));
  return { estimate: auc, low: Math.max(0, auc - 1.96 * se), high: Math.min(1, auc + 1.96 * se) };
}
