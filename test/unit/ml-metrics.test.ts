// Metrics against scikit-learn reference values (test/fixtures/sklearn-metrics.json, made by
// test/fixtures/make-sklearn-metrics.py with scikit-learn 1.2.1) and fast-check properties.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  classificationReport,
  confusionMatrix,
  formatClassificationReport,
  formatFixed,
  inertia,
  logLoss,
  mae,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  ndcgAtK,
  precisionAtK,
  precisionRecallF1,
  r2Score,
  recallAtK,
  rmse,
  rocAuc,
  rootMeanSquaredError,
  silhouetteScore,
} from '../../src/main/core/ml/metrics.js';
import type { ClassificationReport, Label, ReportRow } from '../../src/main/core/ml/metrics.js';
import * as ml from '../../src/main/core/ml/index.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

interface Prf {
  precision: number | number[];
  recall: number | number[];
  f1: number | number[];
  support?: number[];
}
interface SkReportRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}
interface ClassificationCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  binary: boolean;
  posLabel: Label;
  accuracy: number;
  balancedAccuracy: number;
  labels: Label[];
  confusionMatrix: number[][];
  prf: Record<string, Prf>;
  report: Record<string, SkReportRow | number>;
  reportText: string;
  reportText4: string;
  subsetLabels?: Label[];
  confusionMatrixSubset?: number[][];
  prfSubset?: Record<string, Prf>;
  reportSubset?: Record<string, SkReportRow | number>;
  reportSubsetText?: string;
  score?: number[];
  rocAuc?: number;
  averagePrecision?: number;
  proba?: number[] | number[][];
  logLoss?: number;
  'logLossEps1e-15'?: number;
  'logLossEps1e-7'?: number;
}
interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  mae: number;
  rmse: number;
  r2: number;
  mape: number;
}
interface ClusteringCase {
  name: string;
  rows: number;
  cols: number;
  X: number[];
  labels: number[];
  silhouette: number;
  kmeansLabels?: number[];
  kmeansCenters?: number[];
  kmeansInertia?: number;
  kmeansSilhouette?: number;
}
interface RankingCase {
  name: string;
  recommended: (number | string)[][];
  relevant: (number | string)[][];
  atK: { k: number; precision: number; recall: number; ndcg: number }[];
}
interface Fixture {
  versions: { sklearn: string };
  classification: ClassificationCase[];
  regression: RegressionCase[];
  clustering: ClusteringCase[];
  ranking: RankingCase[];
}

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/sklearn-metrics.json', import.meta.url)), 'utf8'),
) as Fixture;

/** |actual − expected| ≤ 1e-12 · max(1, |expected|). */
function close(actual: number, expected: number, what: string): void {
  const tolerance = 1e-12 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what}: ${actual} differs from scikit-learn's ${expected} by ${Math.abs(actual - expected)}`);
  }
}

function closeAll(actual: number | number[], expected: number | number[], what: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), what).toBe(true);
    const a = actual as number[];
    expect(a.length, what).toBe(expected.length);
    expected.forEach((e, i) => close(a[i] as number, e, `${what}[${i}]`));
  } else {
    close(actual as number, expected, what);
  }
}

function checkPrf(c: ClassificationCase, expected: Record<string, Prf>, labels?: Label[]): void {
  for (const [key, want] of Object.entries(expected)) {
    const [avg, zd] = key.split('_');
    const zeroDivision = zd === 'zd1' ? 1 : 'warn';
    const what = `${c.name} ${key}`;
    if (avg === 'none') {
      const got = precisionRecallF1(c.yTrue, c.yPred, { average: null, zeroDivision, posLabel: c.posLabel, ...(labels ? { labels } : {}) });
      closeAll(got.precision, want.precision, `${what} precision`);
      closeAll(got.recall, want.recall, `${what} recall`);
      closeAll(got.f1, want.f1, `${what} f1`);
      expect(got.support, what).toEqual(want.support);
    } else {
      const average = avg as 'binary' | 'macro' | 'micro' | 'weighted';
      const got = precisionRecallF1(c.yTrue, c.yPred, { average, zeroDivision, posLabel: c.posLabel, ...(labels ? { labels } : {}) });
      closeAll(got.precision, want.precision, `${what} precision`);
      closeAll(got.recall, want.recall, `${what} recall`);
      closeAll(got.f1, want.f1, `${what} f1`);
    }
  }
}

function checkReport(report: ClassificationReport, want: Record<string, SkReportRow | number>, what: string): void {
  const row = (got: ReportRow, sk: SkReportRow, name: string) => {
    close(got.precision, sk.precision, `${what} ${name} precision`);
    close(got.recall, sk.recall, `${what} ${name} recall`);
    close(got.f1, sk['f1-score'], `${what} ${name} f1`);
    expect(got.support, `${what} ${name} support`).toBe(sk.support);
  };
  const keys = [...report.labels.map(String), ...(report.accuracy !== null ? ['accuracy'] : ['micro avg']), 'macro avg', 'weighted avg'];
  expect(Object.keys(want).sort()).toEqual(keys.sort());
  report.labels.forEach((l, i) => row(report.perClass[i] as ReportRow, want[String(l)] as SkReportRow, String(l)));
  if (report.accuracy !== null) close(report.accuracy, want.accuracy as number, `${what} accuracy`);
  else row(report.microAvg as ReportRow, want['micro avg'] as SkReportRow, 'micro avg');
  row(report.macroAvg, want['macro avg'] as SkReportRow, 'macro avg');
  row(report.weightedAvg, want['weighted avg'] as SkReportRow, 'weighted avg');
}

describe(`metrics equal scikit-learn ${fixture.versions.sklearn}`, () => {
  it('fixture was made with scikit-learn and holds every kind of case', () => {
    expect(fixture.versions.sklearn).toBe('1.2.1');
    expect(fixture.classification.length).toBeGreaterThanOrEqual(6);
    expect(fixture.regression.length).toBeGreaterThanOrEqual(2);
    expect(fixture.clustering.length).toBeGreaterThanOrEqual(2);
    expect(fixture.ranking.length).toBeGreaterThanOrEqual(2);
  });

  describe.each(fixture.classification)('classification: $name', (c) => {
    it('accuracy, balanced accuracy, confusion matrix', () => {
      close(accuracy(c.yTrue, c.yPred), c.accuracy, 'accuracy');
      close(balancedAccuracy(c.yTrue, c.yPred), c.balancedAccuracy, 'balanced accuracy');
      const cm = confusionMatrix(c.yTrue, c.yPred);
      expect(cm.labels).toEqual(c.labels);
      expect(cm.matrix).toEqual(c.confusionMatrix);
      if (c.subsetLabels) expect(confusionMatrix(c.yTrue, c.yPred, c.subsetLabels).matrix).toEqual(c.confusionMatrixSubset);
    });

    it('precision, recall, F1 for every average and zero_division', () => {
      checkPrf(c, c.prf);
      if (c.subsetLabels && c.prfSubset) checkPrf(c, c.prfSubset, c.subsetLabels);
    });

    it('classification report (dict and text)', () => {
      const report = classificationReport(c.yTrue, c.yPred);
      checkReport(report, c.report, c.name);
      expect(formatClassificationReport(report)).toBe(c.reportText);
      expect(formatClassificationReport(report, 4)).toBe(c.reportText4);
      if (c.subsetLabels && c.reportSubset) {
        const subset = classificationReport(c.yTrue, c.yPred, c.subsetLabels);
        checkReport(subset, c.reportSubset, `${c.name} subset`);
        expect(formatClassificationReport(subset)).toBe(c.reportSubsetText);
      }
    });
  });

  describe.each(fixture.classification.filter((c) => c.score !== undefined))('binary scores: $name', (c) => {
    const score = c.score as number[];
    it('ROC AUC and average precision', () => {
      close(rocAuc(c.yTrue, score), c.rocAuc as number, 'roc auc');
      close(averagePrecision(c.yTrue, score, c.posLabel), c.averagePrecision as number, 'average precision');
      close(rocAuc(c.yTrue, Float64Array.from(score)), c.rocAuc as number, 'roc auc (typed array)');
    });
  });

  describe.each(fixture.classification.filter((c) => c.proba !== undefined))('probabilities: $name', (c) => {
    const proba = c.proba as number[] | number[][];
    it('log loss', () => {
      close(logLoss(c.yTrue, proba), c.logLoss as number, 'log loss');
      close(logLoss(c.yTrue, proba, 1e-15), c['logLossEps1e-15'] as number, 'log loss eps 1e-15');
      close(logLoss(c.yTrue, proba, 1e-7), c['logLossEps1e-7'] as number, 'log loss eps 1e-7');
    });
  });

  describe.each(fixture.regression)('regression: $name', (c) => {
    it('MAE, RMSE, R², MAPE', () => {
      close(meanAbsoluteError(c.yTrue, c.yPred), c.mae, 'mae');
      close(rootMeanSquaredError(c.yTrue, c.yPred), c.rmse, 'rmse');
      close(r2Score(c.yTrue, c.yPred), c.r2, 'r2');
      close(meanAbsolutePercentageError(Float64Array.from(c.yTrue), Float64Array.from(c.yPred)), c.mape, 'mape');
      close(rmse(c.yTrue, c.yPred), c.rmse, 'rmse alias');
      close(mae(c.yTrue, c.yPred), c.mae, 'mae alias');
    });
  });

  describe.each(fixture.clustering)('clustering: $name', (c) => {
    it('silhouette', () => {
      close(silhouetteScore(Float64Array.from(c.X), c.rows, c.cols, c.labels), c.silhouette, 'silhouette');
      if (c.kmeansLabels) close(silhouetteScore(c.X, c.rows, c.cols, c.kmeansLabels), c.kmeansSilhouette as number, 'k-means silhouette');
    });
  });

  describe.each(fixture.clustering.filter((c) => c.kmeansLabels !== undefined))('k-means: $name', (c) => {
    it('inertia of sklearn KMeans', () => {
      close(inertia(c.X, c.rows, c.cols, c.kmeansLabels as number[], c.kmeansCenters as number[]), c.kmeansInertia as number, 'inertia');
    });
  });

  describe.each(fixture.ranking)('ranking: $name', (c) => {
    it('precision@k, recall@k, NDCG@k', () => {
      for (const { k, precision, recall, ndcg } of c.atK) {
        close(precisionAtK(c.recommended, c.relevant, k), precision, `precision@${k}`);
        close(recallAtK(c.recommended, c.relevant, k), recall, `recall@${k}`);
        close(ndcgAtK(c.recommended, c.relevant.map((r) => new Set(r)), k), ndcg, `ndcg@${k}`);
      }
    });
  });
});

describe('metric edge cases', () => {
  it('formats exact ties like Python (half to even)', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(0.625, 2)).toBe('0.62');
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(0.1, 2)).toBe('0.10');
    expect(formatFixed(2 / 3, 4)).toBe('0.6667');
    expect(formatFixed(0.0125, 3)).toBe('0.013'); // 0.0125 is slightly above 1/80 in binary: no tie
  });

  it('follows sklearn where values are undefined', () => {
    expect(r2Score([1, 1, 1], [1, 1, 1])).toBe(1);
    expect(r2Score([1, 1, 1], [1, 2, 1])).toBe(0);
    expect(r2Score([1], [2])).toBeNaN();
    expect(averagePrecision([0, 0, 0], [0.1, 0.5, 0.2])).toBe(0);
    expect(precisionRecallF1([0, 0], [0, 0], { average: 'binary' })).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(precisionRecallF1([0, 0], [0, 0], { average: 'binary', zeroDivision: 1 })).toEqual({ precision: 1, recall: 1, f1: 1 });
    // Singleton clusters contribute 0: two singletons and a pair.
    expect(silhouetteScore([0, 0, 10, 20], 4, 1, [0, 0, 1, 2])).toBeCloseTo((2 * (1 - 0 / 10)) / 4, 15);
  });

  it('rejects invalid input', () => {
    const invalid = (f: () => unknown) => expect(f).toThrow(XinzhiError);
    invalid(() => accuracy([1, 2], [1]));
    invalid(() => accuracy([], []));
    invalid(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.3]));
    invalid(() => rocAuc([0, 1, 2], [0.1, 0.2, 0.3]));
    invalid(() => rocAuc([0, 1], [0.1, Number.NaN]));
    invalid(() => precisionRecallF1([0, 1, 2], [0, 1, 2], { average: 'binary' }));
    invalid(() => precisionRecallF1(['a', 'b'], ['a', 'b'], { average: 'binary' }));
    invalid(() => logLoss([1, 1], [0.5, 0.5]));
    invalid(() => logLoss([0, 1, 2], [[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]]));
    invalid(() => confusionMatrix([0, 1], [0, 1], [5]));
    invalid(() => accuracy([0, 'a'], [0, 'a']));
    invalid(() => silhouetteScore([0, 1, 2], 3, 1, [0, 0, 0]));
    invalid(() => silhouetteScore([0, 1, 2], 3, 1, [0, 1, 2]));
    invalid(() => inertia([0, 1], 2, 1, [0, 1], [0]));
    invalid(() => precisionAtK([[1]], [[1]], 0));
    invalid(() => recallAtK([['a']], ['a'], 1));
    invalid(() => meanAbsoluteError([1, Number.POSITIVE_INFINITY], [1, 2]));
  });

  it('log loss uses sklearn 1.2\'s eps="auto" by default; accepts a label list when yTrue holds one class, and one-column rows', () => {
    expect(logLoss([0, 1], [0, 1])).toBe(logLoss([0, 1], [0, 1], Number.EPSILON));
    const expected = -Math.log(0.9);
    close(logLoss([1, 1], [0.9, 0.9], 1e-15, [0, 1]), expected, 'one class with labels');
    close(logLoss([1, 1], [[0.9], [0.9]], 1e-15, [0, 1]), expected, 'one-column rows');
  });

  it('counts a repeated recommended item once', () => {
    expect(precisionAtK([[1, 1, 2]], [[1]], 3)).toBeCloseTo(1 / 3, 15);
    expect(ndcgAtK([[1, 1]], [[1]], 2)).toBe(1);
  });

  it('is exported from the ml index', () => {
    expect(ml.precisionRecallF1).toBe(precisionRecallF1);
    expect(ml.accuracyScore).toBe(accuracy);
    expect(ml.ndcgAtK).toBe(ndcgAtK);
  });
});

// ---------------------------------------------------------------- properties

const labelsArb = (classes: number, min = 1, max = 60) =>
  fc.integer({ min, max }).chain((n) =>
    fc.tuple(fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: n, maxLength: n })),
  );

describe('metric properties', () => {
  it('accuracy = trace / total of the confusion matrix', () => {
    fc.assert(
      fc.property(labelsArb(5), ([t, p]) => {
        const { matrix } = confusionMatrix(t, p);
        const trace = matrix.reduce((s, row, i) => s + (row[i] as number), 0);
        const total = matrix.flat().reduce((s, v) => s + v, 0);
        expect(total).toBe(t.length);
        expect(accuracy(t, p)).toBeCloseTo(trace / total, 14);
      }),
    );
  });

  it('macro F1 = mean of per-class F1; micro F1 = accuracy; weighted recall = accuracy', () => {
    fc.assert(
      fc.property(labelsArb(4), ([t, p]) => {
        const per = precisionRecallF1(t, p, { average: null });
        const macro = precisionRecallF1(t, p, { average: 'macro' });
        expect(macro.f1).toBeCloseTo(per.f1.reduce((s, v) => s + v, 0) / per.f1.length, 14);
        expect(precisionRecallF1(t, p, { average: 'micro' }).f1).toBeCloseTo(accuracy(t, p), 14);
        expect(precisionRecallF1(t, p, { average: 'weighted' }).recall).toBeCloseTo(accuracy(t, p), 14);
        for (const v of [...per.precision, ...per.recall, ...per.f1]) expect(v >= 0 && v <= 1).toBe(true);
      }),
    );
  });

  it('balanced accuracy = mean recall over classes present in yTrue', () => {
    fc.assert(
      fc.property(labelsArb(4), ([t, p]) => {
        const present = new Set(t);
        const per = precisionRecallF1(t, p, { average: null, labels: [...present].sort((a, b) => a - b) });
        expect(balancedAccuracy(t, p)).toBeCloseTo(per.recall.reduce((s, v) => s + v, 0) / per.recall.length, 14);
      }),
    );
  });

  const binaryScored = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 20 })), { minLength: 2, maxLength: 80 })
    .filter((rows) => new Set(rows.map(([y]) => y)).size === 2)
    .map((rows) => ({ y: rows.map(([y]) => y), s: rows.map(([, s]) => s / 20) }));

  it('AUC of a perfect ranking is 1, of the reversed ranking 0; AUC equals the pairwise (Mann–Whitney) probability', () => {
    fc.assert(
      fc.property(binaryScored, ({ y, s }) => {
        expect(rocAuc(y, y.map((v, i) => v + i * 1e-3))).toBe(1);
        expect(rocAuc(y, y.map((v) => -v))).toBe(0);
        let wins = 0;
        let pairs = 0;
        y.forEach((yi, i) =>
          y.forEach((yj, j) => {
            if (yi === 1 && yj === 0) {
              pairs++;
              wins += (s[i] as number) > (s[j] as number) ? 1 : s[i] === s[j] ? 0.5 : 0;
            }
          }),
        );
        expect(rocAuc(y, s)).toBeCloseTo(wins / pairs, 12);
      }),
    );
  });

  it('average precision lies in [0, 1] and is 1 for a perfect ranking', () => {
    fc.assert(
      fc.property(binaryScored, ({ y, s }) => {
        const ap = averagePrecision(y, s);
        expect(ap >= 0 && ap <= 1).toBe(true);
        expect(averagePrecision(y, y.map((v, i) => v * 2 + i * 1e-3))).toBeCloseTo(1, 14);
      }),
    );
  });

  it('report text lists every label and the averages match precisionRecallF1', () => {
    fc.assert(
      fc.property(labelsArb(3, 2), ([t, p]) => {
        const report = classificationReport(t, p);
        const text = formatClassificationReport(report);
        const lines = text.split('\n').map((line) => line.trimStart());
        for (const l of report.labels) expect(lines.some((line) => line.startsWith(`${l} `))).toBe(true);
        expect(lines.some((line) => line.startsWith('accuracy '))).toBe(true);
        expect(report.macroAvg.f1).toBe(precisionRecallF1(t, p, { average: 'macro' }).f1);
        expect(report.accuracy).toBe(precisionRecallF1(t, p, { average: 'micro' }).precision);
      }),
    );
  });

  it('regression: perfect predictions give 0 error and R² 1; RMSE ≥ MAE', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 50 }), fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 50 }), (a, b) => {
        const n = Math.min(a.length, b.length);
        const y = a.slice(0, n);
        const yp = b.slice(0, n);
        expect(meanAbsoluteError(y, y)).toBe(0);
        expect(meanAbsolutePercentageError(y, y)).toBe(0);
        if (new Set(y).size > 1) expect(r2Score(y, y)).toBe(1);
        expect(rootMeanSquaredError(y, yp) + 1e-9 * (1 + meanAbsoluteError(y, yp))).toBeGreaterThanOrEqual(meanAbsoluteError(y, yp));
      }),
    );
  });

  it('ranking metrics lie in [0, 1], and NDCG is 1 when the relevant items lead the list', () => {
    const user = fc.tuple(fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }), fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(user, { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 15 }), (users, k) => {
        const rec = users.map(([r]) => r);
        const rel = users.map(([, r]) => r);
        for (const f of [precisionAtK, recallAtK, ndcgAtK]) {
          const v = f(rec, rel, k);
          expect(v >= 0 && v <= 1 + 1e-15).toBe(true);
        }
        const ideal = rel.map((r) => [...r, 1000, 1001]);
        const nonEmpty = rel.filter((r) => r.length > 0).length;
        expect(ndcgAtK(ideal, rel, k)).toBeCloseTo(nonEmpty / rel.length, 14);
      }),
    );
  });

  it('silhouette lies in [-1, 1] and inertia of centroids is at most that of any other centres', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 3, maxLength: 30 }), (pts) => {
        const labels = pts.map(([, , l]) => l);
        if (new Set(labels).size !== 2) return;
        const X = pts.flatMap(([x, y]) => [x, y]);
        const s = silhouetteScore(X, pts.length, 2, labels);
        expect(s >= -1 && s <= 1).toBe(true);
        const centroid = (c: number) => {
          const members = pts.filter(([, , l]) => l === c);
          return [members.reduce((a, [x]) => a + x, 0) / members.length, members.reduce((a, [, y]) => a + y, 0) / members.length];
        };
        const centers = [...centroid(0), ...centroid(1)];
        const shifted = centers.map((v) => v + 0.5);
        expect(inertia(X, pts.length, 2, labels, centers)).toBeLessThanOrEqual(inertia(X, pts.length, 2, labels, shifted) + 1e-9);
      }),
    );
  });
});
