/**
 * A faster training step for plain Dense stacks — relu hidden layers, then sigmoid + binary cross-entropy, softmax
 * + categorical cross-entropy or linear + mean squared error, trained by Adam: the MLP and the multiclass logistic
 * regression. On wasm a step of such a small network is bound by TF.js's per-op overhead (autodiff plus the Adam
 * optimiser issue ~150 ops a step), not by its matrix products. Here the backward pass is written out (the output
 * layer's gradient is (p − y)/n for all three losses, up to the factor 2 of MSE) on the WebAssembly SIMD kernels of
 * simd-gemm.ts, with Adam as tf.train.adam computes it (ε = 1e-7). The weights, gradients, moments and training rows
 * live in the kernels' memory while training (the best epoch's snapshot too); the TF.js model gets the weights
 * (`syncTo`) once training ends, before it predicts or is saved. Adult 64-64, 10 epochs: ~0.6 s with encoding and
 * validation, against 1.31 s when each step ran TF.js ops (docs/areas/speed.md).
 */
import * as tf from '@tensorflow/tfjs';
import { createGemmMemory, type GemmMemory, type SparseRows } from './simd-gemm.js';

type Output = 'sigmoid' | 'softmax' | 'linear';

const EPSILON = 1e-7;
const BETA1 = 0.9;
const BETA2 = 0.999;

export class DenseStackTrainer {
  /** Layer widths: inputs, then each layer's units. */
  private readonly sizes: number[];
  private readonly shapes: number[][];
  private readonly mem: GemmMemory;
  /**
   * Float offsets in `mem`. The parameters (each layer's kernel W, in × out, and bias b) lie in one block; their
   * gradients, Adam's first and second moments in three more blocks of the same layout (`size` floats apart), so
   * one Adam call updates them all. Wᵀ (out × in) of each layer serves the backward products Δ·Wᵀ.
   */
  private readonly W: number[] = [];
  private readonly b: number[] = [];
  private readonly WT: number[] = [];
  private readonly paramFloats: number;
  private readonly grads: number;
  private readonly moment1: number;
  private readonly moment2: number;
  /** A 1.0, read with zero strides to sum Δ's columns (the bias gradients) with the matrix kernel. */
  private readonly one: number;
  /**
   * The training rows, copied once into the memory by `setData`: as they are (mini-batches are gathered from there)
   * or, when most inputs are zero, in compressed sparse row form (the first layer reads only the non-zeros).
   */
  private data = 0;
  private dataRows = 0;
  /** The training rows when they were too large to keep a second copy of: batches are gathered from here. */
  private outside: Float32Array | null = null;
  private sparseRows: SparseRows | null = null;
  /** Skip zero inputs in the first layer's products: worth it when most inputs are zero (one-hot columns). */
  private sparseInput = false;
  private readonly fixedEnd: number;
  /** Where the per-batch buffers start (input rows, each layer's outputs and deltas), sized for `capacity` rows. */
  private batchStart: number;
  private capacity = 0;
  private X = 0;
  /** The mini-batch's row numbers (Int32), for the sparse first layer. */
  private rowNumbers = 0;
  private readonly acts: number[] = [];
  private readonly deltas: number[] = [];
  private steps = 0;

  private constructor(
    weights: tf.Tensor[],
    private readonly output: Output,
    private readonly classes: number,
    private readonly learningRate: number,
  ) {
    this.shapes = weights.map((w) => [...w.shape]);
    const layers = weights.length / 2;
    this.sizes = [this.shapes[0]![0] as number, ...Array.from({ length: layers }, (_, l) => this.shapes[2 * l]![1] as number)];
    let at = 0;
    const take = (floats: number) => {
      const offset = at;
      at += aligned(floats); // 16-byte aligned, for the SIMD loads
      return offset;
    };
    for (let l = 0; l < layers; l++) {
      const inputs = this.sizes[l] as number;
      const units = this.sizes[l + 1] as number;
      this.W.push(take(inputs * units));
      this.b.push(take(units));
    }
    this.paramFloats = at;
    this.grads = take(this.paramFloats);
    this.moment1 = take(this.paramFloats);
    this.moment2 = take(this.paramFloats);
    for (let l = 0; l < layers; l++) this.WT.push(take((this.sizes[l] as number) * (this.sizes[l + 1] as number)));
    this.one = take(1);
    this.fixedEnd = at;
    this.batchStart = at;
    this.mem = createGemmMemory(at);
    this.mem.f32[this.one] = 1;
    weights.forEach((w, i) => this.param(i).set(w.dataSync() as Float32Array));
    this.transposeAll();
  }

  /** Whether the matrix products run on the WebAssembly SIMD kernels (else plain JavaScript). */
  get simd(): boolean {
    return this.mem.simd;
  }

  /** Parameter i (TF.js order: kernel, bias, kernel, bias …) as a view of the kernel memory. */
  private param(i: number): Float32Array {
    const l = i >> 1;
    const offset = i % 2 === 0 ? (this.W[l] as number) : (this.b[l] as number);
    const size = i % 2 === 0 ? (this.sizes[l] as number) * (this.sizes[l + 1] as number) : (this.sizes[l + 1] as number);
    return this.mem.f32.subarray(offset, offset + size);
  }

  /** Wᵀ of every layer, for the backward products Δ·Wᵀ. */
  private transposeAll(): void {
    const f = this.mem.f32;
    for (let l = 0; l < this.W.length; l++) {
      const rows = this.sizes[l] as number;
      const cols = this.sizes[l + 1] as number;
      const w = this.W[l] as number;
      const t = this.WT[l] as number;
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) f[t + c * rows + r] = f[w + r * cols + c] as number;
    }
  }

  /** Lays the per-batch buffers out for `rows` rows (growing the memory when needed). */
  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    let at = this.batchStart;
    const take = (floats: number) => {
      const offset = at;
      at += aligned(floats);
      return offset;
    };
    this.X = take(rows * (this.sizes[0] as number));
    this.rowNumbers = take(rows);
    this.acts.length = 0;
    this.deltas.length = 0;
    for (let l = 1; l < this.sizes.length; l++) {
      this.acts.push(take(rows * (this.sizes[l] as number)));
      this.deltas.push(take(rows * (this.sizes[l] as number)));
    }
    this.mem.ensure(at);
    this.capacity = rows;
  }

  /** A trainer for `model` when it is a plain Dense stack with a loss this step knows; null otherwise (the generic step is used). */
  static of(model: tf.LayersModel, loss: string, learningRate: number, classes: number): DenseStackTrainer | null {
    if (!(model instanceof tf.Sequential) || model.layers.length === 0) return null;
    const activations: string[] = [];
    for (const layer of model.layers) {
      if (layer.getClassName() !== 'Dense') return null;
      const config = layer.getConfig() as { activation?: string; useBias?: boolean };
      if (config.useBias === false) return null;
      activations.push(config.activation ?? 'linear');
    }
    const last = activations.pop() as string;
    if (!activations.every((a) => a === 'relu')) return null;
    const output: Output | null =
      last === 'sigmoid' && loss === 'binaryCrossentropy' ? 'sigmoid' : last === 'softmax' && loss === 'categoricalCrossentropy' ? 'softmax' : last === 'linear' && loss === 'meanSquaredError' ? 'linear' : null;
    if (!output) return null;
    return new DenseStackTrainer(model.getWeights(), output, classes, learningRate);
  }

  /**
   * Copies the training rows (row-major, rows × inputs) into the kernel memory, so that `stepRows` gathers each
   * mini-batch there (one memmove per row) instead of through JavaScript. Rows that would take more than
   * `maxKeptBytes` there (or that the memory cannot grow to hold) stay where they are, and batches are gathered
   * from them.
   */
  setData(x: Float32Array, rows: number, maxKeptBytes = MAX_KEPT_BYTES): void {
    const cols = this.sizes[0] as number;
    const length = rows * cols;
    this.dataRows = rows;
    this.capacity = 0;
    this.sparseRows = null;
    this.outside = null;
    this.batchStart = this.fixedEnd;
    this.sparseInput = zeroShare(x, length) > SPARSE_INPUT_SHARE;
    let nonZeros = 0;
    if (this.sparseInput) for (let i = 0; i < length; i++) if (x[i] !== 0) nonZeros++;
    const keptBytes = 4 * (this.sparseInput ? rows + 1 + 2 * nonZeros : length);
    try {
      if (keptBytes > maxKeptBytes) throw new RangeError('too large to keep');
      this.keep(x, rows, nonZeros);
    } catch (error) {
      // Nothing was laid out: `keep` only changes the layout once the memory has grown.
      if (!(error instanceof RangeError)) throw error;
      this.outside = x;
    }
  }

  private keep(x: Float32Array, rows: number, nonZeros: number): void {
    const cols = this.sizes[0] as number;
    const length = rows * cols;
    if (!this.sparseInput) {
      this.mem.ensure(this.fixedEnd + aligned(length));
      this.data = this.fixedEnd;
      this.batchStart = this.fixedEnd + aligned(length);
      this.mem.f32.set(x.subarray(0, length), this.data);
      return;
    }
    const ptr = this.fixedEnd;
    const col = ptr + aligned(rows + 1);
    const val = col + aligned(nonZeros);
    this.mem.ensure(val + aligned(nonZeros));
    this.sparseRows = { ptr, col, val };
    this.batchStart = val + aligned(nonZeros);
    const f = this.mem.f32;
    const w = this.mem.i32;
    let p = 0;
    for (let r = 0; r < rows; r++) {
      w[ptr + r] = p;
      for (let j = 0, at = r * cols; j < cols; j++, at++) {
        const v = x[at] as number;
        if (v === 0) continue;
        w[col + p] = j;
        f[val + p] = v;
        p++;
      }
    }
    w[ptr + rows] = p;
  }

  /**
   * One Adam step on n rows: x row-major n × inputs, y the targets (0/1, class indexes, or values in the trained
   * units). Returns the batch's mean loss, as the compiled loss computes it (predictions clipped to [1e-7, 1 − 1e-7]).
   */
  step(x: Float32Array, y: Float32Array, n: number): number {
    this.reserve(n);
    const inputs = n * (this.sizes[0] as number);
    this.mem.f32.set(x.subarray(0, inputs), this.X);
    this.sparseInput = zeroShare(x, inputs) > SPARSE_INPUT_SHARE;
    return this.train(y, n, null);
  }

  /** One Adam step on the rows `rows` of the data given to `setData`; y holds their targets, in the same order. */
  stepRows(rows: Int32Array, y: Float32Array): number {
    const n = rows.length;
    this.reserve(n);
    for (let r = 0; r < n; r++) {
      const row = rows[r] as number;
      if (!(row >= 0 && row < this.dataRows)) throw new RangeError(`Row ${row} is outside the training data`);
    }
    if (this.sparseRows) {
      this.mem.i32.set(rows, this.rowNumbers);
      return this.train(y, n, this.sparseRows);
    }
    const f = this.mem.f32;
    const cols = this.sizes[0] as number;
    const outside = this.outside;
    for (let r = 0, to = this.X; r < n; r++, to += cols) {
      const row = rows[r] as number;
      if (outside) f.set(outside.subarray(row * cols, (row + 1) * cols), to);
      else f.copyWithin(to, this.data + row * cols, this.data + (row + 1) * cols);
    }
    return this.train(y, n, null);
  }

  /** Outputs (after the output activation) of n rows: those in the input buffer, or the kept sparse rows numbered in the batch. */
  private forward(n: number, sparseRows: SparseRows | null): Float32Array {
    const mem = this.mem;
    const sizes = this.sizes;
    const layers = sizes.length - 1;
    // Each layer is one product started from its bias row, relu fused for the hidden ones.
    for (let l = 0; l < layers; l++) {
      const input = l === 0 ? this.X : (this.acts[l - 1] as number);
      if (l === 0 && sparseRows) mem.csrForward(this.rowNumbers, n, sparseRows, this.W[0] as number, this.b[0] as number, this.acts[0] as number, sizes[1] as number, layers > 1);
      else mem.gemm(input, sizes[l] as number, 1, this.W[l] as number, this.acts[l] as number, n, sizes[l] as number, sizes[l + 1] as number, { init: this.b[l] as number, relu: l < layers - 1, sparse: l === 0 && this.sparseInput });
    }
    const units = sizes[layers] as number;
    const outAt = this.acts[layers - 1] as number;
    const pred = mem.f32.subarray(outAt, outAt + n * units);
    if (this.output === 'sigmoid') for (let i = 0; i < pred.length; i++) pred[i] = 1 / (1 + Math.exp(-(pred[i] as number)));
    else if (this.output === 'softmax') softmaxRows(pred, n, units);
    return pred;
  }

  private train(y: Float32Array, n: number, sparseRows: SparseRows | null): number {
    const mem = this.mem;
    const sizes = this.sizes;
    const layers = sizes.length - 1;
    const pred = this.forward(n, sparseRows);
    const last = this.deltas[layers - 1] as number;
    const loss = this.loss(pred, y, n, mem.f32.subarray(last, last + pred.length));
    // Backward: dW = Aᵀ·Δ (A read through strides), db = column sums of Δ, Δ ← Δ·Wᵀ masked by relu'.
    for (let l = layers - 1; l >= 0; l--) {
      const inputs = sizes[l] as number;
      const outs = sizes[l + 1] as number;
      const input = l === 0 ? this.X : (this.acts[l - 1] as number);
      const delta = this.deltas[l] as number;
      const dW = (this.W[l] as number) + this.grads;
      const db = (this.b[l] as number) + this.grads;
      if (l === 0 && sparseRows) {
        mem.f32.fill(0, dW, dW + inputs * outs);
        mem.csrGradient(this.rowNumbers, n, sparseRows, delta, dW, outs);
      } else if (outs === 1) mem.gemm(delta, 0, 1, input, dW, 1, n, inputs, { init: 'zero' }); // dWᵀ = Δᵀ·A: the same floats, as a row
      else mem.gemm(input, 1, inputs, delta, dW, inputs, n, outs, { init: 'zero', sparse: l === 0 && this.sparseInput });
      mem.gemm(this.one, 0, 0, delta, db, 1, n, outs, { init: 'zero' });
      if (l > 0) mem.gemm(delta, outs, 1, this.WT[l] as number, this.deltas[l - 1] as number, n, outs, inputs, { init: 'zero', mask: this.acts[l - 1] as number });
    }
    this.steps++;
    mem.adam(0, this.grads, this.moment1, this.moment2, this.paramFloats, {
      learningRate: this.learningRate,
      beta1: BETA1,
      beta2: BETA2,
      epsilon: EPSILON,
      correction1: 1 - BETA1 ** this.steps,
      correction2: 1 - BETA2 ** this.steps,
    });
    this.transposeAll();
    return loss;
  }

  /**
   * The batch's mean loss, as the compiled loss computes it; with `gradient`, also dLoss/dz of the output layer's
   * pre-activation (mean over the batch: (p − y)/n for all three heads, up to MSE's factor 2).
   */
  private loss(pred: Float32Array, y: Float32Array, n: number, gradient?: Float32Array): number {
    let loss = 0;
    if (this.output === 'sigmoid') {
      for (let i = 0; i < n; i++) {
        const p = Math.min(Math.max(pred[i] as number, EPSILON), 1 - EPSILON);
        const t = y[i] as number;
        loss -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        if (gradient) gradient[i] = ((pred[i] as number) - t) / n;
      }
    } else if (this.output === 'softmax') {
      const k = this.classes;
      for (let i = 0; i < n; i++) {
        const c = y[i] as number;
        loss -= Math.log(Math.min(Math.max(pred[i * k + c] as number, EPSILON), 1 - EPSILON));
        if (gradient) for (let j = 0; j < k; j++) gradient[i * k + j] = ((pred[i * k + j] as number) - (j === c ? 1 : 0)) / n;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const d = (pred[i] as number) - (y[i] as number);
        loss += d * d;
        if (gradient) gradient[i] = (2 * d) / n;
      }
    }
    return loss / n;
  }

  /**
   * Outputs (after the output activation, rows × units) and mean loss of the current weights on `rows` rows of x,
   * as model.predict and the compiled loss give them: the per-epoch validation without copying weights into TF.js.
   */
  evaluate(x: Float32Array, y: Float32Array, rows: number): { outputs: Float32Array; loss: number } {
    const cols = this.sizes[0] as number;
    const units = this.sizes[this.sizes.length - 1] as number;
    const outputs = new Float32Array(rows * units);
    let sum = 0;
    const chunk = Math.max(this.capacity, Math.min(rows, EVALUATE_ROWS));
    this.reserve(chunk);
    for (let from = 0; from < rows; from += chunk) {
      const n = Math.min(chunk, rows - from);
      this.mem.f32.set(x.subarray(from * cols, (from + n) * cols), this.X);
      const pred = this.forward(n, null);
      outputs.set(pred, from * units);
      sum += this.loss(pred, y.subarray(from, from + n), n) * n;
    }
    return { outputs, loss: rows > 0 ? sum / rows : 0 };
  }

  /** A copy of the current weights (for the best epoch's snapshot). */
  weights(): Float32Array {
    return this.mem.f32.slice(0, this.paramFloats);
  }

  /** Puts back weights from `weights()`. */
  restore(weights: Float32Array): void {
    this.mem.f32.set(weights, 0);
    this.transposeAll();
  }

  /** Writes the current weights into the TF.js model. */
  syncTo(model: tf.LayersModel): void {
    tf.tidy(() => model.setWeights(this.shapes.map((shape, i) => tf.tensor(Float32Array.from(this.param(i)), shape))));
  }
}

/** Share of zeros above which the first layer skips zero inputs (Adult's one-hot matrix: ~87% zeros). */
const SPARSE_INPUT_SHARE = 0.7;
/** Training rows kept in the kernel memory up to this size (a second copy of them); larger ones are gathered from where they are. */
const MAX_KEPT_BYTES = 512 * 1024 * 1024;
/** Rows per forward pass in `evaluate`. */
const EVALUATE_ROWS = 1024;

/** Floats rounded up to a multiple of 4 (16 bytes). */
function aligned(floats: number): number {
  return floats + ((4 - (floats % 4)) % 4);
}

/** Share of zeros among the first `length` values, from at most ~64k of them evenly spaced. */
function zeroShare(x: Float32Array, length: number): number {
  const stride = Math.max(1, Math.floor(length / 65536));
  let zeros = 0;
  let seen = 0;
  for (let i = 0; i < length; i += stride, seen++) if (x[i] === 0) zeros++;
  return seen > 0 ? zeros / seen : 0;
}

/** Row-wise softmax in place, as tf.softmax (max subtracted first). */
function softmaxRows(z: Float32Array, rows: number, k: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, z[o + j] as number);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp((z[o + j] as number) - max);
      z[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) z[o + j] = (z[o + j] as number) / sum;
  }
}
