/**
 * DBSCAN with Euclidean distance, label for label the same as scikit-learn's DBSCAN(eps, min_samples): a point is a
 * core point when at least minSamples points (itself included) lie within eps (distance ≤ eps); clusters are numbered
 * in the order their first core point appears in the rows and grown depth-first, so a border point reachable from
 * several clusters joins the first one found. Neighbourhoods come from a uniform grid of cell size eps over (up to)
 * the three widest columns, so tables of tens of thousands of rows need no n² distance matrix. `dbscanModel` keeps
 * the core points so new rows can be labelled by their nearest core point (DBSCAN itself has no predict).
 */
import { XinzhiError } from '../../../shared/model/errors.js';

type Matrix = Float32Array | Float64Array;

export interface DbscanOptions {
  /** Neighbourhood radius (> 0): points at distance ≤ eps are neighbours. */
  eps: number;
  /** Points within eps, the point itself included, that make a core point. Default 5 (scikit-learn's). */
  minSamples?: number;
}

/** The clustering of the training rows. */
export interface DbscanFit {
  kind: 'dbscan';
  /** Cluster of each row, 0 … clusters − 1, or −1 for noise. */
  labels: Int32Array;
  clusters: number;
  /** Rows that are core points, ascending. */
  coreIndices: Int32Array;
  eps: number;
  minSamples: number;
}

/** What is kept to label new rows; JSON-serialisable as is. */
export interface DbscanModel {
  kind: 'dbscan';
  eps: number;
  cols: number;
  /** Core points, row-major (coreLabels.length × cols). */
  cores: number[];
  /** Cluster of each core point. */
  coreLabels: number[];
}

function invalid(message: string): never {
  throw new XinzhiError('E_INVALID_INPUT', message);
}

function checkMatrix(X: Matrix | ArrayLike<number>, rows: number, cols: number, what = 'X'): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1 || X.length !== rows * cols) {
    invalid(`${what} has ${X.length} values, expected ${rows} × ${cols}`);
  }
  for (let i = 0; i < X.length; i++) if (!Number.isFinite(X[i] as number)) invalid(`${what} holds a non-finite value at row ${Math.floor(i / cols)}`);
}

function checkEps(eps: number): void {
  if (!(eps > 0) || !Number.isFinite(eps)) invalid('eps must be a finite number > 0');
}

/** Largest number of grid cells kept addressable by a single float key. */
const MAX_CELLS = 2 ** 52;
/** Cells per gridded column at most; a wider column gets cells larger than eps (still correct, just less pruning). */
const MAX_CELLS_PER_COLUMN = 2 ** 20;

/**
 * Points bucketed by cell on a grid of cell size eps over a few columns. Two points within eps differ by at most eps
 * in every column, so they sit in the same or adjacent cells of the gridded columns; every candidate is then checked
 * with its full distance, so the grid only prunes and never changes an answer.
 */
class EpsGrid {
  private readonly dims: number[];
  private readonly low: Float64Array;
  /** Cell width per gridded column: a little over eps, so rounding in (value − low) / width never splits a pair within eps by two cells. */
  private readonly width: Float64Array;
  private readonly size: Float64Array;
  private readonly cells = new Map<number, number>();
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Point indices grouped by cell, and their coordinates copied in that order (for memory locality). */
  private readonly order: Int32Array;
  private readonly sorted: Float64Array;
  private readonly eps2: number;

  constructor(
    points: Matrix | ArrayLike<number>,
    n: number,
    private readonly cols: number,
    eps: number,
  ) {
    this.eps2 = eps * eps;
    const min = new Float64Array(cols).fill(Infinity);
    const max = new Float64Array(cols).fill(-Infinity);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < cols; j++) {
        const v = points[r * cols + j] as number;
        if (v < (min[j] as number)) min[j] = v;
        if (v > (max[j] as number)) max[j] = v;
      }
    }
    // Grid the widest columns (they prune most), at most three (27 neighbour cells), while the key stays exact.
    const byRange = Array.from({ length: cols }, (_, j) => j).sort((a, b) => ((max[b] as number) - (min[b] as number)) - ((max[a] as number) - (min[a] as number)) || a - b);
    const dims: number[] = [];
    const widths: number[] = [];
    const sizes: number[] = [];
    let cellCount = 1;
    for (const j of byRange) {
      if (dims.length === 3 || n === 0) break;
      const range = (max[j] as number) - (min[j] as number);
      const magnitude = Math.max(Math.abs(min[j] as number), Math.abs(max[j] as number));
      const width = Math.max(eps * (1 + 1e-6) + 1e-15 * magnitude, range / MAX_CELLS_PER_COLUMN);
      const count = Math.floor(range / width) + 1;
      if (count <= 1 || cellCount * count > MAX_CELLS) break;
      dims.push(j);
      widths.push(width);
      sizes.push(count);
      cellCount *= count;
    }
    this.dims = dims;
    this.low = Float64Array.from(dims, (j) => min[j] as number);
    this.width = Float64Array.from(widths);
    this.size = Float64Array.from(sizes);

    const keys = new Float64Array(n);
    for (let r = 0; r < n; r++) keys[r] = this.key(points, r * cols);
    this.order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < n; i++) {
      const key = keys[this.order[i] as number] as number;
      if (i === 0 || key !== keys[this.order[i - 1] as number]) {
        this.cells.set(key, starts.length);
        starts.push(i);
        ends.push(i + 1);
      } else ends[ends.length - 1] = i + 1;
    }
    this.start = Int32Array.from(starts);
    this.end = Int32Array.from(ends);
    this.sorted = new Float64Array(n * cols);
    for (let i = 0; i < n; i++) {
      const r = this.order[i] as number;
      for (let j = 0; j < cols; j++) this.sorted[i * cols + j] = points[r * cols + j] as number;
    }
  }

  private coordinate(d: number, value: number): number {
    return Math.floor((value - (this.low[d] as number)) / (this.width[d] as number));
  }

  /** Cell key of the point at `offset`; clamping keeps points slightly outside the training range addressable. */
  private key(points: Matrix | ArrayLike<number>, offset: number): number {
    let key = 0;
    for (let d = this.dims.length - 1; d >= 0; d--) {
      const c = Math.min(Math.max(this.coordinate(d, points[offset + (this.dims[d] as number)] as number), 0), (this.size[d] as number) - 1);
      key = key * (this.size[d] as number) + c;
    }
    return key;
  }

  /** Calls visit(index, squaredDistance) for every indexed point within eps of the query point at `offset` of `query`. */
  forEachNeighbour(query: Matrix | ArrayLike<number>, offset: number, visit: (index: number, d2: number) => void): void {
    const m = this.dims.length;
    const base = new Array<number>(m);
    for (let d = 0; d < m; d++) {
      const c = this.coordinate(d, query[offset + (this.dims[d] as number)] as number);
      // Farther than one cell outside the grid: nothing indexed can be within eps.
      if (c < -1 || c > (this.size[d] as number)) return;
      base[d] = c;
    }
    const cols = this.cols;
    const step = new Array<number>(m).fill(-1);
    for (;;) {
      let key = 0;
      let inside = true;
      for (let d = m - 1; d >= 0; d--) {
        const c = (base[d] as number) + (step[d] as number);
        if (c < 0 || c >= (this.size[d] as number)) {
          inside = false;
          break;
        }
        key = key * (this.size[d] as number) + c;
      }
      const cell = inside ? this.cells.get(key) : undefined;
      if (cell !== undefined) {
        for (let i = this.start[cell] as number, e = this.end[cell] as number; i < e; i++) {
          let s = 0;
          const o = i * cols;
          // Same summation order as scikit-learn's KD-tree (columns 0 … cols − 1), so boundary cases agree.
          for (let j = 0; j < cols; j++) {
            const t = (query[offset + j] as number) - (this.sorted[o + j] as number);
            s += t * t;
          }
          if (s <= this.eps2) visit(this.order[i] as number, s);
        }
      }
      let d = 0;
      while (d < m && step[d] === 1) step[d++] = -1;
      if (d === m) break;
      step[d]!++;
    }
  }
}

/** Clusters `rows` rows of X (row-major, rows × cols). */
export function fitDbscan(X: Matrix, rows: number, cols: number, options: DbscanOptions): DbscanFit {
  checkMatrix(X, rows, cols);
  const eps = options.eps;
  checkEps(eps);
  const minSamples = options.minSamples ?? 5;
  if (!Number.isInteger(minSamples) || minSamples < 1) invalid('minSamples must be an integer ≥ 1');
  const grid = new EpsGrid(X, rows, cols, eps);

  // Core points first (one pass counting neighbours), then the clusters (a second pass over core neighbourhoods),
  // so no neighbour lists are stored: memory stays O(rows) however dense the data.
  const isCore = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let count = 0;
    grid.forEachNeighbour(X, r * cols, () => count++);
    if (count >= minSamples) isCore[r] = 1;
  }

  // scikit-learn's dbscan_inner: scan rows in order; from each unlabelled core point, label everything reachable.
  const labels = new Int32Array(rows).fill(-1);
  const stack: number[] = [];
  let clusters = 0;
  for (let r = 0; r < rows; r++) {
    if (labels[r] !== -1 || !isCore[r]) continue;
    labels[r] = clusters;
    stack.push(r);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      grid.forEachNeighbour(X, p * cols, (q) => {
        if (labels[q] !== -1) return;
        labels[q] = clusters;
        if (isCore[q]) stack.push(q);
      });
    }
    clusters++;
  }
  const coreIndices: number[] = [];
  for (let r = 0; r < rows; r++) if (isCore[r]) coreIndices.push(r);
  return { kind: 'dbscan', labels, clusters, coreIndices: Int32Array.from(coreIndices), eps, minSamples };
}

/** Keeps the core points of a fit (X is the training matrix the fit was made on) to label new rows. */
export function dbscanModel(fit: DbscanFit, X: Matrix, cols: number): DbscanModel {
  const rows = fit.labels.length;
  checkMatrix(X, rows, cols);
  const cores: number[] = [];
  const coreLabels: number[] = [];
  for (const r of fit.coreIndices) {
    if (!(r >= 0 && r < rows)) invalid(`core index ${r} is outside the ${rows} rows`);
    for (let j = 0; j < cols; j++) cores.push(X[r * cols + j] as number);
    coreLabels.push(fit.labels[r] as number);
  }
  return { kind: 'dbscan', eps: fit.eps, cols, cores, coreLabels };
}

/**
 * Labels new rows the usual way DBSCAN is applied to unseen data: the cluster of the nearest core point within eps
 * (the earlier core point on ties), else −1 (noise). New rows never become core points nor merge clusters. On the
 * training rows this reproduces the fit for core and noise points; a border point reachable from two clusters may get
 * the nearer cluster here rather than the first-found one.
 */
export function assignDbscan(model: DbscanModel, X: Matrix, rows: number): Int32Array {
  const { cols, eps } = model;
  checkEps(eps);
  const nCores = model.coreLabels.length;
  checkMatrix(model.cores, nCores, cols, 'model.cores');
  checkMatrix(X, rows, cols);
  const labels = new Int32Array(rows).fill(-1);
  if (nCores === 0) return labels;
  const grid = new EpsGrid(model.cores, nCores, cols, eps);
  for (let r = 0; r < rows; r++) {
    let best = -1;
    let bestD = Infinity;
    grid.forEachNeighbour(X, r * cols, (core, d2) => {
      if (d2 < bestD || (d2 === bestD && core < best)) {
        bestD = d2;
        best = core;
      }
    });
    if (best >= 0) labels[r] = model.coreLabels[best] as number;
  }
  return labels;
}
