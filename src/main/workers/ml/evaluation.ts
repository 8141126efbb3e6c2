/**
 * Test-set metrics for each task under scikit-learn's names (definitions in core/ml/metrics.ts), the pieces the
 * model page draws (confusion matrix, ROC curve), and each task's primary metric — the one validation runs,
 * searches and AutoML compare.
 */
import type { ModelTask } from '../../../shared/model/training.js';
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  binaryClassificationMetrics,
  confusionMatrix,
  logLoss,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  ndcgAtK,
  precisionAtK,
  precisionRecallF1,
  r2Score,
  recallAtK,
  rocAuc,
  rootMeanSquaredError,
  silhouetteScore,
} from '../../core/ml/metrics.js';
import { mulberry32 } from '../../core/random.js';

/**
 * The decision threshold that maximises F1 on rows with known labels (a rare positive class is otherwise seldom
 * predicted at 0.5): the score of one of the rows, so the rows at or above it are predicted positive.
 */
export function f1Threshold(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => (score[b] as number) - (score[a] as number));
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i] === 1 ? 1 : 0;
  let tp = 0;
  let best = 0.5;
  let bestF1 = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    tp += y[i] === 1 ? 1 : 0;
    const next = order[k + 1];
    if (next !== undefined && score[next] === score[i]) continue; // ties are cut together
    const f1 = (2 * tp) / (k + 1 + positives);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = score[i] as number;
    }
  }
  return best;
}

/** What a model gives for rows: see Outputs in families.ts. */
export interface Outputs {
  /** binary: P(positive); regression: the value; recommendation: the rating; anomaly: the anomaly score; clustering: distance to the cluster. */
  score: Float32Array;
  /** multiclass: rows × classes probabilities. */
  proba?: Float32Array;
  /** The predicted class index, value, cluster id (−1 noise), or 0/1 anomaly flag. */
  pred: Float64Array;
}

export interface Truth {
  /** Class indexes (classification) or 0/1 labels (anomaly with a label column). */
  y?: Uint8Array | null;
  /** Regression targets and ratings. */
  yValues?: Float64Array | null;
  /** Clustering: the model's input rows, for the silhouette. */
  X?: Float32Array;
  cols?: number;
  /** Recommendation: user and item indexes of the rows. */
  users?: Int32Array;
  items?: Int32Array;
}

export interface PrimaryMetric {
  name: string;
  higherIsBetter: boolean;
}

export function primaryMetric(task: ModelTask, hasLabels = false): PrimaryMetric {
  switch (task) {
    case 'binary':
      return { name: 'roc_auc', higherIsBetter: true };
    case 'multiclass':
      return { name: 'accuracy', higherIsBetter: true };
    case 'regression':
      return { name: 'r2', higherIsBetter: true };
    case 'recommendation':
      return { name: 'rmse', higherIsBetter: false };
    case 'clustering':
      return { name: 'silhouette', higherIsBetter: true };
    case 'anomaly':
      return hasLabels ? { name: 'roc_auc', higherIsBetter: true } : { name: 'anomaly_rate', higherIsBetter: false };
  }
}

/** Up to `points` (fpr, tpr) pairs of the ROC curve, from (0, 0) to (1, 1), at distinct score thresholds. */
export function rocCurve(y: ArrayLike<number>, score: ArrayLike<number>, points = 200): { fpr: number[]; tpr: number[] } {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => (score[b] as number) - (score[a] as number));
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] === 1 ? 1 : 0;
  const neg = y.length - pos;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (y[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || score[next] !== score[i]) {
      fpr.push(neg > 0 ? fp / neg : 0);
      tpr.push(pos > 0 ? tp / pos : 0);
    }
  }
  if (fpr.length <= points) return { fpr, tpr };
  const step = (fpr.length - 1) / (points - 1);
  const pick = Array.from({ length: points }, (_, k) => Math.round(k * step));
  return { fpr: pick.map((k) => fpr[k] as number), tpr: pick.map((k) => tpr[k] as number) };
}

function classificationMulti(y: Uint8Array, proba: Float32Array, classes: number): Record<string, number> {
  const rows = y.length;
  const yt = Array.from(y);
  const pred = Array.from(argmaxRows(proba, rows, classes));
  const labels = Array.from({ length: classes }, (_, k) => k);
  const macro = precisionRecallF1(yt, pred, { average: 'macro', labels, zeroDivision: 0 });
  const weighted = precisionRecallF1(yt, pred, { average: 'weighted', labels, zeroDivision: 0 });
  const micro = precisionRecallF1(yt, pred, { average: 'micro', labels, zeroDivision: 0 });
  const matrix: number[][] = [];
  for (let r = 0; r < rows; r++) matrix.push(Array.from(proba.subarray(r * classes, (r + 1) * classes)));
  const metrics: Record<string, number> = {
    accuracy: accuracy(yt, pred),
    balanced_accuracy: balancedAccuracy(yt, pred),
    precision_macro: macro.precision,
    recall_macro: macro.recall,
    f1_macro: macro.f1,
    precision_weighted: weighted.precision,
    recall_weighted: weighted.recall,
    f1_weighted: weighted.f1,
    f1_micro: micro.f1,
    log_loss: logLoss(yt, matrix, Number.EPSILON, labels),
  };
  // sklearn roc_auc_score(multi_class='ovr', average='macro'): the mean of one-vs-rest AUCs; needs every class present.
  const present = new Set(yt);
  if (present.size === classes) {
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      sum += rocAuc(
        yt.map((v) => (v === k ? 1 : 0)),
        Array.from({ length: rows }, (_, r) => proba[r * classes + k] as number),
      );
    }
    metrics.roc_auc_ovr = sum / classes;
  }
  return metrics;
}

export function argmaxRows(proba: Float32Array, rows: number, classes: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if ((proba[r * classes + k] as number) > (proba[r * classes + best] as number)) best = k;
    out[r] = best;
  }
  return out;
}

/** At most `limit` rows for the silhouette (O(n²)): a seeded sample, as sklearn's silhouette_score(sample_size=…). */
function silhouetteSample(X: Float32Array, cols: number, labels: Float64Array, limit: number, seed: number): number | null {
  const rows = labels.length;
  let idx = Array.from({ length: rows }, (_, i) => i).filter((i) => (labels[i] as number) >= 0);
  if (idx.length > limit) {
    const random = mulberry32(seed);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    idx = idx.slice(0, limit);
  }
  const lab = idx.map((i) => labels[i] as number);
  const k = new Set(lab).size;
  if (k < 2 || k > idx.length - 1) return null;
  const sub = new Float32Array(idx.length * cols);
  idx.forEach((r, i) => sub.set(X.subarray(r * cols, (r + 1) * cols), i * cols));
  return silhouetteScore(sub, idx.length, cols, lab);
}

/**
 * One metric of `evaluate` computed alone (the per-epoch validation metric): the primary metrics directly, any
 * other through `evaluate`. Equal to `evaluate(...).metrics[name]`.
 */
export function metricValue(task: ModelTask, classes: number, truth: Truth, out: Outputs, name: string): number | undefined {
  if (name === 'roc_auc' && (task === 'binary' || task === 'anomaly') && truth.y) {
    return new Set(truth.y).size === 2 ? rocAuc(truth.y, out.score) : undefined;
  }
  if (name === 'accuracy' && task === 'multiclass' && truth.y) {
    let right = 0;
    for (let i = 0; i < truth.y.length; i++) right += truth.y[i] === out.pred[i] ? 1 : 0;
    return right / Math.max(truth.y.length, 1);
  }
  if (name === 'r2' && task === 'regression' && truth.yValues) return truth.yValues.length > 1 ? r2Score(truth.yValues, out.score) : undefined;
  if (name === 'rmse' && truth.yValues) return rootMeanSquaredError(truth.yValues, out.score);
  return evaluate(task, classes, truth, out).metrics[name];
}

export interface Evaluation {
  metrics: Record<string, number>;
  confusion?: number[][];
  roc?: { fpr: number[]; tpr: number[] };
}

/** The task's metrics on rows whose truth is known. */
export function evaluate(task: ModelTask, classes: number, truth: Truth, out: Outputs, opts: { seed?: number; topK?: number; threshold?: number | undefined } = {}): Evaluation {
  const rows = out.pred.length;
  if (task === 'binary' && truth.y) {
    const threshold = opts.threshold ?? 0.5;
    const metrics = binaryClassificationMetrics(truth.y, out.score, threshold);
    const pred = Array.from(out.score, (v) => (v >= threshold ? 1 : 0));
    const cm = confusionMatrix(Array.from(truth.y), pred, [0, 1]).matrix;
    return { metrics, confusion: cm, ...(metrics.roc_auc !== undefined ? { roc: rocCurve(truth.y, out.score) } : {}) };
  }
  if (task === 'multiclass' && truth.y && out.proba) {
    const metrics = classificationMulti(truth.y, out.proba, classes);
    const labels = Array.from({ length: classes }, (_, k) => k);
    return { metrics, confusion: confusionMatrix(Array.from(truth.y), Array.from(out.pred), labels).matrix };
  }
  if ((task === 'regression' || task === 'recommendation') && truth.yValues) {
    const metrics: Record<string, number> = {
      mae: meanAbsoluteError(truth.yValues, out.score),
      rmse: rootMeanSquaredError(truth.yValues, out.score),
      r2: rows > 1 ? r2Score(truth.yValues, out.score) : 0,
    };
    if (task === 'regression') metrics.mape = meanAbsolutePercentageError(truth.yValues, out.score);
    if (task === 'recommendation' && truth.users && truth.items) Object.assign(metrics, rankingMetrics(truth.users, truth.items, truth.yValues, out.score, opts.topK ?? 10));
    return { metrics };
  }
  if (task === 'clustering' && truth.X && truth.cols) {
    const clusters = new Set(Array.from(out.pred).filter((v) => v >= 0)).size;
    let noise = 0;
    for (const v of out.pred) noise += v < 0 ? 1 : 0;
    const metrics: Record<string, number> = { clusters, noise_fraction: rows > 0 ? noise / rows : 0 };
    const s = silhouetteSample(truth.X, truth.cols, out.pred, 4000, opts.seed ?? 0);
    if (s !== null) metrics.silhouette = s;
    return { metrics };
  }
  if (task === 'anomaly') {
    let flagged = 0;
    for (const v of out.pred) flagged += v === 1 ? 1 : 0;
    const metrics: Record<string, number> = { anomaly_rate: rows > 0 ? flagged / rows : 0 };
    if (truth.y && new Set(truth.y).size === 2) {
      const yt = Array.from(truth.y);
      const pred = Array.from(out.pred);
      const prf = precisionRecallF1(yt, pred, { average: 'binary', posLabel: 1, zeroDivision: 0 }) as { precision: number; recall: number; f1: number };
      Object.assign(metrics, { roc_auc: rocAuc(yt, out.score), average_precision: averagePrecision(yt, out.score, 1), precision: prf.precision, recall: prf.recall, f1: prf.f1 });
      return { metrics, confusion: confusionMatrix(yt, pred, [0, 1]).matrix, roc: rocCurve(truth.y, out.score) };
    }
    return { metrics };
  }
  return { metrics: {} };
}

/**
 * precision@k, recall@k and NDCG@k over the rows' users: each user's rows ranked by predicted rating against the
 * items the user rated at or above the user's own mean rating (the relevant ones) — the held-out ranking a
 * recommender is judged by when only ratings are known.
 */
function rankingMetrics(users: Int32Array, items: Int32Array, truth: Float64Array, predicted: Float32Array, k: number): Record<string, number> {
  const byUser = new Map<number, number[]>();
  for (let i = 0; i < users.length; i++) {
    const u = users[i] as number;
    let list = byUser.get(u);
    if (!list) byUser.set(u, (list = []));
    list.push(i);
  }
  const recommended: number[][] = [];
  const relevant: Set<number>[] = [];
  for (const rows of byUser.values()) {
    if (rows.length < 2) continue;
    const mean = rows.reduce((s, i) => s + (truth[i] as number), 0) / rows.length;
    const rel = new Set(rows.filter((i) => (truth[i] as number) >= mean).map((i) => items[i] as number));
    const ranked = [...rows].sort((a, b) => (predicted[b] as number) - (predicted[a] as number)).map((i) => items[i] as number);
    recommended.push(ranked);
    relevant.push(rel);
  }
  if (recommended.length === 0) return {};
  return {
    [`precision_at_${k}`]: precisionAtK(recommended, relevant, k),
    [`recall_at_${k}`]: recallAtK(recommended, relevant, k),
    [`ndcg_at_${k}`]: ndcgAtK(recommended, relevant, k),
  };
}
