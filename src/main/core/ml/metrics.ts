/**
 * Evaluation metrics with scikit-learn's definitions (checked against scikit-learn 1.2.1 by
 * test/unit/ml-metrics.test.ts, reference values in test/fixtures/sklearn-metrics.json).
 *
 * Labels are numbers or strings (never mixed); like sklearn's `unique_labels`, the label order is ascending
 * (numbers numerically, strings by code point) unless a `labels` argument gives it. Numeric inputs may be
 * plain arrays or typed arrays. Invalid input (length mismatch, empty input, NaN, a metric undefined for the
 * input where sklearn raises) throws `XinzhiError('E_INVALID_INPUT')`.
 */
import { XinzhiError } from '../../../shared/model/errors.js';

export type Label = number | string;
export type LabelArray = ArrayLike<Label>;
export type NumberArray = ArrayLike<number>;

function invalid(message: string): never {
  throw new XinzhiError('E_INVALID_INPUT', message);
}

function at<T>(a: ArrayLike<T>, i: number): T {
  return a[i] as T;
}

function checkPair(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): number {
  if (a.length !== b.length) invalid(`${what}: inputs have ${a.length} and ${b.length} values`);
  if (a.length === 0) invalid(`${what}: empty input`);
  return a.length;
}

function checkFinite(a: NumberArray, what: string): void {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(at(a, i))) invalid(`${what}: value ${i} is not a finite number`);
}

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    // Code-point order, as numpy sorts unicode strings (JS `<` compares UTF-16 code units).
    const ca = [...a];
    const cb = [...b];
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
      const d = (ca[i] as string).codePointAt(0)! - (cb[i] as string).codePointAt(0)!;
      if (d !== 0) return d;
    }
    return ca.length - cb.length;
  }
  return invalid('labels mix numbers and strings');
}

/** Sorted distinct labels of the arrays (sklearn `unique_labels`). */
export function uniqueLabels(...arrays: LabelArray[]): Label[] {
  const seen = new Set<Label>();
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = at(a, i);
      if (typeof v === 'number' && Number.isNaN(v)) invalid('labels contain NaN');
      seen.add(v);
    }
  }
  return [...seen].sort(compareLabels);
}

function indexOfLabels(labels: readonly Label[]): Map<Label, number> {
  const map = new Map<Label, number>();
  labels.forEach((l, i) => {
    if (map.has(l)) invalid(`label ${String(l)} is given twice`);
    map.set(l, i);
  });
  return map;
}

/** Sequential mean. */
function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += at(values, i);
  return s / values.length;
}

// ---------------------------------------------------------------- classification

/** Fraction of exact matches (sklearn `accuracy_score`). */
export function accuracy(yTrue: LabelArray, yPred: LabelArray): number {
  const n = checkPair(yTrue, yPred, 'accuracy');
  uniqueLabels(yTrue, yPred); // rejects NaN and mixed label types, as sklearn's target check does
  let right = 0;
  for (let i = 0; i < n; i++) if (at(yTrue, i) === at(yPred, i)) right++;
  return right / n;
}

export interface ConfusionMatrix {
  /** Row/column order. */
  labels: Label[];
  /** matrix[i][j]: samples with true label labels[i] predicted as labels[j]. */
  matrix: number[][];
}

/**
 * Counts by (true, predicted) label (sklearn `confusion_matrix`). With `labels`, that order is used and samples
 * whose true or predicted label is not among them are left out; at least one label must occur in yTrue.
 */
export function confusionMatrix(yTrue: LabelArray, yPred: LabelArray, labels?: readonly Label[]): ConfusionMatrix {
  const n = checkPair(yTrue, yPred, 'confusionMatrix');
  const order = labels ? [...labels] : uniqueLabels(yTrue, yPred);
  if (order.length === 0) invalid('confusionMatrix: labels must hold at least one label');
  const index = indexOfLabels(order);
  if (labels && !Array.from({ length: n }, (_, i) => at(yTrue, i)).some((v) => index.has(v))) {
    invalid('confusionMatrix: at least one label specified must be in yTrue');
  }
  const matrix = order.map(() => new Array<number>(order.length).fill(0));
  for (let i = 0; i < n; i++) {
    const t = index.get(at(yTrue, i));
    const p = index.get(at(yPred, i));
    if (t === undefined || p === undefined) continue;
    (matrix[t] as number[])[p]! += 1;
  }
  return { labels: order, matrix };
}

/** Mean per-class recall over the classes present in yTrue (sklearn `balanced_accuracy_score`, adjusted=False). */
export function balancedAccuracy(yTrue: LabelArray, yPred: LabelArray): number {
  const { matrix } = confusionMatrix(yTrue, yPred);
  const recalls: number[] = [];
  matrix.forEach((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    if (total > 0) recalls.push((row[i] as number) / total);
  });
  return mean(recalls);
}

export type Average = 'binary' | 'macro' | 'micro' | 'weighted';
/** sklearn's `zero_division`: 'warn' (the default) and 0 give 0 where a ratio is 0/0; 1 gives 1. */
export type ZeroDivision = 'warn' | 0 | 1;

export interface PrfOptions {
  /** Default 'binary', as in sklearn; null gives per-class values. */
  average?: Average | null;
  /** The positive class for average 'binary' (default 1); ignored otherwise, as in sklearn. */
  posLabel?: Label;
  zeroDivision?: ZeroDivision;
  /** Classes to report / average over, in this order (sklearn's `labels`); ignored for 'binary'. */
  labels?: readonly Label[];
}

export interface PrfScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface PrfPerClass {
  labels: Label[];
  precision: number[];
  recall: number[];
  f1: number[];
  /** Number of true samples of each class. */
  support: number[];
}

function prfDivide(num: number[], den: number[], zeroDivision: ZeroDivision): number[] {
  const zero = zeroDivision === 1 ? 1 : 0;
  return num.map((v, i) => ((den[i] as number) === 0 ? zero : v / (den[i] as number)));
}

/**
 * Precision, recall and F1 (sklearn `precision_recall_fscore_support` with beta=1; support only when average
 * is null).
 */
export function precisionRecallF1(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions & { average: null }): PrfPerClass;
export function precisionRecallF1(yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions & { average?: Average }): PrfScores;
export function precisionRecallF1(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions = {}): PrfScores | PrfPerClass {
  const n = checkPair(yTrue, yPred, 'precisionRecallF1');
  const average = options.average === undefined ? 'binary' : options.average;
  const zeroDivision = options.zeroDivision ?? 'warn';
  const present = uniqueLabels(yTrue, yPred);
  let labels: Label[];
  if (average === 'binary') {
    const posLabel = options.posLabel ?? 1;
    if (present.length > 2) invalid("precisionRecallF1: target is multiclass but average='binary'");
    if (!present.includes(posLabel) && present.length >= 2) {
      invalid(`precisionRecallF1: posLabel ${String(posLabel)} is not one of the labels ${present.join(', ')}`);
    }
    labels = [posLabel];
  } else {
    labels = options.labels ? [...options.labels] : present;
  }
  const index = indexOfLabels(labels);
  let tp = labels.map(() => 0);
  let predSum = labels.map(() => 0);
  let trueSum = labels.map(() => 0);
  for (let i = 0; i < n; i++) {
    const t = index.get(at(yTrue, i));
    const p = index.get(at(yPred, i));
    if (t !== undefined) trueSum[t]!++;
    if (p !== undefined) predSum[p]!++;
    if (t !== undefined && t === p) tp[t]!++;
  }
  const support = trueSum;
  if (average === 'micro') {
    const total = (a: number[]) => [a.reduce((s, v) => s + v, 0)];
    tp = total(tp);
    predSum = total(predSum);
    trueSum = total(trueSum);
  }
  const precision = prfDivide(tp, predSum, zeroDivision);
  const recall = prfDivide(tp, trueSum, zeroDivision);
  const f1 = precision.map((p, i) => {
    const r = recall[i] as number;
    const denom = p + r === 0 ? 1 : p + r;
    return (2 * p * r) / denom;
  });
  if (average === null) return { labels, precision, recall, f1, support };
  if (average === 'weighted') {
    const weightSum = trueSum.reduce((s, v) => s + v, 0);
    if (weightSum === 0) {
      const zero = zeroDivision === 1 ? 1 : 0;
      const anyPredicted = predSum.some((v) => v > 0);
      return anyPredicted ? { precision: 0, recall: zero, f1: 0 } : { precision: zero, recall: zero, f1: zero };
    }
    const weighted = (a: number[]) => a.reduce((s, v, i) => s + v * (trueSum[i] as number), 0) / weightSum;
    return { precision: weighted(precision), recall: weighted(recall), f1: weighted(f1) };
  }
  return { precision: mean(precision), recall: mean(recall), f1: mean(f1) };
}

interface BinaryCurve {
  /** Cumulative false and true positives at each distinct score, highest score first. */
  fps: number[];
  tps: number[];
}

/** sklearn `_binary_clf_curve` without sample weights. */
function binaryCurve(isPositive: boolean[], score: NumberArray): BinaryCurve {
  const n = isPositive.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => at(score, b) - at(score, a));
  const fps: number[] = [];
  const tps: number[] = [];
  let tp = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    if (isPositive[i]) tp++;
    if (j === n - 1 || at(score, i) !== at(score, order[j + 1] as number)) {
      tps.push(tp);
      fps.push(j + 1 - tp);
    }
  }
  return { fps, tps };
}

/**
 * Area under the ROC curve for a binary target (sklearn `roc_auc_score`): the positive class is the greater of
 * the two labels; tied scores form one ROC point (trapezoid over distinct thresholds).
 */
export function rocAuc(yTrue: LabelArray, score: NumberArray): number {
  checkPair(yTrue, score, 'rocAuc');
  checkFinite(score, 'rocAuc');
  const classes = uniqueLabels(yTrue);
  if (classes.length !== 2) invalid(`rocAuc: yTrue must hold exactly two classes, it holds ${classes.length}`);
  const positive = classes[1] as Label;
  const isPositive = Array.from({ length: yTrue.length }, (_, i) => at(yTrue, i) === positive);
  let { fps, tps } = binaryCurve(isPositive, score);
  // roc_curve(drop_intermediate=True): drop collinear points (does not change the area, only rounding).
  if (fps.length > 2) {
    const keep = fps.map((_, i) => {
      if (i === 0 || i === fps.length - 1) return true;
      const d2f = (fps[i + 1] as number) - 2 * (fps[i] as number) + (fps[i - 1] as number);
      const d2t = (tps[i + 1] as number) - 2 * (tps[i] as number) + (tps[i - 1] as number);
      return d2f !== 0 || d2t !== 0;
    });
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
  }
  fps.unshift(0);
  tps.unshift(0);
  const fpLast = fps[fps.length - 1] as number;
  const tpLast = tps[tps.length - 1] as number;
  let area = 0;
  for (let i = 1; i < fps.length; i++) {
    const dx = (fps[i] as number) / fpLast - (fps[i - 1] as number) / fpLast;
    area += (dx * ((tps[i] as number) / tpLast + (tps[i - 1] as number) / tpLast)) / 2;
  }
  return area;
}

/**
 * Average precision, AP = Σ (R_n − R_{n−1}) P_n over distinct score thresholds, not interpolated
 * (sklearn `average_precision_score`). With no positive sample it is 0, as in sklearn.
 */
export function averagePrecision(yTrue: LabelArray, score: NumberArray, posLabel: Label = 1): number {
  checkPair(yTrue, score, 'averagePrecision');
  checkFinite(score, 'averagePrecision');
  const classes = uniqueLabels(yTrue);
  if (classes.length > 2) invalid('averagePrecision: yTrue must be binary');
  if (classes.length === 2 && !classes.includes(posLabel)) {
    invalid(`averagePrecision: posLabel ${String(posLabel)} is not one of the labels ${classes.join(', ')}`);
  }
  const isPositive = Array.from({ length: yTrue.length }, (_, i) => at(yTrue, i) === posLabel);
  const { fps, tps } = binaryCurve(isPositive, score);
  const m = tps.length;
  const tpLast = tps[m - 1] as number;
  let acc = 0;
  // sklearn sums over the reversed curve (recall decreasing): -Σ diff(recall) * precision.
  for (let i = m - 1; i >= 0; i--) {
    const tp = tps[i] as number;
    const precision = tp / (tp + (fps[i] as number));
    const recall = tpLast === 0 ? 1 : tp / tpLast;
    const prevRecall = i === 0 ? 0 : tpLast === 0 ? 1 : (tps[i - 1] as number) / tpLast;
    acc += (prevRecall - recall) * precision;
  }
  return -acc + 0;
}

function isMatrix(p: NumberArray | ReadonlyArray<NumberArray>): p is ReadonlyArray<NumberArray> {
  return p.length > 0 && typeof p[0] !== 'number';
}

/**
 * Mean cross-entropy (sklearn 1.2 `log_loss`): probabilities clipped to [eps, 1 − eps], each row renormalised to
 * sum 1. The default eps is sklearn 1.2's eps="auto", float64 machine epsilon (2.22e-16); pass 1e-15 for the
 * default of sklearn < 1.2. `proba` is either one probability per sample (of the greater of two classes, binary) or one row per
 * sample with a column per class in ascending label order (of `labels` when given, else of yTrue's labels).
 * Unlike sklearn, a yTrue label that is not among `labels` is an error (sklearn scores that row 0).
 */
export function logLoss(
  yTrue: LabelArray,
  proba: NumberArray | ReadonlyArray<NumberArray>,
  eps = Number.EPSILON,
  labels?: readonly Label[],
): number {
  const n = checkPair(yTrue, proba, 'logLoss');
  const classes = labels ? uniqueLabels(labels) : uniqueLabels(yTrue);
  if (classes.length < 2) invalid('logLoss: needs at least two classes; give them through labels');
  const index = indexOfLabels(classes);
  const clip = (v: number) => {
    if (Number.isNaN(v)) invalid('logLoss: probabilities contain NaN');
    return Math.min(Math.max(v, eps), 1 - eps);
  };
  const rows = isMatrix(proba);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const k = index.get(at(yTrue, i));
    if (k === undefined) invalid(`logLoss: label ${String(at(yTrue, i))} is not among the classes`);
    let row: number[];
    if (rows) {
      const r = Array.from(at(proba, i) as NumberArray, clip);
      row = r.length === 1 ? [1 - (r[0] as number), r[0] as number] : r;
    } else {
      const p = clip(at(proba as NumberArray, i));
      row = [1 - p, p];
    }
    if (row.length !== classes.length) invalid(`logLoss: ${classes.length} classes but ${row.length} probabilities in row ${i}`);
    let sum = 0;
    for (const v of row) sum += v;
    total += -Math.log((row[k] as number) / sum);
  }
  return total / n;
}

export interface ReportRow {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  labels: Label[];
  /** One row per label, in `labels` order. */
  perClass: ReportRow[];
  /** Accuracy when all present labels are reported (sklearn's "accuracy" entry); otherwise null. */
  accuracy: number | null;
  /** sklearn's "micro avg" row, present instead of accuracy when `labels` leaves some present label out. */
  microAvg: ReportRow | null;
  macroAvg: ReportRow;
  weightedAvg: ReportRow;
}

/** Per-class precision/recall/F1/support and averages (sklearn `classification_report(output_dict=True)`). */
export function classificationReport(yTrue: LabelArray, yPred: LabelArray, labels?: readonly Label[]): ClassificationReport {
  const present = uniqueLabels(yTrue, yPred);
  const order = labels ? [...labels] : present;
  const microIsAccuracy = !labels || present.every((l) => order.includes(l));
  const per = precisionRecallF1(yTrue, yPred, { average: null, labels: order });
  const totalSupport = per.support.reduce((s, v) => s + v, 0);
  const row = (s: PrfScores): ReportRow => ({ ...s, support: totalSupport });
  const micro = precisionRecallF1(yTrue, yPred, { average: 'micro', labels: order });
  return {
    labels: order,
    perClass: order.map((_, i) => ({
      precision: per.precision[i] as number,
      recall: per.recall[i] as number,
      f1: per.f1[i] as number,
      support: per.support[i] as number,
    })),
    accuracy: microIsAccuracy ? micro.precision : null,
    microAvg: microIsAccuracy ? null : row(micro),
    macroAvg: row(precisionRecallF1(yTrue, yPred, { average: 'macro', labels: order })),
    weightedAvg: row(precisionRecallF1(yTrue, yPred, { average: 'weighted', labels: order })),
  };
}

/** `x` with `digits` decimals, rounding exact ties to even like Python's format (JS toFixed rounds them up). */
export function formatFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return rounded;
  const exact = Math.abs(x).toFixed(100); // the exact decimal value of any double with ≤ 100 decimals
  const point = exact.indexOf('.');
  const tail = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return rounded;
  const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const lastDigit = Number(truncated[truncated.length - 1]);
  if (lastDigit % 2 === 1) return rounded;
  return (x < 0 ? '-' : '') + truncated;
}

/** Text like sklearn's `classification_report(..., digits)`. */
export function formatClassificationReport(report: ClassificationReport, digits = 2): string {
  const names = report.labels.map((l) => String(l));
  const width = Math.max(...names.map((s) => [...s].length), 'weighted avg'.length, digits);
  const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - [...s].length)) + s;
  const headers = ['precision', 'recall', 'f1-score', 'support'];
  let text = padStart('', width) + ' ' + headers.map((h) => ' ' + padStart(h, 9)).join('') + '\n\n';
  const line = (name: string, r: ReportRow) =>
    padStart(name, width) +
    ' ' +
    [r.precision, r.recall, r.f1].map((v) => ' ' + padStart(formatFixed(v, digits), 9)).join('') +
    ' ' +
    padStart(String(r.support), 9) +
    '\n';
  report.perClass.forEach((r, i) => (text += line(names[i] as string, r)));
  text += '\n';
  if (report.accuracy !== null) {
    text +=
      padStart('accuracy', width) +
      ' ' +
      ' '.repeat(10 * 2) +
      ' ' +
      padStart(formatFixed(report.accuracy, digits), 9) +
      ' ' +
      padStart(String(report.macroAvg.support), 9) +
      '\n';
  } else if (report.microAvg) {
    text += line('micro avg', report.microAvg);
  }
  text += line('macro avg', report.macroAvg);
  text += line('weighted avg', report.weightedAvg);
  return text;
}

// ---------------------------------------------------------------- regression

function checkRegression(yTrue: NumberArray, yPred: NumberArray, what: string): number {
  const n = checkPair(yTrue, yPred, what);
  checkFinite(yTrue, what);
  checkFinite(yPred, what);
  return n;
}

/** Mean of |y − ŷ| (sklearn `mean_absolute_error`). */
export function meanAbsoluteError(yTrue: NumberArray, yPred: NumberArray): number {
  const n = checkRegression(yTrue, yPred, 'meanAbsoluteError');
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(at(yPred, i) - at(yTrue, i));
  return s / n;
}

/** √(mean of (y − ŷ)²) (sklearn `mean_squared_error(squared=False)`). */
export function rootMeanSquaredError(yTrue: NumberArray, yPred: NumberArray): number {
  const n = checkRegression(yTrue, yPred, 'rootMeanSquaredError');
  let s = 0;
  for (let i = 0; i < n; i++) s += (at(yTrue, i) - at(yPred, i)) ** 2;
  return Math.sqrt(s / n);
}

/**
 * Coefficient of determination 1 − SS_res/SS_tot (sklearn `r2_score`, force_finite): 1 when both are 0, 0 when
 * only SS_tot is 0, NaN for fewer than two samples.
 */
export function r2Score(yTrue: NumberArray, yPred: NumberArray): number {
  const n = checkRegression(yTrue, yPred, 'r2Score');
  if (n < 2) return Number.NaN;
  const m = mean(yTrue);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (at(yTrue, i) - at(yPred, i)) ** 2;
    den += (at(yTrue, i) - m) ** 2;
  }
  if (den === 0) return num === 0 ? 1 : 0;
  return 1 - num / den;
}

/** Mean of |y − ŷ| / max(|y|, ε), ε = machine epsilon, as a fraction (sklearn `mean_absolute_percentage_error`). */
export function meanAbsolutePercentageError(yTrue: NumberArray, yPred: NumberArray): number {
  const n = checkRegression(yTrue, yPred, 'meanAbsolutePercentageError');
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(at(yPred, i) - at(yTrue, i)) / Math.max(Math.abs(at(yTrue, i)), Number.EPSILON);
  return s / n;
}

// ---------------------------------------------------------------- clustering

function checkMatrix(X: NumberArray, rows: number, cols: number, what: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) invalid(`${what}: rows and cols must be positive integers`);
  if (X.length !== rows * cols) invalid(`${what}: X has ${X.length} values, expected ${rows} × ${cols}`);
  checkFinite(X, what);
}

/**
 * Mean silhouette coefficient with Euclidean distance, X row-major rows × cols (sklearn `silhouette_score`):
 * s = (b − a) / max(a, b), 0 for a sample in a singleton cluster; needs 2 ≤ clusters ≤ rows − 1.
 * Distances are computed directly, not by sklearn's ‖x‖² − 2x·y + ‖y‖² expansion (differences ~1e-15).
 */
export function silhouetteScore(X: NumberArray, rows: number, cols: number, labels: LabelArray): number {
  checkMatrix(X, rows, cols, 'silhouetteScore');
  if (labels.length !== rows) invalid(`silhouetteScore: ${labels.length} labels for ${rows} rows`);
  const clusters = uniqueLabels(labels);
  const k = clusters.length;
  if (k < 2 || k > rows - 1) invalid(`silhouetteScore: needs 2 to ${rows - 1} clusters, got ${k}`);
  const index = indexOfLabels(clusters);
  const assign = Int32Array.from({ length: rows }, (_, i) => index.get(at(labels, i)) as number);
  const freq = new Float64Array(k);
  for (let i = 0; i < rows; i++) freq[assign[i] as number]! += 1;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    sums.fill(0);
    for (let j = 0; j < rows; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let c = 0; c < cols; c++) {
        const diff = at(X, i * cols + c) - at(X, j * cols + c);
        d2 += diff * diff;
      }
      sums[assign[j] as number]! += Math.sqrt(d2);
    }
    const own = assign[i] as number;
    const ownSize = freq[own] as number;
    if (ownSize === 1) continue; // s = 0
    const a = (sums[own] as number) / (ownSize - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, (sums[c] as number) / (freq[c] as number));
    const denom = Math.max(a, b);
    if (denom > 0) total += (b - a) / denom;
  }
  return total / rows;
}

/**
 * Sum of squared Euclidean distances from each row to its centre (sklearn `KMeans.inertia_`); labels are centre
 * indices 0 … k−1, centers row-major k × cols.
 */
export function inertia(X: NumberArray, rows: number, cols: number, labels: NumberArray, centers: NumberArray): number {
  checkMatrix(X, rows, cols, 'inertia');
  if (labels.length !== rows) invalid(`inertia: ${labels.length} labels for ${rows} rows`);
  if (centers.length === 0 || centers.length % cols !== 0) invalid(`inertia: centers must hold k × ${cols} values`);
  checkFinite(centers, 'inertia');
  const k = centers.length / cols;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const l = at(labels, i);
    if (!Number.isInteger(l) || l < 0 || l >= k) invalid(`inertia: label ${l} of row ${i} is not a centre index below ${k}`);
    let d2 = 0;
    for (let c = 0; c < cols; c++) {
      const diff = at(X, i * cols + c) - at(centers, l * cols + c);
      d2 += diff * diff;
    }
    total += d2;
  }
  return total;
}

// ---------------------------------------------------------------- recommendation

/**
 * Ranking metrics over users. For user u, `recommended[u]` is the ranked list (best first) and `relevant[u]` the
 * set of relevant items; top-k is the first min(k, list length) items; an item repeated in a list counts only at
 * its first position. Each metric is the plain mean over all users, users with no relevant item included:
 *   precision@k = |top-k ∩ relevant| / k                      (divided by k even when the list is shorter)
 *   recall@k    = |top-k ∩ relevant| / |relevant|, 0 when nothing is relevant
 *   NDCG@k      = DCG@k / IDCG@k with binary gains, DCG@k = Σ_{rank r < k, item relevant} 1 / log2(r + 2) and
 *                 IDCG@k = Σ_{r < min(k, |relevant|)} 1 / log2(r + 2); 0 when nothing is relevant. This is
 *                 sklearn `ndcg_score(y_true, y_score, k)` with one row per user, y_true the 0/1 relevance of
 *                 every item and y_score ranking the recommended items first, in list order, and no other item
 *                 inside the top k.
 */
export type ItemId = number | string;

function rankingHits(
  recommended: ReadonlyArray<ArrayLike<ItemId>>,
  relevant: ReadonlyArray<Iterable<ItemId>>,
  k: number,
  what: string,
): { hitRanks: number[][]; relevantCounts: number[] } {
  if (!Number.isInteger(k) || k < 1) invalid(`${what}: k must be a positive integer`);
  if (recommended.length !== relevant.length) invalid(`${what}: ${recommended.length} lists but ${relevant.length} relevant sets`);
  if (recommended.length === 0) invalid(`${what}: no users`);
  const hitRanks: number[][] = [];
  const relevantCounts: number[] = [];
  recommended.forEach((list, u) => {
    const given = relevant[u] as Iterable<ItemId>;
    if (typeof given === 'string') invalid(`${what}: relevant items of user ${u} must be a collection, not a string`);
    const rel = new Set(given);
    const seen = new Set<ItemId>();
    const ranks: number[] = [];
    for (let r = 0; r < Math.min(k, list.length); r++) {
      const item = at(list, r);
      if (seen.has(item)) continue;
      seen.add(item);
      if (rel.has(item)) ranks.push(r);
    }
    hitRanks.push(ranks);
    relevantCounts.push(rel.size);
  });
  return { hitRanks, relevantCounts };
}

/** Mean over users of |top-k ∩ relevant| / k (no sklearn function; definition above). */
export function precisionAtK(recommended: ReadonlyArray<ArrayLike<ItemId>>, relevant: ReadonlyArray<Iterable<ItemId>>, k: number): number {
  const { hitRanks } = rankingHits(recommended, relevant, k, 'precisionAtK');
  return mean(hitRanks.map((h) => h.length / k));
}

/** Mean over users of |top-k ∩ relevant| / |relevant| (0 for no relevant item; no sklearn function). */
export function recallAtK(recommended: ReadonlyArray<ArrayLike<ItemId>>, relevant: ReadonlyArray<Iterable<ItemId>>, k: number): number {
  const { hitRanks, relevantCounts } = rankingHits(recommended, relevant, k, 'recallAtK');
  return mean(hitRanks.map((h, u) => ((relevantCounts[u] as number) === 0 ? 0 : h.length / (relevantCounts[u] as number))));
}

/** Mean over users of binary-relevance NDCG@k (sklearn `ndcg_score(k=k)`, one row per user; see above). */
export function ndcgAtK(recommended: ReadonlyArray<ArrayLike<ItemId>>, relevant: ReadonlyArray<Iterable<ItemId>>, k: number): number {
  const { hitRanks, relevantCounts } = rankingHits(recommended, relevant, k, 'ndcgAtK');
  const discount = (r: number) => 1 / (Math.log(r + 2) / Math.log(2));
  return mean(
    hitRanks.map((ranks, u) => {
      let ideal = 0;
      for (let r = 0; r < Math.min(k, relevantCounts[u] as number); r++) ideal += discount(r);
      if (ideal === 0) return 0;
      let dcg = 0;
      for (const r of ranks) dcg += discount(r);
      return dcg / ideal;
    }),
  );
}

/** Rating RMSE for recommenders (= rootMeanSquaredError, sklearn `mean_squared_error(squared=False)`). */
export const rmse = rootMeanSquaredError;
/** Rating MAE for recommenders (= meanAbsoluteError, sklearn `mean_absolute_error`). */
export const mae = meanAbsoluteError;

/**
 * The test-set metrics the workbench reports for a binary classifier, under scikit-learn's names: labels are 0/1,
 * `scores` the probability of 1, predictions where it reaches `threshold` (sklearn's predict: 0.5). roc_auc only when
 * both classes occur.
 */
export function binaryClassificationMetrics(y: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5): Record<string, number> {
  const yt = Array.from(y);
  const s = Array.from(scores);
  const pred = s.map((v) => (v >= threshold ? 1 : 0));
  const prf = precisionRecallF1(yt, pred, { average: 'binary', posLabel: 1, zeroDivision: 0 }) as { precision: number; recall: number; f1: number };
  const metrics: Record<string, number> = {
    accuracy: accuracy(yt, pred),
    balanced_accuracy: balancedAccuracy(yt, pred),
    precision: prf.precision,
    recall: prf.recall,
    f1: prf.f1,
    average_precision: averagePrecision(yt, s, 1),
    log_loss: logLoss(yt, s, Number.EPSILON, [0, 1]),
  };
  if (new Set(yt).size === 2) metrics.roc_auc = rocAuc(yt, s);
  return metrics;
}
