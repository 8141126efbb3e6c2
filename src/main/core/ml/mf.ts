/**
 * Recommendation by biased matrix factorisation, r̂(u, i) = μ + b_u + b_i + p_u · q_i (clipped to the rating range),
 * fitted to explicit ratings, deterministic under a seed. Built for sparse real ratings (MovieLens-style: 6% dense,
 * long-tailed items, a few heavy users):
 *
 *  1. Baselines first: μ, then b_u and b_i by alternating shrunken means (Surprise's BaselineOnly, reg_u 15, reg_i 10),
 *     so an item rated twice keeps most of its bias at 0.
 *  2. Factors by ALS-WR (default): each half-sweep solves, per user (item), the ridge regression of the residual
 *     r − μ − b_u − b_i on the other side's factors with penalty λ·n_u (λ·n_i) — regularisation that grows with the
 *     number of ratings (Zhou et al. 2008) — then the biases are re-estimated given the factors. Or biased SGD
 *     (`solver: 'sgd'`, Funk/Koren as Surprise's SVD, started from the baselines).
 *  3. factors and λ, when not given, are chosen on validation rows (the caller's, or a seeded 10% of the training
 *     rows, the final model then refitted on all of them): factors from FACTOR_GRID, λ by a ×1.5 line search, later
 *     fits warm-started from the best solution so far. The biases' penalty follows λ per rating once factors are in.
 *
 * Measured on movieLensLikeRatings (943 × 1,682, ~98k ratings; test/bench/speed.mjs, 5 folds 80/20), see
 * docs/areas/speed.md: the defaults beat Surprise's SVD (numpy re-implementation, 100 factors, 20 epochs) and the
 * baselines alone clearly; the biased SGD solver with the same automatic choice is ~0.02–0.03 worse than ALS-WR,
 * so ALS-WR is the default.
 *
 * Models are plain JSON-serialisable objects (number[] fields) so they can be saved and re-applied.
 */
import { choleskyInPlace, choleskySolve } from './linalg.js';
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

export interface MfModel {
  kind: 'mf';
  factors: number;
  /** The λ it was fitted with (given or chosen). */
  l2?: number;
  globalMean: number;
  /** Optional external ids of the user / item indices (from `indexIds`), carried so saved models can be re-applied. */
  userIds?: string[];
  itemIds?: string[];
  userBias: number[];
  itemBias: number[];
  /** Predictions are clipped to this range (the training ratings' min and max); absent in older models. */
  ratingRange?: [number, number];
  /** User factors, row-major nUsers × factors. */
  P: number[];
  /** Item factors, row-major nItems × factors. */
  Q: number[];
}

export interface MfOptions {
  /** Latent dimension. Absent: chosen on validation rows from FACTOR_GRID. */
  factors?: number;
  /** ALS sweeps (default 15) or SGD epochs (default 20). */
  epochs?: number;
  /** SGD step (ignored by ALS). Default 0.01. */
  learningRate?: number;
  /** λ: ALS-WR's per-rating penalty on the factors, or SGD's L2 on biases and factors. Absent: chosen on validation rows. */
  l2?: number;
  /** Seed of the factor initialisation (and SGD's shuffles, and the tuning hold-out). Default 1. */
  seed?: number;
  /** 'als' (default) or 'sgd'. */
  solver?: 'als' | 'sgd';
  /** Rows to choose factors / λ on when they are not given; absent: a seeded 10% of the training rows is held out. */
  validation?: { users: Int32Array; items: Int32Array; ratings: Float32Array } | undefined;
  /** Clip predictions to this range. Default: the training ratings' min and max. */
  ratingRange?: [number, number];
  userIds?: string[];
  itemIds?: string[];
  /** Called after each epoch of the final fit with the training RMSE; returning false stops early. */
  onEpoch?: (epoch: number, trainRmse: number) => boolean | void;
  /** Called after each setting tried while choosing factors / λ, with its validation RMSE. */
  onTrial?: (trial: { factors: number; l2: number; rmse: number }) => void;
}

// Baseline shrinkage, as Surprise's BaselineOnly (reg_u = 15, reg_i = 10), and its 10 sweeps.
const USER_BIAS_SHRINK = 15;
const ITEM_BIAS_SHRINK = 10;
const BASELINE_SWEEPS = 10;
const DEFAULT_SWEEPS = 15;
const DEFAULT_SGD_EPOCHS = 20;
const TUNING_HOLDOUT = 0.1;
/** The settings tried when factors / λ are not given (see the file comment for how they were chosen). */
const FACTOR_GRID = [10, 20];
const L2_STEP = 1.5;
/** ALS sweeps of a fit warm-started from a neighbouring setting's solution (the λ search, the final refit). */
const WARM_SWEEPS = 4;
const DEFAULT_FACTORS = 10;
const DEFAULT_L2: Record<'als' | 'sgd', number> = { als: 0.1, sgd: 0.05 };

const invalid = (message: string): never => {
  throw new XinzhiError('E_INVALID_INPUT', message);
};

/**
 * Maps raw ids to dense indices 0 … n − 1 in first-seen order. Numbers and strings map through String(v), so 7 and
 * '7' are the same id. A missing id (null, undefined, blank string) is an error naming its row.
 */
export function indexIds(values: ArrayLike<string | number | null>): { index: Int32Array; ids: string[] } {
  const index = new Int32Array(values.length);
  const seen = new Map<string, number>();
  const ids: string[] = [];
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) invalid(`Row ${r + 1} has no id`);
    const key = String(v);
    let at = seen.get(key);
    if (at === undefined) {
      at = ids.length;
      seen.set(key, at);
      ids.push(key);
    }
    index[r] = at;
  }
  return { index, ids };
}

/** A seeded standard normal sampler (Box–Muller over mulberry32). */
export function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - random(); // (0, 1]: log stays finite
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Solves A x = b in place (A symmetric positive definite, n × n row-major; b becomes x) by Cholesky; tiny pivots are raised to 1e-12. */
function solveSpd(A: Float64Array, b: Float64Array, n: number): void {
  choleskyInPlace(A, n, { minPivot: 1e-12, clampTo: 1e-12 });
  b.set(choleskySolve(A, n, b));
}

/** Rating ids grouped by user (or item): CSR-style offsets and the rating positions. */
function groupBy(keys: Int32Array, n: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let r = 0; r < keys.length; r++) start[(keys[r] as number) + 1]!++;
  for (let g = 0; g < n; g++) start[g + 1]! += start[g] as number;
  const fill = start.slice(0, n);
  const order = new Int32Array(keys.length);
  for (let r = 0; r < keys.length; r++) order[fill[keys[r] as number]!++] = r;
  return { start, order };
}

/**
 * Baselines μ + b_u + b_i by alternating shrunken means (Koren's "baseline predictors", Surprise's BaselineOnly
 * with ALS): b_i = Σ (r − μ − b_u) / (regItem + n_i), b_u = Σ (r − μ − b_i) / (regUser + n_u). The shrinkage pulls
 * the bias of an item rated twice most of the way back to 0, which is what makes them hold up on sparse data.
 */
function fitBaselines(d: RatingsData, mu: number, bu: Float64Array, bi: Float64Array, sweeps: number): void {
  for (let s = 0; s < sweeps; s++) {
    updateBiases(d, mu, bu, bi, null, null, 0);
  }
}

/** One pass of the shrunken-mean bias updates given the factor term (P, Q; null = none). */
function updateBiases(d: RatingsData, mu: number, bu: Float64Array, bi: Float64Array, P: Float64Array | null, Q: Float64Array | null, k: number, perRating = 0): void {
  const { users, items, ratings } = d;
  const sumI = new Float64Array(bi.length);
  const sumU = new Float64Array(bu.length);
  const dots = new Float64Array(ratings.length);
  if (P && Q) {
    for (let r = 0; r < ratings.length; r++) {
      const pu = (users[r] as number) * k;
      const qi = (items[r] as number) * k;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += (P[pu + f] as number) * (Q[qi + f] as number);
      dots[r] = dot;
    }
  }
  for (let r = 0; r < ratings.length; r++) sumI[items[r] as number]! += (ratings[r] as number) - mu - (bu[users[r] as number] as number) - (dots[r] as number);
  for (let i = 0; i < bi.length; i++) bi[i] = (sumI[i] as number) / ((perRating > 0 ? 0 : ITEM_BIAS_SHRINK) + (1 + perRating) * (d.itemCount[i] as number) || 1);
  for (let r = 0; r < ratings.length; r++) sumU[users[r] as number]! += (ratings[r] as number) - mu - (bi[items[r] as number] as number) - (dots[r] as number);
  for (let u = 0; u < bu.length; u++) bu[u] = (sumU[u] as number) / ((perRating > 0 ? 0 : USER_BIAS_SHRINK) + (1 + perRating) * (d.userCount[u] as number) || 1);
}

/**
 * One ALS half-sweep of the factors: for every row g of the side being solved (users or items), the ridge
 * regression of the residual r − μ − b_u − b_i on the other side's factors, with the weighted penalty λ·n_g (ALS-WR).
 */
function alsHalfSweep(
  groups: { start: Int32Array; order: Int32Array },
  other: Int32Array,
  residual: Float64Array,
  otherF: Float64Array,
  F: Float64Array,
  k: number,
  l2: number,
): void {
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  const n = F.length / k;
  for (let g = 0; g < n; g++) {
    const from = groups.start[g] as number;
    const to = groups.start[g + 1] as number;
    if (to === from) {
      F.fill(0, g * k, g * k + k);
      continue;
    }
    A.fill(0);
    b.fill(0);
    for (let p = from; p < to; p++) {
      const r = groups.order[p] as number;
      const o = (other[r] as number) * k;
      const target = residual[r] as number;
      for (let i = 0; i < k; i++) {
        const xi = otherF[o + i] as number;
        b[i]! += xi * target;
        const row = i * k;
        for (let j = 0; j <= i; j++) A[row + j]! += xi * (otherF[o + j] as number);
      }
    }
    const ridge = l2 * (to - from);
    for (let i = 0; i < k; i++) {
      A[i * k + i]! += ridge;
      for (let j = 0; j < i; j++) A[j * k + i] = A[i * k + j] as number;
    }
    solveSpd(A, b, k);
    F.set(b, g * k);
  }
}

interface RatingsData {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  userCount: Int32Array;
  itemCount: Int32Array;
}

function withCounts(users: Int32Array, items: Int32Array, ratings: Float32Array, nUsers: number, nItems: number): RatingsData {
  const userCount = new Int32Array(nUsers);
  const itemCount = new Int32Array(nItems);
  for (let r = 0; r < ratings.length; r++) {
    userCount[users[r] as number]!++;
    itemCount[items[r] as number]!++;
  }
  return { users, items, ratings, userCount, itemCount };
}

function trainRmse(d: RatingsData, mu: number, bu: Float64Array, bi: Float64Array, P: Float64Array, Q: Float64Array, k: number): number {
  const { users, items, ratings } = d;
  let ss = 0;
  for (let r = 0; r < ratings.length; r++) {
    const u = users[r] as number;
    const i = items[r] as number;
    let pred = mu + (bu[u] as number) + (bi[i] as number);
    for (let f = 0; f < k; f++) pred += (P[u * k + f] as number) * (Q[i * k + f] as number);
    ss += ((ratings[r] as number) - pred) ** 2;
  }
  return Math.sqrt(ss / Math.max(ratings.length, 1));
}

interface FitSetup {
  factors: number;
  l2: number;
  epochs: number;
  learningRate: number;
  solver: 'als' | 'sgd';
  seed: number;
  onEpoch?: ((epoch: number, trainRmse: number) => boolean | void) | undefined;
}

/** One fit with every setting fixed: baselines first, then the factors (and biases) by ALS-WR or biased SGD. */
interface FitState {
  bu: Float64Array;
  bi: Float64Array;
  P: Float64Array;
  Q: Float64Array;
}

/** One fit with every setting fixed, from `init` (copied) or from the baselines and small random factors. */
function fitFixed(d: RatingsData, mu: number, nUsers: number, nItems: number, s: FitSetup, init?: FitState): FitState {
  const { factors: k, l2, epochs, learningRate: lr } = s;
  const { users, items, ratings } = d;
  const n = ratings.length;
  const bu = init ? Float64Array.from(init.bu) : new Float64Array(nUsers);
  const bi = init ? Float64Array.from(init.bi) : new Float64Array(nItems);
  if (!init) fitBaselines(d, mu, bu, bi, BASELINE_SWEEPS);
  const normal = gaussian(s.seed);
  // Small random factors break the symmetry between dimensions.
  const P = init ? Float64Array.from(init.P) : Float64Array.from({ length: nUsers * k }, () => 0.1 * normal());
  const Q = init ? Float64Array.from(init.Q) : Float64Array.from({ length: nItems * k }, () => 0.1 * normal());
  if (s.solver === 'als') {
    const byUser = groupBy(users, nUsers);
    const byItem = groupBy(items, nItems);
    const residual = new Float64Array(n);
    const fillResidual = () => {
      for (let r = 0; r < n; r++) residual[r] = (ratings[r] as number) - mu - (bu[users[r] as number] as number) - (bi[items[r] as number] as number);
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      fillResidual();
      alsHalfSweep(byUser, items, residual, Q, P, k, l2);
      alsHalfSweep(byItem, users, residual, P, Q, k, l2);
      updateBiases(d, mu, bu, bi, P, Q, k, l2);
      if (s.onEpoch && s.onEpoch(epoch + 1, trainRmse(d, mu, bu, bi, P, Q, k)) === false) break;
    }
  } else {
    const random = mulberry32(s.seed ^ 0x5bd1e995);
    const order = Int32Array.from({ length: n }, (_, r) => r);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let a = n - 1; a > 0; a--) {
        const b = Math.floor(random() * (a + 1));
        const t = order[a] as number;
        order[a] = order[b] as number;
        order[b] = t;
      }
      let ss = 0;
      for (let t = 0; t < n; t++) {
        const r = order[t] as number;
        const u = users[r] as number;
        const i = items[r] as number;
        const pu = u * k;
        const qi = i * k;
        let pred = mu + (bu[u] as number) + (bi[i] as number);
        for (let f = 0; f < k; f++) pred += (P[pu + f] as number) * (Q[qi + f] as number);
        const e = (ratings[r] as number) - pred;
        ss += e * e;
        bu[u]! += lr * (e - l2 * (bu[u] as number));
        bi[i]! += lr * (e - l2 * (bi[i] as number));
        for (let f = 0; f < k; f++) {
          const p = P[pu + f] as number;
          const q = Q[qi + f] as number;
          P[pu + f] = p + lr * (e * q - l2 * p);
          Q[qi + f] = q + lr * (e * p - l2 * q);
        }
      }
      // The running error seen during the epoch: free to compute, close to the end-of-epoch RMSE.
      if (s.onEpoch && s.onEpoch(epoch + 1, Math.sqrt(ss / n)) === false) break;
    }
  }
  return { bu, bi, P, Q };
}

function clippedRmse(model: MfModel, v: { users: Int32Array; items: Int32Array; ratings: Float32Array }): number {
  const pred = predictRatings(model, v.users, v.items);
  let ss = 0;
  for (let r = 0; r < pred.length; r++) ss += ((pred[r] as number) - (v.ratings[r] as number)) ** 2;
  return Math.sqrt(ss / Math.max(pred.length, 1));
}

/** The baselines alone, μ + b_u + b_i (factors = 0): Surprise's BaselineOnly, the bar a factor model must clear. */
export function fitBaselineOnly(users: Int32Array, items: Int32Array, ratings: Float32Array, nUsers: number, nItems: number): MfModel {
  if (users.length !== ratings.length || items.length !== ratings.length || ratings.length === 0) invalid('users, items and ratings must have the same, non-zero length');
  const d = withCounts(users, items, ratings, nUsers, nItems);
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (const v of ratings) {
    sum += v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const mu = sum / ratings.length;
  const bu = new Float64Array(nUsers);
  const bi = new Float64Array(nItems);
  fitBaselines(d, mu, bu, bi, BASELINE_SWEEPS);
  return { kind: 'mf', factors: 0, globalMean: mu, ratingRange: [lo, hi], userBias: Array.from(bu), itemBias: Array.from(bi), P: [], Q: [] };
}

/** Fits a biased matrix factorisation to ratings (user index, item index, rating) — see the file comment. */
export function fitMatrixFactorisation(
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  nUsers: number,
  nItems: number,
  options: MfOptions = {},
): MfModel {
  const n = ratings.length;
  if (users.length !== n || items.length !== n) invalid(`users (${users.length}), items (${items.length}) and ratings (${n}) must have the same length`);
  if (!Number.isInteger(nUsers) || nUsers < 1 || !Number.isInteger(nItems) || nItems < 1) invalid('nUsers and nItems must be positive integers');
  if (n === 0) invalid('No ratings to fit');
  const solver = options.solver ?? 'als';
  const epochs = options.epochs ?? (solver === 'als' ? DEFAULT_SWEEPS : DEFAULT_SGD_EPOCHS);
  const lr = options.learningRate ?? 0.01;
  if (options.factors !== undefined && (!Number.isInteger(options.factors) || options.factors < 1)) invalid('factors must be a positive integer');
  if (!Number.isInteger(epochs) || epochs < 0) invalid('epochs must be an integer ≥ 0');
  if (options.l2 !== undefined && (!(options.l2 >= 0) || !Number.isFinite(options.l2))) invalid('l2 must be a number ≥ 0');
  if (!(lr > 0) || !Number.isFinite(lr)) invalid('learningRate must be a number > 0');
  if (solver !== 'als' && solver !== 'sgd') invalid(`Unknown solver "${String(solver)}"`);
  if (options.userIds && options.userIds.length !== nUsers) invalid(`userIds has ${options.userIds.length} ids, expected ${nUsers}`);
  if (options.itemIds && options.itemIds.length !== nItems) invalid(`itemIds has ${options.itemIds.length} ids, expected ${nItems}`);
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < n; r++) {
    const u = users[r] as number;
    const i = items[r] as number;
    const v = ratings[r] as number;
    if (!(u >= 0 && u < nUsers)) invalid(`Rating ${r + 1} has user index ${u}, outside 0…${nUsers - 1}`);
    if (!(i >= 0 && i < nItems)) invalid(`Rating ${r + 1} has item index ${i}, outside 0…${nItems - 1}`);
    if (!Number.isFinite(v)) invalid(`Rating ${r + 1} is not a finite number`);
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const ratingRange: [number, number] = options.ratingRange ?? [lo, hi];
  const seed = options.seed ?? 1;
  const base = { epochs, learningRate: lr, solver, seed } as const;
  const asModel = (mu: number, setup: FitSetup, { bu, bi, P, Q }: FitState): MfModel => {
    return { kind: 'mf', factors: setup.factors, l2: setup.l2, globalMean: mu, ratingRange, userBias: Array.from(bu), itemBias: Array.from(bi), P: Array.from(P), Q: Array.from(Q) };
  };
  let factors = options.factors;
  let l2 = options.l2;
  let finalInit: FitState | undefined;
  if (factors === undefined || l2 === undefined) {
    // Choose what was not given on validation rows: the caller's, or a seeded 10% of the training rows (the final
    // model is then refitted on all of them).
    let fitOn: RatingsData;
    let check: { users: Int32Array; items: Int32Array; ratings: Float32Array };
    if (options.validation && options.validation.ratings.length > 0) {
      fitOn = withCounts(users, items, ratings, nUsers, nItems);
      check = options.validation;
    } else {
      const random = mulberry32(seed ^ 0x7f4a7c15);
      const hold = Uint8Array.from({ length: n }, () => (random() < TUNING_HOLDOUT ? 1 : 0));
      const part = (h: number) => {
        const idx: number[] = [];
        for (let r = 0; r < n; r++) if (hold[r] === h) idx.push(r);
        return { users: Int32Array.from(idx, (r) => users[r] as number), items: Int32Array.from(idx, (r) => items[r] as number), ratings: Float32Array.from(idx, (r) => ratings[r] as number) };
      };
      const t = part(0);
      fitOn = withCounts(t.users, t.items, t.ratings, nUsers, nItems);
      check = part(1);
    }
    const muFit = fitOn.ratings.reduce((s, v) => s + v, 0) / Math.max(fitOn.ratings.length, 1);
    // λ by a line search on a log scale (×1.5 each way from the last best until the score worsens), per factor count.
    // ALS fits after the first of each factor count start from the best solution so far (WARM_SWEEPS sweeps):
    // neighbouring λ have neighbouring solutions, so this is as converged as a cold start at a fraction of the cost.
    const tried = new Map<string, number>();
    let warm: { k: number; state: FitState; score: number } | null = null;
    const score = (k: number, lambda: number): number => {
      const key = `${k}:${lambda}`;
      let v = tried.get(key);
      if (v === undefined) {
        const init = solver === 'als' && warm?.k === k ? warm.state : undefined;
        const setup = { ...base, epochs: init ? Math.min(epochs, WARM_SWEEPS) : epochs, factors: k, l2: lambda };
        const state = fitFixed(fitOn, muFit, nUsers, nItems, setup, init);
        v = clippedRmse(asModel(muFit, setup, state), check);
        tried.set(key, v);
        options.onTrial?.({ factors: k, l2: lambda, rmse: v });
        if (!warm || warm.k !== k || v < warm.score) warm = { k, state, score: v };
        if (v < bestScore) {
          bestScore = v;
          bestState = state;
        }
      }
      return v;
    };
    let bestScore = Infinity;
    let bestState: FitState | null = null;
    let best = { score: Infinity, factors: factors ?? DEFAULT_FACTORS, l2: l2 ?? DEFAULT_L2[solver] };
    for (const k of factors === undefined ? FACTOR_GRID : [factors]) {
      let lambda = l2 ?? best.l2;
      let here = score(k, lambda);
      if (l2 === undefined) {
        for (const step of [L2_STEP, 1 / L2_STEP]) {
          for (let moves = 0; moves < 6; moves++) {
            const next = Number((lambda * step).toPrecision(3));
            const s = score(k, next);
            if (!(s < here)) break;
            const gain = here - s;
            lambda = next;
            here = s;
            if (gain < 1e-4) break; // flat: further steps would not change the model's quality

          }
        }
      }
      if (here < best.score) best = { score: here, factors: k, l2: lambda };
    }
    factors = best.factors;
    l2 = best.l2;
    finalInit = bestState ?? undefined;
  }
  const setup: FitSetup = { ...base, factors, l2, onEpoch: options.onEpoch };
  // After tuning, ALS refits warm from the chosen solution (on all the training rows when some were held out).
  const init = solver === 'als' ? finalInit : undefined;
  if (init) setup.epochs = Math.min(epochs, WARM_SWEEPS);
  const model = asModel(sum / n, setup, fitFixed(withCounts(users, items, ratings, nUsers, nItems), sum / n, nUsers, nItems, setup, init));
  if (options.userIds) model.userIds = [...options.userIds];
  if (options.itemIds) model.itemIds = [...options.itemIds];
  return model;
}

function checkModel(model: MfModel): { nUsers: number; nItems: number; k: number } {
  const k = model.factors;
  const nUsers = model.userBias.length;
  const nItems = model.itemBias.length;
  if (model.kind !== 'mf' || model.P.length !== nUsers * k || model.Q.length !== nItems * k) invalid('Not a matrix-factorisation model, or its arrays disagree in size');
  return { nUsers, nItems, k };
}

/**
 * Predicted ratings for (user, item) pairs. Index −1 means an id the model never saw: it then contributes no bias
 * and no factors, so a new user with a known item gets μ + b_i (and an unknown pair gets μ).
 */
export function predictRatings(model: MfModel, users: Int32Array, items: Int32Array): Float32Array {
  const { nUsers, nItems, k } = checkModel(model);
  if (users.length !== items.length) invalid(`users (${users.length}) and items (${items.length}) must have the same length`);
  const out = new Float32Array(users.length);
  const [lo, hi] = model.ratingRange ?? [];
  for (let r = 0; r < users.length; r++) {
    const u = users[r] as number;
    const i = items[r] as number;
    if (u < -1 || u >= nUsers) invalid(`Row ${r + 1} has user index ${u}, outside −1…${nUsers - 1}`);
    if (i < -1 || i >= nItems) invalid(`Row ${r + 1} has item index ${i}, outside −1…${nItems - 1}`);
    let pred = model.globalMean + (u >= 0 ? (model.userBias[u] as number) : 0) + (i >= 0 ? (model.itemBias[i] as number) : 0);
    if (u >= 0 && i >= 0) for (let f = 0; f < k; f++) pred += (model.P[u * k + f] as number) * (model.Q[i * k + f] as number);
    out[r] = lo === undefined ? pred : Math.min(hi as number, Math.max(lo, pred));
  }
  return out;
}

/**
 * The k items with the highest predicted rating for `user` (best first; ties to the lower index), skipping
 * `exclude` (typically the items the user already rated). User −1 (unknown) ranks by item bias alone.
 */
export function recommendTopK(model: MfModel, user: number, k: number, exclude?: ReadonlySet<number>): Int32Array {
  const { nUsers, nItems, k: f } = checkModel(model);
  if (!Number.isInteger(user) || user < -1 || user >= nUsers) invalid(`User index ${user} is outside −1…${nUsers - 1}`);
  if (!Number.isInteger(k) || k < 0) invalid('k must be an integer ≥ 0');
  const candidates: number[] = [];
  const score = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    if (exclude?.has(i)) continue;
    let s = model.itemBias[i] as number;
    if (user >= 0) for (let d = 0; d < f; d++) s += (model.P[user * f + d] as number) * (model.Q[i * f + d] as number);
    score[i] = s;
    candidates.push(i);
  }
  candidates.sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
  return Int32Array.from(candidates.slice(0, k));
}

export interface SyntheticRatingsOptions {
  users: number;
  items: number;
  /** Rank of the true interaction term. Default 10. */
  rank?: number;
  /** Share of the users × items cells that get a rating, in (0, 1]. */
  density: number;
  /** σ of the Gaussian noise added to the clean ratings. Default 0.5. */
  noise?: number;
  seed?: number;
}

/**
 * Ratings from a known biased rank-`rank` model plus Gaussian noise: μ = 3, user and item biases N(0, 0.5²), and
 * factor entries N(0, 1/√rank) so p_u · q_i has variance 1 whatever the rank (clean ratings sd ≈ 1.22, like a
 * 1–5 scale; no clipping, so the data really are low rank). Each cell is rated independently with
 * probability `density`, in user-major order. `clean` holds the noise-free value of each rating.
 */
export function syntheticRatings(options: SyntheticRatingsOptions): { users: Int32Array; items: Int32Array; ratings: Float32Array; clean: Float32Array } {
  const { users: nUsers, items: nItems, density } = options;
  const rank = options.rank ?? 10;
  const noise = options.noise ?? 0.5;
  if (!Number.isInteger(nUsers) || nUsers < 1 || !Number.isInteger(nItems) || nItems < 1) invalid('users and items must be positive integers');
  if (!Number.isInteger(rank) || rank < 1) invalid('rank must be a positive integer');
  if (!(density > 0 && density <= 1)) invalid('density must be in (0, 1]');
  if (!(noise >= 0) || !Number.isFinite(noise)) invalid('noise must be a number ≥ 0');
  const seed = options.seed ?? 1;
  const normal = gaussian(seed);
  const random = mulberry32(seed ^ 0x9e3779b9);
  const scale = Math.pow(rank, -0.25);
  const P = Float64Array.from({ length: nUsers * rank }, () => scale * normal());
  const Q = Float64Array.from({ length: nItems * rank }, () => scale * normal());
  const bu = Float64Array.from({ length: nUsers }, () => 0.5 * normal());
  const bi = Float64Array.from({ length: nItems }, () => 0.5 * normal());
  const us: number[] = [];
  const is: number[] = [];
  const clean: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      if (random() >= density) continue;
      let v = 3 + (bu[u] as number) + (bi[i] as number);
      for (let f = 0; f < rank; f++) v += (P[u * rank + f] as number) * (Q[i * rank + f] as number);
      us.push(u);
      is.push(i);
      clean.push(v);
    }
  }
  const ratings = Float32Array.from(clean, (v) => v + noise * normal());
  return { users: Int32Array.from(us), items: Int32Array.from(is), ratings, clean: Float32Array.from(clean) };
}
