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
        const x = Float32Array.from({ length: n * cols }, () => (random() < 0.3 ? 0 : random() * 2 - 1));
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
