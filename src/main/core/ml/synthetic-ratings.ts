/**
 * A realistic sparse explicit-ratings generator shaped like MovieLens-100k (which is not shipped: its licence and
 * size), for benchmarks, tests and demo shops. Defaults: 943 users × 1,682 items, ~100,000 integer 1–5 stars.
 *
 *  - user activity skew: each user rates at least `minPerUser` (20, as in ML-100k) items plus a lognormal share of
 *    the rest (σ = 1), capped at 45% of the catalogue — mean ≈ 106, median ≈ 65, a few heavy raters in the hundreds;
 *  - long-tail item popularity: Zipf-like weights (rank + 60)^−1.4 over a shuffled catalogue; each user picks her
 *    items by weighted sampling without replacement (Efraimidis–Spirakis keys), so a few items are rated by more
 *    than half the users and many by only a handful;
 *  - ratings: round(μ + b_u + b_i + p_u · q_i + ε) clipped to 1…5, with popular items rated a little higher
 *    (b_i partly follows log popularity, as in real catalogues), a rank-`rank` taste term and Gaussian noise.
 *
 * Calibrated so that, like ML-100k on 80/20 splits, the global mean scores RMSE ≈ 1.12, regularised user + item
 * biases ≈ 0.95, Surprise's SVD ≈ 0.94 and a well-regularised factor model ≈ 0.87–0.90 (test/bench/speed.mjs). Pure and seeded.
 */
import { mulberry32 } from '../random.js';
import { gaussian } from './mf.js';

export interface MovieLensLikeOptions {
  users?: number;
  items?: number;
  /** Target number of ratings (the result can be a little short when heavy users hit the cap). Default 100,000. */
  ratings?: number;
  minPerUser?: number;
  /** Rank of the taste term. Default 10. */
  rank?: number;
  seed?: number;
}

export interface GeneratedRatings {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  nUsers: number;
  nItems: number;
}

// Calibration (see the file comment): spreads of the bias terms, the taste term and the noise, before rounding.
const MEAN = 3.2;
const USER_BIAS_SD = 0.55;
const ITEM_BIAS_SD = 0.5;
const POPULARITY_EFFECT = 0.25;
const TASTE_SD = 0.8;
const NOISE_SD = 0.77;

export function movieLensLikeRatings(options: MovieLensLikeOptions = {}): GeneratedRatings {
  const nUsers = options.users ?? 943;
  const nItems = options.items ?? 1682;
  const total = options.ratings ?? 100_000;
  const minPerUser = options.minPerUser ?? 20;
  const rank = options.rank ?? 10;
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const normal = gaussian(seed ^ 0x2545f491);
  const cap = Math.max(minPerUser, Math.floor(nItems * 0.45));

  // Activity: the minimum plus a lognormal share of what is left.
  const share = Float64Array.from({ length: nUsers }, () => Math.exp(normal()));
  const shareSum = share.reduce((s, v) => s + v, 0);
  const extra = Math.max(0, total - minPerUser * nUsers);
  const counts = Int32Array.from(share, (s) => Math.min(cap, nItems, minPerUser + Math.round((extra * s) / shareSum)));

  // Popularity: Zipf-like weights over a shuffled catalogue.
  const rankOf = Int32Array.from({ length: nItems }, (_, i) => i);
  for (let i = nItems - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = rankOf[i] as number;
    rankOf[i] = rankOf[j] as number;
    rankOf[j] = t;
  }
  const weight = Float64Array.from(rankOf, (r) => (r + 60) ** -1.4);
  const logW = Float64Array.from(weight, Math.log);
  const meanLogW = logW.reduce((s, v) => s + v, 0) / nItems;
  const sdLogW = Math.sqrt(logW.reduce((s, v) => s + (v - meanLogW) ** 2, 0) / nItems) || 1;

  // The true model.
  const scale = TASTE_SD / Math.sqrt(Math.sqrt(rank)); // p · q has sd TASTE_SD whatever the rank
  const P = Float64Array.from({ length: nUsers * rank }, () => scale * normal());
  const Q = Float64Array.from({ length: nItems * rank }, () => scale * normal());
  const bu = Float64Array.from({ length: nUsers }, () => USER_BIAS_SD * normal());
  const bi = Float64Array.from(logW, (lw) => POPULARITY_EFFECT * ((lw - meanLogW) / sdLogW) + ITEM_BIAS_SD * normal());

  const n = counts.reduce((s, c) => s + c, 0);
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  const keys = new Float64Array(nItems);
  const order = Int32Array.from({ length: nItems }, (_, i) => i);
  let at = 0;
  for (let u = 0; u < nUsers; u++) {
    // Efraimidis–Spirakis: the c largest log(U)/w are a weighted sample without replacement.
    for (let i = 0; i < nItems; i++) keys[i] = Math.log(1 - random()) / (weight[i] as number);
    order.sort((a, b) => (keys[b] as number) - (keys[a] as number));
    const c = counts[u] as number;
    const chosen = Array.from(order.subarray(0, c)).sort((a, b) => a - b);
    for (const i of chosen) {
      let v = MEAN + (bu[u] as number) + (bi[i] as number) + NOISE_SD * normal();
      for (let f = 0; f < rank; f++) v += (P[u * rank + f] as number) * (Q[i * rank + f] as number);
      users[at] = u;
      items[at] = i;
      ratings[at] = Math.min(5, Math.max(1, Math.round(v)));
      at++;
    }
  }
  return { users, items, ratings, nUsers, nItems };
}
