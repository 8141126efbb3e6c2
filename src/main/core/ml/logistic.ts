/**
 * Binary logistic regression with L2 regularisation, deterministic under a seed: full-batch gradient descent with a
 * step of 1/L (L a bound on the loss's curvature, so it converges to the optimum), or seeded mini-batch Adam for
 * large tables. `featurize` turns a column table into standardised numeric features and one-hot categoricals.
 */
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

export interface LogisticOptions {
  /** L2 penalty λ on the weights (not the intercept): loss = mean log-loss + λ/2 ‖w‖². Default 1e-4. */
  l2?: number;
  /** Passes over the data. Default 20 for mini-batches, 500 for full batch. */
  epochs?: number;
  /** Rows per step; ≥ rows means full-batch gradient descent. Default 256. */
  batchSize?: number;
  /** Adam's initial step (mini-batch only; it decays as 1/√epoch). Default 0.01. */
  learningRate?: number;
  /** Seed of the row shuffling. Default 1. */
  seed?: number;
  /** Loss weights of class 0 and class 1 (sklearn's class_weight); e.g. 'balanced' is n / (2 · n_class). Default [1, 1]. */
  classWeight?: readonly [number, number];
}

/** sklearn's class_weight='balanced': n_samples / (n_classes · count(class)). */
export function balancedClassWeight(y: ArrayLike<number>): [number, number] {
  let ones = 0;
  for (let i = 0; i < y.length; i++) ones += y[i] === 1 ? 1 : 0;
  const zeros = y.length - ones;
  return [zeros > 0 ? y.length / (2 * zeros) : 1, ones > 0 ? y.length / (2 * ones) : 1];
}

export interface LogisticModel {
  /** One weight per feature column. */
  weights: Float64Array;
  bias: number;
  cols: number;
}

/** A seeded generator, uniform in [0, 1) (mulberry32). */
export const seededRandom = mulberry32;

/** A seeded Fisher–Yates permutation of 0 … n − 1. */
export function seededPermutation(n: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function checkShape(X: Float64Array | Float32Array, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || X.length !== rows * cols) {
    throw new XinzhiError('E_INVALID_INPUT', `X has ${X.length} values, expected ${rows} × ${cols}`);
  }
}

/**
 * Gradient of the regularised mean log-loss at (weights, bias) over `rows` rows of X (row-major): the last entry is
 * the intercept's. Exposed so callers and tests can check optimality.
 */
export function logisticGradient(X: Float64Array | Float32Array, y: Uint8Array, rows: number, cols: number, model: LogisticModel, l2 = 1e-4, classWeight: readonly [number, number] = [1, 1]): Float64Array {
  checkShape(X, rows, cols);
  const g = new Float64Array(cols + 1);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let z = model.bias;
    for (let j = 0; j < cols; j++) z += (model.weights[j] as number) * (X[o + j] as number);
    const e = (sigmoid(z) - (y[r] as number)) * (classWeight[y[r] as number] as number);
    for (let j = 0; j < cols; j++) g[j]! += e * (X[o + j] as number);
    g[cols]! += e;
  }
  for (let j = 0; j <= cols; j++) g[j] = (g[j] as number) / Math.max(rows, 1);
  for (let j = 0; j < cols; j++) g[j]! += l2 * (model.weights[j] as number);
  return g;
}

/** Trains a binary logistic regression on X (row-major, rows × cols) and labels y ∈ {0, 1}. */
export function trainLogistic(X: Float64Array | Float32Array, y: Uint8Array, rows: number, cols: number, options: LogisticOptions = {}): LogisticModel {
  checkShape(X, rows, cols);
  if (y.length !== rows) throw new XinzhiError('E_INVALID_INPUT', `y has ${y.length} labels, expected ${rows}`);
  const l2 = options.l2 ?? 1e-4;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new XinzhiError('E_INVALID_INPUT', 'l2 must be a number ≥ 0');
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 256));
  const full = batchSize >= rows;
  const epochs = Math.max(0, Math.floor(options.epochs ?? (full ? 500 : 20)));
  const model: LogisticModel = { weights: new Float64Array(cols), bias: 0, cols };
  if (rows === 0) return model;
  const classWeight = options.classWeight ?? [1, 1];
  if (!classWeight.every((w) => w > 0 && Number.isFinite(w))) throw new XinzhiError('E_INVALID_INPUT', 'class weights must be numbers > 0');
  const maxWeight = Math.max(...classWeight);

  if (full) {
    // Gradient descent with step 1/L, L = ¼ · max_row (‖x‖² + 1) + λ ≥ the Hessian's largest eigenvalue.
    let maxNorm = 0;
    for (let r = 0; r < rows; r++) {
      let s = 1;
      for (let j = 0; j < cols; j++) s += (X[r * cols + j] as number) ** 2;
      maxNorm = Math.max(maxNorm, s);
    }
    const step = 1 / (0.25 * maxNorm * maxWeight + l2);
    for (let it = 0; it < epochs; it++) {
      const g = logisticGradient(X, y, rows, cols, model, l2, classWeight);
      for (let j = 0; j < cols; j++) model.weights[j]! -= step * (g[j] as number);
      model.bias -= step * (g[cols] as number);
    }
    return model;
  }

  // Mini-batch Adam over a fresh seeded shuffle each epoch.
  const lr0 = options.learningRate ?? 0.01;
  const random = seededRandom(options.seed ?? 1);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const m = new Float64Array(cols + 1);
  const v = new Float64Array(cols + 1);
  const g = new Float64Array(cols + 1);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i] as number;
      order[i] = order[j] as number;
      order[j] = tmp;
    }
    const lr = lr0 / Math.sqrt(epoch + 1);
    for (let from = 0; from < rows; from += batchSize) {
      const to = Math.min(rows, from + batchSize);
      g.fill(0);
      for (let b = from; b < to; b++) {
        const o = (order[b] as number) * cols;
        let z = model.bias;
        for (let j = 0; j < cols; j++) z += (model.weights[j] as number) * (X[o + j] as number);
        const label = y[order[b] as number] as number;
        const e = (sigmoid(z) - label) * (classWeight[label] as number);
        if (e === 0) continue;
        for (let j = 0; j < cols; j++) g[j]! += e * (X[o + j] as number);
        g[cols]! += e;
      }
      const size = to - from;
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let j = 0; j <= cols; j++) {
        const w = j < cols ? (model.weights[j] as number) : model.bias;
        const gj = (g[j] as number) / size + (j < cols ? l2 * w : 0);
        m[j] = beta1 * (m[j] as number) + (1 - beta1) * gj;
        v[j] = beta2 * (v[j] as number) + (1 - beta2) * gj * gj;
        const delta = (lr * ((m[j] as number) / c1)) / (Math.sqrt((v[j] as number) / c2) + 1e-8);
        if (j < cols) model.weights[j] = w - delta;
        else model.bias = w - delta;
      }
    }
  }
  return model;
}

/** P(y = 1) for each of `rows` rows of X. */
export function predictProba(model: LogisticModel, X: Float64Array | Float32Array, rows: number): Float64Array {
  checkShape(X, rows, model.cols);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * model.cols;
    let z = model.bias;
    for (let j = 0; j < model.cols; j++) z += (model.weights[j] as number) * (X[o + j] as number);
    out[r] = sigmoid(z);
  }
  return out;
}

/** Share of rows whose predicted class (P ≥ ½) equals y. */
export function accuracy(model: LogisticModel, X: Float64Array | Float32Array, y: Uint8Array, rows: number): number {
  if (rows === 0) return 0;
  const p = predictProba(model, X, rows);
  let right = 0;
  for (let r = 0; r < rows; r++) if (((p[r] as number) >= 0.5 ? 1 : 0) === y[r]) right++;
  return right / rows;
}

export type CellValue = string | number | null;

export interface FeatureTable {
  columns: { name: string; values: readonly CellValue[] }[];
}

export interface Features {
  /** Row-major rows × featureNames.length. */
  X: Float64Array;
  /** 0 for the target's most frequent value (`classes[0]`), 1 for the other (`classes[1]`). */
  y: Uint8Array;
  rows: number;
  featureNames: string[];
  classes: [string, string];
}

/** Most levels one-hot encoded per categorical column; the rarer ones share the `other` feature. */
export const MAX_LEVELS = 50;
const MISSING = '(missing)';

function isMissing(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}

function asNumber(v: CellValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Features for a binary target. A column whose non-missing values are all numbers (or numeric strings) is
 * standardised over all rows (missing → the mean, i.e. 0); any other column is one-hot encoded over its
 * MAX_LEVELS most frequent values (ties by first occurrence; missing is a value of its own), the rest going to
 * `name=other`. The target must have exactly two distinct non-missing values and no missing one.
 */
export function featurize(table: FeatureTable, target: string): Features {
  const targetColumn = table.columns.find((c) => c.name === target);
  if (!targetColumn) throw new XinzhiError('E_INVALID_INPUT', `Target column "${target}" is not in the table`);
  const rows = targetColumn.values.length;
  for (const c of table.columns) {
    if (c.values.length !== rows) throw new XinzhiError('E_INVALID_INPUT', `Column "${c.name}" has ${c.values.length} values, expected ${rows}`);
  }
  const counts = new Map<string, number>();
  for (const v of targetColumn.values) {
    if (isMissing(v)) throw new XinzhiError('E_INVALID_INPUT', `Target column "${target}" has missing values`);
    const s = String(v);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (counts.size !== 2) throw new XinzhiError('E_INVALID_INPUT', `Target column "${target}" must have exactly two values, it has ${counts.size}`);
  const [first, second] = [...counts.entries()] as [[string, number], [string, number]];
  const classes: [string, string] = second[1] > first[1] ? [second[0], first[0]] : [first[0], second[0]];
  const y = new Uint8Array(rows);
  targetColumn.values.forEach((v, r) => (y[r] = String(v) === classes[0] ? 0 : 1));

  // Each feature block writes its columns for every row.
  const blocks: { names: string[]; fill: (X: Float64Array, stride: number, offset: number) => void }[] = [];
  for (const c of table.columns) {
    if (c.name === target) continue;
    const numbers = c.values.map(asNumber);
    const numeric = c.values.every((v, r) => isMissing(v) || numbers[r] !== null) && numbers.some((x) => x !== null);
    if (numeric) {
      let sum = 0;
      let count = 0;
      for (const x of numbers) {
        if (x === null) continue;
        sum += x;
        count++;
      }
      const mean = sum / count;
      let ss = 0;
      for (const x of numbers) if (x !== null) ss += (x - mean) ** 2;
      const sd = Math.sqrt(ss / count) || 1;
      blocks.push({
        names: [c.name],
        fill: (X, stride, offset) => numbers.forEach((x, r) => (X[r * stride + offset] = x === null ? 0 : (x - mean) / sd)),
      });
      continue;
    }
    const keys = c.values.map((v) => (isMissing(v) ? MISSING : String(v)));
    const freq = new Map<string, number>();
    for (const key of keys) freq.set(key, (freq.get(key) ?? 0) + 1);
    const levels = [...freq.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key); // stable: ties keep first occurrence
    const kept = levels.slice(0, MAX_LEVELS);
    const index = new Map(kept.map((key, i) => [key, i]));
    const names = kept.map((key) => `${c.name}=${key}`);
    const other = levels.length > MAX_LEVELS;
    if (other) names.push(`${c.name}=other`);
    blocks.push({
      names,
      fill: (X, stride, offset) => keys.forEach((key, r) => (X[r * stride + offset + (index.get(key) ?? kept.length)] = 1)),
    });
  }
  const featureNames = blocks.flatMap((b) => b.names);
  const X = new Float64Array(rows * featureNames.length);
  let offset = 0;
  for (const b of blocks) {
    b.fill(X, featureNames.length, offset);
    offset += b.names.length;
  }
  return { X, y, rows, featureNames, classes };
}
