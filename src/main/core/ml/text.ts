/**
 * Text features for Chinese and English classification, equal to scikit-learn's where sklearn has the feature:
 * tokens (zh: ICU word segmentation through Intl.Segmenter; en: sklearn's default word analyzer), TF-IDF as
 * `TfidfVectorizer` and feature hashing as `HashingVectorizer` (both checked against sklearn 1.2.1 fixtures in
 * test/unit/ml-text.test.ts), sparse CSR matrices, and a seeded softmax regression trained on CSR rows.
 *
 * Models are plain JSON-serialisable objects (number[] / string[] fields) so they can be saved and re-applied.
 */
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

/** A sparse row-major matrix (compressed sparse rows; column indices ascending within each row). */
export interface Csr {
  rows: number;
  cols: number;
  /** rows + 1 offsets into `indices` / `values`. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export type TextLanguage = 'zh' | 'en';

const invalid = (message: string): never => {
  throw new XinzhiError('E_INVALID_INPUT', message);
};

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LETTER = /\p{L}/u;

/**
 * 'zh' when at least 30% of the letters in the samples are CJK characters, else 'en'. Letters, not characters, so
 * punctuation, digits and spaces do not dilute the share; 30% keeps Chinese text with English brand names 'zh'.
 */
export function detectTextLanguage(samples: string[]): TextLanguage {
  let cjk = 0;
  let letters = 0;
  for (const s of samples) {
    for (const ch of s) {
      if (!LETTER.test(ch)) continue;
      letters++;
      if (CJK.test(ch)) cjk++;
    }
  }
  return letters > 0 && cjk / letters >= 0.3 ? 'zh' : 'en';
}

let segmenter: Intl.Segmenter | null = null;

// sklearn's token_pattern (?u)\b\w\w+\b is "maximal runs of ≥ 2 word characters"; Python's Unicode \w is letters,
// numbers and '_' (JS's \b and \w are ASCII-only even with the u flag, hence the explicit classes).
const WORD_RUN = /[\p{L}\p{N}_]{2,}/gu;

/**
 * Tokens of one text. zh: ICU word segmentation (`Intl.Segmenter('zh', { granularity: 'word' })`), keeping only
 * word-like segments (so punctuation and spaces go), lowercased; en: sklearn's default analyzer, i.e. lowercase
 * and runs of ≥ 2 word characters. Then word n-grams for `ngram` = [min, max] (default [1, 2]), joined with one
 * space, all n-grams of length n before those of length n + 1, as sklearn's `_word_ngrams` does.
 */
export function tokenize(text: string, lang: TextLanguage, opts: { ngram?: [number, number] } = {}): string[] {
  const [minN, maxN] = opts.ngram ?? [1, 2];
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) invalid(`ngram must be [min, max] with 1 ≤ min ≤ max, got [${minN}, ${maxN}]`);
  let words: string[];
  if (lang === 'zh') {
    segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
    words = [];
    for (const s of segmenter.segment(text)) if (s.isWordLike) words.push(s.segment.toLowerCase());
  } else if (lang === 'en') {
    words = text.toLowerCase().match(WORD_RUN) ?? [];
  } else {
    return invalid(`Unknown language "${String(lang)}"`);
  }
  if (minN === 1 && maxN === 1) return words;
  const out: string[] = minN === 1 ? [...words] : [];
  for (let n = Math.max(minN, 2); n <= Math.min(maxN, words.length); n++) {
    for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(' '));
  }
  return out;
}

/** Python's string order (by code point), which differs from JS's UTF-16 order once astral characters appear. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above FFFF: move them above E000–FFFF before comparing.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

export interface TfidfModel {
  kind: 'tfidf';
  /** The vocabulary in sklearn's order (sorted by code point); column j is terms[j]. */
  terms: string[];
  /** idf of each term: ln((1 + n) / (1 + df)) + 1, n the number of fitted documents. */
  idf: number[];
}

export interface TfidfOptions {
  /** Keep only the most frequent terms over the corpus (total count; ties alphabetically), after minDf. */
  maxFeatures?: number;
  /** Minimum document frequency: an integer ≥ 1 is a count, a number in (0, 1) a share of the documents. Default 1. */
  minDf?: number;
}

/**
 * Fits scikit-learn's `TfidfVectorizer` (defaults: smooth_idf, l2 norm, raw term counts) on tokenised documents.
 * As in sklearn, terms below minDf are dropped first, then maxFeatures keeps the highest corpus counts. sklearn
 * picks among terms tied at that cut-off with numpy's unstable argsort, so which tied terms it keeps is not
 * defined; here ties go alphabetically (what a stable sort of sklearn's alphabetical columns would give).
 */
export function fitTfidf(docs: string[][], options: TfidfOptions = {}): TfidfModel {
  const minDf = options.minDf ?? 1;
  const maxFeatures = options.maxFeatures;
  if (!(minDf > 0) || (minDf >= 1 && !Number.isInteger(minDf))) invalid('minDf must be an integer ≥ 1 or a share in (0, 1)');
  if (maxFeatures !== undefined && (!Number.isInteger(maxFeatures) || maxFeatures < 1)) invalid('maxFeatures must be a positive integer');
  const df = new Map<string, number>();
  const tf = new Map<string, number>();
  for (const doc of docs) {
    const seen = new Set<string>();
    for (const term of doc) {
      tf.set(term, (tf.get(term) ?? 0) + 1);
      if (seen.has(term)) continue;
      seen.add(term);
      df.set(term, (df.get(term) ?? 0) + 1);
    }
  }
  if (df.size === 0) invalid('Empty vocabulary: the documents have no tokens');
  const minCount = minDf < 1 ? minDf * docs.length : minDf;
  let terms = [...df.keys()].filter((t) => (df.get(t) as number) >= minCount).sort(compareCodePoints);
  if (maxFeatures !== undefined && terms.length > maxFeatures) {
    const byCount = terms.map((t, i) => i).sort((a, b) => (tf.get(terms[b] as string) as number) - (tf.get(terms[a] as string) as number) || a - b);
    const keep = byCount.slice(0, maxFeatures).sort((a, b) => a - b);
    terms = keep.map((i) => terms[i] as string);
  }
  if (terms.length === 0) invalid('No terms remain after minDf pruning; lower minDf');
  const n = docs.length;
  const idf = terms.map((t) => Math.log((1 + n) / (1 + (df.get(t) as number))) + 1);
  return { kind: 'tfidf', terms, idf };
}

/** Builds CSR rows from per-row (column → weight) maps: sorts columns, l2-normalises each row. */
function rowsToCsr(rowMaps: Map<number, number>[], cols: number): Csr {
  let nnz = 0;
  for (const m of rowMaps) nnz += m.size;
  const indptr = new Int32Array(rowMaps.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let at = 0;
  rowMaps.forEach((m, r) => {
    const columns = [...m.keys()].sort((a, b) => a - b);
    let ss = 0;
    for (const c of columns) ss += (m.get(c) as number) ** 2;
    const norm = Math.sqrt(ss) || 1;
    for (const c of columns) {
      indices[at] = c;
      values[at] = (m.get(c) as number) / norm;
      at++;
    }
    indptr[r + 1] = at;
  });
  return { rows: rowMaps.length, cols, indptr, indices, values };
}

/** TF-IDF rows of tokenised documents under a fitted model (terms outside the vocabulary are ignored). */
export function transformTfidf(model: TfidfModel, docs: string[][]): Csr {
  if (model.kind !== 'tfidf' || model.terms.length !== model.idf.length) invalid('Not a TF-IDF model');
  const column = new Map(model.terms.map((t, j) => [t, j]));
  const rows = docs.map((doc) => {
    const m = new Map<number, number>();
    for (const term of doc) {
      const j = column.get(term);
      if (j !== undefined) m.set(j, (m.get(j) ?? 0) + 1);
    }
    for (const [j, count] of m) m.set(j, count * (model.idf[j] as number));
    return m;
  });
  return rowsToCsr(rows, model.terms.length);
}

const encoder = new TextEncoder();

/** MurmurHash3 x86 32-bit of bytes, as a signed 32-bit integer (sklearn's `murmurhash3_32(…, positive=False)`). */
export function murmurhash3_32(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (bytes.length & 3) {
    case 3:
      k ^= (bytes[blocks + 2] as number) << 16;
    // falls through
    case 2:
      k ^= (bytes[blocks + 1] as number) << 8;
    // falls through
    case 1:
      k ^= bytes[blocks] as number;
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * scikit-learn's `HashingVectorizer` on tokenised documents: each token's UTF-8 is hashed with signed murmurhash3_32
 * (seed 0), column abs(h) mod nFeatures, value +1 for h ≥ 0 and −1 otherwise (alternate_sign), counts summed, then
 * rows l2-normalised. A column whose signs cancel stays as an explicit 0, as in sklearn's matrix.
 */
export function hashingVectorize(docs: string[][], nFeatures = 2 ** 18): Csr {
  if (!Number.isInteger(nFeatures) || nFeatures < 1 || nFeatures > 2 ** 31 - 1) invalid('nFeatures must be an integer in 1 … 2³¹ − 1');
  const cache = new Map<string, number>();
  const rows = docs.map((doc) => {
    const m = new Map<number, number>();
    for (const token of doc) {
      let h = cache.get(token);
      if (h === undefined) {
        h = murmurhash3_32(encoder.encode(token), 0);
        cache.set(token, h);
      }
      // abs(−2³¹) overflows int32; sklearn defines that column as 2³¹ mod nFeatures, written this way.
      const j = h === -2147483648 ? (2147483647 - (nFeatures - 1)) % nFeatures : Math.abs(h) % nFeatures;
      m.set(j, (m.get(j) ?? 0) + (h >= 0 ? 1 : -1));
    }
    return m;
  });
  return rowsToCsr(rows, nFeatures);
}

/** The given rows of a CSR matrix as a dense row-major Float32Array (rowIndex.length × cols), e.g. a TF.js batch. */
export function densifyRows(csr: Csr, rowIndex: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rowIndex.length * csr.cols);
  for (let b = 0; b < rowIndex.length; b++) {
    const r = rowIndex[b] as number;
    if (!Number.isInteger(r) || r < 0 || r >= csr.rows) invalid(`Row ${r} is outside 0…${csr.rows - 1}`);
    for (let p = csr.indptr[r] as number; p < (csr.indptr[r + 1] as number); p++) out[b * csr.cols + (csr.indices[p] as number)] = csr.values[p] as number;
  }
  return out;
}

export interface SparseSoftmaxModel {
  kind: 'sparse-softmax';
  classes: number;
  cols: number;
  /** Row-major cols × classes: weights[j * classes + c] is feature j's weight for class c. */
  weights: number[];
  bias: number[];
}

export interface SparseSoftmaxOptions {
  /** Passes over the data. Default 10. */
  epochs?: number;
  /** Adam's initial step; it decays as 1/√epoch. Default 0.02. */
  learningRate?: number;
  /** L2 penalty λ: loss = mean cross-entropy + λ/2 ‖W‖² (biases not penalised). Default 1e-5. */
  l2?: number;
  /** Rows per step. Default 32. */
  batchSize?: number;
  /** Seed of the row shuffling. Default 1. */
  seed?: number;
  /** Called after each epoch with the mean training cross-entropy seen during it; returning false stops early. */
  onEpoch?: (epoch: number, loss: number) => boolean | void;
}

function checkCsr(csr: Csr): void {
  if (csr.indptr.length !== csr.rows + 1 || csr.indices.length !== csr.values.length || csr.indptr[csr.rows] !== csr.indices.length) {
    invalid('Malformed CSR matrix: indptr, indices and values disagree');
  }
}

/** Softmax of `classes` logits in place (max-shifted, so large logits do not overflow). */
function softmax(z: Float64Array): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let s = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp((z[c] as number) - max);
    s += z[c] as number;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] as number) / s;
}

function logits(W: ArrayLike<number>, bias: ArrayLike<number>, csr: Csr, r: number, classes: number, z: Float64Array): void {
  for (let c = 0; c < classes; c++) z[c] = bias[c] as number;
  for (let p = csr.indptr[r] as number; p < (csr.indptr[r + 1] as number); p++) {
    const o = (csr.indices[p] as number) * classes;
    const x = csr.values[p] as number;
    for (let c = 0; c < classes; c++) z[c]! += x * (W[o + c] as number);
  }
}

/**
 * Multinomial logistic (softmax) regression on CSR rows by seeded mini-batch Adam; with 2 classes it is logistic
 * regression (p(1) = σ(z₁ − z₀)). Adam is "lazy" as in sparse optimisers: a weight's moments, decay and L2 term are
 * updated only in steps whose batch has its feature, so a step costs the batch's non-zeros, not cols × classes.
 */
export function trainSparseSoftmax(csr: Csr, y: Int32Array, classes: number, options: SparseSoftmaxOptions = {}): SparseSoftmaxModel {
  checkCsr(csr);
  if (!Number.isInteger(classes) || classes < 2) invalid('classes must be an integer ≥ 2');
  if (y.length !== csr.rows) invalid(`y has ${y.length} labels, expected ${csr.rows}`);
  for (let r = 0; r < y.length; r++) if (!((y[r] as number) >= 0 && (y[r] as number) < classes)) invalid(`Label ${y[r]} of row ${r + 1} is outside 0…${classes - 1}`);
  const epochs = options.epochs ?? 10;
  const lr0 = options.learningRate ?? 0.02;
  const l2 = options.l2 ?? 1e-5;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 0) invalid('epochs must be an integer ≥ 0');
  if (!(lr0 > 0) || !Number.isFinite(lr0)) invalid('learningRate must be a number > 0');
  if (!(l2 >= 0) || !Number.isFinite(l2)) invalid('l2 must be a number ≥ 0');
  if (!Number.isInteger(batchSize) || batchSize < 1) invalid('batchSize must be a positive integer');
  const { cols, rows } = csr;
  const W = new Float64Array(cols * classes);
  const mW = new Float64Array(cols * classes);
  const vW = new Float64Array(cols * classes);
  const gW = new Float64Array(cols * classes);
  const bias = new Float64Array(classes);
  const mb = new Float64Array(classes);
  const vb = new Float64Array(classes);
  const gb = new Float64Array(classes);
  const z = new Float64Array(classes);
  const stamp = new Int32Array(cols).fill(-1);
  const touched = new Int32Array(cols);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const random = mulberry32(options.seed ?? 1);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < epochs && rows > 0; epoch++) {
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i] as number;
      order[i] = order[j] as number;
      order[j] = tmp;
    }
    const lr = lr0 / Math.sqrt(epoch + 1);
    let lossSum = 0;
    for (let from = 0; from < rows; from += batchSize) {
      const to = Math.min(rows, from + batchSize);
      let nTouched = 0;
      gb.fill(0);
      for (let b = from; b < to; b++) {
        const r = order[b] as number;
        logits(W, bias, csr, r, classes, z);
        softmax(z);
        const label = y[r] as number;
        lossSum -= Math.log(Math.max(z[label] as number, 1e-300));
        z[label]! -= 1; // now p − onehot(y), the gradient of the cross-entropy in the logits
        for (let c = 0; c < classes; c++) gb[c]! += z[c] as number;
        for (let p = csr.indptr[r] as number; p < (csr.indptr[r + 1] as number); p++) {
          const j = csr.indices[p] as number;
          const x = csr.values[p] as number;
          if (stamp[j] !== t) {
            stamp[j] = t;
            touched[nTouched++] = j;
          }
          const o = j * classes;
          for (let c = 0; c < classes; c++) gW[o + c]! += x * (z[c] as number);
        }
      }
      const size = to - from;
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let a = 0; a < nTouched; a++) {
        const o = (touched[a] as number) * classes;
        for (let c = 0; c < classes; c++) {
          const k = o + c;
          const g = (gW[k] as number) / size + l2 * (W[k] as number);
          gW[k] = 0;
          mW[k] = beta1 * (mW[k] as number) + (1 - beta1) * g;
          vW[k] = beta2 * (vW[k] as number) + (1 - beta2) * g * g;
          W[k]! -= (lr * ((mW[k] as number) / c1)) / (Math.sqrt((vW[k] as number) / c2) + 1e-8);
        }
      }
      for (let c = 0; c < classes; c++) {
        const g = (gb[c] as number) / size;
        mb[c] = beta1 * (mb[c] as number) + (1 - beta1) * g;
        vb[c] = beta2 * (vb[c] as number) + (1 - beta2) * g * g;
        bias[c]! -= (lr * ((mb[c] as number) / c1)) / (Math.sqrt((vb[c] as number) / c2) + 1e-8);
      }
    }
    if (options.onEpoch && options.onEpoch(epoch + 1, lossSum / rows) === false) break;
  }
  return { kind: 'sparse-softmax', classes, cols, weights: Array.from(W), bias: Array.from(bias) };
}

/** Class probabilities of each CSR row: a row-major rows × classes Float32Array. */
export function predictSparseSoftmax(model: SparseSoftmaxModel, csr: Csr): Float32Array {
  checkCsr(csr);
  if (model.kind !== 'sparse-softmax' || model.weights.length !== model.cols * model.classes || model.bias.length !== model.classes) invalid('Not a sparse softmax model');
  if (csr.cols !== model.cols) invalid(`The matrix has ${csr.cols} columns, the model expects ${model.cols}`);
  const out = new Float32Array(csr.rows * model.classes);
  const z = new Float64Array(model.classes);
  for (let r = 0; r < csr.rows; r++) {
    logits(model.weights, model.bias, csr, r, model.classes, z);
    softmax(z);
    out.set(z, r * model.classes);
  }
  return out;
}
