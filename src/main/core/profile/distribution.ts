/**
 * A numeric column as its ascending distinct values with their counts: everything the profile reads from the
 * sorted column (quantiles, histogram, outliers, top values, zeros) comes from this run-length form.
 *
 * Columns with few distinct values (quantities, ratings, flags: most business columns) are counted in one pass
 * through a small open-addressing table keyed on the double's bits, with no sort of the rows; only columns with
 * more than COUNTING_LIMIT distinct values are sorted (and not even that when they already ascend, like ids).
 */

/** Most distinct values counted by hashing before the column is sorted instead. */
export const COUNTING_LIMIT = 2048;
const TABLE_SIZE = 8192;

export interface Distribution {
  /** Ascending distinct values. */
  values: Float64Array;
  /** Null when every value occurs once (ids, amounts with cents): the sorted column itself, nothing copied. */
  counts: Float64Array | null;
  /** ends[i]: how many values are ≤ values[i] (the cumulative counts); null with `counts`. */
  ends: Float64Array | null;
  total: number;
  /** For counted (low-cardinality) columns: each present value's index in `values`, in row order. */
  indexes: (() => Int32Array) | null;
}

/** The distribution of `present` (no missing cells); `present` is not modified. */
export function distributionOf(present: Float64Array): Distribution {
  return countDistinct(present) ?? sortedDistribution(present);
}

/** Open addressing on the two 32-bit words of each double; null once more than COUNTING_LIMIT distinct values. */
function countDistinct(present: Float64Array): Distribution | null {
  const n = present.length;
  const words = new Uint32Array(present.buffer, present.byteOffset, n * 2);
  const mask = TABLE_SIZE - 1;
  const slotLo = new Uint32Array(TABLE_SIZE);
  const slotHi = new Uint32Array(TABLE_SIZE);
  /** Distinct-value number + 1 held in each slot (0 = empty). */
  const slotId = new Int32Array(TABLE_SIZE);
  const counts = new Float64Array(COUNTING_LIMIT);
  const idOfRow = new Int32Array(n);
  const values = new Float64Array(COUNTING_LIMIT);
  let distinct = 0;
  const find = (lo: number, hi: number): number => {
    let slot = hashWords(lo, hi) & mask;
    for (;;) {
      const id = slotId[slot]!;
      if (id === 0 || (slotLo[slot] === lo && slotHi[slot] === hi)) return slot;
      slot = (slot + 1) & mask;
    }
  };
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    // −0 counts as 0, as it does in a sort (−0 === 0).
    const hi = lo === 0 && words[2 * i + 1] === 0x80000000 ? 0 : words[2 * i + 1]!;
    const slot = find(lo, hi);
    const id = slotId[slot]!;
    if (id !== 0) {
      counts[id - 1]!++;
      idOfRow[i] = id - 1;
      continue;
    }
    if (distinct === COUNTING_LIMIT) return null;
    slotLo[slot] = lo;
    slotHi[slot] = hi;
    slotId[slot] = distinct + 1;
    values[distinct] = present[i] === 0 ? 0 : present[i]!;
    counts[distinct] = 1;
    idOfRow[i] = distinct;
    distinct++;
  }
  const order = Array.from({ length: distinct }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const rankOfId = new Int32Array(distinct);
  order.forEach((id, rank) => (rankOfId[id] = rank));
  const out = runLength(
    Float64Array.from(order, (id) => values[id]!),
    Float64Array.from(order, (id) => counts[id]!),
  );
  let ranked = false;
  out.indexes = () => {
    if (!ranked) for (let i = 0; i < n; i++) idOfRow[i] = rankOfId[idOfRow[i]!]!;
    ranked = true;
    return idOfRow;
  };
  return out;
}

function sortedDistribution(present: Float64Array): Distribution {
  const n = present.length;
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) if (present[i]! < present[i - 1]!) ascending = false;
  const sorted = ascending ? present : Float64Array.from(present).sort();
  let distinct = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct === n) return { values: sorted, counts: null, ends: null, total: n, indexes: null };
  const values = new Float64Array(distinct);
  const counts = new Float64Array(distinct);
  let d = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    const v = sorted[i]!;
    while (j < n && sorted[j] === v) j++;
    values[d] = v;
    counts[d] = j - i;
    d++;
    i = j;
  }
  return runLength(values, counts);
}

function runLength(values: Float64Array, counts: Float64Array): Distribution {
  const ends = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += counts[i]!;
    ends[i] = total;
  }
  return { values, counts, ends, total, indexes: null };
}

function hashWords(lo: number, hi: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

/** The value at 0-based `rank` of the sorted column. */
function valueAtRank(d: Distribution, rank: number): number {
  if (d.ends === null) return d.values[rank]!;
  let lo = 0;
  let hi = d.values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d.ends[mid]! > rank) hi = mid;
    else lo = mid + 1;
  }
  return d.values[lo]!;
}

/** numpy's `linear` quantile (pandas' `quantile`) of the column the distribution describes. */
export function quantileOf(d: Distribution, p: number): number {
  if (d.total === 0) return Number.NaN;
  const h = (d.total - 1) * p;
  const lo = Math.floor(h);
  const a = valueAtRank(d, lo);
  const b = valueAtRank(d, Math.min(lo + 1, d.total - 1));
  return a + (h - lo) * (b - a);
}

/** Equal-width histogram over [min, max] with numpy.histogram's rules (last bin closed; a zero range widened ±0.5). */
export function histogramOf(d: Distribution, bins: number): { edges: number[]; counts: number[] } {
  const k = d.values.length;
  if (k === 0) return { edges: [], counts: [] };
  let min = d.values[0]!;
  let max = d.values[k - 1]!;
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < k; i++) {
    let b = Math.floor((d.values[i]! - min) / width);
    if (b >= bins) b = bins - 1;
    if (b < 0) b = 0;
    counts[b]! += d.counts === null ? 1 : d.counts[i]!;
  }
  return { edges, counts };
}
