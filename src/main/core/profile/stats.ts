/** Small numeric building blocks of the profile, each matching its pandas / numpy reference definition. */

export interface Moments {
  count: number;
  mean: number;
  /** Sample standard deviation (ddof = 1); null below two values. */
  std: number | null;
  /** pandas' `skew`: the adjusted Fisher–Pearson coefficient G1; null below three values, 0 for a constant. */
  skewness: number | null;
}

/** Two passes (mean, then central moments), which keeps precision on large offsets as pandas' nanops do. */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  if (n === 0) return { count: 0, mean: Number.NaN, std: null, skewness: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : null;
  let skewness: number | null = null;
  if (n > 2) {
    const b2 = m2 / n;
    const b3 = m3 / n;
    // pandas returns 0 when the variance is (numerically) zero.
    skewness = b2 <= 1e-14 * Math.max(1, mean * mean) ? 0 : ((Math.sqrt(n * (n - 1)) / (n - 2)) * b3) / Math.pow(b2, 1.5);
  }
  return { count: n, mean, std, skewness };
}

/** Pearson correlation over the rows where both values are present (pandas' pairwise-complete `corr`). */
export function pearson(a: Float64Array, aNulls: Uint8Array | null, b: Float64Array, bNulls: Uint8Array | null): number | null {
  const n = a.length;
  let count = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    if ((aNulls && aNulls[i]) || (bNulls && bNulls[i])) continue;
    sa += a[i]!;
    sb += b[i]!;
    count++;
  }
  if (count < 2) return null;
  const ma = sa / count;
  const mb = sb / count;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    if ((aNulls && aNulls[i]) || (bNulls && bNulls[i])) continue;
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/** A column without missing cells with its mean and squared deviations, so that each Pearson pair is one pass. */
export interface CentredColumn {
  values: Float64Array;
  mean: number;
  sumOfSquares: number;
}

/** The mean and squared deviations, computed exactly as `pearson` does for a pair without missing cells. */
export function centre(values: Float64Array): CentredColumn {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let sumOfSquares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    sumOfSquares += d * d;
  }
  return { values, mean, sumOfSquares };
}

/** `pearson` of two centred columns (the same figure, one pass instead of two). */
export function pearsonCentred(a: CentredColumn, b: CentredColumn): number | null {
  const n = a.values.length;
  if (n < 2 || a.sumOfSquares === 0 || b.sumOfSquares === 0) return null;
  const va = a.values;
  const vb = b.values;
  const ma = a.mean;
  const mb = b.mean;
  let sab = 0;
  for (let i = 0; i < n; i++) sab += (va[i]! - ma) * (vb[i]! - mb);
  return Math.max(-1, Math.min(1, sab / Math.sqrt(a.sumOfSquares * b.sumOfSquares)));
}

/**
 * Cramér's V of two categorical codings (codes 0..k−1, −1 = missing), over rows where both are present:
 * V = √(χ² / (n · (min(r, c) − 1))), r and c counting the categories that occur. No bias correction.
 */
export function cramersV(a: Int32Array, ka: number, b: Int32Array, kb: number): number | null {
  const table = new Float64Array(ka * kb);
  const n0 = a.length;
  let n = 0;
  for (let i = 0; i < n0; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < 0 || y < 0) continue;
    table[x * kb + y]!++;
    n++;
  }
  if (n === 0) return null;
  const rows = new Float64Array(ka);
  const cols = new Float64Array(kb);
  for (let x = 0; x < ka; x++) for (let y = 0; y < kb; y++) {
    const v = table[x * kb + y]!;
    rows[x]! += v;
    cols[y]! += v;
  }
  const r = rows.filter((v) => v > 0).length;
  const c = cols.filter((v) => v > 0).length;
  if (Math.min(r, c) < 2) return null;
  let chi2 = 0;
  for (let x = 0; x < ka; x++) {
    if (rows[x] === 0) continue;
    for (let y = 0; y < kb; y++) {
      if (cols[y] === 0) continue;
      const expected = (rows[x]! * cols[y]!) / n;
      const d = table[x * kb + y]! - expected;
      chi2 += (d * d) / expected;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / n / (Math.min(r, c) - 1)));
}

/** murmur3's 32-bit finaliser: mixes every input bit into every output bit. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
