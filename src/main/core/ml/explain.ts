/**
 * Model-agnostic explanations over a predict function on the model's input matrix (the feature pipeline's output,
 * row-major Float32Array). One input column may become several matrix columns (one-hot), so features are **groups**
 * of matrix columns, one group per input column, and every method moves a group's columns together.
 *
 * - `permutationImportance`: sklearn's `permutation_importance` (baseline score − score with the group permuted).
 * - `partialDependence`: sklearn's `partial_dependence(kind='average', method='brute')`, grid included.
 * - `linearContributions`: the exact additive attribution of a linear predictor.
 * - `kernelShap`: KernelSHAP (Lundberg & Lee 2017) as the `shap` package's KernelExplainer computes it, with the
 *   groups as players: exact when every coalition fits in the budget, seeded sampling otherwise.
 */
import { choleskyInPlace, choleskySolve } from './linalg.js';
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

/** One output per row of X (rows × cols, row-major): a probability, a score or a prediction. */
export type PredictFn = (X: Float32Array, rows: number) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** A model input (feature) and the matrix columns it became. */
export interface FeatureGroup {
  name: string;
  columns: number[];
}

export interface FeatureValue {
  feature: string;
  value: number;
}

function invalid(message: string): never {
  throw new XinzhiError('E_INVALID_INPUT', message);
}

function checkMatrix(X: ArrayLike<number>, rows: number, cols: number, what = 'X'): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1) invalid(`${what}: rows and cols must be integers (cols ≥ 1)`);
  if (X.length !== rows * cols) invalid(`${what} has ${X.length} values, expected ${rows} × ${cols}`);
}

/** Checks the groups' columns; `partition` also requires every column in exactly one group. */
function checkGroups(groups: FeatureGroup[] | undefined, cols: number, partition: boolean): FeatureGroup[] {
  const gs = groups ?? Array.from({ length: cols }, (_, j) => ({ name: `x${j}`, columns: [j] }));
  if (gs.length === 0) invalid('groups is empty');
  const owner = new Int32Array(cols).fill(-1);
  gs.forEach((g, gi) => {
    if (g.columns.length === 0) invalid(`group "${g.name}" has no columns`);
    for (const c of g.columns) {
      if (!Number.isInteger(c) || c < 0 || c >= cols) invalid(`group "${g.name}" has column ${c}, outside 0 … ${cols - 1}`);
      if (owner[c] === gi) invalid(`group "${g.name}" lists column ${c} twice`);
      if (partition && owner[c] !== -1) invalid(`column ${c} is in two groups`);
      owner[c] = gi;
    }
  });
  if (partition) {
    const missing = owner.indexOf(-1);
    if (missing >= 0) invalid(`column ${missing} is in no group (groups must cover every column once)`);
  }
  return gs;
}

async function evaluate(predict: PredictFn, X: Float32Array, rows: number): Promise<ArrayLike<number>> {
  const out = await predict(X, rows);
  if (out.length !== rows) invalid(`predict returned ${out.length} values for ${rows} rows`);
  return out;
}

function mean(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] as number;
  return s / (to - from);
}

// ---------------------------------------------------------------------------------------------------------------
// Permutation importance

export interface PermutationImportanceOptions {
  groups?: FeatureGroup[];
  /** Permutations per group. Default 5. */
  repeats?: number;
  /** Seed of the permutations (and of the row subsample). Default 1. */
  seed?: number;
  /**
   * Score on one seeded subsample of this many rows (baseline included; sklearn's `max_samples` scores the
   * baseline on every row, so an unused feature there can get a nonzero importance). Default: all rows.
   */
  maxRows?: number;
}

export interface PermutationImportance {
  feature: string;
  /** Mean over repeats of baseline − permuted score. */
  mean: number;
  /** Population standard deviation over repeats (numpy's `std`, as sklearn reports). */
  std: number;
  /** baseline − permuted score, one per repeat. */
  importances: number[];
}

/**
 * sklearn `permutation_importance`: for each group, its columns are permuted together across rows (one row
 * permutation per repeat), and the importance is the baseline score minus the permuted score. `score` is "higher
 * is better" (e.g. accuracy, AUC, R², or −log-loss).
 */
export async function permutationImportance(
  predict: PredictFn,
  X: Float32Array,
  rows: number,
  cols: number,
  y: ArrayLike<number>,
  score: (yTrue: ArrayLike<number>, yPred: Float32Array) => number,
  options: PermutationImportanceOptions = {},
): Promise<PermutationImportance[]> {
  checkMatrix(X, rows, cols);
  if (rows < 2) invalid('permutation importance needs at least 2 rows');
  if (y.length !== rows) invalid(`y has ${y.length} values, expected ${rows}`);
  const groups = checkGroups(options.groups, cols, false);
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) invalid('repeats must be an integer ≥ 1');
  const random = mulberry32(options.seed ?? 1);

  // The rows scored: all, or a seeded subsample (partial Fisher–Yates, then ascending so row order is kept).
  let n = rows;
  let base = X;
  let yUsed: ArrayLike<number> = y;
  if (options.maxRows !== undefined) {
    if (!Number.isInteger(options.maxRows) || options.maxRows < 2) invalid('maxRows must be an integer ≥ 2');
    if (options.maxRows < rows) {
      n = options.maxRows;
      const idx = Int32Array.from({ length: rows }, (_, i) => i);
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(random() * (rows - i));
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
      }
      const chosen = idx.subarray(0, n).sort();
      base = new Float32Array(n * cols);
      const ys = new Float64Array(n);
      chosen.forEach((r, i) => {
        base.set(X.subarray(r * cols, (r + 1) * cols), i * cols);
        ys[i] = y[r] as number;
      });
      yUsed = ys;
    }
  }

  const toF32 = (a: ArrayLike<number>) => (a instanceof Float32Array ? a : Float32Array.from(a));
  const baseline = score(yUsed, toF32(await evaluate(predict, base, n)));
  if (!Number.isFinite(baseline)) invalid('the baseline score is not finite');

  const work = Float32Array.from(base);
  const perm = new Int32Array(n);
  const result: PermutationImportance[] = [];
  for (const g of groups) {
    const importances: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < n; i++) perm[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = t;
      }
      // Every column of the group takes the same row permutation, so a one-hot block stays one-hot.
      for (let i = 0; i < n; i++) {
        const src = (perm[i] as number) * cols;
        for (const c of g.columns) work[i * cols + c] = base[src + c] as number;
      }
      importances.push(baseline - score(yUsed, toF32(await evaluate(predict, work, n))));
    }
    for (let i = 0; i < n; i++) for (const c of g.columns) work[i * cols + c] = base[i * cols + c] as number;
    const m = mean(importances);
    const variance = importances.reduce((s, v) => s + (v - m) * (v - m), 0) / repeats;
    result.push({ feature: g.name, mean: m, std: Math.sqrt(variance), importances });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Partial dependence

export interface PartialDependenceOptions {
  /** sklearn's `grid_resolution`: the grid is the column's unique values when fewer than this. Default 20. */
  gridPoints?: number;
  /** The grid's ends as quantiles (scipy `mquantiles`, as sklearn). Default [0.05, 0.95]. */
  percentiles?: [number, number];
  /** An explicit grid (skips the computed one). */
  grid?: number[];
}

/** scipy.stats.mstats.mquantiles with its defaults alphap = betap = 0.4, over sorted values. */
function mquantile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0] as number;
  const m = 0.4 + p * (1 - 0.4 - 0.4);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * (sorted[k - 1] as number) + gamma * (sorted[k] as number);
}

/** sklearn `_grid_from_X` for one column: its unique values if fewer than `gridPoints`, else a linspace between quantiles. */
export function partialDependenceGrid(values: ArrayLike<number>, gridPoints = 20, percentiles: [number, number] = [0.05, 0.95]): number[] {
  const [lo, hi] = percentiles;
  if (!(lo >= 0 && hi <= 1)) invalid('percentiles must be in [0, 1]');
  if (!(lo < hi)) invalid('percentiles[0] must be strictly less than percentiles[1]');
  if (!Number.isInteger(gridPoints) || gridPoints <= 1) invalid('gridPoints must be an integer > 1');
  if (values.length === 0) invalid('the column is empty');
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1] as number)) invalid('the column contains NaN');
  const uniques: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) uniques.push(sorted[i] as number);
  if (uniques.length < gridPoints) return uniques;
  const start = mquantile(sorted, lo);
  const stop = mquantile(sorted, hi);
  // numpy.allclose(start, stop) with its rtol = 1e-5, atol = 1e-8.
  if (Math.abs(start - stop) <= 1e-8 + 1e-5 * Math.abs(stop)) invalid('percentiles are too close to each other to build the grid; choose percentiles further apart');
  // numpy.linspace: i · step + start, and the last point exactly `stop`.
  const step = (stop - start) / (gridPoints - 1);
  const grid = Array.from({ length: gridPoints }, (_, i) => i * step + start);
  grid[gridPoints - 1] = stop;
  return grid;
}

/**
 * sklearn `partial_dependence(kind='average', method='brute')` for one matrix column: for each grid value, the mean
 * prediction over all rows with that column set to the value. The grid is computed in float64 as sklearn does, but the
 * value is written into the Float32Array, so the model sees its float32 rounding.
 */
export async function partialDependence(
  predict: PredictFn,
  X: Float32Array,
  rows: number,
  cols: number,
  column: number,
  options: PartialDependenceOptions = {},
): Promise<{ grid: number[]; values: number[] }> {
  checkMatrix(X, rows, cols);
  if (rows < 1) invalid('partial dependence needs at least 1 row');
  if (!Number.isInteger(column) || column < 0 || column >= cols) invalid(`column ${column} is outside 0 … ${cols - 1}`);
  let grid: number[];
  if (options.grid !== undefined) {
    if (options.grid.length === 0 || !options.grid.every(Number.isFinite)) invalid('grid must be a non-empty list of finite numbers');
    grid = [...options.grid];
  } else {
    const colValues = new Float64Array(rows);
    for (let r = 0; r < rows; r++) colValues[r] = X[r * cols + column] as number;
    grid = partialDependenceGrid(colValues, options.gridPoints ?? 20, options.percentiles ?? [0.05, 0.95]);
  }
  const work = Float32Array.from(X);
  const values: number[] = [];
  for (const v of grid) {
    for (let r = 0; r < rows; r++) work[r * cols + column] = v;
    values.push(mean(await evaluate(predict, work, rows)));
  }
  return { grid, values };
}

// ---------------------------------------------------------------------------------------------------------------
// Linear contributions

/**
 * Exact attribution of a linear predictor f(x) = w·x + b, **in the linear predictor's space** (the logit for a
 * logistic model, not the probability): value_g = Σ_{j∈g} w_j (x_j − mean_j) and base = w·mean + b, so
 * base + Σ values = f(x). With `mean` the background's column means this is what SHAP gives a linear model.
 */
export function linearContributions(
  weights: ArrayLike<number>,
  bias: number,
  x: ArrayLike<number>,
  mean: ArrayLike<number>,
  groups?: FeatureGroup[],
): { base: number; values: FeatureValue[] } {
  const cols = weights.length;
  if (cols === 0) invalid('weights is empty');
  if (x.length !== cols || mean.length !== cols) invalid(`weights, x and mean must have the same length (${cols}, ${x.length}, ${mean.length})`);
  const gs = checkGroups(groups, cols, true);
  let base = bias;
  for (let j = 0; j < cols; j++) base += (weights[j] as number) * (mean[j] as number);
  const values = gs.map((g) => ({
    feature: g.name,
    value: g.columns.reduce((s, j) => s + (weights[j] as number) * ((x[j] as number) - (mean[j] as number)), 0),
  }));
  return { base, values };
}

// ---------------------------------------------------------------------------------------------------------------
// KernelSHAP

export interface KernelShapOptions {
  groups?: FeatureGroup[];
  /**
   * Coalitions evaluated when they cannot all be (shap's `nsamples`). Default 2·M + 2048, shap's "auto"
   * (M = groups that differ from the background).
   */
  samples?: number;
  /** Up to this many varying groups every coalition is enumerated whatever `samples` says. Default 11 (2046 coalitions). */
  exactUpTo?: number;
  /** Seed of the coalition sampling. Default 1. */
  seed?: number;
}

export interface KernelShapResult {
  /** E_bg f: the mean prediction over the background rows. */
  base: number;
  /** f(x). base + Σ values = fx (the efficiency constraint, exact up to rounding). */
  fx: number;
  values: FeatureValue[];
  /** Whether every coalition was evaluated (the values are then the exact Shapley values of the interventional game). */
  exact: boolean;
  /** Coalitions evaluated (excluding the empty and the full one). */
  samples: number;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Calls `visit` with every k-subset of 0 … n − 1 in lexicographic order (itertools.combinations). */
function forEachCombination(n: number, k: number, visit: (idx: Int32Array) => void): void {
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  for (;;) {
    visit(idx);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = (idx[j - 1] as number) + 1;
  }
}

/**
 * The coalitions (masks over the M players) and their kernel weights, as shap's KernelExplainer chooses them: whole
 * subset sizes (with their complements) enumerated from the outside in while the budget covers them at their
 * Shapley-kernel weight, the rest sampled by size and then uniformly, duplicates adding weight.
 */
function chooseCoalitions(M: number, nsamples: number, random: () => number): { masks: Uint8Array[]; weights: number[] } {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const numSubsetSizes = Math.ceil((M - 1) / 2);
  const numPairedSubsetSizes = Math.floor((M - 1) / 2);
  const weightVector = Array.from({ length: numSubsetSizes }, (_, i) => (M - 1) / ((i + 1) * (M - i - 1)));
  for (let i = 0; i < numPairedSubsetSizes; i++) weightVector[i]! *= 2;
  const total = weightVector.reduce((s, v) => s + v, 0);
  for (let i = 0; i < numSubsetSizes; i++) weightVector[i]! /= total;

  let numFullSubsets = 0;
  let samplesLeft = nsamples;
  const remaining = [...weightVector];
  for (let size = 1; size <= numSubsetSizes; size++) {
    const paired = size <= numPairedSubsetSizes;
    const nsubsets = binomial(M, size) * (paired ? 2 : 1);
    if ((samplesLeft * (remaining[size - 1] as number)) / nsubsets < 1 - 1e-8) break;
    numFullSubsets++;
    samplesLeft -= nsubsets;
    if ((remaining[size - 1] as number) < 1) {
      const scale = 1 - (remaining[size - 1] as number);
      for (let i = 0; i < remaining.length; i++) remaining[i]! /= scale;
    }
    const w = (weightVector[size - 1] as number) / binomial(M, size) / (paired ? 2 : 1);
    forEachCombination(M, size, (idx) => {
      const mask = new Uint8Array(M);
      for (const i of idx) mask[i] = 1;
      masks.push(mask);
      weights.push(w);
      if (paired) {
        masks.push(mask.map((v) => 1 - v));
        weights.push(w);
      }
    });
  }

  const fixed = masks.length;
  if (numFullSubsets !== numSubsetSizes && samplesLeft > 0) {
    const sizeWeights = weightVector.map((v, i) => (i < numPairedSubsetSizes ? v / 2 : v)).slice(numFullSubsets);
    const sum = sizeWeights.reduce((s, v) => s + v, 0);
    const cumulative: number[] = [];
    let acc = 0;
    for (const v of sizeWeights) cumulative.push((acc += v / sum));
    const used = new Map<string, number>();
    const order = Int32Array.from({ length: M }, (_, i) => i);
    // shap draws 4 × samples_left sizes up front and stops when they run out.
    for (let draws = 4 * samplesLeft; samplesLeft > 0 && draws > 0; draws--) {
      const u = random();
      let ind = cumulative.findIndex((c) => u < c);
      if (ind < 0) ind = cumulative.length - 1;
      const size = ind + numFullSubsets + 1;
      // A uniform `size`-subset: the head of a partial Fisher–Yates shuffle.
      for (let i = 0; i < size; i++) {
        const j = i + Math.floor(random() * (M - i));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      const mask = new Uint8Array(M);
      for (let i = 0; i < size; i++) mask[order[i] as number] = 1;
      const key = mask.join('');
      const seen = used.get(key);
      if (seen === undefined) {
        used.set(key, masks.length);
        masks.push(mask);
        weights.push(1);
        samplesLeft--;
      } else {
        weights[seen]! += 1;
      }
      if (samplesLeft > 0 && size <= numPairedSubsetSizes) {
        if (seen === undefined) {
          masks.push(mask.map((v) => 1 - v));
          weights.push(1);
          samplesLeft--;
        } else {
          // The complement was added right after the original.
          weights[seen + 1]! += 1;
        }
      }
    }
    // The sampled coalitions share the kernel weight the enumerated sizes left.
    const weightLeft = weightVector.slice(numFullSubsets).reduce((s, v) => s + v, 0);
    let sampledTotal = 0;
    for (let i = fixed; i < weights.length; i++) sampledTotal += weights[i] as number;
    for (let i = fixed; i < weights.length; i++) weights[i] = ((weights[i] as number) * weightLeft) / sampledTotal;
  }
  return { masks, weights };
}

/** Solves the symmetric positive (semi)definite system A z = b: Cholesky, or a pseudo-inverse (Jacobi eigenvalues) when singular, as shap falls back to `pinv`. */
function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(A[i * n + i] as number));
  const L = Float64Array.from(A);
  if (choleskyInPlace(L, n, { minPivot: 1e-12 * maxDiag })) return choleskySolve(L, n, b);
  // Cyclic Jacobi: A = V diag(e) Vᵀ, then z = V diag(1/e, 0 where tiny) Vᵀ b (numpy pinv's rcond 1e-15).
  const a = Float64Array.from(A);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * n + q] as number) - (a[p * n + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p] as number;
          const vkq = V[k * n + q] as number;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let maxEig = 0;
  for (let i = 0; i < n; i++) maxEig = Math.max(maxEig, Math.abs(a[i * n + i] as number));
  const z = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const e = a[k * n + k] as number;
    if (Math.abs(e) <= 1e-15 * maxEig * n) continue;
    let vb = 0;
    for (let i = 0; i < n; i++) vb += (V[i * n + k] as number) * (b[i] as number);
    for (let i = 0; i < n; i++) z[i]! += ((V[i * n + k] as number) * vb) / e;
  }
  return z;
}

/**
 * KernelSHAP values of the groups for one row x against a background sample (bgRows × cols): the coalition value
 * is the mean prediction over the background with the coalition's columns taken from x (interventional), and the
 * values solve shap's weighted least squares with the efficiency constraint Σ values = f(x) − E_bg f eliminated
 * exactly, as shap does. Values are in the predict function's output space (shap's identity link: probabilities
 * if it returns probabilities). Groups equal to x on every background row are not players and get 0 (as in shap).
 * shap's optional L1 feature selection (`l1_reg`) is not done, and the sampling uses mulberry32, not numpy, so a
 * sampled result is shap's estimator but not its exact numbers.
 */
export async function kernelShap(
  predict: PredictFn,
  x: Float32Array,
  background: Float32Array,
  bgRows: number,
  cols: number,
  options: KernelShapOptions = {},
): Promise<KernelShapResult> {
  checkMatrix(background, bgRows, cols, 'background');
  if (bgRows < 1) invalid('the background needs at least 1 row');
  if (x.length !== cols) invalid(`x has ${x.length} values, expected ${cols}`);
  const groups = checkGroups(options.groups, cols, true);
  const exactUpTo = options.exactUpTo ?? 11;
  if (!Number.isInteger(exactUpTo) || exactUpTo < 0 || exactUpTo > 20) invalid('exactUpTo must be an integer in 0 … 20');

  const fx = (await evaluate(predict, x, 1))[0] as number;
  const base = mean(await evaluate(predict, background, bgRows));
  const values = groups.map((g) => ({ feature: g.name, value: 0 }));

  // The players: groups where some background row differs from x (NaN equal to NaN).
  const varying: number[] = [];
  groups.forEach((g, gi) => {
    let differs = false;
    for (let r = 0; r < bgRows && !differs; r++) {
      for (const c of g.columns) {
        const a = x[c] as number;
        const b = background[r * cols + c] as number;
        if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) {
          differs = true;
          break;
        }
      }
    }
    if (differs) varying.push(gi);
  });
  const M = varying.length;
  if (M === 0) return { base, fx, values, exact: true, samples: 0 };
  if (M === 1) {
    values[varying[0] as number]!.value = fx - base;
    return { base, fx, values, exact: true, samples: 0 };
  }

  const coalitions = M <= 30 ? 2 ** M - 2 : Number.POSITIVE_INFINITY;
  let nsamples: number;
  if (M <= exactUpTo) nsamples = coalitions;
  else {
    const samples = options.samples ?? 2 * M + 2048;
    if (!Number.isInteger(samples) || samples < 2) invalid('samples must be an integer ≥ 2');
    nsamples = Math.min(samples, coalitions);
  }
  const { masks, weights } = chooseCoalitions(M, nsamples, mulberry32(options.seed ?? 1));
  const S = masks.length;

  // ey[s]: mean prediction over the background with coalition s's columns from x, in batches of bounded size.
  const ey = new Float64Array(S);
  const perBatch = Math.max(1, Math.floor(2 ** 21 / (bgRows * cols)));
  for (let s0 = 0; s0 < S; s0 += perBatch) {
    const s1 = Math.min(S, s0 + perBatch);
    const synth = new Float32Array((s1 - s0) * bgRows * cols);
    for (let s = s0; s < s1; s++) {
      const block = synth.subarray((s - s0) * bgRows * cols, (s - s0 + 1) * bgRows * cols);
      block.set(background);
      const mask = masks[s] as Uint8Array;
      for (let p = 0; p < M; p++) {
        if (mask[p] !== 1) continue;
        const cs = (groups[varying[p] as number] as FeatureGroup).columns;
        for (let r = 0; r < bgRows; r++) for (const c of cs) block[r * cols + c] = x[c] as number;
      }
    }
    const out = await evaluate(predict, synth, (s1 - s0) * bgRows);
    for (let s = s0; s < s1; s++) ey[s] = mean(out, (s - s0) * bgRows, (s - s0 + 1) * bgRows);
  }

  // Weighted least squares with the last player eliminated by Σ φ = f(x) − base (shap's `solve`).
  const delta = fx - base;
  const last = M - 1;
  const n = M - 1;
  const A = new Float64Array(n * n);
  const b = new Float64Array(n);
  const e = new Float64Array(n);
  for (let s = 0; s < S; s++) {
    const mask = masks[s] as Uint8Array;
    const w = weights[s] as number;
    const zl = mask[last] as number;
    const target = (ey[s] as number) - base - zl * delta;
    for (let i = 0; i < n; i++) e[i] = (mask[i] as number) - zl;
    for (let i = 0; i < n; i++) {
      const wi = w * (e[i] as number);
      if (wi === 0) continue;
      b[i]! += wi * target;
      for (let j = 0; j <= i; j++) A[i * n + j]! += wi * (e[j] as number);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j] as number;
  const phi = solveSymmetric(A, b, n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    values[varying[i] as number]!.value = phi[i] as number;
    sum += phi[i] as number;
  }
  values[varying[last] as number]!.value = delta - sum;
  return { base, fx, values, exact: S === coalitions, samples: S };
}
