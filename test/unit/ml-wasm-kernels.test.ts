// The training kernels registered for TF.js's wasm backend (src/main/workers/wasm-kernels.ts), checked against the
// cpu backend on seeded random inputs; tf.grads of conv nets on wasm against cpu; the reference CNN training on wasm.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, wasmKernelLimits } from '../../src/main/workers/wasm-kernels.js';
import { buildReferenceCnn } from '../../src/main/core/ml/cnn.js';
import { mulberry32 } from '../../src/main/core/random.js';

const require = createRequire(import.meta.url);
type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

let registered: string[] = [];

beforeAll(async () => {
  // As src/main/workers/tf-backend.ts starts it.
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  expect(await tf.setBackend('cpu')).toBe(true);
  expect(await tf.setBackend('wasm')).toBe(true);
  registered = registerWasmTrainingKernels();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

function randomArray(size: number, seed: number, integers = false): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: size }, () => (integers ? Math.floor(random() * 4) : random() * 2 - 1));
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

interface Input {
  shape: number[];
  values: Float32Array;
  dtype?: 'float32' | 'int32';
}

/** Runs one kernel on `backend` with fresh tensors and returns its output values and shape. */
async function runKernel(backend: string, kernel: string, inputs: Record<string, Input>, attrs: Record<string, unknown>): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  // Values are read outside tidy: tidy walks what it returns, element by element for a typed array.
  const out = tf.tidy(() => {
    const named: Record<string, tf.Tensor> = {};
    for (const [name, input] of Object.entries(inputs)) named[name] = tf.tensor(input.dtype === 'int32' ? Int32Array.from(input.values) : input.values, input.shape, input.dtype ?? 'float32');
    return tf.engine().runKernel(kernel, named, attrs as tf.NamedAttrMap) as tf.Tensor;
  });
  const result = { shape: out.shape, values: Float32Array.from(out.dataSync()) };
  out.dispose();
  return result;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** Same output on wasm as on cpu: shape equal, max abs difference under 1e-5 of the largest magnitude (and 1e-5 absolute). */
async function expectSameAsCpu(kernel: string, inputs: Record<string, Input>, attrs: Record<string, unknown>): Promise<number> {
  const cpu = await runKernel('cpu', kernel, inputs, attrs);
  const wasm = await runKernel('wasm', kernel, inputs, attrs);
  expect(wasm.shape).toEqual(cpu.shape);
  const diff = maxAbsDiff(wasm.values, cpu.values);
  expect(diff).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(cpu.values)));
  await tf.setBackend('wasm');
  return diff;
}

/** The conv output shape for x and a filter (on cpu, values unused). */
async function convOutShape(x: Shape4, filter: Shape4, strides: number | [number, number], pad: Pad, depthwise = false, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): Promise<number[]> {
  await tf.setBackend('cpu');
  const shape = tf.tidy(() => (depthwise ? tf.depthwiseConv2d(tf.zeros(x) as tf.Tensor4D, tf.zeros(filter) as tf.Tensor4D, strides, pad) : tf.conv2d(tf.zeros(x) as tf.Tensor4D, tf.zeros(filter) as tf.Tensor4D, strides, pad, dataFormat)).shape);
  await tf.setBackend('wasm');
  return shape;
}

interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'valid' },
  { x: [3, 9, 10, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 9, 10, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [3, 9, 10, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'same' },
  { x: [4, 7, 9, 5], filter: [2, 3, 5, 6], strides: [1, 2], pad: 'same' },
  { x: [1, 6, 6, 4], filter: [1, 1, 4, 8], strides: 1, pad: 'valid' },
  // K = fh·fw·inC below outC: the patch matrix is the packed operand (the reference CNN's first layer).
  { x: [3, 9, 10, 2], filter: [2, 2, 2, 16], strides: 2, pad: 'same' },
  { x: [2, 7, 8, 1], filter: [3, 3, 1, 12], strides: [2, 1], pad: [[0, 0], [2, 1], [1, 0], [0, 0]] },
  { x: [5, 6, 7, 2], filter: [3, 3, 2, 2], strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 3, 9, 10], filter: [3, 3, 3, 4], strides: 2, pad: 'same', dataFormat: 'NCHW' },
  { x: [2, 3, 9, 10], filter: [3, 3, 3, 4], strides: 1, pad: 'valid', dataFormat: 'NCHW' },
];

const label = (c: { x: number[]; filter: number[]; strides: unknown; pad: unknown; dataFormat?: string }) =>
  `x ${c.x.join('×')} filter ${c.filter.join('×')} strides ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}${c.dataFormat ? ` ${c.dataFormat}` : ''}`;

describe('registerWasmTrainingKernels', () => {
  it('registers the missing gradient kernels and the faster replacements, idempotently', () => {
    expect(registered).toEqual(['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum', 'MaxPoolGrad', 'BatchMatMul', 'Sum', 'Identity']);
    expect(registerWasmTrainingKernels()).toEqual(registered);
    for (const name of registered) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('Conv2DBackpropFilter on wasm equals cpu', () => {
  for (const [i, c] of CONV_CASES.entries()) {
    it(label(c), async () => {
      const dataFormat = c.dataFormat ?? 'NHWC';
      const dyShape = await convOutShape(c.x, c.filter, c.strides, c.pad, false, dataFormat);
      await expectSameAsCpu(
        'Conv2DBackpropFilter',
        { x: { shape: c.x, values: randomArray(sizeOf(c.x), 10 + i) }, dy: { shape: dyShape, values: randomArray(sizeOf(dyShape), 100 + i) } },
        { strides: c.strides, pad: c.pad, dataFormat, filterShape: c.filter },
      );
    });
  }

  it('gives the same result when the batch is split into im2col chunks, and frees its buffers', async () => {
    const c: ConvCase = { x: [5, 10, 11, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' };
    const dyShape = await convOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { x: { shape: c.x, values: randomArray(sizeOf(c.x), 7) }, dy: { shape: dyShape, values: randomArray(sizeOf(dyShape), 8) } };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const whole = await runKernel('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    const saved = wasmKernelLimits.im2colFloats;
    try {
      wasmKernelLimits.im2colFloats = 2 * 27 * 110; // two images per chunk: chunks of 2, 2, 1
      const chunked = await runKernel('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      expect(maxAbsDiff(chunked.values, whole.values)).toBeLessThanOrEqual(1e-5 * maxAbs(whole.values));
      wasmKernelLimits.im2colFloats = 1; // smaller than one image: one image per chunk
      await expectSameAsCpu('Conv2DBackpropFilter', inputs, attrs);
    } finally {
      wasmKernelLimits.im2colFloats = saved;
    }
    // The other orientation (patches packed, K = 2 < 8 output channels), chunked too.
    const p: ConvCase = { x: [5, 10, 11, 2], filter: [1, 1, 2, 8], strides: 2, pad: 'same' };
    const pdy = await convOutShape(p.x, p.filter, p.strides, p.pad);
    const pInputs = { x: { shape: p.x, values: randomArray(sizeOf(p.x), 9) }, dy: { shape: pdy, values: randomArray(sizeOf(pdy), 10) } };
    const pAttrs = { strides: p.strides, pad: p.pad, dataFormat: 'NHWC', filterShape: p.filter };
    try {
      wasmKernelLimits.im2colFloats = 2 * 2 * 30;
      await expectSameAsCpu('Conv2DBackpropFilter', pInputs, pAttrs);
    } finally {
      wasmKernelLimits.im2colFloats = saved;
    }
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    await runKernel('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    await runKernel('wasm', 'Conv2DBackpropFilter', pInputs, pAttrs);
    const nchw = { x: { shape: [2, 3, 9, 10], values: randomArray(540, 1) }, dy: { shape: [2, 4, 5, 5], values: randomArray(200, 2) } };
    await runKernel('wasm', 'Conv2DBackpropFilter', nchw, { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] });
    expect(backend.numDataIds()).toBe(before);
  });
});

interface DepthwiseCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
}

const DEPTHWISE_CASES: DepthwiseCase[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'valid' },
  { x: [2, 8, 9, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'same' },
  { x: [3, 9, 9, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'same' },
  { x: [1, 10, 7, 2], filter: [5, 3, 2, 3], strides: 2, pad: 'valid' },
  { x: [2, 7, 8, 2], filter: [2, 2, 2, 2], strides: [2, 1], pad: [[0, 0], [1, 0], [0, 1], [0, 0]] },
];

describe('DepthwiseConv2dNative gradients on wasm equal cpu', () => {
  for (const [i, c] of DEPTHWISE_CASES.entries()) {
    it(`filter and input, ${label(c)}`, async () => {
      const dyShape = await convOutShape(c.x, c.filter, c.strides, c.pad, true);
      const dy = { shape: dyShape, values: randomArray(sizeOf(dyShape), 300 + i) };
      await expectSameAsCpu('DepthwiseConv2dNativeBackpropFilter', { x: { shape: c.x, values: randomArray(sizeOf(c.x), 200 + i) }, dy }, { strides: c.strides, pad: c.pad, dilations: 1, filterShape: c.filter });
      await expectSameAsCpu('DepthwiseConv2dNativeBackpropInput', { dy, filter: { shape: c.filter, values: randomArray(sizeOf(c.filter), 400 + i) } }, { strides: c.strides, pad: c.pad, dilations: 1, inputShape: c.x });
    });
  }
});

interface PoolCase {
  x: Shape4;
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same';
}

const POOL_CASES: PoolCase[] = [
  { x: [4, 26, 26, 8], filterSize: 2, strides: 2, pad: 'valid' },
  { x: [2, 11, 13, 5], filterSize: 3, strides: 2, pad: 'same' },
  { x: [2, 9, 9, 3], filterSize: 3, strides: 1, pad: 'valid' },
  { x: [3, 10, 10, 3], filterSize: [2, 3], strides: [2, 1], pad: 'same' },
  { x: [1, 7, 7, 2], filterSize: 2, strides: 2, pad: 'same' },
];

describe('MaxPoolGrad on wasm equals cpu', () => {
  for (const [i, c] of POOL_CASES.entries()) {
    for (const ties of [false, true]) {
      it(`${ties ? 'with ties, ' : ''}x ${c.x.join('×')} pool ${JSON.stringify(c.filterSize)} strides ${JSON.stringify(c.strides)} ${c.pad}`, async () => {
        const x = randomArray(sizeOf(c.x), 500 + i, ties);
        await tf.setBackend('cpu');
        const pooled = tf.tidy(() => tf.maxPool(tf.tensor4d(x, c.x), c.filterSize, c.strides, c.pad));
        const y = { shape: pooled.shape, values: pooled.dataSync() as Float32Array };
        pooled.dispose();
        await expectSameAsCpu(
          'MaxPoolGrad',
          { dy: { shape: y.shape, values: randomArray(sizeOf(y.shape), 600 + i) }, input: { shape: c.x, values: x }, output: y },
          { filterSize: c.filterSize, strides: c.strides, pad: c.pad },
        );
      });
    }
  }
});

interface MatMulCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const MATMUL_CASES: MatMulCase[] = [
  { a: [64, 50], b: [64, 10], transposeA: true, transposeB: false },
  { a: [7, 13], b: [11, 13], transposeA: false, transposeB: true },
  { a: [13, 7], b: [11, 13], transposeA: true, transposeB: true },
  { a: [1, 6, 5], b: [1, 6, 4], transposeA: true, transposeB: false },
  { a: [1, 1, 3, 5], b: [1, 4, 5], transposeA: false, transposeB: true },
  { a: [3, 6, 5], b: [3, 6, 4], transposeA: true, transposeB: false },
  { a: [2, 5, 6], b: [1, 4, 6], transposeA: false, transposeB: true },
  { a: [5, 6], b: [6, 4], transposeA: false, transposeB: false },
  { a: [1, 300], b: [1, 2], transposeA: true, transposeB: false },
];

describe('BatchMatMul on wasm (transposes done before XNNPACK) equals cpu', () => {
  for (const [i, c] of MATMUL_CASES.entries()) {
    it(`a ${c.a.join('×')}${c.transposeA ? 'ᵀ' : ''} · b ${c.b.join('×')}${c.transposeB ? 'ᵀ' : ''}`, async () => {
      await expectSameAsCpu('BatchMatMul', { a: { shape: c.a, values: randomArray(sizeOf(c.a), 700 + i) }, b: { shape: c.b, values: randomArray(sizeOf(c.b), 800 + i) } }, { transposeA: c.transposeA, transposeB: c.transposeB });
    });
  }

  it('frees its transposed copies', async () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    await runKernel('wasm', 'BatchMatMul', { a: { shape: [13, 7], values: randomArray(91, 1) }, b: { shape: [11, 13], values: randomArray(143, 2) } }, { transposeA: true, transposeB: true });
    expect(backend.numDataIds()).toBe(before);
  });
});

interface SumCase {
  x: number[];
  axis: number | number[];
  keepDims: boolean;
  dtype?: 'int32';
}

const SUM_CASES: SumCase[] = [
  { x: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
  { x: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: true },
  { x: [64, 10], axis: 0, keepDims: false },
  { x: [4, 5, 6], axis: [1, 0], keepDims: false },
  { x: [4, 5, 6], axis: [-3], keepDims: true },
  { x: [4, 5, 6], axis: -1, keepDims: false },
  { x: [4, 5, 6], axis: [0, 2], keepDims: false },
  { x: [4, 5, 6], axis: [0, 1, 2], keepDims: false },
  { x: [7], axis: 0, keepDims: false },
  { x: [4, 5, 6], axis: [0, 1], keepDims: false, dtype: 'int32' },
];

describe('Sum on wasm (column sums for leading axes) equals cpu', () => {
  for (const [i, c] of SUM_CASES.entries()) {
    it(`x ${c.x.join('×')} axis ${JSON.stringify(c.axis)}${c.keepDims ? ' keepDims' : ''}${c.dtype ? ` ${c.dtype}` : ''}`, async () => {
      const values = randomArray(sizeOf(c.x), 900 + i, c.dtype === 'int32');
      await expectSameAsCpu('Sum', { x: { shape: c.x, values, ...(c.dtype ? { dtype: c.dtype } : {}) } }, { axis: c.axis, keepDims: c.keepDims });
    });
  }
});

describe('UnsortedSegmentSum on wasm (the gradient of Gather) equals cpu', () => {
  it('sums rows into segments, repeated and absent ids included', async () => {
    const ids = Float32Array.from([3, 0, 3, 1, 0, 3, 5]);
    await expectSameAsCpu('UnsortedSegmentSum', { x: { shape: [7, 4], values: randomArray(28, 1201) }, segmentIds: { shape: [7], values: ids, dtype: 'int32' } }, { numSegments: 6 });
    await expectSameAsCpu('UnsortedSegmentSum', { x: { shape: [7, 2, 3], values: randomArray(42, 1202) }, segmentIds: { shape: [7], values: ids, dtype: 'int32' } }, { numSegments: 8 });
  });

  it('lets an Embedding layer train on wasm with the same gradient as cpu', async () => {
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const table = tf.tensor2d(randomArray(20, 1203), [5, 4]);
        const idx = tf.tensor1d([4, 1, 1, 0], 'int32');
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, idx))))(table);
        return Float32Array.from(g.dataSync());
      });
    };
    const cpu = await grad('cpu');
    const wasm = await grad('wasm');
    expect(maxAbsDiff(wasm, cpu)).toBeLessThan(1e-6);
    expect(Array.from(cpu.subarray(8, 12)).every((v) => v === 0)).toBe(true); // row 2 is never gathered
  });
});

describe('Identity on wasm shares the buffer', () => {
  it('gives equal values that outlive the original, and frees the buffer with the last reference', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    const z = tf.add(y, 1);
    expect(Array.from(z.dataSync())).toEqual([2, 3, 4, 5, 6, 7]);
    z.dispose();
    y.dispose();
    expect(backend.numDataIds()).toBe(before);
    const s = tf.tensor1d(['a', 'b'], 'string');
    const t = tf.clone(s);
    s.dispose();
    expect(t.arraySync()).toEqual(['a', 'b']);
    t.dispose();
  });
});

/** The gradients of f with respect to every argument, on one backend. */
async function gradsOn(backend: string, f: (...args: tf.Tensor[]) => tf.Tensor, args: Input[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const grads = tf.tidy(() => tf.grads(f)(args.map((a) => tf.tensor(a.values, a.shape))));
  const values = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose(grads);
  return values;
}

async function expectSameGrads(f: (...args: tf.Tensor[]) => tf.Tensor, args: Input[]): Promise<void> {
  const cpu = await gradsOn('cpu', f, args);
  const wasm = await gradsOn('wasm', f, args);
  expect(wasm.length).toBe(cpu.length);
  for (const [k, g] of cpu.entries()) {
    expect(maxAbs(g)).toBeGreaterThan(0);
    expect(maxAbsDiff(wasm[k] as Float32Array, g)).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(g)));
  }
  await tf.setBackend('wasm');
}

describe('tf.grads of conv nets on wasm equal cpu', () => {
  const input = (shape: number[], seed: number, scale = 1): Input => ({ shape, values: randomArray(sizeOf(shape), seed).map((v) => v * scale) });

  it('conv (same, stride 2) → relu → conv (valid) → relu → max-pool → dense → softmax cross-entropy', async () => {
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 0, 3, 2], 'int32'), 4).arraySync() as number[][]);
    const f = (x: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, wd: tf.Tensor) => {
      const h1 = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'), b1));
      const h2 = tf.relu(tf.conv2d(h1 as tf.Tensor4D, w2 as tf.Tensor4D, 1, 'valid'));
      const p = tf.maxPool(h2 as tf.Tensor4D, 2, 2, 'valid');
      const logits = tf.matMul(tf.reshape(p, [4, -1]), wd as tf.Tensor2D);
      return tf.losses.softmaxCrossEntropy(tf.tensor2d(labels), logits);
    };
    // x [4, 14, 14, 2] → conv 3×3×2×6 same stride 2 → [4, 7, 7, 6] → conv 3×3×6×8 valid → [4, 5, 5, 8] → pool → [4, 2, 2, 8]
    await expectSameGrads(f, [input([4, 14, 14, 2], 1), input([3, 3, 2, 6], 2, 0.5), input([6], 3, 0.1), input([3, 3, 6, 8], 4, 0.3), input([32, 4], 5, 0.3)]);
  });

  it('depthwise conv → relu → avg-pool → sum of squares', async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.avgPool(tf.relu(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')) as tf.Tensor4D, 2, 2, 'valid')));
    await expectSameGrads(f, [input([2, 8, 8, 3], 6), input([3, 3, 3, 2], 7)]);
  });
});

describe('the reference CNN on wasm', () => {
  it('trains: the loss goes down over a few steps, and the first steps match the cpu backend', async () => {
    const n = 32;
    const random = mulberry32(11);
    // Two synthetic classes a conv net separates easily: a bright bar across the top half or the bottom half.
    const xs = new Float32Array(n * 28 * 28);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const cls = i % 2;
      ys[i] = cls;
      for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) xs[(i * 28 + r) * 28 + c] = 0.2 * random() + ((r < 14) === (cls === 0) && r % 7 < 3 ? 0.8 : 0);
    }
    const lossesOn = async (backend: string, steps: number) => {
      await tf.setBackend(backend);
      const model = buildReferenceCnn({ height: 28, width: 28, channels: 1, classes: 2, seed: 5, learningRate: 0.01 });
      const x = tf.tensor4d(xs, [n, 28, 28, 1]);
      const y = tf.tensor1d(ys);
      const losses: number[] = [];
      for (let s = 0; s < steps; s++) losses.push(((await model.trainOnBatch(x, y)) as number[])[0] as number);
      model.dispose();
      x.dispose();
      y.dispose();
      return losses;
    };
    const wasm = await lossesOn('wasm', 8);
    expect(wasm.every(Number.isFinite)).toBe(true);
    expect(wasm[wasm.length - 1] as number).toBeLessThan((wasm[0] as number) * 0.5);
    const cpu = await lossesOn('cpu', 3);
    for (let s = 0; s < 3; s++) expect(Math.abs((wasm[s] as number) - (cpu[s] as number))).toBeLessThan(1e-4);
    await tf.setBackend('wasm');
  });
});
