/**
 * The workbench's model families, each fitted on prepared rows (FamilyData) with one shared epoch loop (live
 * history, cancel, early stopping with the best weights kept) and each able to predict and save itself.
 * TensorFlow.js families (mlp, cnn, embedding, multiclass logistic, autoencoder) train on the active backend of the
 * ladder; the classic ones run on typed arrays where that was measured faster (DESIGN §7). Linear and binary
 * logistic models are saved as one TF.js Dense layer, so every supervised tabular model loads with
 * tf.loadLayersModel and can be compressed.
 */
import * as tf from '@tensorflow/tfjs';
import { XinzhiError } from '../../../shared/model/errors.js';
import type { HistoryEntry, HyperParams, HyperValue, ModelFamily, ModelTask } from '../../../shared/model/training.js';
import { balancedClassWeight, predictProba, trainLogistic } from '../../core/ml/logistic.js';
import { fitLinearClosedForm, fitLinearGradientDescent } from '../../core/ml/linear.js';
import { fitKMeans, assignClusters, type KMeansModel } from '../../core/ml/kmeans.js';
import { fitDbscan, dbscanModel, assignDbscan, type DbscanModel } from '../../core/ml/dbscan.js';
import { fitIsolationForest, anomalyScores, type IsolationForestModel } from '../../core/ml/isolation-forest.js';
import { fitMatrixFactorisation, predictRatings, type MfModel } from '../../core/ml/mf.js';
import { fitTfidf, transformTfidf, hashingVectorize, trainSparseSoftmax, predictSparseSoftmax, type Csr, type SparseSoftmaxModel, type TfidfModel } from '../../core/ml/text.js';
import { buildReferenceCnn } from '../../core/ml/cnn.js';
import { takeRows } from '../../core/ml/pipeline.js';
import { mulberry32 } from '../../core/random.js';
import { argmaxRows, evaluate, metricValue, primaryMetric, type Outputs } from './evaluation.js';
import { saveLayersModel, writeModelFile } from './artifact.js';
import { DenseStackTrainer } from './dense-fast.js';

/** Rows ready for a family: a feature matrix, token lists, or user/item pairs, with the truth when known. */
export interface FamilyData {
  rows: number;
  X?: Float32Array;
  cols?: number;
  docs?: string[][];
  users?: Int32Array;
  items?: Int32Array;
  /** Class indexes (classification) or 0/1 labels (anomaly with a label column). */
  y?: Uint8Array | null;
  /** Regression targets and ratings. */
  yValues?: Float64Array | null;
}

export function subset(d: FamilyData, idx: Int32Array): FamilyData {
  const out: FamilyData = { rows: idx.length };
  if (d.X && d.cols !== undefined) {
    out.X = takeRows(d.X, d.cols, idx);
    out.cols = d.cols;
  }
  if (d.docs) out.docs = Array.from(idx, (r) => d.docs![r] as string[]);
  if (d.users) out.users = Int32Array.from(idx, (r) => d.users![r] as number);
  if (d.items) out.items = Int32Array.from(idx, (r) => d.items![r] as number);
  if (d.y) out.y = Uint8Array.from(idx, (r) => d.y![r] as number);
  if (d.yValues) out.yValues = Float64Array.from(idx, (r) => d.yValues![r] as number);
  return out;
}

export interface FitOptions {
  task: ModelTask;
  /** Number of classes (classification). */
  classes: number;
  hyper: HyperParams;
  epochs: number;
  batchSize: number;
  /** Absent: the family's default. */
  learningRate?: number;
  seed: number;
  patience?: number | undefined;
  signal: AbortSignal;
  /** The TF.js backend in use (TF families) — recorded as the model's backend. */
  tfBackend: string;
  image?: { height: number; width: number; channels: number } | undefined;
  /** Recommenders: how many distinct users and items the indexes range over. */
  counts?: { users: number; items: number } | undefined;
  onEpoch(entry: HistoryEntry, epochs: number): void;
}

export interface Trained {
  backend: string;
  history: HistoryEntry[];
  stoppedEarly?: { epoch: number; bestEpoch: number };
  /** The hyper-parameters used, defaults filled in. */
  hyper: HyperParams;
  /** Facts pipeline.json must carry for scoring (target scaling, thresholds, rating range, image shape). */
  meta: Record<string, unknown>;
  predict(d: FamilyData): Promise<Outputs>;
  /** Writes the model's own files into `dir` (pipeline.json is the caller's) and returns their names. */
  save(dir: string): Promise<string[]>;
  /** The TF.js model, for explanations and compression (absent for typed-array families). */
  tfModel?: tf.LayersModel;
  dispose(): void;
}

// ------------------------------------------------------------------ hyper-parameters

function num(h: HyperParams, key: string, fallback: number): number {
  const v = h[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new XinzhiError('E_INVALID_INPUT', `Hyper-parameter ${key} must be a number`, { path: `hyper.${key}` });
  return v;
}

function str<T extends string>(h: HyperParams, key: string, allowed: readonly T[], fallback: T): T {
  const v = h[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new XinzhiError('E_INVALID_INPUT', `Hyper-parameter ${key} must be one of ${allowed.join(', ')}`, { path: `hyper.${key}` });
  }
  return v as T;
}

function layers(h: HyperParams, key: string, fallback: number[]): number[] {
  const v = h[key];
  if (v === undefined) return fallback;
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || !list.every((u) => Number.isInteger(u) && u >= 1 && u <= 4096)) {
    throw new XinzhiError('E_INVALID_INPUT', `Hyper-parameter ${key} must be layer sizes like [64, 64]`, { path: `hyper.${key}` });
  }
  return list;
}

/** The search space each family declares (used when a search gives none). */
export const SEARCH_SPACES: Record<ModelFamily, Record<string, HyperValue[]>> = {
  logistic: { l2: [1e-4, 1e-3, 1e-2], classWeight: ['none', 'balanced'] },
  linear: { l2: [0, 0.1, 1, 10] },
  mlp: { hidden: [[32], [64, 64], [128, 64]], learningRate: [0.001, 0.003], dropout: [0, 0.2] },
  kmeans: { k: [2, 3, 4, 5, 6, 8] },
  dbscan: { epsScale: [0.5, 1, 2], minSamples: [3, 5, 10] },
  anomaly: { trees: [50, 100, 200], sampleSize: [128, 256, 512] },
  mf: { factors: [10, 20, 40], l2: [0.05, 0.1, 0.15] },
  embedding: { dim: [8, 16, 32], learningRate: [0.001, 0.003] },
  text: { vectorizer: ['tfidf', 'hashing'], l2: [1e-5, 1e-4, 1e-3] },
  cnn: { learningRate: [0.001, 0.003] },
};

// ------------------------------------------------------------------ the shared epoch loop

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}

interface LoopHooks {
  trainEpoch(epoch: number): Promise<number>;
  /** Validation loss and the task's primary metric, or null without validation rows. */
  validate(): Promise<{ loss: number; metric?: number } | null>;
  /** Captures the current weights; the returned function restores them. */
  snapshot?(): { restore(): void; dispose(): void };
}

async function epochLoop(o: FitOptions, epochs: number, hooks: LoopHooks): Promise<{ history: HistoryEntry[]; stoppedEarly?: { epoch: number; bestEpoch: number } }> {
  const history: HistoryEntry[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: { restore(): void; dispose(): void } | null = null;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      checkCancelled(o.signal);
      const loss = await hooks.trainEpoch(epoch);
      await yieldToEvents();
      checkCancelled(o.signal);
      const entry: HistoryEntry = { epoch, loss };
      const v = await hooks.validate();
      if (v) {
        entry.valLoss = v.loss;
        if (v.metric !== undefined && Number.isFinite(v.metric)) entry.valMetric = v.metric;
      }
      history.push(entry);
      o.onEpoch(entry, epochs);
      if (o.patience !== undefined && v) {
        if (v.loss < best - 1e-7) {
          best = v.loss;
          bestEpoch = epoch;
          bestWeights?.dispose();
          bestWeights = hooks.snapshot?.() ?? null;
        } else if (epoch - bestEpoch >= o.patience) {
          bestWeights?.restore();
          return { history, stoppedEarly: { epoch, bestEpoch } };
        }
      }
    }
    return { history };
  } finally {
    bestWeights?.dispose();
  }
}

function shuffled(n: number, random: () => number, order?: Int32Array): Int32Array {
  const out = order ?? Int32Array.from({ length: n }, (_, i) => i);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

// ------------------------------------------------------------------ TF.js families

interface TfSpec {
  model: tf.LayersModel;
  /** Input and target tensors of the rows `idx` of `d`. */
  batch(d: FamilyData, idx: Int32Array): { xs: tf.Tensor | tf.Tensor[]; ys: tf.Tensor };
  /** Inputs of all rows `from … to` of `d` for prediction. */
  inputs(d: FamilyData, from: number, to: number): tf.Tensor | tf.Tensor[];
  /** Turns the model's raw outputs (rows × units) into Outputs. */
  outputs(raw: Float32Array, rows: number, d: FamilyData): Outputs;
  meta: Record<string, unknown>;
  hyper: HyperParams;
  /** Plain Dense stacks: the written-out training step (dense-fast.ts) and the targets of rows `idx` as it takes them. */
  fast?: { trainer: DenseStackTrainer; targets(d: FamilyData, idx: Int32Array): Float32Array } | undefined;
}

/** Rows per forward pass when predicting; also passed as predict()'s batchSize, whose default of 32 made validation ~50× slower. */
const PREDICT_ROWS = 4096;

function outputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape ?? [];
  return (shape[shape.length - 1] as number | null) ?? 1;
}

async function tfPredictRaw(spec: TfSpec, d: FamilyData): Promise<Float32Array> {
  const units = outputUnits(spec.model);
  const out = new Float32Array(d.rows * units);
  for (let from = 0; from < d.rows; from += PREDICT_ROWS) {
    const to = Math.min(d.rows, from + PREDICT_ROWS);
    const raw = tf.tidy(() => {
      const y = spec.model.predict(spec.inputs(d, from, to), { batchSize: PREDICT_ROWS }) as tf.Tensor;
      return y.dataSync() as Float32Array;
    });
    out.set(raw, from * units);
    await yieldToEvents();
  }
  return out;
}

/**
 * One optimiser step on a batch with the compiled loss, as trainOnBatch does but without its per-call input
 * standardisation: measured ~30% faster per step on wasm for the 64-64 MLP, where tfjs's per-op overhead (not the
 * XNNPACK matrix products) dominates.
 */
/** The loss the model was compiled with (a Sequential keeps it on the functional model it wraps). */
function compiledLoss(model: tf.LayersModel): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  const compiled = (model as unknown as { model?: tf.LayersModel }).model ?? model;
  const lossFn = compiled.lossFunctions?.[0];
  if (!lossFn) throw new XinzhiError('E_INTERNAL', 'The model is not compiled');
  return lossFn;
}

function trainStep(model: tf.LayersModel, xs: tf.Tensor | tf.Tensor[], ys: tf.Tensor): number {
  const lossFn = compiledLoss(model);
  // LayerVariable keeps its tf.Variable in a protected field; minimize needs the variables themselves.
  const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const cost = model.optimizer.minimize(() => tf.mean(lossFn(ys, model.apply(xs, { training: true }) as tf.Tensor)) as tf.Scalar, true, variables);
  const value = (cost as tf.Scalar).dataSync()[0] as number;
  (cost as tf.Scalar).dispose();
  return value;
}

async function fitTf(spec: TfSpec, train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  const { model } = spec;
  const random = mulberry32(o.seed);
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  const batchSize = Math.max(1, Math.min(o.batchSize, train.rows));
  const metric = primaryMetric(o.task, Boolean(train.y));
  const predict = async (d: FamilyData) => spec.outputs(await tfPredictRaw(spec, d), d.rows, d);
  // The written-out step keeps the training rows and the weights in its own memory while the epochs run; the TF.js
  // model gets the weights once, at the end.
  const fast = spec.fast;
  const allRows = (d: FamilyData) => Int32Array.from({ length: d.rows }, (_, i) => i);
  const trainTargets = fast ? fast.targets(train, allRows(train)) : null;
  const valTargets = fast && val ? fast.targets(val, allRows(val)) : null;
  const batchTargets = new Float32Array(batchSize);
  fast?.trainer.setData(train.X as Float32Array, train.rows);
  const loop = await epochLoop(o, o.epochs, {
    async trainEpoch() {
      shuffled(train.rows, random, order);
      let sum = 0;
      for (let from = 0, b = 0; from < train.rows; from += batchSize, b++) {
        checkCancelled(o.signal);
        const idx = order.subarray(from, Math.min(train.rows, from + batchSize));
        let loss: number;
        if (fast && trainTargets) {
          for (let i = 0; i < idx.length; i++) batchTargets[i] = trainTargets[idx[i] as number] as number;
          loss = fast.trainer.stepRows(idx, batchTargets);
        } else {
          const { xs, ys } = spec.batch(train, idx);
          loss = trainStep(model, xs, ys);
          tf.dispose([xs, ys]);
        }
        sum += loss * idx.length;
        // Lets the worker's message loop run, so a `cancel` reaches the AbortSignal mid-epoch.
        if (b % 8 === 7) await yieldToEvents();
      }
      return sum / train.rows;
    },
    async validate() {
      if (!val || val.rows === 0) return null;
      if (fast && valTargets) {
        const { outputs, loss } = fast.trainer.evaluate(val.X as Float32Array, valTargets, val.rows);
        const m = metricValue(o.task, o.classes, val, spec.outputs(outputs, val.rows, val), metric.name);
        return { loss, ...(m !== undefined ? { metric: m } : {}) };
      }
      // One forward pass gives both the validation loss (the compiled loss) and the outputs the metric needs.
      const lossFn = compiledLoss(model);
      const units = outputUnits(model);
      const raw = new Float32Array(val.rows * units);
      let sum = 0;
      for (let from = 0; from < val.rows; from += PREDICT_ROWS) {
        const to = Math.min(val.rows, from + PREDICT_ROWS);
        const idx = Int32Array.from({ length: to - from }, (_, i) => from + i);
        const { xs, ys } = spec.batch(val, idx);
        sum += tf.tidy(() => {
          const yPred = model.predict(xs, { batchSize: PREDICT_ROWS }) as tf.Tensor;
          raw.set(yPred.dataSync() as Float32Array, from * units);
          return (tf.mean(lossFn(ys, yPred)).dataSync()[0] as number) * idx.length;
        });
        tf.dispose([xs, ys]);
      }
      const m = metricValue(o.task, o.classes, val, spec.outputs(raw, val.rows, val), metric.name);
      return { loss: sum / val.rows, ...(m !== undefined ? { metric: m } : {}) };
    },
    snapshot() {
      if (fast) {
        const weights = fast.trainer.weights();
        return { restore: () => fast.trainer.restore(weights), dispose: () => {} };
      }
      const weights = model.getWeights().map((w) => w.clone());
      return { restore: () => model.setWeights(weights), dispose: () => tf.dispose(weights) };
    },
  });
  fast?.trainer.syncTo(model);
  return {
    backend: o.tfBackend,
    history: loop.history,
    ...(loop.stoppedEarly ? { stoppedEarly: loop.stoppedEarly } : {}),
    hyper: spec.hyper,
    meta: spec.meta,
    predict,
    async save(dir) {
      await saveLayersModel(model, dir);
      return ['model.json', 'weights.bin'];
    },
    tfModel: model,
    dispose: () => model.dispose(),
  };
}

/** Dense layers over a feature matrix: the MLP, the multiclass logistic regression (no hidden layer), the autoencoder. */
function denseNet(cols: number, hidden: number[], units: number, activation: string, outputActivation: string, seed: number, dropout: number): tf.Sequential {
  const model = tf.sequential();
  hidden.forEach((size, i) => {
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [cols] } : {}),
        units: size,
        activation: activation as 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
      }),
    );
    if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout, seed: seed + 100 + i }));
  });
  model.add(
    tf.layers.dense({
      ...(hidden.length === 0 ? { inputShape: [cols] } : {}),
      units,
      activation: outputActivation as 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }),
    }),
  );
  return model;
}

function matrixInputs(d: FamilyData, from: number, to: number, shape?: number[]): tf.Tensor {
  const cols = d.cols as number;
  const data = (d.X as Float32Array).subarray(from * cols, to * cols);
  return shape ? tf.tensor(data, [to - from, ...shape]) : tf.tensor2d(data, [to - from, cols]);
}

function matrixBatch(d: FamilyData, idx: Int32Array, shape?: number[]): tf.Tensor {
  const cols = d.cols as number;
  const data = takeRows(d.X as Float32Array, cols, idx);
  return shape ? tf.tensor(data, [idx.length, ...shape]) : tf.tensor2d(data, [idx.length, cols]);
}

/** Model inputs of rows from … to of `d`, by family: the feature matrix (as images for the CNN) or user/item ids. */
export function tfInputs(family: ModelFamily, meta: Record<string, unknown>): (d: FamilyData, from: number, to: number) => tf.Tensor | tf.Tensor[] {
  if (family === 'embedding') return (d, from, to) => [pairIds((d.users as Int32Array).subarray(from, to)), pairIds((d.items as Int32Array).subarray(from, to))];
  const image = meta.image as { height: number; width: number; channels: number } | undefined;
  if (family === 'cnn' && image) return (d, from, to) => matrixInputs(d, from, to, [image.height, image.width, image.channels]);
  return (d, from, to) => matrixInputs(d, from, to);
}

/** Index 0 is "unknown" (an id not seen in training); known ids are index + 1. */
function pairIds(a: Int32Array): tf.Tensor {
  return tf.tensor2d(Float32Array.from(a, (v) => v + 1), [a.length, 1]);
}

/**
 * Turns a TF.js model's raw outputs (rows × units) into Outputs, by family and task: sigmoid → P(positive),
 * softmax → class probabilities (a 2-class softmax scores P(class 1)), standardised regression outputs back to the
 * target's units, sigmoid ratings back to [min, max], reconstructions to errors against the threshold.
 */
export function tfOutputs(family: ModelFamily, task: ModelTask, classes: number, meta: Record<string, unknown>): (raw: Float32Array, rows: number, d: FamilyData) => Outputs {
  if (family === 'embedding') {
    const min = meta.ratingMin as number;
    const span = (meta.ratingMax as number) - min || 1;
    return (raw) => {
      const score = Float32Array.from(raw, (p) => min + p * span);
      return { score, pred: Float64Array.from(score) };
    };
  }
  if (family === 'anomaly') {
    return (raw, rows, d) => {
      const cols = d.cols as number;
      const X = d.X as Float32Array;
      const score = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += ((raw[r * cols + j] as number) - (X[r * cols + j] as number)) ** 2;
        score[r] = s / cols;
      }
      const threshold = (meta.threshold as number | undefined) ?? Infinity;
      return { score, pred: Float64Array.from(score, (v) => (v >= threshold ? 1 : 0)) };
    };
  }
  if (task === 'regression') {
    const mean = (meta.targetMean as number | undefined) ?? 0;
    const std = (meta.targetStd as number | undefined) ?? 1;
    return (raw) => {
      const score = Float32Array.from(raw, (v) => v * std + mean);
      return { score, pred: Float64Array.from(score) };
    };
  }
  const softmax = family === 'cnn' || task === 'multiclass';
  if (!softmax) return (raw) => ({ score: raw, pred: Float64Array.from(raw, (p) => (p >= 0.5 ? 1 : 0)) });
  const k = classes;
  return (raw, rows) => {
    const pred = argmaxRows(raw, rows, k);
    const score = task === 'binary' ? Float32Array.from({ length: rows }, (_, r) => raw[r * k + 1] as number) : Float32Array.from(pred, (c, r) => raw[r * k + c] as number);
    return { score, ...(task === 'multiclass' ? { proba: raw } : {}), pred: Float64Array.from(pred) };
  };
}

/**
 * Target tensors of a saved TF.js model's rows for more training (fine-tuning after pruning), by family and task,
 * in the units the model was trained in.
 */
export function tfTargets(family: ModelFamily, task: ModelTask, classes: number, meta: Record<string, unknown>): (d: FamilyData, idx: Int32Array) => tf.Tensor {
  if (family === 'anomaly') return (d, idx) => matrixBatch(d, idx);
  if (family === 'embedding') {
    const min = meta.ratingMin as number;
    const span = (meta.ratingMax as number) - min || 1;
    return (d, idx) => tf.tensor2d(Float32Array.from(idx, (r) => ((d.yValues![r] as number) - min) / span), [idx.length, 1]);
  }
  if (task === 'regression') {
    const mean = (meta.targetMean as number | undefined) ?? 0;
    const std = (meta.targetStd as number | undefined) ?? 1;
    return (d, idx) => tf.tensor2d(Float32Array.from(idx, (r) => ((d.yValues![r] as number) - mean) / std), [idx.length, 1]);
  }
  if (family === 'cnn' || task === 'binary') return (d, idx) => tf.tensor2d(Float32Array.from(idx, (r) => d.y![r] as number), [idx.length, 1]);
  return (d, idx) => tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(idx, (r) => d.y![r] as number), 'int32'), classes).toFloat());
}

/** The loss a TF.js family trains with. */
export function tfLoss(family: ModelFamily, task: ModelTask): string {
  if (family === 'cnn') return 'sparseCategoricalCrossentropy';
  if (family === 'anomaly' || family === 'embedding' || task === 'regression') return 'meanSquaredError';
  return task === 'binary' ? 'binaryCrossentropy' : 'categoricalCrossentropy';
}

/** Output layer, loss and target tensors by task (sigmoid, softmax, or a standardised linear output). */
function supervisedHead(o: FitOptions, train: FamilyData): {
  units: number;
  activation: string;
  loss: string;
  ys(d: FamilyData, idx: Int32Array): tf.Tensor;
  /** The targets as a typed array (class indexes for multiclass), for the Dense-stack step. */
  targets(d: FamilyData, idx: Int32Array): Float32Array;
  meta: Record<string, unknown>;
} {
  const classIndexes = (d: FamilyData, idx: Int32Array) => Float32Array.from(idx, (r) => d.y![r] as number);
  if (o.task === 'binary') {
    return { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy', ys: (d, idx) => tf.tensor2d(classIndexes(d, idx), [idx.length, 1]), targets: classIndexes, meta: {} };
  }
  if (o.task === 'multiclass') {
    const k = o.classes;
    return {
      units: k,
      activation: 'softmax',
      loss: 'categoricalCrossentropy',
      ys: (d, idx) => tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(idx, (r) => d.y![r] as number), 'int32'), k).toFloat()),
      targets: classIndexes,
      meta: {},
    };
  }
  if (o.task === 'regression') {
    // The target is standardised for training; tfOutputs maps outputs back to its units.
    const yv = train.yValues as Float64Array;
    let mean = 0;
    for (const v of yv) mean += v;
    mean /= Math.max(yv.length, 1);
    let ss = 0;
    for (const v of yv) ss += (v - mean) ** 2;
    const std = Math.sqrt(ss / Math.max(yv.length, 1)) || 1;
    return {
      units: 1,
      activation: 'linear',
      loss: 'meanSquaredError',
      ys: (d, idx) => tf.tensor2d(Float32Array.from(idx, (r) => ((d.yValues![r] as number) - mean) / std), [idx.length, 1]),
      targets: (d, idx) => Float32Array.from(idx, (r) => ((d.yValues![r] as number) - mean) / std),
      meta: { targetMean: mean, targetStd: std },
    };
  }
  throw new XinzhiError('E_INVALID_INPUT', `A ${o.task} target needs another family`);
}

function fitMlp(train: FamilyData, val: FamilyData | null, o: FitOptions, hiddenDefault: number[]): Promise<Trained> {
  const cols = train.cols as number;
  const hidden = layers(o.hyper, 'hidden', hiddenDefault);
  const activation = str(o.hyper, 'activation', ['relu', 'tanh', 'elu', 'sigmoid'] as const, 'relu');
  const dropout = num(o.hyper, 'dropout', 0);
  const lr = num(o.hyper, 'learningRate', o.learningRate ?? 0.001);
  const head = supervisedHead(o, train);
  const model = denseNet(cols, hidden, head.units, activation, head.activation, o.seed, dropout);
  model.compile({ optimizer: tf.train.adam(lr), loss: head.loss });
  const trainer = DenseStackTrainer.of(model, head.loss, lr, o.classes);
  return fitTf(
    {
      model,
      batch: (d, idx) => ({ xs: matrixBatch(d, idx), ys: head.ys(d, idx) }),
      inputs: tfInputs('mlp', head.meta),
      outputs: tfOutputs('mlp', o.task, o.classes, head.meta),
      meta: head.meta,
      fast: trainer ? { trainer, targets: head.targets } : undefined,
      hyper: { hidden, activation, dropout, learningRate: lr },
    },
    train,
    val,
    o,
  );
}

function fitCnn(train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  const image = o.image;
  if (!image) throw new XinzhiError('E_INVALID_INPUT', 'The CNN needs pixel columns of a square image (e.g. 784 = 28 × 28) or hyper.height and hyper.width');
  if (o.task !== 'multiclass' && o.task !== 'binary') throw new XinzhiError('E_INVALID_INPUT', 'The CNN classifies images: choose a class column as the target');
  const lr = num(o.hyper, 'learningRate', o.learningRate ?? 0.003);
  const model = buildReferenceCnn({ ...image, classes: o.classes, seed: o.seed, learningRate: lr });
  const meta = { image };
  const shape = [image.height, image.width, image.channels];
  return fitTf(
    {
      model,
      // The reference CNN's loss is sparse categorical cross-entropy: class indexes, not one-hot rows.
      batch: (d, idx) => ({ xs: matrixBatch(d, idx, shape), ys: tf.tensor2d(Float32Array.from(idx, (r) => d.y![r] as number), [idx.length, 1]) }),
      inputs: tfInputs('cnn', meta),
      outputs: tfOutputs('cnn', o.task, o.classes, meta),
      meta,
      hyper: { learningRate: lr, height: image.height, width: image.width, channels: image.channels },
    },
    train,
    val,
    o,
  );
}

/** A user and an item embedding, concatenated, through Dense 64 relu to a sigmoid rating in [min, max]. */
function fitEmbedding(train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  const counts = o.counts as { users: number; items: number };
  const dim = num(o.hyper, 'dim', 16);
  const lr = num(o.hyper, 'learningRate', o.learningRate ?? 0.003);
  const ratings = train.yValues as Float64Array;
  let min = Infinity;
  let max = -Infinity;
  for (const r of ratings) {
    min = Math.min(min, r);
    max = Math.max(max, r);
  }
  const span = max - min || 1;
  const user = tf.input({ shape: [1], name: 'user' });
  const item = tf.input({ shape: [1], name: 'item' });
  const eu = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: counts.users + 1, outputDim: dim, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: o.seed }), name: 'user_embedding' }).apply(user)) as tf.SymbolicTensor;
  const ei = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: counts.items + 1, outputDim: dim, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: o.seed + 1 }), name: 'item_embedding' }).apply(item)) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate().apply([eu, ei]) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 2 }) }).apply(joined) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 3 }) }).apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [user, item], outputs: out });
  model.compile({ optimizer: tf.train.adam(lr), loss: 'meanSquaredError' });
  const meta = { ratingMin: min, ratingMax: max };
  return fitTf(
    {
      model,
      batch: (d, idx) => ({
        xs: [pairIds(Int32Array.from(idx, (r) => d.users![r] as number)), pairIds(Int32Array.from(idx, (r) => d.items![r] as number))],
        ys: tf.tensor2d(Float32Array.from(idx, (r) => ((d.yValues![r] as number) - min) / span), [idx.length, 1]),
      }),
      inputs: tfInputs('embedding', meta),
      outputs: tfOutputs('embedding', o.task, 0, meta),
      meta,
      hyper: { dim, learningRate: lr },
    },
    train,
    val,
    o,
  );
}

/** An autoencoder (cols → bottleneck → cols); a row's anomaly score is its reconstruction error. */
async function fitAutoencoder(train: FamilyData, val: FamilyData | null, o: FitOptions, contamination: number): Promise<Trained> {
  const cols = train.cols as number;
  const bottleneck = Math.round(num(o.hyper, 'bottleneck', Math.max(2, Math.min(8, Math.floor(cols / 2)))));
  const lr = num(o.hyper, 'learningRate', o.learningRate ?? 0.003);
  const width = Math.max(bottleneck * 2, 4);
  const model = denseNet(cols, [width, bottleneck, width], cols, 'relu', 'linear', o.seed, 0);
  model.compile({ optimizer: tf.train.adam(lr), loss: 'meanSquaredError' });
  // The threshold is known only after training; tfOutputs reads it from `meta` when called.
  const meta: Record<string, unknown> = { threshold: Infinity, method: 'autoencoder' };
  const trained = await fitTf(
    {
      model,
      batch: (d, idx) => {
        const xs = matrixBatch(d, idx);
        return { xs, ys: xs.clone() };
      },
      inputs: tfInputs('anomaly', meta),
      outputs: tfOutputs('anomaly', 'anomaly', 0, meta),
      meta,
      hyper: { method: 'autoencoder', bottleneck, learningRate: lr, contamination },
    },
    train,
    val,
    // A label column (if any) is not the autoencoder's target: validation is the reconstruction loss.
    { ...o, task: 'anomaly' },
  );
  meta.threshold = quantile((await trained.predict(train)).score, 1 - contamination);
  return trained;
}

function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  const pos = Math.min(sorted.length - 1, Math.max(0, q * (sorted.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

// ------------------------------------------------------------------ typed-array families

function denseOne(cols: number, weights: ArrayLike<number>, bias: number, activation: 'sigmoid' | 'linear', name: string): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [cols], units: 1, activation, name }));
  tf.tidy(() => model.setWeights([tf.tensor2d(Float32Array.from(weights), [cols, 1]), tf.tensor1d([bias])]));
  return model;
}

/** A typed-array model saved as one TF.js Dense layer; predictions come from the saved float32 layer. */
function denseTrained(model: tf.Sequential, history: HistoryEntry[], hyper: HyperParams, task: ModelTask, meta: Record<string, unknown>): Trained {
  const predict = async (d: FamilyData): Promise<Outputs> => {
    const raw = d.rows === 0 ? new Float32Array(0) : tf.tidy(() => (model.predict(tf.tensor2d(d.X as Float32Array, [d.rows, d.cols as number]), { batchSize: PREDICT_ROWS }) as tf.Tensor).dataSync() as Float32Array).slice();
    return task === 'binary' ? { score: raw, pred: Float64Array.from(raw, (p) => (p >= 0.5 ? 1 : 0)) } : { score: raw, pred: Float64Array.from(raw) };
  };
  return {
    backend: 'typed-array',
    history,
    hyper,
    meta,
    predict,
    async save(dir) {
      await saveLayersModel(model, dir);
      return ['model.json', 'weights.bin'];
    },
    tfModel: model,
    dispose: () => model.dispose(),
  };
}

async function fitLogisticBinary(train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  const cols = train.cols as number;
  const y = train.y as Uint8Array;
  const l2 = num(o.hyper, 'l2', 1e-4);
  // 'auto' weighs the classes when the rarer one is under 10% of rows: unweighted, a rare positive class is never predicted.
  const cwMode = str(o.hyper, 'classWeight', ['auto', 'none', 'balanced'] as const, 'auto');
  let ones = 0;
  for (const v of y) ones += v;
  const minority = Math.min(ones, y.length - ones) / Math.max(y.length, 1);
  const balanced = cwMode === 'balanced' || (cwMode === 'auto' && minority < 0.1);
  const lr = num(o.hyper, 'learningRate', o.learningRate ?? 0.01);
  checkCancelled(o.signal);
  const model = trainLogistic(train.X as Float32Array, y, train.rows, cols, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: lr,
    seed: o.seed,
    l2,
    ...(balanced ? { classWeight: balancedClassWeight(y) } : {}),
  });
  checkCancelled(o.signal);
  const p = predictProba(model, train.X as Float32Array, train.rows);
  const entry: HistoryEntry = { epoch: o.epochs, loss: logLossOf(y, p) };
  if (val && val.rows > 0) {
    const pv = predictProba(model, val.X as Float32Array, val.rows);
    entry.valLoss = logLossOf(val.y as Uint8Array, pv);
    const m = evaluate('binary', 2, val, { score: Float32Array.from(pv), pred: Float64Array.from(pv, (v) => (v >= 0.5 ? 1 : 0)) }).metrics.roc_auc;
    if (m !== undefined) entry.valMetric = m;
  }
  o.onEpoch(entry, o.epochs);
  return denseTrained(denseOne(cols, model.weights, model.bias, 'sigmoid', 'logistic'), [entry], { l2, classWeight: balanced ? 'balanced' : 'none', learningRate: lr }, 'binary', {});
}

function logLossOf(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i] as number, 1e-7), 1 - 1e-7);
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(y.length, 1);
}

async function fitLinear(train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  if (o.task !== 'regression') throw new XinzhiError('E_INVALID_INPUT', 'Linear regression needs a numeric target');
  const cols = train.cols as number;
  const yv = Float64Array.from(train.yValues as Float64Array);
  const l2 = num(o.hyper, 'l2', 0);
  const solver = str(o.hyper, 'solver', ['closed', 'gd'] as const, 'closed');
  const mse = (d: FamilyData, w: ArrayLike<number>, b: number) => {
    let s = 0;
    for (let r = 0; r < d.rows; r++) {
      let z = b;
      for (let j = 0; j < cols; j++) z += (w[j] as number) * ((d.X as Float32Array)[r * cols + j] as number);
      s += (z - (d.yValues as Float64Array)[r]!) ** 2;
    }
    return s / Math.max(d.rows, 1);
  };
  const history: HistoryEntry[] = [];
  let fitted;
  if (solver === 'closed') {
    fitted = fitLinearClosedForm(train.X as Float32Array, yv, train.rows, cols, { l2 });
    const entry: HistoryEntry = { epoch: 1, loss: mse(train, fitted.weights, fitted.bias) };
    if (val && val.rows > 0) entry.valLoss = mse(val, fitted.weights, fitted.bias);
    history.push(entry);
    o.onEpoch(entry, 1);
  } else {
    const lr = num(o.hyper, 'learningRate', o.learningRate ?? 0.01);
    fitted = fitLinearGradientDescent(train.X as Float32Array, yv, train.rows, cols, {
      epochs: o.epochs,
      learningRate: lr,
      batchSize: o.batchSize,
      seed: o.seed,
      l2,
      onEpoch: recordEpochs(o, history),
    });
    checkCancelled(o.signal);
    const last = history[history.length - 1];
    if (last && val && val.rows > 0) last.valLoss = mse(val, fitted.weights, fitted.bias);
  }
  const trained = denseTrained(denseOne(cols, fitted.weights, fitted.bias, 'linear', 'linear'), history, { solver, l2 }, 'regression', {});
  if (val && val.rows > 0) {
    const last = history[history.length - 1] as HistoryEntry;
    const r2 = evaluate('regression', 0, val, await trained.predict(val)).metrics.r2;
    if (r2 !== undefined) last.valMetric = r2;
  }
  return trained;
}

/** The epoch callback of a typed-array trainer: records and reports each epoch's loss, and stops on cancel. */
function recordEpochs(o: FitOptions, history: HistoryEntry[], toLoss: (value: number) => number = (v) => v): (epoch: number, value: number) => boolean {
  return (epoch, value) => {
    const entry: HistoryEntry = { epoch, loss: toLoss(value) };
    history.push(entry);
    o.onEpoch(entry, o.epochs);
    return !o.signal.aborted;
  };
}

/** A typed-array model saved as estimator.json. */
function jsonTrained(estimator: object, history: HistoryEntry[], hyper: HyperParams, meta: Record<string, unknown>, predict: (d: FamilyData) => Outputs): Trained {
  return {
    backend: 'typed-array',
    history,
    hyper,
    meta,
    predict: async (d) => predict(d),
    async save(dir) {
      writeModelFile(dir, 'estimator.json', JSON.stringify(estimator));
      return ['estimator.json'];
    },
    dispose: () => undefined,
  };
}

export function predictKMeans(model: KMeansModel, d: FamilyData): Outputs {
  const { labels, distances } = assignClusters(model, d.X as Float32Array, d.rows);
  return { score: Float32Array.from(distances), pred: Float64Array.from(labels) };
}

function fitKMeansFamily(train: FamilyData, o: FitOptions): Trained {
  const k = Math.round(num(o.hyper, 'k', 3));
  const nInit = Math.round(num(o.hyper, 'nInit', 4));
  checkCancelled(o.signal);
  const model = fitKMeans(train.X as Float32Array, train.rows, train.cols as number, { k, seed: o.seed, nInit, maxIter: 300 });
  const entry: HistoryEntry = { epoch: model.iterations, loss: model.inertia / Math.max(train.rows, 1) };
  o.onEpoch(entry, model.iterations);
  return jsonTrained(model, [entry], { k, nInit }, { inertia: model.inertia }, (d) => predictKMeans(model, d));
}

/**
 * DBSCAN's eps when none is given: the median distance of a sample of rows to their minSamples-th nearest
 * neighbour (the "knee" heuristic's usual stand-in), times epsScale.
 */
function autoEps(X: Float32Array, rows: number, cols: number, minSamples: number, seed: number): number {
  const random = mulberry32(seed);
  const probes = Math.min(rows, 200);
  const kth: number[] = [];
  for (let p = 0; p < probes; p++) {
    const i = Math.floor(random() * rows);
    const d: number[] = [];
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += ((X[i * cols + j] as number) - (X[r * cols + j] as number)) ** 2;
      d.push(s);
    }
    d.sort((a, b) => a - b);
    kth.push(Math.sqrt(d[Math.min(minSamples, d.length - 1)] as number));
  }
  kth.sort((a, b) => a - b);
  return (kth[Math.floor(kth.length / 2)] as number) || 1;
}

export function predictDbscan(model: DbscanModel, d: FamilyData): Outputs {
  const labels = assignDbscan(model, d.X as Float32Array, d.rows);
  return { score: Float32Array.from(labels, (l) => (l < 0 ? 1 : 0)), pred: Float64Array.from(labels) };
}

function fitDbscanFamily(train: FamilyData, o: FitOptions): Trained {
  const cols = train.cols as number;
  const minSamples = Math.round(num(o.hyper, 'minSamples', 5));
  const epsScale = num(o.hyper, 'epsScale', 1);
  const eps = o.hyper.eps !== undefined ? num(o.hyper, 'eps', 0.5) : autoEps(train.X as Float32Array, train.rows, cols, minSamples, o.seed) * epsScale;
  checkCancelled(o.signal);
  const fit = fitDbscan(train.X as Float32Array, train.rows, cols, { eps, minSamples });
  const model = dbscanModel(fit, train.X as Float32Array, cols);
  const entry: HistoryEntry = { epoch: 1, loss: fit.clusters };
  o.onEpoch(entry, 1);
  return jsonTrained(model, [entry], { eps, minSamples }, { clusters: fit.clusters }, (d) => predictDbscan(model, d));
}

export function predictIsolationForest(model: IsolationForestModel, d: FamilyData): Outputs {
  const score = anomalyScores(model, d.X as Float32Array, d.rows);
  return { score: Float32Array.from(score), pred: Float64Array.from(score, (s) => (s >= model.threshold ? 1 : 0)) };
}

async function fitAnomaly(train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  const method = str(o.hyper, 'method', ['iforest', 'autoencoder'] as const, 'iforest');
  const contamination = num(o.hyper, 'contamination', 0.05);
  if (!(contamination > 0 && contamination < 0.5)) throw new XinzhiError('E_INVALID_INPUT', 'contamination must be between 0 and 0.5', { path: 'hyper.contamination' });
  if (method === 'autoencoder') return fitAutoencoder(train, val, o, contamination);
  const trees = Math.round(num(o.hyper, 'trees', 100));
  const sampleSize = Math.round(num(o.hyper, 'sampleSize', 256));
  checkCancelled(o.signal);
  const model = fitIsolationForest(train.X as Float32Array, train.rows, train.cols as number, { trees, sampleSize, seed: o.seed, contamination });
  const entry: HistoryEntry = { epoch: 1, loss: contamination };
  if (val && val.rows > 0 && val.y) {
    const m = evaluate('anomaly', 2, val, predictIsolationForest(model, val)).metrics.roc_auc;
    if (m !== undefined) entry.valMetric = m;
  }
  o.onEpoch(entry, 1);
  return jsonTrained(model, [entry], { method, trees, sampleSize, contamination }, { threshold: model.threshold }, (d) => predictIsolationForest(model, d));
}

export function predictMf(model: MfModel, d: FamilyData): Outputs {
  const score = predictRatings(model, d.users as Int32Array, d.items as Int32Array);
  return { score, pred: Float64Array.from(score) };
}

async function fitMf(train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  const counts = o.counts as { users: number; items: number };
  // factors and λ left out are chosen on the validation rows (see core/ml/mf.ts): the defaults a user meets first.
  const factors = o.hyper.factors === undefined ? undefined : Math.round(num(o.hyper, 'factors', 10));
  const l2 = o.hyper.l2 === undefined ? undefined : num(o.hyper, 'l2', 0.1);
  const solver = str(o.hyper, 'solver', ['als', 'sgd'] as const, 'als');
  const history: HistoryEntry[] = [];
  const validation = val && val.rows > 0 ? { users: val.users as Int32Array, items: val.items as Int32Array, ratings: Float32Array.from(val.yValues as Float64Array) } : undefined;
  const model = fitMatrixFactorisation(train.users as Int32Array, train.items as Int32Array, Float32Array.from(train.yValues as Float64Array), counts.users, counts.items, {
    ...(factors === undefined ? {} : { factors }),
    ...(l2 === undefined ? {} : { l2 }),
    epochs: o.epochs,
    solver,
    learningRate: num(o.hyper, 'learningRate', o.learningRate ?? 0.01),
    seed: o.seed,
    validation,
    // The curve shows mean squared error, as the TF.js families' loss.
    onEpoch: recordEpochs(o, history, (rmse) => rmse ** 2),
  });
  checkCancelled(o.signal);
  const last = history[history.length - 1];
  if (val && val.rows > 0 && last) {
    const m = evaluate('recommendation', 0, val, predictMf(model, val)).metrics.rmse;
    if (m !== undefined) {
      last.valLoss = m ** 2;
      last.valMetric = m;
    }
  }
  return jsonTrained(model, history, { factors: model.factors, l2: model.l2 as number, solver }, {}, (d) => predictMf(model, d));
}

// ------------------------------------------------------------------ text

export interface TextEstimator {
  kind: 'text';
  vectorizer: 'tfidf' | 'hashing';
  tfidf?: TfidfModel;
  hashingFeatures?: number;
  classifier: SparseSoftmaxModel;
}

export function vectorize(est: Pick<TextEstimator, 'vectorizer' | 'tfidf' | 'hashingFeatures'>, docs: string[][]): Csr {
  return est.vectorizer === 'tfidf' ? transformTfidf(est.tfidf as TfidfModel, docs) : hashingVectorize(docs, est.hashingFeatures);
}

export function predictText(est: TextEstimator, d: FamilyData, task: ModelTask): Outputs {
  const k = est.classifier.classes;
  const proba = predictSparseSoftmax(est.classifier, vectorize(est, d.docs as string[][]));
  const pred = argmaxRows(proba, d.rows, k);
  const score = task === 'binary' ? Float32Array.from({ length: d.rows }, (_, r) => proba[r * k + 1] as number) : Float32Array.from(pred, (c, r) => proba[r * k + c] as number);
  return { score, ...(task === 'multiclass' ? { proba } : {}), pred: Float64Array.from(pred) };
}

async function fitText(train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  if (o.task !== 'binary' && o.task !== 'multiclass') throw new XinzhiError('E_INVALID_INPUT', 'Text classification needs a class column as the target');
  const vectorizer = str(o.hyper, 'vectorizer', ['tfidf', 'hashing'] as const, 'tfidf');
  const maxFeatures = Math.round(num(o.hyper, 'maxFeatures', 20000));
  const hashingFeatures = Math.round(num(o.hyper, 'hashingFeatures', 2 ** 18));
  const l2 = num(o.hyper, 'l2', 1e-4);
  const lr = num(o.hyper, 'learningRate', o.learningRate ?? 0.05);
  const docs = train.docs as string[][];
  const vec: Pick<TextEstimator, 'vectorizer' | 'tfidf' | 'hashingFeatures'> =
    vectorizer === 'tfidf' ? { vectorizer, tfidf: fitTfidf(docs, { maxFeatures, minDf: 1 }) } : { vectorizer, hashingFeatures };
  const csr = vectorize(vec, docs);
  const valCsr = val && val.rows > 0 ? vectorize(vec, val.docs as string[][]) : null;
  const history: HistoryEntry[] = [];
  let classifier: SparseSoftmaxModel | null = null;
  classifier = trainSparseSoftmax(csr, Int32Array.from(train.y as Uint8Array), o.classes, {
    epochs: o.epochs,
    learningRate: lr,
    l2,
    batchSize: Math.min(o.batchSize, 64),
    seed: o.seed,
    onEpoch: recordEpochs(o, history),
  });
  checkCancelled(o.signal);
  const est: TextEstimator = { kind: 'text', ...vec, classifier };
  if (valCsr && val) {
    const out = predictText(est, val, o.task);
    const last = history[history.length - 1];
    const metrics = evaluate(o.task, o.classes, val, out).metrics;
    if (last) {
      last.valLoss = metrics.log_loss ?? last.loss;
      const m = metrics[primaryMetric(o.task).name];
      if (m !== undefined) last.valMetric = m;
    }
  }
  return jsonTrained(est, history, { vectorizer, maxFeatures, l2, learningRate: lr }, {}, (d) => predictText(est, d, o.task));
}

// ------------------------------------------------------------------ dispatch

/** The families that train with TensorFlow.js (and so need a backend of the ladder). */
export function usesTf(family: ModelFamily, task: ModelTask, hyper: HyperParams): boolean {
  if (family === 'mlp' || family === 'cnn' || family === 'embedding') return true;
  if (family === 'logistic') return task === 'multiclass';
  if (family === 'anomaly') return hyper.method === 'autoencoder';
  return false;
}

export async function fitFamily(family: ModelFamily, train: FamilyData, val: FamilyData | null, o: FitOptions): Promise<Trained> {
  if (train.rows === 0) throw new XinzhiError('E_INVALID_INPUT', 'No training rows');
  switch (family) {
    case 'logistic':
      if (o.task === 'binary') return fitLogisticBinary(train, val, o);
      if (o.task === 'multiclass') return fitMlp(train, val, { ...o, hyper: { ...o.hyper, hidden: [] } }, []);
      throw new XinzhiError('E_INVALID_INPUT', 'Logistic regression needs a class column as the target');
    case 'linear':
      return fitLinear(train, val, o);
    case 'mlp':
      return fitMlp(train, val, o, [64, 64]);
    case 'cnn':
      return fitCnn(train, val, o);
    case 'kmeans':
      return fitKMeansFamily(train, o);
    case 'dbscan':
      return fitDbscanFamily(train, o);
    case 'anomaly':
      return fitAnomaly(train, val, o);
    case 'mf':
      return fitMf(train, val, o);
    case 'embedding':
      return fitEmbedding(train, val, o);
    case 'text':
      return fitText(train, val, o);
  }
}
