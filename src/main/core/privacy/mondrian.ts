/**
 * Mondrian multidimensional local recoding (LeFevre, DeWitt, Ramakrishnan 2006): the table is split recursively,
 * always along the widest quasi-identifier of a partition, while both sides of the split still satisfy k-anonymity
 * and every further model; each final partition is then recoded to its own labels. Numeric quasi-identifiers (every
 * leaf parses as a number) split at the median and are labelled `lo-hi` (or the single value); categorical ones split
 * along their hierarchy (a node's children are divided into two groups) and are labelled with the lowest common
 * ancestor of the partition's values. No record is suppressed.
 */
import { XinzhiError } from '../../../shared/model/errors.js';
import type { EncodedColumn } from './hierarchy.js';
import { compileModels } from './models.js';
import type { ClassModel, PrivacyModelSpec, SensitiveColumn } from './models.js';

export interface MondrianOptions {
  /** Minimum class size, ≥ 1. */
  k: number;
  /** Further models (l-diversity, t-closeness) every partition must satisfy, as for the lattice search. */
  models?: PrivacyModelSpec[];
  sensitive?: SensitiveColumn[];
  /**
   * `strict` (default): a numeric split puts every copy of a value on the same side, so partitions never overlap.
   * `relaxed`: rows sorted by the value are cut in half, so records with the median value may go either way.
   */
  mode?: 'strict' | 'relaxed';
}

export interface MondrianResult {
  /** Per quasi-identifier (in the order given), per row: the partition's label. */
  labels: string[][];
  /** Equivalence classes: distinct label combinations (partitions with equal labels form one class). */
  classes: number;
  smallestClass: number;
  /** Final partitions of the recursion. */
  partitions: number;
  /** Whether the whole table satisfies k and the models (else it is one partition that fails them). */
  satisfied: boolean;
  /** Mean granularity of the labels, see `granularityOfNode`: 0 = original values, 1 = fully generalised. */
  granularity: number;
  ms: number;
}

/** Whether every leaf of the column parses as a finite number (then it is split at medians and labelled `lo-hi`). */
export function isNumericColumn(column: EncodedColumn): boolean {
  return column.leaves.length > 0 && column.leaves.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
}

interface ColumnInfo {
  numeric: boolean;
  /** Leaf id → numeric value (numeric columns). */
  value: Float64Array;
  /** Numeric: max − min over the table (0 when constant). */
  range: number;
  /** Leaf ids ordered by value (numeric), and leaf id → rank in that order. */
  rank: Int32Array;
}

/** Label of one partition on one column, with the number of the column's distinct values it covers. */
interface PartLabel {
  label: string;
  covered: number;
}

function lcaLevel(column: EncodedColumn, rows: Int32Array): number {
  const first = column.ids[rows[0] as number] as number;
  for (let level = 0; level <= column.height; level++) {
    const map = column.generalised[level] as Int32Array;
    const g = map[first] as number;
    let same = true;
    for (let i = 1; i < rows.length; i++) {
      if (map[column.ids[rows[i] as number] as number] !== g) {
        same = false;
        break;
      }
    }
    if (same) return level;
  }
  // No common label (a hierarchy with several tops): a virtual root above the top level.
  return column.height + 1;
}

function labelOf(column: EncodedColumn, info: ColumnInfo, rows: Int32Array): PartLabel {
  if (info.numeric) {
    let lo = Infinity;
    let hi = -Infinity;
    let loId = 0;
    let hiId = 0;
    for (let i = 0; i < rows.length; i++) {
      const id = column.ids[rows[i] as number] as number;
      const v = info.value[id] as number;
      if (v < lo) {
        lo = v;
        loId = id;
      }
      if (v > hi) {
        hi = v;
        hiId = id;
      }
    }
    let covered = 0;
    for (let id = 0; id < column.leaves.length; id++) {
      const v = info.value[id] as number;
      if (v >= lo && v <= hi) covered++;
    }
    const label = lo === hi ? (column.leaves[loId] as string) : `${column.leaves[loId] as string}-${column.leaves[hiId] as string}`;
    return { label, covered };
  }
  const level = lcaLevel(column, rows);
  if (level > column.height) return { label: '*', covered: column.leaves.length };
  const map = column.generalised[level] as Int32Array;
  const g = map[column.ids[rows[0] as number] as number] as number;
  let covered = 0;
  for (let id = 0; id < column.leaves.length; id++) if (map[id] === g) covered++;
  return { label: (column.labels[level] as readonly string[])[g] as string, covered };
}

/** Decides k and the compiled models on a set of rows, with scratch frequency tables reused between calls. */
class PartitionTest {
  private readonly freq: Float64Array[];
  private readonly touched: Int32Array[];

  constructor(
    private readonly k: number,
    private readonly models: readonly ClassModel[],
    private readonly sensitive: readonly SensitiveColumn[],
  ) {
    this.freq = sensitive.map((s) => new Float64Array(s.cardinality));
    this.touched = sensitive.map((s) => new Int32Array(s.cardinality));
  }

  accepts(rows: Int32Array): boolean {
    if (rows.length < this.k) return false;
    if (this.models.length === 0) return true;
    const counts = new Int32Array(this.sensitive.length);
    this.sensitive.forEach((s, c) => {
      const freq = this.freq[c] as Float64Array;
      const touched = this.touched[c] as Int32Array;
      let n = 0;
      for (let i = 0; i < rows.length; i++) {
        const id = s.ids[rows[i] as number] as number;
        if (freq[id] === 0) touched[n++] = id;
        freq[id]! += 1;
      }
      counts[c] = n;
    });
    let ok = true;
    for (const m of this.models) {
      if (!m.accepts(this.freq[m.column] as Float64Array, this.touched[m.column] as Int32Array, counts[m.column] as number, rows.length)) {
        ok = false;
        break;
      }
    }
    this.sensitive.forEach((_s, c) => {
      const freq = this.freq[c] as Float64Array;
      const touched = this.touched[c] as Int32Array;
      for (let j = 0; j < (counts[c] as number); j++) freq[touched[j] as number] = 0;
    });
    return ok;
  }
}

/** Median split of a partition on a numeric column; null when the partition holds one value. */
function splitNumeric(column: EncodedColumn, info: ColumnInfo, rows: Int32Array, mode: 'strict' | 'relaxed'): [Int32Array, Int32Array] | null {
  const n = rows.length;
  // Rows by value rank, ties by row index (deterministic).
  const sorted = Int32Array.from(rows).sort((a, b) => {
    const d = (info.rank[column.ids[a] as number] as number) - (info.rank[column.ids[b] as number] as number);
    return d !== 0 ? d : a - b;
  });
  const valueAt = (i: number) => info.value[column.ids[sorted[i] as number] as number] as number;
  if (valueAt(0) === valueAt(n - 1)) return null;
  if (mode === 'relaxed') {
    const half = n >> 1;
    return [sorted.slice(0, half), sorted.slice(half)];
  }
  // Strict: left = values ≤ median; when that leaves nothing on the right, left = values < median.
  const median = valueAt((n - 1) >> 1);
  let cut = (n - 1) >> 1;
  while (cut < n && valueAt(cut) <= median) cut++;
  if (cut === n) {
    cut = (n - 1) >> 1;
    while (cut > 0 && valueAt(cut - 1) >= median) cut--;
  }
  if (cut === 0 || cut === n) return null;
  return [sorted.slice(0, cut), sorted.slice(cut)];
}

function splitCategorical(column: EncodedColumn, rows: Int32Array): [Int32Array, Int32Array] | null {
  const level = lcaLevel(column, rows);
  if (level === 0) return null;
  // The children of the common ancestor: labels one level down (level height for a virtual root).
  const map = column.generalised[level - 1] as Int32Array;
  const sizes = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const g = map[column.ids[rows[i] as number] as number] as number;
    sizes.set(g, (sizes.get(g) ?? 0) + 1);
  }
  if (sizes.size < 2) return null;
  // Divide the children into two groups of similar row counts: largest first, each to the lighter group.
  const children = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const side = new Map<number, number>();
  let left = 0;
  let right = 0;
  for (const [g, size] of children) {
    if (left <= right) {
      side.set(g, 0);
      left += size;
    } else {
      side.set(g, 1);
      right += size;
    }
  }
  const a = new Int32Array(left);
  const b = new Int32Array(right);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (side.get(map[column.ids[r] as number] as number) === 0) a[ia++] = r;
    else b[ib++] = r;
  }
  return [a, b];
}

/** Normalised width of a partition on a column: numeric range share, or the share of values under the ancestor. */
function widthOf(column: EncodedColumn, info: ColumnInfo, rows: Int32Array): number {
  if (info.numeric) {
    if (info.range === 0) return 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < rows.length; i++) {
      const v = info.value[column.ids[rows[i] as number] as number] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return (hi - lo) / info.range;
  }
  if (column.leaves.length <= 1) return 0;
  const level = lcaLevel(column, rows);
  if (level === 0) return 0;
  return (labelOf(column, info, rows).covered - 1) / (column.leaves.length - 1);
}

/**
 * Mean granularity of recoded labels over records and quasi-identifiers: for each record and column,
 * (distinct values of the column covered by its label − 1) / (distinct values of the column − 1), 0 for a column
 * with one value. A label covers the values mapped to it (full-domain: the leaves under it) or, for a numeric
 * interval `lo-hi`, the values in the interval. It is ARX's Loss with the column's values present in the data as
 * the domain, so it compares full-domain and local recodings on the same scale.
 */
export function granularityOfNode(columns: readonly EncodedColumn[], levels: readonly number[]): number {
  const n = columns[0]?.ids.length ?? 0;
  if (n === 0 || columns.length === 0) return 0;
  let sum = 0;
  columns.forEach((c, d) => {
    const distinct = c.leaves.length;
    if (distinct <= 1) return;
    const map = c.generalised[levels[d] as number];
    if (!map) throw new XinzhiError('E_INVALID_INPUT', `Level ${levels[d]} is outside column "${c.name}" (height ${c.height})`);
    const covered = new Int32Array(c.cardinality[levels[d] as number] as number);
    for (let id = 0; id < distinct; id++) covered[map[id] as number]!++;
    for (let r = 0; r < n; r++) sum += ((covered[map[c.ids[r] as number] as number] as number) - 1) / (distinct - 1);
  });
  return sum / (n * columns.length);
}

/** Mondrian local recoding of the quasi-identifier columns (all of the same length) to k-anonymity and the models. */
export function mondrian(columns: readonly EncodedColumn[], options: MondrianOptions): MondrianResult {
  const start = performance.now();
  const { k } = options;
  const mode = options.mode ?? 'strict';
  if (!Number.isInteger(k) || k < 1) throw new XinzhiError('E_INVALID_INPUT', 'k must be a positive integer');
  if (mode !== 'strict' && mode !== 'relaxed') throw new XinzhiError('E_INVALID_INPUT', `Unknown Mondrian mode ${JSON.stringify(mode)}`);
  if (columns.length === 0) throw new XinzhiError('E_INVALID_INPUT', 'Mondrian needs at least one quasi-identifier');
  const n = (columns[0] as EncodedColumn).ids.length;
  for (const c of columns) {
    if (c.ids.length !== n) throw new XinzhiError('E_INVALID_INPUT', `Column "${c.name}" has ${c.ids.length} rows, expected ${n}`);
  }
  const sensitive = options.sensitive ?? [];
  const models = compileModels(options.models ?? [], sensitive, n);
  const test = new PartitionTest(k, models, sensitive);

  const infos: ColumnInfo[] = columns.map((c) => {
    const numeric = isNumericColumn(c);
    const value = new Float64Array(c.leaves.length);
    if (numeric) c.leaves.forEach((v, i) => (value[i] = Number(v)));
    const order = Array.from({ length: c.leaves.length }, (_, i) => i).sort((a, b) => (value[a] as number) - (value[b] as number) || a - b);
    const rank = new Int32Array(c.leaves.length);
    order.forEach((id, i) => (rank[id] = i));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of value) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return { numeric, value, rank, range: numeric && c.leaves.length > 0 ? hi - lo : 0 };
  });

  const labels = columns.map(() => new Array<string>(n));
  if (n === 0) return { labels, classes: 0, smallestClass: 0, partitions: 0, satisfied: true, granularity: 0, ms: performance.now() - start };

  const root = Int32Array.from({ length: n }, (_, i) => i);
  const satisfied = test.accepts(root);
  const finals: Int32Array[] = [];
  // Depth-first over an explicit stack (deep recursions on large tables stay off the call stack).
  const stack: Int32Array[] = [root];
  while (stack.length > 0) {
    const part = stack.pop() as Int32Array;
    let done = true;
    if (satisfied && part.length >= 2 * k) {
      const order = columns
        .map((c, d) => ({ d, w: widthOf(c, infos[d] as ColumnInfo, part) }))
        .filter((x) => x.w > 0)
        .sort((a, b) => b.w - a.w || a.d - b.d);
      for (const { d } of order) {
        const c = columns[d] as EncodedColumn;
        const info = infos[d] as ColumnInfo;
        const split = info.numeric ? splitNumeric(c, info, part, mode) : splitCategorical(c, part);
        if (split && test.accepts(split[0]) && test.accepts(split[1])) {
          stack.push(split[1], split[0]);
          done = false;
          break;
        }
      }
    }
    if (done) finals.push(part);
  }

  let sum = 0;
  for (const part of finals) {
    columns.forEach((c, d) => {
      const { label, covered } = labelOf(c, infos[d] as ColumnInfo, part);
      const out = labels[d] as string[];
      for (let i = 0; i < part.length; i++) out[part[i] as number] = label;
      if (c.leaves.length > 1) sum += (part.length * (covered - 1)) / (c.leaves.length - 1);
    });
  }

  // Classes: partitions whose labels coincide merge (merging keeps k and every model: each is convex/monotone).
  const sizes = new Map<string, number>();
  for (const part of finals) {
    const r = part[0] as number;
    const key = labels.map((l) => l[r] as string).join('\u0000');
    sizes.set(key, (sizes.get(key) ?? 0) + part.length);
  }
  let smallest = Infinity;
  for (const s of sizes.values()) smallest = Math.min(smallest, s);
  return {
    labels,
    classes: sizes.size,
    smallestClass: smallest,
    partitions: finals.length,
    satisfied,
    granularity: sum / (n * columns.length),
    ms: performance.now() - start,
  };
}
