/**
 * Exact binomial and multinomial sampling for the bootstrap. Resampling N rows with replacement and counting
 * them by (group, label, prediction) is the same distribution as one multinomial draw over those cells with the
 * observed shares, so a resample costs O(cells · log N) instead of O(N).
 */

/** Standard normal by Box–Muller. */
function normal(random: () => number): number {
  let u = random();
  while (u <= Number.MIN_VALUE) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) for shape ≥ 1 (Marsaglia & Tsang 2000). */
function gamma(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Inversion from 0; exact and fast while n·p is small (q^n does not underflow). */
function binomialInversion(n: number, p: number, random: () => number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  let r = Math.pow(q, n);
  let u = random();
  let x = 0;
  while (u > r) {
    u -= r;
    x++;
    if (x > n) return n; // rounding guard
    r *= a / x - s;
  }
  return x;
}

/** Binomial(n, p), exact: Knuth's order-statistic split (TAOCP 3.4.1) down to small n·p, then inversion. */
export function binomial(n: number, p: number, random: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, random);
  if (n * p < 30) return binomialInversion(n, p, random);
  // The a-th smallest of n uniforms is Beta(a, n − a + 1); it splits the uniforms into two binomial problems.
  const a = 1 + Math.floor(n / 2);
  const b = n - a + 1;
  const ga = gamma(a, random);
  const x = ga / (ga + gamma(b, random));
  if (x >= p) return binomial(a - 1, p / x, random);
  return a + binomial(b - 1, (p - x) / (1 - x), random);
}

/** Multinomial(n, shares of `counts`) written into `out` (conditional binomials). */
export function multinomialFromCounts(counts: Float64Array, total: number, random: () => number, out: Float64Array): void {
  let remaining = total;
  let mass = total;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c <= 0 || remaining <= 0) {
      out[i] = 0;
      continue;
    }
    const drawn = mass <= c ? remaining : binomial(remaining, c / mass, random);
    out[i] = drawn;
    remaining -= drawn;
    mass -= c;
  }
}

/** Quantile with linear interpolation between order statistics (numpy's default), over finite values only. */
export function quantileOfFinite(values: Float64Array, q: number): number | null {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  if (finite.length === 0) return null;
  const pos = (finite.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, finite.length - 1);
  return finite[lo]! + (finite[hi]! - finite[lo]!) * (pos - lo);
}
