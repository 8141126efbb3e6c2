/**
 * Least-squares linear regression y ≈ X·w + b, two ways: the closed form (normal equations on centred data, solved
 * by Cholesky, optionally with a ridge penalty; the same coefficients as scikit-learn's LinearRegression / Ridge), and
 * seeded mini-batch gradient descent on the same objective, for tables too wide for the closed form or when a caller
 * wants progress per epoch. The model is plain numbers so it can be saved as JSON and re-applied when scoring.
 */
import { choleskyInPlace, choleskySolve } from './linalg.js';
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

type Matrix = Float32Array | Float64Array;
type Vector = Float32Array | Float64Array | ArrayLike<number>;

/** A fitted linear model, JSON-serialisable as is. */
export interface LinearModel {
  kind: 'linear';
  /** One weight per feature column. */
  weights: number[];
  bias: number;
  /**
   * Set only when X'X + l2·I was singular or numerically so (collinear or duplicated columns): the relative ridge ε
   * that made it solvable, each diagonal entry having been multiplied by 1 + ε. The weights are then close to the
   * minimum-norm solution in column-scaled units (equal to scikit-learn's lstsq answer when the collinear columns
   * share a scale), and the predictions are still the least-squares ones.
   */
  addedRidge?: number;
}

export interface ClosedFormOptions {
  /**
   * Ridge penalty α ≥ 0 on the weights, not the intercept: minimises ‖y − Xw − b‖² + α‖w‖² (scikit-learn's
   * `Ridge(alpha)`; note the squared error is summed, not averaged). Default 0 (ordinary least squares).
   */
  l2?: number;
}

export interface GradientDescentOptions {
  /** Passes over the data. Default 100. */
  epochs?: number;
  /** Step size. Default 0.01; on standardised features anything below ~1/(largest eigenvalue of the correlation matrix) converges. */
  learningRate?: number;
  /** Rows per step; ≥ rows means full-batch gradient descent. Default 32. */
  batchSize?: number;
  /** Seed of the row shuffling. Default 1. */
  seed?: number;
  /** Same α as the closed form: the minimiser of (1/n)(‖y − Xw − b‖² + α‖w‖²) equals the closed form's. Default 0. */
  l2?: number;
  /** The step at epoch e is learningRate / (1 + decay·e); a decay lets mini-batches settle on the optimum. Default 0. */
  decay?: number;
  /** Called after each epoch with the objective on all rows (mean squared error + α‖w‖²/n); returning false stops. */
  onEpoch?: (epoch: number, loss: number) => boolean | void;
}

function invalid(message: string): never {
  throw new XinzhiError('E_INVALID_INPUT', message);
}

function checkInputs(X: Matrix, y: Vector, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || X.length !== rows * cols) {
    invalid(`X has ${X.length} values, expected ${rows} × ${cols}`);
  }
  if (y.length !== rows) invalid(`y has ${y.length} values, expected ${rows}`);
  if (rows === 0) invalid('linear regression needs at least one row');
  for (let i = 0; i < X.length; i++) if (!Number.isFinite(X[i] as number)) invalid(`X holds a non-finite value at row ${Math.floor(i / cols)}`);
  for (let i = 0; i < rows; i++) if (!Number.isFinite(y[i] as number)) invalid(`y holds a non-finite value at row ${i}`);
}

function checkL2(l2: number): number {
  if (!(l2 >= 0) || !Number.isFinite(l2)) invalid('l2 must be a finite number ≥ 0');
  return l2;
}

/** In-place Cholesky of X'X (+ ridge); a relative pivot that small means a column is (numerically) a combination of earlier ones. */
function cholesky(A: Float64Array, d: number): boolean {
  return choleskyInPlace(A, d, { minPivot: 1e-13 });
}

/**
 * Ordinary least squares or ridge by the normal equations. X and y are centred (so the intercept is not penalised and
 * b = ȳ − x̄·w), the Gram matrix is scaled to unit diagonal (which tames the squared condition number of X'X on
 * features of very different units), factored by Cholesky, and the solution polished by one step of iterative
 * refinement. If the matrix is singular a tiny ridge is added and reported in `addedRidge`.
 */
export function fitLinearClosedForm(X: Matrix, y: Vector, rows: number, cols: number, options: ClosedFormOptions = {}): LinearModel {
  checkInputs(X, y, rows, cols);
  const l2 = checkL2(options.l2 ?? 0);
  const d = cols;
  const xMean = new Float64Array(d);
  let yMean = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) xMean[j]! += X[o + j] as number;
    yMean += y[r] as number;
  }
  for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) / rows;
  yMean /= rows;

  // Gram matrix G = Xcᵀ Xc and moment m = Xcᵀ yc, accumulated in double from centred rows.
  const G = new Float64Array(d * d);
  const m = new Float64Array(d);
  const xc = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) xc[j] = (X[o + j] as number) - (xMean[j] as number);
    const yc = (y[r] as number) - yMean;
    for (let i = 0; i < d; i++) {
      const xi = xc[i] as number;
      if (xi === 0) continue;
      m[i]! += xi * yc;
      for (let j = 0; j <= i; j++) G[i * d + j]! += xi * (xc[j] as number);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) G[j * d + i] = G[i * d + j] as number;

  // Jacobi scaling: A = S (G + αI) S with S = diag(1/√(G_jj + α)); constant columns (G_jj = 0, α = 0) get weight 0.
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const diag = (G[j * d + j] as number) + l2;
    scale[j] = diag > 0 ? 1 / Math.sqrt(diag) : 0;
  }
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) A[i * d + j] = (scale[i] as number) * ((G[i * d + j] as number) + (i === j ? l2 : 0)) * (scale[j] as number);
    if (scale[i] === 0) A[i * d + i] = 1; // a constant column without ridge: isolate it so the system stays solvable
  }
  const rhs = new Float64Array(d);
  for (let j = 0; j < d; j++) rhs[j] = (m[j] as number) * (scale[j] as number);

  // A has unit diagonal, so a ridge of ε on it is relative. Grow ε until the factorisation succeeds.
  let added = 0;
  let L = Float64Array.from(A);
  while (!cholesky(L, d)) {
    added = added === 0 ? 1e-8 : added * 10;
    if (added > 1) invalid('X\'X could not be factored even with a ridge added');
    L = Float64Array.from(A);
    for (let j = 0; j < d; j++) L[j * d + j]! += added;
  }
  const z = choleskySolve(L, d, rhs);
  // Iterative refinement against the unridged system: it polishes rounding error, and when a ridge had to be added
  // each step shrinks the ridge's bias by ε/(λ + ε) per eigenvalue λ — iterated Tikhonov, which tends to the
  // minimum-norm solution because z stays in the range of A.
  const residual = new Float64Array(d);
  for (let step = 0; step < (added > 0 ? 3 : 1); step++) {
    for (let i = 0; i < d; i++) {
      let s = rhs[i] as number;
      for (let j = 0; j < d; j++) s -= (A[i * d + j] as number) * (z[j] as number);
      residual[i] = s;
    }
    const dz = choleskySolve(L, d, residual);
    for (let j = 0; j < d; j++) z[j]! += dz[j] as number;
  }
  const weights: number[] = new Array<number>(d);
  let bias = yMean;
  for (let j = 0; j < d; j++) {
    const w = (z[j] as number) * (scale[j] as number);
    weights[j] = w;
    bias -= w * (xMean[j] as number);
  }
  const model: LinearModel = { kind: 'linear', weights, bias };
  if (added > 0) model.addedRidge = added;
  return model;
}

/** Objective on all rows: mean squared error + α‖w‖²/n. */
function objective(X: Matrix, y: Vector, rows: number, cols: number, w: Float64Array, b: number, l2: number): number {
  let sse = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let p = b;
    for (let j = 0; j < cols; j++) p += (w[j] as number) * (X[o + j] as number);
    const e = p - (y[r] as number);
    sse += e * e;
  }
  let penalty = 0;
  for (let j = 0; j < cols; j++) penalty += (w[j] as number) ** 2;
  return (sse + l2 * penalty) / rows;
}

/**
 * Mini-batch gradient descent on the mean squared error, from zero weights. Each step uses the least-squares
 * gradient over a batch B of the seeded shuffle, ∇w = (2/|B|)·X_Bᵀ(X_B·w + b − y_B) + (2α/n)·w, ∇b = (2/|B|)·Σ(residual),
 * an unbiased estimate of the full gradient of the closed form's objective divided by n, so on standardised
 * features full-batch descent converges to `fitLinearClosedForm` with the same l2.
 */
export function fitLinearGradientDescent(X: Matrix, y: Vector, rows: number, cols: number, options: GradientDescentOptions = {}): LinearModel {
  checkInputs(X, y, rows, cols);
  const l2 = checkL2(options.l2 ?? 0);
  const epochs = Math.max(0, Math.floor(options.epochs ?? 100));
  const lr0 = options.learningRate ?? 0.01;
  if (!(lr0 > 0) || !Number.isFinite(lr0)) invalid('learningRate must be a finite number > 0');
  const decay = options.decay ?? 0;
  if (!(decay >= 0) || !Number.isFinite(decay)) invalid('decay must be a finite number ≥ 0');
  const batchSize = Math.min(rows, Math.max(1, Math.floor(options.batchSize ?? 32)));
  const random = mulberry32(options.seed ?? 1);
  const w = new Float64Array(cols);
  let b = 0;
  const g = new Float64Array(cols);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Full batch needs no shuffle; mini-batches get a fresh seeded Fisher–Yates permutation each epoch.
    if (batchSize < rows) {
      for (let i = rows - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
    }
    const lr = lr0 / (1 + decay * epoch);
    for (let from = 0; from < rows; from += batchSize) {
      const to = Math.min(rows, from + batchSize);
      g.fill(0);
      let gb = 0;
      for (let k = from; k < to; k++) {
        const r = order[k] as number;
        const o = r * cols;
        let e = b - (y[r] as number);
        for (let j = 0; j < cols; j++) e += (w[j] as number) * (X[o + j] as number);
        for (let j = 0; j < cols; j++) g[j]! += e * (X[o + j] as number);
        gb += e;
      }
      const f = 2 / (to - from);
      for (let j = 0; j < cols; j++) w[j]! -= lr * (f * (g[j] as number) + ((2 * l2) / rows) * (w[j] as number));
      b -= lr * f * gb;
    }
    const loss = objective(X, y, rows, cols, w, b, l2);
    if (!Number.isFinite(loss)) invalid(`gradient descent diverged at epoch ${epoch + 1}: lower the learning rate or standardise the features`);
    if (options.onEpoch?.(epoch + 1, loss) === false) break;
  }
  return { kind: 'linear', weights: Array.from(w), bias: b };
}

/** Predictions X·w + b for `rows` rows of X (row-major, as many columns as the model has weights). */
export function predictLinear(model: LinearModel, X: Matrix, rows: number): Float64Array {
  const cols = model.weights.length;
  if (!Number.isInteger(rows) || rows < 0 || X.length !== rows * cols) invalid(`X has ${X.length} values, expected ${rows} × ${cols}`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let p = model.bias;
    for (let j = 0; j < cols; j++) p += (model.weights[j] as number) * (X[o + j] as number);
    out[r] = p;
  }
  return out;
}
