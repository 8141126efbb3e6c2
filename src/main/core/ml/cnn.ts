/**
 * The reference convolutional network for image classification (MNIST-sized inputs):
 * Conv2D(32 filters, 3×3, stride 1, 'valid', ReLU) → MaxPool2D(2×2) → Flatten → Dense(classes, softmax).
 * Weights are seeded Glorot-uniform (conv seed, dense seed + 1), biases zero; Adam at the given learning rate;
 * the loss is sparse categorical cross-entropy, so labels are class indices (a float32 tensor of shape [n] or
 * [n, 1]) — no one-hot matrix to build. The metric is accuracy. Inputs are NHWC floats (pixels / 255 for MNIST).
 * On the wasm backend, call registerWasmTrainingKernels (workers/wasm-kernels.ts) before training.
 */
import * as tf from '@tensorflow/tfjs';
import { XinzhiError } from '../../../shared/model/errors.js';

export interface ReferenceCnnOptions {
  height: number;
  width: number;
  channels: number;
  classes: number;
  seed: number;
  learningRate: number;
}

export const REFERENCE_CNN_LOSS = 'sparseCategoricalCrossentropy';

export function buildReferenceCnn(opts: ReferenceCnnOptions): tf.Sequential {
  const { height, width, channels, classes, seed, learningRate } = opts;
  for (const [name, v, min] of [['height', height, 4], ['width', width, 4], ['channels', channels, 1], ['classes', classes, 2]] as const) {
    if (!Number.isInteger(v) || v < min) throw new XinzhiError('E_INVALID_INPUT', `${name} must be an integer ≥ ${min}, got ${v}`, { path: name });
  }
  if (!Number.isInteger(seed)) throw new XinzhiError('E_INVALID_INPUT', `seed must be an integer, got ${seed}`, { path: 'seed' });
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new XinzhiError('E_INVALID_INPUT', `learningRate must be a number > 0, got ${learningRate}`, { path: 'learningRate' });
  const model = tf.sequential({ name: 'reference_cnn' });
  model.add(
    tf.layers.conv2d({
      inputShape: [height, width, channels],
      filters: 32,
      kernelSize: 3,
      strides: 1,
      padding: 'valid',
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      biasInitializer: 'zeros',
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), biasInitializer: 'zeros' }));
  model.compile({ optimizer: tf.train.adam(learningRate), loss: REFERENCE_CNN_LOSS, metrics: ['accuracy'] });
  return model;
}
