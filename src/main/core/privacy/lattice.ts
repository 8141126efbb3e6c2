/** Full-domain generalisation lattice over the quasi-identifiers and an optimal k-anonymity search with monotonicity pruning. */
import { XinzhiError } from '../../../shared/model/errors.js';
import type { EncodedColumn } from './hierarchy.js';
import { compileModels } from './models.js';
import type { ClassModel, PrivacyModelSpec, SensitiveColumn } from './models.js';

export type LossMetric = 'loss' | 'discernibility' | 'avgClassSize';

export interface SearchOptions {
  /** Minimum class size; default 1 (only the other models). */
  k?: number;
  /** Further models every kept class must satisfy (l-diversity, t-closeness), on columns of `sensitive`. */
  models?: PrivacyModelSpec[];
  /** Sensitive columns the models refer to by index. */
  sensitive?: SensitiveColumn[];
  /** Fraction of records that may be suppressed, 0 … 1 (ARX: at most floor(limit × n) records). Default 0. */
  suppressionLimit?: number;
  /** Default `loss`. */
  metric?: LossMetric;
}

export interface NodeStats {
  anonymous: boolean;
  classes: number;
  smallestClass: number;
  suppressedRows: number;
  /** ARX's Loss; see `lossOf`. NaN for a node that is not anonymous when the search did not need it. */
  loss: number;
  discernibility: number;
  avgClassSize: number;
}

export interface SearchResult {
  /** Chosen level per quasi-identifier, in the order of the columns given. */
  node: number[];
  satisfied: boolean;
  /** Value of the selected metric at `node`. */
  loss: number;
  metric: LossMetric;
  classes: number;
  smallestClass: number;
  suppressedRows: number;
  /** Nodes whose equivalence classes were computed (the rest were decided by tagging). */
  nodesChecked: number;
  searchMs: number;
  /** All minimal anonymous nodes (no predecessor is anonymous). */
  minimalNodes: number[][];
}

export const NODE_ANONYMOUS = 1;
export const NODE_NOT_ANONYMOUS = 2;

export interface Classification {
  /** Node index → NODE_ANONYMOUS or NODE_NOT_ANONYMOUS, for every node of the lattice. */
  status: Uint8Array;
  /** Node index → 1 where the node was actually checked (the others were tagged by monotonicity). */
  checked: Uint8Array;
  nodesChecked: number;
}

/** Mixed-radix numbering of the lattice nodes: index = Σ level[q] × stride[q]. */
export class Lattice {
  readonly heights: Int32Array;
  readonly strides: Int32Array;
  readonly size: number;
  /** Node → level per column, row-major (node × q + column): the traversal reads levels without dividing. */
  readonly table: Int32Array;
  /** Node → sum of its levels. */
  readonly height: Int32Array;

  constructor(heights: ArrayLike<number>) {
    this.heights = Int32Array.from(heights);
    this.strides = new Int32Array(this.heights.length);
    let size = 1;
    for (let q = 0; q < this.heights.length; q++) {
      this.strides[q] = size;
      size *= (this.heights[q] as number) + 1;
    }
    if (size > 1 << 24) throw new XinzhiError('E_INVALID_INPUT', `The generalisation lattice has ${size} nodes, too many to search`);
    this.size = size;
    const q = this.heights.length;
    this.table = new Int32Array(size * q);
    this.height = new Int32Array(size);
    const cur = new Int32Array(q);
    for (let i = 0; i < size; i++) {
      let h = 0;
      for (let d = 0; d < q; d++) {
        this.table[i * q + d] = cur[d] as number;
        h += cur[d] as number;
      }
      this.height[i] = h;
      // Mixed-radix increment, column 0 fastest (matches the strides).
      for (let d = 0; d < q; d++) {
        if ((cur[d] as number) < (this.heights[d] as number)) {
          cur[d]!++;
          break;
        }
        cur[d] = 0;
      }
    }
  }

  levels(index: number): number[] {
    const out: number[] = [];
    for (let q = 0; q < this.heights.length; q++) out.push(Math.floor(index / (this.strides[q] as number)) % ((this.heights[q] as number) + 1));
    return out;
  }

  index(levels: readonly number[]): number {
    let idx = 0;
    for (let q = 0; q < this.heights.length; q++) idx += (levels[q] as number) * (this.strides[q] as number);
    return idx;
  }

  level(index: number, column: number): number {
    return this.table[index * this.heights.length + column] as number;
  }
}

/** Equivalence classes of one node: the leaf ids of a representative row and a size per class. */
interface Snapshot {
  node: number;
  levels: Int32Array;
  counts: Int32Array;
  /** Leaf ids of the representatives, row-major (class × q + column), so regrouping reads memory in order. */
  ids: Int32Array;
  /** Row → class; kept only when models need the rows of each class. */
  rowClass?: Int32Array;
}

const TWO_POW_53 = 2 ** 53;

/** Groups rows (or a finer node's classes) by generalised quasi-identifier ids with an open-addressing table. */
class Grouper {
  /** Every row as its own class: the base for grouping the bottom node. */
  readonly root: Snapshot;
  private readonly q: number;
  private readonly keys: Float64Array;
  /** Int32 table, one slot = [generation stamp, key, class] side by side: one cache line per probe. */
  private readonly slots: Int32Array;
  private readonly stamp: Int32Array;
  private generation = 0;
  /** Class → index of its representative in the base snapshot. */
  private readonly first: Int32Array;
  private readonly outCounts: Int32Array;
  /** Class of the base snapshot → class of the node being grouped. */
  private readonly baseToClass: Int32Array;

  constructor(columns: readonly EncodedColumn[], private readonly trackRows = false) {
    const n = columns[0]?.ids.length ?? 0;
    const q = columns.length;
    this.q = q;
    const ids = new Int32Array(n * q);
    columns.forEach((c, d) => {
      for (let r = 0; r < n; r++) ids[r * q + d] = c.ids[r] as number;
    });
    this.root = { node: -1, levels: new Int32Array(q), counts: new Int32Array(n).fill(1), ids };
    if (trackRows) this.root.rowClass = Int32Array.from({ length: n }, (_, r) => r);
    this.baseToClass = new Int32Array(n);
    const cap = nextPow2(Math.max(16, n * 2));
    this.keys = new Float64Array(cap);
    this.stamp = new Int32Array(cap);
    this.slots = new Int32Array(cap * 3);
    this.first = new Int32Array(n);
    this.outCounts = new Int32Array(n);
  }

  group(base: Snapshot, node: number, levels: Int32Array, cardinalities: readonly Int32Array[], generalised: readonly (readonly Int32Array[])[]): Snapshot {
    const q = this.q;
    // Per column: leaf id → generalised id × radix, so a class's key is a sum of q lookups.
    const tables: Float64Array[] = [];
    let total = 1;
    for (let d = 0; d < q; d++) {
      const l = levels[d] as number;
      const gen = generalised[d]![l] as Int32Array;
      const t = new Float64Array(gen.length);
      for (let leaf = 0; leaf < gen.length; leaf++) t[leaf] = (gen[leaf] as number) * total;
      tables.push(t);
      total *= cardinalities[d]![l] as number;
    }
    // Int32 keys hash and compare much faster than doubles (Adult's bottom has ~3.3e8 combinations).
    const classes = total <= 0x7fffffff ? this.groupInt32(base, tables) : this.groupWide(base, tables, total <= TWO_POW_53);
    const ids = new Int32Array(classes * q);
    const first = this.first;
    for (let c = 0; c < classes; c++) {
      const i = first[c] as number;
      ids.set(base.ids.subarray(i * q, i * q + q), c * q);
    }
    const snap: Snapshot = { node, levels, counts: this.outCounts.slice(0, classes), ids };
    if (this.trackRows && base.rowClass) {
      const baseRows = base.rowClass;
      const map = this.baseToClass;
      const rowClass = new Int32Array(baseRows.length);
      for (let r = 0; r < baseRows.length; r++) rowClass[r] = map[baseRows[r] as number] as number;
      snap.rowClass = rowClass;
    }
    return snap;
  }

  private groupInt32(base: Snapshot, tables: readonly Float64Array[]): number {
    const q = this.q;
    const itables = tables.map((t) => Int32Array.from(t));
    const { ids, counts } = base;
    const m = counts.length;
    const first = this.first;
    const outCounts = this.outCounts;
    const bits = nextPow2Bits(m * 2);
    const shift = 32 - bits;
    const mask = (1 << bits) - 1;
    const slots = this.slots;
    const toClass = this.baseToClass;
    const gen = ++this.generation;
    let classes = 0;
    for (let i = 0; i < m; i++) {
      let key = 0;
      const off = i * q;
      for (let d = 0; d < q; d++) key += (itables[d] as Int32Array)[ids[off + d] as number] as number;
      // Fibonacci hashing: the top bits of key × 2^32/φ.
      let slot = Math.imul(key, 0x9e3779b1) >>> shift;
      for (;;) {
        const at = slot * 3;
        if (slots[at] !== gen) {
          slots[at] = gen;
          slots[at + 1] = key;
          slots[at + 2] = classes;
          toClass[i] = classes;
          first[classes] = i;
          outCounts[classes] = counts[i] as number;
          classes++;
          break;
        }
        if (slots[at + 1] === key) {
          const c = slots[at + 2] as number;
          toClass[i] = c;
          outCounts[c]! += counts[i] as number;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return classes;
  }

  /** Keys beyond 2^31: doubles while exact (2^53), else strings (needs > 2^53 combinations, rare). */
  private groupWide(base: Snapshot, tables: readonly Float64Array[], exact: boolean): number {
    const q = this.q;
    const { ids, counts } = base;
    const m = counts.length;
    const first = this.first;
    const outCounts = this.outCounts;
    const toClass = this.baseToClass;
    let classes = 0;
    if (exact) {
      const mask = nextPow2(Math.max(16, m * 2)) - 1;
      const keys = this.keys;
      const stamp = this.stamp;
      const slotClass = this.slots;
      const gen = ++this.generation;
      for (let i = 0; i < m; i++) {
        let key = 0;
        for (let d = 0; d < q; d++) key += (tables[d] as Float64Array)[ids[i * q + d] as number] as number;
        const lo = key >>> 0;
        const hi = (key / 4294967296) >>> 0;
        let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
        h ^= h >>> 15;
        let slot = h & mask;
        for (;;) {
          if (stamp[slot] !== gen) {
            stamp[slot] = gen;
            keys[slot] = key;
            slotClass[slot] = classes;
            toClass[i] = classes;
            first[classes] = i;
            outCounts[classes] = counts[i] as number;
            classes++;
            break;
          }
          if (keys[slot] === key) {
            const c = slotClass[slot] as number;
            toClass[i] = c;
            outCounts[c]! += counts[i] as number;
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
    } else {
      const map = new Map<string, number>();
      for (let i = 0; i < m; i++) {
        let key = '';
        for (let d = 0; d < q; d++) key += (tables[d] as Float64Array)[ids[i * q + d] as number] + ',';
        const c = map.get(key);
        if (c === undefined) {
          map.set(key, classes);
          toClass[i] = classes;
          first[classes] = i;
          outCounts[classes] = counts[i] as number;
          classes++;
        } else {
          toClass[i] = c;
          outCounts[c]! += counts[i] as number;
        }
      }
    }
    return classes;
  }
}

function nextPow2Bits(x: number): number {
  let bits = 4;
  while (1 << bits < x) bits++;
  return bits;
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/**
 * Cached classes, in Int32 entries (64 MB). Every checked node is kept while it fits, so most nodes regroup from
 * a small predecessor: on Adult, evicting down to 64 snapshots doubled the search time.
 */
const SNAPSHOT_BUDGET = 16 << 20;

/** The search state shared by classification and evaluation: lattice, grouping, cached classes and stats. */
class Engine {
  readonly lattice: Lattice;
  readonly n: number;
  readonly k: number;
  readonly maxSuppressed: number;
  readonly models: readonly ClassModel[];
  private readonly sensitive: readonly SensitiveColumn[];
  /**
   * Whether "anonymous" is monotone under generalisation, so checks may tag successors and predecessors.
   * k-anonymity and distinct l-diversity: always (a merged class passes when any part passes, so the records to
   * suppress never grow). Entropy/recursive l-diversity and t-closeness: only with 0% suppression (a merged class
   * passes when all parts pass, but a failing part can drag a passing one down and grow the suppressed records);
   * with a suppression limit the search checks every node instead.
   */
  readonly monotone: boolean;
  /** Scratch for the per-class distributions: rows sorted by class, and per sensitive column a frequency table. */
  private readonly rowOrder: Int32Array;
  private readonly freq: Float64Array[];
  private readonly touched: Int32Array[];
  private readonly grouper: Grouper;
  private snapshots: Snapshot[] = [];
  private snapshotEntries = 0;
  readonly stats = new Map<number, NodeStats>();
  /** Column → level → Σ over rows of the hierarchy leaves under the row's label (generalisation part of Loss). */
  private readonly shareSums: Float64Array[];
  checks = 0;

  constructor(readonly columns: readonly EncodedColumn[], options: SearchOptions, trackRows = false) {
    if (columns.length === 0) throw new XinzhiError('E_INVALID_INPUT', 'At least one quasi-identifier is needed');
    this.n = columns[0]!.ids.length;
    for (const c of columns) {
      if (c.ids.length !== this.n) throw new XinzhiError('E_INVALID_INPUT', `Column "${c.name}" has ${c.ids.length} rows, expected ${this.n}`);
    }
    const k = options.k ?? 1;
    if (!Number.isInteger(k) || k < 1) throw new XinzhiError('E_INVALID_INPUT', 'k must be a positive integer');
    const limit = options.suppressionLimit ?? 0;
    if (!(limit >= 0 && limit <= 1)) throw new XinzhiError('E_INVALID_INPUT', 'The suppression limit must be between 0 and 1');
    this.k = k;
    this.maxSuppressed = Math.floor(limit * this.n);
    this.sensitive = options.sensitive ?? [];
    this.models = compileModels(options.models ?? [], this.sensitive, this.n);
    this.monotone = this.maxSuppressed === 0 || this.models.every((m) => m.monotoneWithSuppression);
    this.rowOrder = new Int32Array(this.models.length > 0 ? this.n : 0);
    this.freq = this.sensitive.map((s) => new Float64Array(s.cardinality));
    this.touched = this.sensitive.map((s) => new Int32Array(s.cardinality));
    this.lattice = new Lattice(columns.map((c) => c.height));
    this.grouper = new Grouper(columns, trackRows || this.models.length > 0);
    this.shareSums = columns.map((c) => {
      const freq = new Float64Array(c.leaves.length);
      for (let r = 0; r < c.ids.length; r++) freq[c.ids[r] as number]!++;
      const sums = new Float64Array(c.height + 1);
      for (let l = 0; l <= c.height; l++) {
        const map = c.generalised[l] as Int32Array;
        const counts = c.leafCount[l] as Int32Array;
        let s = 0;
        for (let leaf = 0; leaf < freq.length; leaf++) s += (freq[leaf] as number) * (counts[map[leaf] as number] as number);
        sums[l] = s;
      }
      return sums;
    });
  }

  /**
   * ARX's Loss metric (MetricMDNMLoss, gs-factor 0.5 so generalisation and suppression weigh 1, default geometric
   * mean aggregate). Per quasi-identifier d with domain size D (leaves of the hierarchy, not just values present):
   *   v_d = (S_d / n − 1/D) / (1 − 1/D),  S_d = Σ over records of (leaves under the record's label) / D,
   * a suppressed record counting 1 (fully generalised); equivalently the mean over records of (leaves − 1)/(D − 1).
   * The total is ARX's ILMultiDimensionalGeometricMean: Π (v_d + 1)^(1/q) − 1. Each v_d only grows with the level,
   * so with 0% suppression the metric is monotone; `suppressedExtra` adds (1 − share) per suppressed record.
   */
  lossOf(levels: ArrayLike<number>, suppressedExtra?: Float64Array): number {
    const q = this.columns.length;
    let product = 1;
    for (let d = 0; d < q; d++) {
      const c = this.columns[d] as EncodedColumn;
      const D = c.domainSize;
      let v = 0;
      if (D > 1 && this.n > 0) {
        const s = ((this.shareSums[d] as Float64Array)[levels[d] as number] as number) / D + (suppressedExtra ? (suppressedExtra[d] as number) : 0);
        v = Math.max(0, (s / this.n - 1 / D) / (1 - 1 / D));
      }
      product *= Math.pow(v + 1, 1 / q);
    }
    return product - 1;
  }

  /** Lower bound of the metric at a node without grouping: exact for Loss without suppressed rows. */
  lowerBound(node: number, metric: LossMetric): number {
    return metric === 'loss' ? this.lossOf(this.lattice.levels(node)) : 0;
  }

  /** Groups the node from the smallest cached classes of a predecessor (classes only merge going up). */
  check(node: number, withLoss = false): NodeStats {
    const cached = this.stats.get(node);
    if (cached && (!withLoss || !Number.isNaN(cached.loss))) return cached;
    const snap = this.snapshotOf(node);
    const stats = this.statsOf(snap, withLoss);
    this.stats.set(node, stats);
    return stats;
  }

  /** The node's classes and, per class, whether it passes k and every model (1) or is to be suppressed (0). */
  classesOf(node: number): { snap: Snapshot; ok: Uint8Array } {
    const snap = this.snapshotOf(node);
    return { snap, ok: this.passing(snap) };
  }

  private snapshotOf(node: number): Snapshot {
    const levels = Int32Array.from(this.lattice.levels(node));
    let base: Snapshot = this.grouper.root;
    for (const s of this.snapshots) {
      if (s.counts.length >= base.counts.length) continue;
      let below = true;
      for (let d = 0; d < levels.length; d++) {
        if ((s.levels[d] as number) > (levels[d] as number)) {
          below = false;
          break;
        }
      }
      if (below) base = s;
    }
    const snap = this.grouper.group(
      base,
      node,
      levels,
      this.columns.map((c) => c.cardinality),
      this.columns.map((c) => c.generalised),
    );
    this.checks++;
    this.remember(snap);
    return snap;
  }

  /** Class → 1 when it has at least k records and satisfies every model on its sensitive distribution. */
  private passing(snap: Snapshot): Uint8Array {
    const { counts } = snap;
    const m = counts.length;
    const k = this.k;
    const ok = new Uint8Array(m);
    for (let i = 0; i < m; i++) ok[i] = (counts[i] as number) >= k ? 1 : 0;
    const rowClass = snap.rowClass;
    if (this.models.length === 0 || !rowClass) return ok;
    // Counting sort of the rows by class: class i's rows are order[start[i] … start[i + 1]).
    const start = new Int32Array(m + 1);
    for (let i = 0; i < m; i++) start[i + 1] = (start[i] as number) + (counts[i] as number);
    const pos = start.slice(0, m);
    const order = this.rowOrder;
    for (let r = 0; r < rowClass.length; r++) order[pos[rowClass[r] as number]!++] = r;
    this.sensitive.forEach((col, s) => {
      const models = this.models.filter((model) => model.column === s);
      if (models.length === 0) return;
      const freq = this.freq[s] as Float64Array;
      const touched = this.touched[s] as Int32Array;
      const ids = col.ids;
      for (let i = 0; i < m; i++) {
        if (ok[i] === 0) continue;
        let t = 0;
        const end = start[i + 1] as number;
        for (let j = start[i] as number; j < end; j++) {
          const v = ids[order[j] as number] as number;
          if (freq[v] === 0) touched[t++] = v;
          freq[v]! += 1;
        }
        for (const model of models) {
          if (!model.accepts(freq, touched, t, counts[i] as number)) {
            ok[i] = 0;
            break;
          }
        }
        for (let j = 0; j < t; j++) freq[touched[j] as number] = 0;
      }
    });
    return ok;
  }

  private remember(snap: Snapshot): void {
    this.snapshots.push(snap);
    this.snapshotEntries += snap.ids.length + snap.counts.length + (snap.rowClass?.length ?? 0);
    // Drop the largest except the bottom (index 0), which lies below every node; small ones are the useful bases.
    while (this.snapshotEntries > SNAPSHOT_BUDGET && this.snapshots.length > 1) {
      let worst = 1;
      for (let i = 2; i < this.snapshots.length; i++) {
        if (this.snapshots[i]!.counts.length > this.snapshots[worst]!.counts.length) worst = i;
      }
      const [dropped] = this.snapshots.splice(worst, 1);
      this.snapshotEntries -= dropped!.ids.length + dropped!.counts.length + (dropped!.rowClass?.length ?? 0);
    }
  }

  /** Loss is skipped (NaN) for nodes that are not anonymous unless asked for: the search never needs it. */
  private statsOf(snap: Snapshot, withLoss: boolean): NodeStats {
    const { counts, ids, levels } = snap;
    const ok = this.passing(snap);
    const q = this.columns.length;
    let smallest = Infinity;
    let suppressed = 0;
    let kept = 0;
    let disc = 0;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i] as number;
      if (c < smallest) smallest = c;
      if (ok[i] === 0) suppressed += c;
      else {
        kept++;
        disc += c * c;
      }
    }
    const anonymous = suppressed <= this.maxSuppressed;
    let extra: Float64Array | undefined;
    if (suppressed > 0 && (anonymous || withLoss)) {
      // A suppressed record counts as fully generalised: add (1 − its share) per quasi-identifier.
      extra = new Float64Array(q);
      for (let i = 0; i < counts.length; i++) {
        const c = counts[i] as number;
        if (ok[i] === 1) continue;
        for (let d = 0; d < q; d++) {
          const col = this.columns[d] as EncodedColumn;
          const l = levels[d] as number;
          const g = (col.generalised[l] as Int32Array)[ids[i * q + d] as number] as number;
          extra[d]! += c * (1 - ((col.leafCount[l] as Int32Array)[g] as number) / col.domainSize);
        }
      }
    }
    return {
      anonymous,
      classes: counts.length,
      smallestClass: counts.length === 0 ? 0 : smallest,
      suppressedRows: suppressed,
      loss: anonymous || withLoss ? this.lossOf(levels, extra) : NaN,
      // Suppressed records count |D| each; suppressed records form one class for the average class size.
      discernibility: disc + suppressed * this.n,
      avgClassSize: this.n === 0 ? 0 : this.n / (kept + (suppressed > 0 ? 1 : 0)),
    };
  }

  /**
   * Flash-style traversal: nodes bottom-up by total level; from each undecided node build an upward path
   * through undecided nodes and binary-search it for the anonymity boundary. Every check tags all successors
   * (anonymous) or all predecessors (not anonymous), which is sound because k-anonymity with ARX's suppression
   * (records in classes smaller than k are removed, up to the limit) is monotone under generalisation, and so are
   * the other models wherever `monotone` says so; otherwise every node is checked.
   */
  classify(): Classification {
    const L = this.lattice;
    const status = new Uint8Array(L.size);
    const checked = new Uint8Array(L.size);
    const q = L.heights.length;
    const stack: number[] = [];

    const tag = (start: number, value: number, up: boolean): void => {
      status[start] = value;
      stack.push(start);
      while (stack.length > 0) {
        const cur = stack.pop() as number;
        for (let d = 0; d < q; d++) {
          const l = L.level(cur, d);
          if (up ? l === (L.heights[d] as number) : l === 0) continue;
          const next = up ? cur + (L.strides[d] as number) : cur - (L.strides[d] as number);
          const s = status[next] as number;
          if (s === value) continue;
          if (s !== 0) throw new XinzhiError('E_INTERNAL', 'Monotonicity violated while tagging the lattice');
          status[next] = value;
          stack.push(next);
        }
      }
    };

    const decide = (node: number): boolean => {
      const s = status[node] as number;
      if (s !== 0) return s === NODE_ANONYMOUS;
      const anonymous = this.check(node).anonymous;
      checked[node] = 1;
      tag(node, anonymous ? NODE_ANONYMOUS : NODE_NOT_ANONYMOUS, anonymous);
      return anonymous;
    };

    // The bottom's classes are the base every other grouping can start from.
    if (!this.monotone) {
      // No sound pruning (see `monotone`): check every node, bottom-up so each regroups from a cached predecessor.
      for (let i = 0; i < L.size; i++) {
        status[i] = this.check(i).anonymous ? NODE_ANONYMOUS : NODE_NOT_ANONYMOUS;
        checked[i] = 1;
      }
      return { status, checked, nodesChecked: this.checks };
    }
    decide(0);

    // Bottom-up by total level, then by index (a stable counting sort).
    const maxHeight = L.height[L.size - 1] as number;
    const starts = new Int32Array(maxHeight + 2);
    for (let i = 0; i < L.size; i++) starts[(L.height[i] as number) + 1]!++;
    for (let h = 1; h < starts.length; h++) starts[h]! += starts[h - 1] as number;
    const order = new Int32Array(L.size);
    for (let i = 0; i < L.size; i++) order[starts[L.height[i] as number]!++] = i;

    for (const start of order) {
      if (status[start] !== 0) continue;
      const path = [start];
      let cur = start;
      for (;;) {
        let next = -1;
        // Prefer the column with the fewest distinct values at its next level (coarsest step first).
        let best = Infinity;
        for (let d = 0; d < q; d++) {
          const l = L.level(cur, d);
          if (l < (L.heights[d] as number) && status[cur + (L.strides[d] as number)] === 0) {
            const c = this.columns[d]!.cardinality[l + 1] as number;
            if (c < best) {
              best = c;
              next = cur + (L.strides[d] as number);
            }
          }
        }
        if (next < 0) break;
        path.push(next);
        cur = next;
      }
      let lo = 0;
      let hi = path.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (decide(path[mid] as number)) hi = mid - 1;
        else lo = mid + 1;
      }
      decide(start);
    }
    return { status, checked, nodesChecked: this.checks };
  }

  minimalNodes(status: Uint8Array): number[] {
    const L = this.lattice;
    const out: number[] = [];
    for (let i = 0; i < L.size; i++) {
      if (status[i] !== NODE_ANONYMOUS) continue;
      let minimal = true;
      for (let d = 0; d < L.heights.length && minimal; d++) {
        if (L.level(i, d) > 0 && status[i - (L.strides[d] as number)] === NODE_ANONYMOUS) minimal = false;
      }
      if (minimal) out.push(i);
    }
    return out;
  }
}

/** Decides every node of the lattice (anonymous or not), checking as few as the traversal allows. */
export function classifyLattice(columns: readonly EncodedColumn[], options: SearchOptions): Classification {
  return new Engine(columns, options).classify();
}

/** The equivalence classes of one node, for applying it. */
export interface NodeClasses {
  /** Row → class. */
  rowClass: Int32Array;
  /** Class → number of rows. */
  counts: Int32Array;
  /** Class → 1 when it has at least k rows and satisfies every model, 0 when its rows are to be suppressed. */
  passing: Uint8Array;
}

/** Groups the rows at one node and decides every class against k and the models. */
export function nodeClasses(columns: readonly EncodedColumn[], levels: readonly number[], options: SearchOptions): NodeClasses {
  const engine = new Engine(columns, options, true);
  const { snap, ok } = engine.classesOf(engine.lattice.index(levels));
  return { rowClass: snap.rowClass ?? new Int32Array(0), counts: snap.counts, passing: ok };
}

/** Statistics of one node, grouped directly (for previews and tests). */
export function evaluateNode(columns: readonly EncodedColumn[], levels: readonly number[], options: SearchOptions): NodeStats {
  const engine = new Engine(columns, options);
  return engine.check(engine.lattice.index(levels), true);
}

/**
 * Optimal full-domain generalisation: the anonymous node with the smallest metric. With 0% suppression all three
 * metrics are monotone, so the optimum is among the minimal anonymous nodes. With suppression they are not
 * (a suppressed record can become cheaper when generalised), so every anonymous node is a candidate; candidates
 * are taken in order of a lower bound and the scan stops once the bound exceeds the best exact value.
 */
export function searchOptimal(columns: readonly EncodedColumn[], options: SearchOptions): SearchResult {
  const t0 = performance.now();
  const metric = options.metric ?? 'loss';
  const engine = new Engine(columns, options);
  const L = engine.lattice;
  const { status } = engine.classify();
  const minimal = engine.minimalNodes(status);

  let candidates: number[];
  if (engine.maxSuppressed === 0) candidates = [...minimal];
  else {
    candidates = [];
    for (let i = 0; i < L.size; i++) if (status[i] === NODE_ANONYMOUS) candidates.push(i);
  }
  const bounds = new Map(candidates.map((c) => [c, engine.lowerBound(c, metric)]));
  candidates.sort((a, b) => (bounds.get(a) as number) - (bounds.get(b) as number) || (L.height[a] as number) - (L.height[b] as number) || a - b);

  let best = -1;
  let bestValue = Infinity;
  for (const c of candidates) {
    if ((bounds.get(c) as number) > bestValue) break;
    // Without suppressed rows Loss needs no grouping: the bound is exact.
    const value = metric === 'loss' && engine.maxSuppressed === 0 ? (bounds.get(c) as number) : engine.check(c)[metric];
    if (value < bestValue) {
      bestValue = value;
      best = c;
    }
  }
  // No anonymous node: report the top (most general) node as unsatisfied.
  const chosen = best >= 0 ? best : L.size - 1;
  const stats = engine.check(chosen, best < 0);
  return {
    node: L.levels(chosen),
    satisfied: best >= 0,
    loss: stats[metric],
    metric,
    classes: stats.classes,
    smallestClass: stats.smallestClass,
    suppressedRows: stats.suppressedRows,
    nodesChecked: engine.checks,
    searchMs: performance.now() - t0,
    minimalNodes: minimal.map((m) => L.levels(m)),
  };
}
