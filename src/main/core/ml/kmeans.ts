/**
 * k-means clustering as scikit-learn's KMeans (algorithm 'lloyd'): greedy k-means++ seeding, Lloyd iterations until
 * the labels stop changing or the centres move less than tol × the mean feature variance, empty clusters re-seeded
 * with the points farthest from their centres, and the best of `nInit` seeded restarts by inertia. Deterministic under
 * a seed; the model is plain numbers so it can be saved as JSON and re-applied when scoring.
 */
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

type Matrix = Float32Array | Float64Array;

export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ rows. */
  k: number;
  /** Seed of the k-means++ draws. Default 1. */
  seed?: number;
  /** Restarts from fresh seedings; the lowest inertia wins. Default 10 (scikit-learn 1.2's default). */
  nInit?: number;
  /** Lloyd iterations per restart. Default 300. */
  maxIter?: number;
  /** Stop when the summed squared centre shift ≤ tol × the mean variance of the columns. Default 1e-4. */
  tol?: number;
}

/** A fitted k-means model, JSON-serialisable as is. */
export interface KMeansModel {
  kind: 'kmeans';
  /** k × cols centre coordinates, row-major. */
  centers: number[];
  k: number;
  cols: number;
  /** Sum of squared distances of the training rows to their nearest centre. */
  inertia: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
}

function invalid(message: string): never {
  throw new XinzhiError('E_INVALID_INPUT', message);
}

function checkMatrix(X: Matrix, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1 || X.length !== rows * cols) {
    invalid(`X has ${X.length} values, expected ${rows} × ${cols}`);
  }
  for (let i = 0; i < X.length; i++) if (!Number.isFinite(X[i] as number)) invalid(`X holds a non-finite value at row ${Math.floor(i / cols)}`);
}

function squaredDistance(X: Matrix, row: number, C: Float64Array | Matrix, center: number, cols: number): number {
  const o = row * cols;
  const c = center * cols;
  let s = 0;
  for (let j = 0; j < cols; j++) {
    const t = (X[o + j] as number) - (C[c + j] as number);
    s += t * t;
  }
  return s;
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): the first centre is a uniform row; each next one is the best,
 * by resulting potential, of 2 + ⌊ln k⌋ rows drawn with probability ∝ squared distance to the nearest chosen centre.
 */
function kmeansPlusPlus(X: Matrix, rows: number, cols: number, k: number, random: () => number): Float64Array {
  const centers = new Float64Array(k * cols);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.min(rows - 1, Math.floor(random() * rows));
  centers.set(X.subarray(first * cols, first * cols + cols), 0);
  let closest = new Float64Array(rows);
  let potential = 0;
  for (let r = 0; r < rows; r++) {
    closest[r] = squaredDistance(X, r, X, first, cols);
    potential += closest[r] as number;
  }
  const cumulative = new Float64Array(rows);
  let candidateDist = new Float64Array(rows);
  let bestDist = new Float64Array(rows);
  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) cumulative[r] = sum += closest[r] as number;
    let bestPotential = Infinity;
    let bestRow = 0;
    for (let t = 0; t < trials; t++) {
      const target = random() * potential;
      // First index whose running sum reaches the target (numpy searchsorted, side 'left'), clipped to the last row.
      let lo = 0;
      let hi = rows;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] as number) < target) lo = mid + 1;
        else hi = mid;
      }
      const candidate = Math.min(lo, rows - 1);
      let candidatePotential = 0;
      for (let r = 0; r < rows; r++) {
        const d = Math.min(closest[r] as number, squaredDistance(X, r, X, candidate, cols));
        candidateDist[r] = d;
        candidatePotential += d;
      }
      // Strictly smaller wins, so ties keep the earlier trial (numpy argmin).
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestRow = candidate;
        [bestDist, candidateDist] = [candidateDist, bestDist];
      }
    }
    centers.set(X.subarray(bestRow * cols, bestRow * cols + cols), c * cols);
    [closest, bestDist] = [bestDist, closest];
    potential = bestPotential;
  }
  return centers;
}

/** Nearest centre of every row (first one on ties), with the squared distance; returns the inertia. */
function assign(X: Matrix, rows: number, cols: number, centers: Float64Array, k: number, labels: Int32Array, dist: Float64Array): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const d = squaredDistance(X, r, centers, c, cols);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    labels[r] = best;
    dist[r] = bestD;
    total += bestD;
  }
  return total;
}

interface RunResult {
  centers: Float64Array;
  inertia: number;
  iterations: number;
}

/** One Lloyd run from the given centres (scikit-learn's `_kmeans_single_lloyd`). */
function lloyd(X: Matrix, rows: number, cols: number, k: number, start: Float64Array, maxIter: number, tol: number): RunResult {
  let centers: Float64Array = start;
  let next: Float64Array = new Float64Array(k * cols);
  const labels = new Int32Array(rows);
  const previous = new Int32Array(rows).fill(-1);
  const dist = new Float64Array(rows);
  const counts = new Float64Array(k);
  let iteration = 0;
  for (iteration = 1; iteration <= maxIter; iteration++) {
    assign(X, rows, cols, centers, k, labels, dist);
    next.fill(0);
    counts.fill(0);
    for (let r = 0; r < rows; r++) {
      const c = labels[r] as number;
      counts[c]!++;
      const o = r * cols;
      for (let j = 0; j < cols; j++) next[c * cols + j]! += X[o + j] as number;
    }
    relocateEmptyClusters(X, cols, k, labels, dist, next, counts);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const n = counts[c] as number;
      for (let j = 0; j < cols; j++) {
        // A cluster still empty after relocation (fewer distinct points than k) keeps its old centre.
        const v = n > 0 ? (next[c * cols + j] as number) / n : (centers[c * cols + j] as number);
        next[c * cols + j] = v;
        shift += (v - (centers[c * cols + j] as number)) ** 2;
      }
    }
    [centers, next] = [next, centers];
    let same = true;
    for (let r = 0; r < rows && same; r++) same = labels[r] === previous[r];
    if (same) break;
    if (shift <= tol) break;
    previous.set(labels);
  }
  iteration = Math.min(iteration, maxIter);
  // The labels were computed against the previous centres (scikit-learn re-runs this E-step too unless the labels
  // had stopped changing, where it gives the same answer): the inertia is against the final centres.
  const inertia = assign(X, rows, cols, centers, k, labels, dist);
  return { centers, inertia, iterations: iteration };
}

/**
 * Gives each empty cluster the point farthest from its centre (largest first), as scikit-learn does, moving the
 * point's contribution out of its old cluster's sums. Points that are the only member of their cluster are not
 * taken, so no cluster is emptied by a relocation.
 */
function relocateEmptyClusters(X: Matrix, cols: number, k: number, labels: Int32Array, dist: Float64Array, sums: Float64Array, counts: Float64Array): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const rows = labels.length;
  const byDistance = Array.from({ length: rows }, (_, i) => i).sort((a, b) => (dist[b] as number) - (dist[a] as number) || a - b);
  let next = 0;
  for (const target of empty) {
    while (next < rows && (counts[labels[byDistance[next] as number] as number] as number) <= 1) next++;
    if (next >= rows) break;
    const r = byDistance[next++] as number;
    const from = labels[r] as number;
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      sums[from * cols + j]! -= X[o + j] as number;
      sums[target * cols + j] = X[o + j] as number;
    }
    counts[from]!--;
    counts[target] = 1;
  }
}

/** Fits k-means to `rows` rows of X (row-major, rows × cols). */
export function fitKMeans(X: Matrix, rows: number, cols: number, options: KMeansOptions): KMeansModel {
  checkMatrix(X, rows, cols);
  const k = options.k;
  if (!Number.isInteger(k) || k < 1) invalid('k must be an integer ≥ 1');
  if (k > rows) invalid(`k = ${k} is more than the ${rows} rows`);
  const nInit = options.nInit ?? 10;
  if (!Number.isInteger(nInit) || nInit < 1) invalid('nInit must be an integer ≥ 1');
  const maxIter = options.maxIter ?? 300;
  if (!Number.isInteger(maxIter) || maxIter < 1) invalid('maxIter must be an integer ≥ 1');
  const relTol = options.tol ?? 1e-4;
  if (!(relTol >= 0) || !Number.isFinite(relTol)) invalid('tol must be a finite number ≥ 0');

  // scikit-learn's _tolerance: tol scaled by the mean of the per-column (population) variances.
  let meanVariance = 0;
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += X[r * cols + j] as number;
    mean /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += ((X[r * cols + j] as number) - mean) ** 2;
    meanVariance += v / rows;
  }
  const tol = (meanVariance / cols) * relTol;

  const random = mulberry32(options.seed ?? 1);
  let best: RunResult | null = null;
  for (let run = 0; run < nInit; run++) {
    const result = lloyd(X, rows, cols, k, kmeansPlusPlus(X, rows, cols, k, random), maxIter, tol);
    if (best === null || result.inertia < best.inertia) best = result;
  }
  const winner = best as RunResult;
  return { kind: 'kmeans', centers: Array.from(winner.centers), k, cols, inertia: winner.inertia, iterations: winner.iterations };
}

/** Nearest centre of each row (first on ties) and the Euclidean distance to it. */
export function assignClusters(model: KMeansModel, X: Matrix, rows: number): { labels: Int32Array; distances: Float64Array } {
  const { k, cols } = model;
  if (model.centers.length !== k * cols || k < 1) invalid(`model has ${model.centers.length} centre values, expected ${k} × ${cols}`);
  checkMatrix(X, rows, cols);
  const labels = new Int32Array(rows);
  const distances = new Float64Array(rows);
  assign(X, rows, cols, Float64Array.from(model.centers), k, labels, distances);
  for (let r = 0; r < rows; r++) distances[r] = Math.sqrt(distances[r] as number);
  return { labels, distances };
}
