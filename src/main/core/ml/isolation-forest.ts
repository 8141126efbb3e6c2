/**
 * Isolation forest (Liu, Ting & Zhou 2008) as scikit-learn's IsolationForest builds and scores it: each tree isolates
 * a random subsample of ψ rows (without replacement) by random axis-aligned splits, up to depth ⌈log2 ψ⌉; a row's
 * path length is its leaf's depth plus c(leaf size), the expected depth of the unbuilt subtree; the anomaly score is
 * 2^(−E[h(x)] / c(ψ)), in (0, 1], higher = more anomalous (= −score_samples in scikit-learn). The random draws are
 * our seeded generator, not numpy's, so forests differ from scikit-learn's tree for tree but not in distribution.
 * The forest is plain numbers so it can be saved as JSON and re-applied when scoring.
 */
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

type Matrix = Float32Array | Float64Array;

export interface IsolationForestOptions {
  /** Number of trees. Default 100. */
  trees?: number;
  /** Rows drawn per tree (ψ), capped at the number of rows. Default 256. */
  sampleSize?: number;
  /** Seed of the subsamples, split columns and thresholds. Default 1. */
  seed?: number;
  /**
   * Expected share of anomalies in (0, 0.5]: the threshold is then the score exceeded by that share of the training
   * rows. 'auto' (default) uses the paper's 0.5, as scikit-learn's offset_ = −0.5.
   */
  contamination?: number | 'auto';
}

/**
 * One tree in flat arrays indexed by node (root 0), the layout of scikit-learn's `tree_`: a leaf has feature −1 and
 * left = right = −1; rows with x[feature] ≤ threshold go left. `size` is the number of training rows that reached
 * the node (only the leaves' values are used for scoring).
 */
export interface IsolationTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  size: number[];
}

/** A fitted forest, JSON-serialisable as is. */
export interface IsolationForestModel {
  kind: 'isolation-forest';
  cols: number;
  /** ψ: rows per tree, which normalises path lengths by c(ψ). */
  sampleSize: number;
  trees: IsolationTree[];
  contamination: number | 'auto';
  /** Scores above this are anomalies (scikit-learn: −offset_). */
  threshold: number;
}

/** scikit-learn's splitter treats a column whose range in a node is at most this as constant. */
const FEATURE_THRESHOLD = 1e-7;
const EULER_GAMMA = 0.5772156649015329;

function invalid(message: string): never {
  throw new XinzhiError('E_INVALID_INPUT', message);
}

function checkMatrix(X: Matrix, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1 || X.length !== rows * cols) {
    invalid(`X has ${X.length} values, expected ${rows} × ${cols}`);
  }
  for (let i = 0; i < X.length; i++) if (!Number.isFinite(X[i] as number)) invalid(`X holds a non-finite value at row ${Math.floor(i / cols)}`);
}

/**
 * c(n), the average path length of an unsuccessful search in a binary search tree of n nodes, which normalises path
 * lengths: 0 for n ≤ 1, 1 for n = 2, else 2(ln(n − 1) + γ) − 2(n − 1)/n (scikit-learn's `_average_path_length`).
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Grows one isolation tree on the rows listed in `sample`. */
function growTree(X: Matrix, cols: number, sample: Int32Array, maxDepth: number, random: () => number): IsolationTree {
  const tree: IsolationTree = { feature: [], threshold: [], left: [], right: [], size: [] };
  const columns = Int32Array.from({ length: cols }, (_, j) => j);
  const addNode = (size: number): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.size.push(size);
    return tree.feature.length - 1;
  };
  // Work list of (node, start, end, depth): sample[start, end) are the rows in that node.
  const work: number[][] = [[addNode(sample.length), 0, sample.length, 0]];
  while (work.length > 0) {
    const [node, start, end, depth] = work.pop() as [number, number, number, number];
    const n = end - start;
    if (n <= 1 || depth >= maxDepth) continue;
    // Draw columns without replacement until one is not constant within the node; none → the node stays a leaf.
    let feature = -1;
    let low = 0;
    let high = 0;
    for (let drawn = 0; drawn < cols && feature < 0; drawn++) {
      const pick = drawn + Math.floor(random() * (cols - drawn));
      const j = columns[pick] as number;
      columns[pick] = columns[drawn] as number;
      columns[drawn] = j;
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const v = X[(sample[i] as number) * cols + j] as number;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min + FEATURE_THRESHOLD) {
        feature = j;
        low = min;
        high = max;
      }
    }
    if (feature < 0) continue;
    let threshold = low + (high - low) * random();
    // As scikit-learn: a threshold that rounds up to the maximum would send every row left.
    if (threshold >= high) threshold = low;
    // Partition sample[start, end) in place: ≤ threshold first.
    let mid = start;
    for (let i = start; i < end; i++) {
      const r = sample[i] as number;
      if ((X[r * cols + feature] as number) <= threshold) {
        sample[i] = sample[mid] as number;
        sample[mid++] = r;
      }
    }
    tree.feature[node] = feature;
    tree.threshold[node] = threshold;
    const left = addNode(mid - start);
    const right = addNode(end - mid);
    tree.left[node] = left;
    tree.right[node] = right;
    work.push([right, mid, end, depth + 1], [left, start, mid, depth + 1]);
  }
  return tree;
}

/** Fits an isolation forest to `rows` rows of X (row-major, rows × cols). */
export function fitIsolationForest(X: Matrix, rows: number, cols: number, options: IsolationForestOptions = {}): IsolationForestModel {
  checkMatrix(X, rows, cols);
  if (rows === 0) invalid('an isolation forest needs at least one row');
  const trees = options.trees ?? 100;
  if (!Number.isInteger(trees) || trees < 1) invalid('trees must be an integer ≥ 1');
  const requested = options.sampleSize ?? 256;
  if (!Number.isInteger(requested) || requested < 1) invalid('sampleSize must be an integer ≥ 1');
  const contamination = options.contamination ?? 'auto';
  if (contamination !== 'auto' && !(contamination > 0 && contamination <= 0.5)) invalid("contamination must be 'auto' or a number in (0, 0.5]");
  const sampleSize = Math.min(requested, rows);
  const maxDepth = Math.ceil(Math.log2(Math.max(sampleSize, 2)));
  const random = mulberry32(options.seed ?? 1);
  const pool = Int32Array.from({ length: rows }, (_, i) => i);
  const forest: IsolationForestModel = { kind: 'isolation-forest', cols, sampleSize, trees: [], contamination, threshold: 0.5 };
  for (let t = 0; t < trees; t++) {
    // Partial Fisher–Yates: the first sampleSize entries of the pool become a uniform sample without replacement.
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(random() * (rows - i));
      const v = pool[i] as number;
      pool[i] = pool[j] as number;
      pool[j] = v;
    }
    forest.trees.push(growTree(X, cols, pool.slice(0, sampleSize), maxDepth, random));
  }
  if (contamination !== 'auto') forest.threshold = scoreThreshold(anomalyScores(forest, X, rows), contamination);
  return forest;
}

/** E[h(x)]: each row's path length (leaf depth + c(leaf size)) averaged over the trees. */
export function pathLengths(forest: IsolationForestModel, X: Matrix, rows: number): Float64Array {
  const { cols, trees } = forest;
  checkMatrix(X, rows, cols);
  if (trees.length === 0) invalid('the forest has no trees');
  const total = new Float64Array(rows);
  for (const tree of trees) {
    // c(leaf size) per node, computed once per tree rather than per row.
    const leafPath = tree.size.map((n, i) => (tree.left[i] === -1 ? averagePathLength(n) : 0));
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let node = 0;
      let depth = 0;
      while (tree.left[node] !== -1) {
        node = (X[o + (tree.feature[node] as number)] as number) <= (tree.threshold[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number);
        depth++;
      }
      total[r]! += depth + (leafPath[node] as number);
    }
  }
  for (let r = 0; r < rows; r++) total[r] = (total[r] as number) / trees.length;
  return total;
}

/** Anomaly score 2^(−E[h(x)] / c(ψ)) of each row: near 1 = isolated quickly (anomalous), well below 0.5 = normal. */
export function anomalyScores(forest: IsolationForestModel, X: Matrix, rows: number): Float64Array {
  const lengths = pathLengths(forest, X, rows);
  const norm = averagePathLength(forest.sampleSize);
  // ψ = 1 (a one-row table) gives c(ψ) = 0 and trees that cannot split: every row gets the neutral 0.5.
  for (let r = 0; r < rows; r++) lengths[r] = norm > 0 ? 2 ** (-(lengths[r] as number) / norm) : 0.5;
  return lengths;
}

/** 1 where the score is above the forest's threshold (scikit-learn's predict() == −1). */
export function isAnomaly(forest: IsolationForestModel, X: Matrix, rows: number): Uint8Array {
  const scores = anomalyScores(forest, X, rows);
  return Uint8Array.from(scores, (s) => (s > forest.threshold ? 1 : 0));
}

/**
 * The score that `contamination` of `scores` exceed: −np.percentile(−scores, 100·contamination) with numpy's default
 * linear interpolation, which is how scikit-learn sets offset_.
 */
export function scoreThreshold(scores: ArrayLike<number>, contamination: number): number {
  const n = scores.length;
  if (n === 0) invalid('scoreThreshold needs at least one score');
  if (!(contamination >= 0 && contamination <= 1)) invalid('contamination must be in [0, 1]');
  const negated = Float64Array.from(scores, (s) => -s).sort();
  const position = contamination * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  const a = negated[below] as number;
  const b = negated[above] as number;
  return -(a + (b - a) * t);
}
