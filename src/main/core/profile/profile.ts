/**
 * The profiler: one pass per column over typed arrays (numbers) or a dictionary (texts), then duplicate rows and
 * correlations across columns. Definitions follow pandas (describe, quantile, value_counts, nunique,
 * duplicated, corr) so the figures can be checked against it.
 */
import type { ColumnProfile, Correlation, DatasetProfile, ValueCount } from '../../../shared/model/quality.js';
import type { DataColumn, NumberColumn, TextColumn } from './columns.js';
import { centre, cramersV, fmix32, moments, pearson, pearsonCentred } from './stats.js';
import { distributionOf, histogramOf, quantileOf } from './distribution.js';
import { textKind, valuePattern } from './text.js';
import { computeAlerts, imbalanceOf } from './alerts.js';

export interface ProfileOptions {
  onProgress?: (progress: number, message: string) => void;
  signal?: AbortSignal;
  topValues?: number;
  histogramBins?: number;
}

/** Columns with this many categories or fewer take part in Cramér's V (and the imbalance alert). */
export const MAX_CATEGORIES = 50;
const MAX_PEARSON_COLUMNS = 40;
const MAX_CRAMER_COLUMNS = 20;
const NULL_HASH = 0x5bd1e995;

export type ComputedProfile = Omit<DatasetProfile, 'versionId' | 'createdAt' | 'timings'>;

/** Per-column codes (−1 = missing) kept for the cross-column steps. */
interface Coded {
  codes: Int32Array | null;
  categories: number;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
}

/** The k most frequent values seen so far (ties: the smaller value first), without keeping the others. */
class TopK<T extends string | number = number> {
  private readonly entries: [T, number][] = [];
  constructor(private readonly k: number) {}

  offer(value: T, count: number): void {
    const e = this.entries;
    if (e.length === this.k && count <= e[e.length - 1]![1]) return;
    e.push([value, count]);
    e.sort(compareCounts);
    if (e.length > this.k) e.pop();
  }

  values(): ValueCount[] {
    return this.entries.map(([value, count]) => ({ value, count }));
  }
}

function topOf<T extends string | number>(entries: Iterable<[T, number]>, k: number): ValueCount[] {
  const top: [T, number][] = [];
  for (const e of entries) {
    if (top.length < k) {
      top.push(e);
      if (top.length === k) top.sort(compareCounts);
    } else if (compareCounts(e, top[k - 1]!) < 0) {
      top[k - 1] = e;
      top.sort(compareCounts);
    }
  }
  top.sort(compareCounts);
  return top.map(([value, count]) => ({ value, count }));
}

function compareCounts<T extends string | number>(a: [T, number], b: [T, number]): number {
  if (b[1] !== a[1]) return b[1] - a[1];
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function profileNumber(col: NumberColumn, opts: Required<Pick<ProfileOptions, 'topValues' | 'histogramBins'>>, rowHashes: RowHashes): { profile: ColumnProfile; coded: Coded } {
  const n = col.values.length;
  const nulls = col.nulls;
  let missing = 0;
  if (nulls) for (let i = 0; i < n; i++) missing += nulls[i]!;
  const present = n - missing;
  let presentValues = col.values;
  if (nulls) {
    presentValues = new Float64Array(present);
    let k = 0;
    for (let i = 0; i < n; i++) if (!nulls[i]) presentValues[k++] = col.values[i]!;
  }
  const m = moments(presentValues);
  const dist = distributionOf(presentValues);
  const distinct = dist.values.length;
  let zeros = 0;
  const top = new TopK(opts.topValues);
  const countOf = (d: number): number => (dist.counts === null ? 1 : dist.counts[d]!);
  for (let d = 0; d < distinct; d++) {
    if (dist.counts !== null) top.offer(dist.values[d]!, dist.counts[d]!);
    else if (d < opts.topValues) top.offer(dist.values[d]!, 1);
    if (dist.values[d] === 0) zeros = countOf(d);
  }
  let numeric: ColumnProfile['numeric'] = null;
  if (present > 0) {
    const q = (p: number) => quantileOf(dist, p);
    const q1 = q(0.25);
    const q3 = q(0.75);
    const iqr = q3 - q1;
    const lowFence = q1 - 1.5 * iqr;
    const highFence = q3 + 1.5 * iqr;
    let outliers = 0;
    for (let d = 0; d < distinct && dist.values[d]! < lowFence; d++) outliers += countOf(d);
    for (let d = distinct - 1; d >= 0 && dist.values[d]! > highFence; d--) outliers += countOf(d);
    const bins = Math.max(1, Math.min(opts.histogramBins, distinct));
    numeric = {
      min: dist.values[0]!,
      max: dist.values[distinct - 1]!,
      mean: m.mean,
      std: m.std,
      skewness: m.skewness,
      quantiles: { p1: q(0.01), p5: q(0.05), p25: q1, p50: q(0.5), p75: q3, p95: q(0.95), p99: q(0.99) },
      zeros,
      outliers,
      histogram: histogramOf(dist, bins),
    };
  }
  // Row hashes: the two 32-bit words of each double, mixed in (missing cells as a constant).
  const words = new Uint32Array(col.values.buffer, col.values.byteOffset, n * 2);
  const { h1, h2 } = rowHashes;
  for (let i = 0; i < n; i++) {
    const missingCell = nulls !== null && nulls[i] === 1;
    const lo = missingCell ? NULL_HASH : words[2 * i]!;
    const hi = missingCell ? NULL_HASH : words[2 * i + 1]!;
    h1[i] = fmix32(Math.imul(h1[i]! ^ lo, 0x9e3779b1) + hi);
    h2[i] = fmix32(Math.imul(h2[i]! ^ hi, 0x85ebca77) + lo + 0x27d4eb2f);
  }
  let coded: Coded = { codes: null, categories: distinct };
  let categoryCounts: number[] | null = null;
  if (distinct >= 2 && distinct <= MAX_CATEGORIES && dist.indexes) {
    // Codes are ranks in ascending order of value.
    const indexes = dist.indexes();
    categoryCounts = Array.from(dist.counts!);
    let codes = indexes;
    if (nulls) {
      codes = new Int32Array(n);
      for (let i = 0, k = 0; i < n; i++) codes[i] = nulls[i] === 1 ? -1 : indexes[k++]!;
    }
    coded = { codes, categories: distinct };
  }
  return {
    profile: {
      name: col.name,
      type: col.type,
      count: present,
      missing,
      distinct,
      topValues: top.values(),
      numeric,
      text: null,
      imbalance: categoryCounts ? imbalanceOf(categoryCounts) : null,
      conforming: present,
    },
    coded,
  };
}

function profileText(col: TextColumn, opts: Required<Pick<ProfileOptions, 'topValues'>>, rowHashes: RowHashes): { profile: ColumnProfile; coded: Coded } {
  const { codes, dictionary } = col;
  const n = codes.length;
  const counts = new Float64Array(dictionary.length);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    if (code < 0) missing++;
    else counts[code]!++;
  }
  const present = n - missing;
  let distinct = 0;
  for (let d = 0; d < counts.length; d++) if (counts[d]! > 0) distinct++;

  // Shapes from each distinct value once, weighted by its count.
  let minLength = Number.POSITIVE_INFINITY;
  let maxLength = 0;
  let lengthSum = 0;
  let min: string | null = null;
  let max: string | null = null;
  const patterns = new Map<string, number>();
  const kinds = { number: 0, date: 0, boolean: 0, text: 0 };
  const top = new TopK<string>(opts.topValues);
  dictionary.forEach((v, d) => {
    const count = counts[d]!;
    if (count === 0) return;
    top.offer(v, count);
    const len = [...v].length;
    if (len < minLength) minLength = len;
    if (len > maxLength) maxLength = len;
    lengthSum += len * count;
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
    const p = valuePattern(v);
    patterns.set(p, (patterns.get(p) ?? 0) + count);
    kinds[textKind(v)] += count;
  });
  const conforming = Math.max(kinds.number, kinds.date, kinds.boolean, kinds.text);

  // Row hashes from the codes (equal texts share one code).
  const { h1, h2 } = rowHashes;
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    const a = code < 0 ? NULL_HASH : fmix32(code + 0x1000193);
    const b = a ^ 0x68e31da4;
    h1[i] = fmix32(Math.imul(h1[i]! ^ a, 0x9e3779b1) + 0x7f4a7c15);
    h2[i] = fmix32(Math.imul(h2[i]! ^ b, 0x85ebca77) + 0x165667b1);
  }
  const categorical = distinct >= 2 && distinct <= MAX_CATEGORIES && distinct === dictionary.length;
  return {
    profile: {
      name: col.name,
      type: col.type,
      count: present,
      missing,
      distinct,
      topValues: top.values(),
      numeric: null,
      text:
        present > 0
          ? {
              minLength,
              meanLength: lengthSum / present,
              maxLength,
              min: min!,
              max: max!,
              patterns: topOf(patterns.entries(), 10).map(({ value, count }) => ({ pattern: String(value), count })),
              kinds,
            }
          : null,
      imbalance: categorical ? imbalanceOf(Array.from(counts)) : null,
      conforming,
    },
    coded: { codes: categorical ? codes : null, categories: dictionary.length },
  };
}

interface RowHashes {
  h1: Uint32Array;
  h2: Uint32Array;
}

/**
 * Rows equal to an earlier row (pandas' `duplicated().sum()`), from 64-bit row hashes in an open-addressing table
 * of row numbers; rows whose hashes match are confirmed cell by cell, so a hash collision never counts.
 */
function countDuplicateRows(columns: readonly DataColumn[], hashes: RowHashes, n: number): number {
  const same = (a: number, b: number) =>
    columns.every((c) => {
      if (c.kind === 'number') {
        const na = c.nulls !== null && c.nulls[a] === 1;
        const nb = c.nulls !== null && c.nulls[b] === 1;
        return na === nb && (na || c.values[a] === c.values[b]);
      }
      return c.codes[a] === c.codes[b];
    });
  let size = 1024;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  // Slot holds row + 1 (0 = empty).
  const slots = new Int32Array(size);
  const { h1, h2 } = hashes;
  let duplicates = 0;
  for (let r = 0; r < n; r++) {
    let slot = h1[r]! & mask;
    for (;;) {
      const held = slots[slot]!;
      if (held === 0) {
        slots[slot] = r + 1;
        break;
      }
      const other = held - 1;
      if (h1[other] === h1[r] && h2[other] === h2[r] && same(other, r)) {
        duplicates++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return duplicates;
}

export function profileDataset(columns: readonly DataColumn[], rowCount: number, options: ProfileOptions = {}): ComputedProfile {
  const opts = { topValues: options.topValues ?? 10, histogramBins: options.histogramBins ?? 20 };
  const n = rowCount;
  const hashes: RowHashes = { h1: new Uint32Array(n), h2: new Uint32Array(n) };
  const profiles: ColumnProfile[] = [];
  const coded: Coded[] = [];
  const anyMissing = new Uint8Array(n);
  columns.forEach((col, c) => {
    throwIfAborted(options.signal);
    options.onProgress?.(c / (columns.length + 1), col.name);
    const out = col.kind === 'number' ? profileNumber(col, opts, hashes) : profileText(col, opts, hashes);
    profiles.push(out.profile);
    coded.push(out.coded);
    if (out.profile.missing > 0) {
      if (col.kind === 'number') for (let i = 0; i < n; i++) anyMissing[i]! |= col.nulls![i]!;
      else for (let i = 0; i < n; i++) if (col.codes[i]! < 0) anyMissing[i] = 1;
    }
  });
  options.onProgress?.(columns.length / (columns.length + 1), 'duplicates and correlations');
  throwIfAborted(options.signal);
  const duplicateRows = columns.length === 0 ? 0 : countDuplicateRows(columns, hashes, n);
  let rowsWithMissing = 0;
  for (let i = 0; i < n; i++) rowsWithMissing += anyMissing[i]!;

  const correlations: Correlation[] = [];
  const numeric = columns
    .map((c, i) => ({ c, i }))
    .filter((x): x is { c: NumberColumn; i: number } => x.c.kind === 'number' && x.c.type !== 'boolean' && (profiles[x.i]!.distinct ?? 0) > 1)
    .slice(0, MAX_PEARSON_COLUMNS);
  if (numeric.length >= 2) {
    const matrix = numeric.map((a) => numeric.map((b) => (a === b ? 1 : null as number | null)));
    const centred = numeric.map((x) => (x.c.nulls === null ? centre(x.c.values) : null));
    for (let x = 0; x < numeric.length; x++)
      for (let y = x + 1; y < numeric.length; y++) {
        const cx = centred[x];
        const cy = centred[y];
        const r = cx && cy ? pearsonCentred(cx, cy) : pearson(numeric[x]!.c.values, numeric[x]!.c.nulls, numeric[y]!.c.values, numeric[y]!.c.nulls);
        matrix[x]![y] = r;
        matrix[y]![x] = r;
      }
    correlations.push({ method: 'pearson', columns: numeric.map((x) => x.c.name), matrix });
  }
  const categorical = coded
    .map((k, i) => ({ k, i }))
    .filter((x) => x.k.codes !== null)
    .slice(0, MAX_CRAMER_COLUMNS);
  if (categorical.length >= 2) {
    const matrix = categorical.map((a) => categorical.map((b) => (a === b ? 1 : null as number | null)));
    for (let x = 0; x < categorical.length; x++) {
      throwIfAborted(options.signal);
      for (let y = x + 1; y < categorical.length; y++) {
        const a = categorical[x]!.k;
        const b = categorical[y]!.k;
        const v = cramersV(a.codes!, a.categories, b.codes!, b.categories);
        matrix[x]![y] = v;
        matrix[y]![x] = v;
      }
    }
    correlations.push({ method: 'cramers-v', columns: categorical.map((x) => columns[x.i]!.name), matrix });
  }
  const base = { rowCount: n, columns: profiles, duplicateRows, rowsWithMissing, correlations };
  options.onProgress?.(1, 'done');
  return { ...base, alerts: computeAlerts(base) };
}
