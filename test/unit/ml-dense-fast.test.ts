// The written-out Dense-stack training step equals TF.js autodiff + tf.train.adam on the same batches: same
// weights after several steps and the same loss, for the three heads (sigmoid, softmax, linear).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DenseStackTrainer } from '../../src/main/workers/ml/dense-fast.js';
import { mulberry32 } from '../../src/main/core/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function stack(inputs: number, hidden: number[], units: number, activation: string, seed: number): tf.Sequential {
  const model = tf.sequential();
  hidden.forEach((size, i) => model.add(tf.layers.dense({ ...(i === 0 ? { inputShape: [inputs] } : {}), units: size, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }) })));
  model.add(tf.layers.dense({ ...(hidden.length === 0 ? { inputShape: [inputs] } : {}), units, activation: activation as 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 9 }) }));
  return model;
}

const cases = [
  { head: 'sigmoid', loss: 'binaryCrossentropy', units: 1, hidden: [16, 8] },
  { head: 'softmax', loss: 'categoricalCrossentropy', units: 3, hidden: [16] },
  { head: 'linear', loss: 'meanSquaredError', units: 1, hidden: [12, 12] },
  { head: 'softmax', loss: 'categoricalCrossentropy', units: 4, hidden: [] },
  // Widths that are multiples of 16 run on the WebAssembly SIMD kernel (the others on its JavaScript twin).
  { head: 'sigmoid', loss: 'binaryCrossentropy', units: 1, hidden: [64, 32] },
  // Mostly-zero inputs (one-hot columns): the first layer's products skip the zeros.
  { head: 'softmax', loss: 'categoricalCrossentropy', units: 3, hidden: [32], zeros: 0.9 },
] as const;

describe('DenseStackTrainer', () => {
  for (const c of cases) {
    it(`${c.head} head, hidden ${JSON.stringify(c.hidden)}: weights and loss equal autodiff + tf.train.adam after 5 steps`, async () => {
      // Batches of changing size (the last batch of an epoch is smaller; a larger one regrows the buffers) and
      // inputs with exact zeros, as one-hot columns have (the kernel skips them).
      const sizes = [32, 45, 20, 45, 32];
      const cols = 6;
      const random = mulberry32(11);
      const fast = stack(cols, [...c.hidden], c.units, c.head, 3);
      const reference = stack(cols, [...c.hidden], c.units, c.head, 3);
      fast.compile({ optimizer: tf.train.adam(0.01), loss: c.loss });
      const trainer = DenseStackTrainer.of(fast, c.loss, 0.01, c.units);
      expect(trainer).not.toBeNull();
      expect(trainer!.simd).toBe(true);
      const optimizer = tf.train.adam(0.01);
      for (let step = 0; step < 5; step++) {
        const n = sizes[step] as number;
        const x = Float32Array.from({ length: n * cols }, () => (random() < ('zeros' in c ? c.zeros : 0.3) ? 0 : random() * 2 - 1));
        const y = Float32Array.from({ length: n }, () => (c.head === 'linear' ? random() * 4 - 2 : Math.floor(random() * (c.head === 'sigmoid' ? 2 : c.units))));
        const loss = trainer!.step(x, y, n);
        const xs = tf.tensor2d(x, [n, cols]);
        const ys = c.head === 'softmax' ? tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), c.units).toFloat() : tf.tensor2d(y, [n, 1]);
        const lossFn = c.loss === 'binaryCrossentropy' ? tf.metrics.binaryCrossentropy : c.loss === 'categoricalCrossentropy' ? tf.metrics.categoricalCrossentropy : tf.metrics.meanSquaredError;
        const variables = reference.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
        const cost = optimizer.minimize(() => tf.mean(lossFn(ys, reference.apply(xs, { training: true }) as tf.Tensor)) as tf.Scalar, true, variables)!;
        expect(loss).toBeCloseTo(cost.dataSync()[0] as number, 4);
        tf.dispose([xs, ys, cost]);
      }
      trainer!.syncTo(fast);
      const a = fast.getWeights().map((w) => Array.from(w.dataSync()));
      const b = reference.getWeights().map((w) => Array.from(w.dataSync()));
      let worst = 0;
      a.forEach((wa, i) => wa.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (b[i]![j] as number))))));
      expect(worst).toBeLessThan(1e-5);
      // And it really trained: the weights moved from their initial values.
      const initial = stack(cols, [...c.hidden], c.units, c.head, 3).getWeights()[0]!.dataSync();
      expect(Math.abs((a[0]![0] as number) - (initial[0] as number))).toBeGreaterThan(1e-4);
    });
  }

  it('trains on rows kept in its memory (or too large to keep) as on the same rows passed in, and evaluates as model.predict and the compiled loss', () => {
    const cols = 20;
    const rows = 300;
    const random = mulberry32(5);
    // Dense rows (kept as they are, batches gathered in the memory), then one-hot-like rows: one of 16 columns set,
    // four numeric ones (80% zeros: kept in sparse form, the first layer reading only the non-zeros).
    const denseData = Float32Array.from({ length: rows * cols }, () => random() * 2 - 1);
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      data[r * cols + Math.floor(random() * 16)] = 1;
      for (let j = 16; j < cols; j++) data[r * cols + j] = random() * 2 - 1;
    }
    const labels = Float32Array.from({ length: rows }, () => (random() < 0.4 ? 1 : 0));
    const model = stack(cols, [32, 16], 1, 'sigmoid', 8);
    let kept!: DenseStackTrainer;
    for (const x0 of [denseData, data]) {
      kept = DenseStackTrainer.of(model, 'binaryCrossentropy', 0.01, 1)!;
      const passed = DenseStackTrainer.of(model, 'binaryCrossentropy', 0.01, 1)!;
      // Rows too large to keep a copy of (a limit of 0 bytes here) are gathered from where they are.
      const outside = DenseStackTrainer.of(model, 'binaryCrossentropy', 0.01, 1)!;
      kept.setData(x0, rows);
      outside.setData(x0, rows, 0);
      for (let step = 0; step < 4; step++) {
        const idx = Int32Array.from({ length: 64 }, () => Math.floor(random() * rows));
        const y = Float32Array.from(idx, (r) => labels[r]!);
        const x = new Float32Array(idx.length * cols);
        idx.forEach((r, i) => x.set(x0.subarray(r * cols, (r + 1) * cols), i * cols));
        const loss = passed.step(x, y, idx.length);
        expect(kept.stepRows(idx, y)).toBe(loss);
        expect(outside.stepRows(idx, y)).toBe(loss);
      }
      expect(Array.from(kept.weights())).toEqual(Array.from(passed.weights()));
      expect(Array.from(outside.weights())).toEqual(Array.from(passed.weights()));
    }
    expect(() => kept.stepRows(Int32Array.of(rows), Float32Array.of(0))).toThrow(RangeError);

    // evaluate: the outputs model.predict gives with the same weights, the loss the compiled loss gives.
    const { outputs, loss } = kept.evaluate(data, labels, rows);
    kept.syncTo(model);
    const xs = tf.tensor2d(data, [rows, cols]);
    const ys = tf.tensor2d(labels, [rows, 1]);
    const predicted = model.predict(xs) as tf.Tensor;
    const expected = predicted.dataSync();
    let worst = 0;
    outputs.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!))));
    expect(worst).toBeLessThan(1e-5);
    expect(loss).toBeCloseTo(tf.mean(tf.metrics.binaryCrossentropy(ys, predicted)).dataSync()[0]!, 5);

    // A snapshot's weights come back after further steps.
    const snapshot = kept.weights();
    kept.stepRows(Int32Array.of(1, 2, 3), Float32Array.of(1, 0, 1));
    expect(Array.from(kept.evaluate(data, labels, rows).outputs)).not.toEqual(Array.from(outputs));
    kept.restore(snapshot);
    expect(Array.from(kept.evaluate(data, labels, rows).outputs)).toEqual(Array.from(outputs));
    tf.dispose([xs, ys, predicted]);
  });

  it('declines what it does not compute: dropout, other activations, a loss that does not match the head', () => {
    const withDropout = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tf.layers.dropout({ rate: 0.2 }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    expect(DenseStackTrainer.of(withDropout, 'binaryCrossentropy', 0.01, 1)).toBeNull();
    const tanh = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    expect(DenseStackTrainer.of(tanh, 'binaryCrossentropy', 0.01, 1)).toBeNull();
    const plain = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    expect(DenseStackTrainer.of(plain, 'meanSquaredError', 0.01, 1)).toBeNull();
    expect(DenseStackTrainer.of(plain, 'binaryCrossentropy', 0.01, 1)).not.toBeNull();
  });
});
