/**
 * Training job: reads the source table with its own connection, fits the feature pipeline on a seeded stratified
 * 70/15/15 split, trains a logistic regression (typed arrays) or an MLP (TensorFlow.js on the best backend of the
 * ladder), evaluates on the test split with sklearn-equal metrics and writes the model in TF.js layers format
 * (model.json + weights.bin, loadable with tf.loadLayersModel) plus pipeline.json into params.modelDir.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { startBestBackend } from './tf-backend.js';
import type { BackendAttempt } from '../core/ml/backends.js';
import { applyPipeline, encodeTarget, fitPipeline, stratifiedSplit, takeRows, targetClasses, type PipelineSpec } from '../core/ml/pipeline.js';
import { mulberry32 } from '../core/random.js';
import { trainLogistic, predictProba, type CellValue, type FeatureTable } from '../core/ml/logistic.js';
import { accuracy, binaryClassificationMetrics, logLoss } from '../core/ml/metrics.js';
import type { JobContext } from '../jobs/protocol.js';
import type { TrainHistoryEntry, TrainJobParams, TrainResult, TrainSamplePrediction } from '../jobs/train-job.js';


function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}

/** Lets the worker's message loop run, so a `cancel` from the host reaches the AbortSignal mid-training. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

function validate(p: TrainJobParams): void {
  if (p.family !== 'logistic' && p.family !== 'mlp') throw new XinzhiError('E_INVALID_INPUT', `Unknown model family "${String(p.family)}"`);
  for (const [name, v, min] of [['epochs', p.epochs, 1], ['batchSize', p.batchSize, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new XinzhiError('E_INVALID_INPUT', `${name} must be an integer ≥ ${min}`);
  }
  if (!(p.learningRate > 0) || !Number.isFinite(p.learningRate)) throw new XinzhiError('E_INVALID_INPUT', 'learningRate must be a number > 0');
  if (!Number.isInteger(p.seed)) throw new XinzhiError('E_INVALID_INPUT', 'seed must be an integer');
  const known = new Set(p.columns.map((c) => c.name));
  for (const name of [p.target, ...p.features]) {
    if (!known.has(name)) throw new XinzhiError('E_INVALID_INPUT', `Column "${name}" is not in the table`);
  }
}

function readTable(workspace: string, p: TrainJobParams): FeatureTable {
  const names = [p.target, ...(p.features.length > 0 ? p.features : p.columns.map((c) => c.name).filter((c) => c !== p.target))];
  const db = openCatalog(workspace, { migrate: false, readonly: true });
  try {
    const stmt = db.prepare(`SELECT ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(p.sourceTable)} ORDER BY rowid`).raw(true);
    const values: CellValue[][] = names.map(() => []);
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      for (let c = 0; c < names.length; c++) {
        const v = row[c];
        (values[c] as CellValue[]).push(typeof v === 'bigint' ? Number(v) : v === undefined ? null : (v as CellValue));
      }
    }
    return { columns: names.map((name, c) => ({ name, values: values[c] as CellValue[] })) };
  } finally {
    db.close();
  }
}

// ------------------------------------------------------------------ backends

// ------------------------------------------------------------------ saving

/** An IOHandler that writes model.json (layers format, weights manifest) and weights.bin into `dir`. */
function fileSaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(dir, { recursive: true });
    const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    const text = JSON.stringify(modelJson);
    writeFileSync(join(dir, 'model.json'), text);
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weightData));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: Buffer.byteLength(JSON.stringify(artifacts.modelTopology)),
        weightSpecsBytes: Buffer.byteLength(JSON.stringify(artifacts.weightSpecs ?? [])),
        weightDataBytes: weightData.byteLength,
      },
    };
  });
}

function writeFile(dir: string, name: string, data: string | Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), data);
}

function describeFiles(names: string[], read: (name: string) => Buffer): TrainResult['files'] {
  return names.map((name) => {
    const bytes = read(name);
    return { name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  });
}

// ------------------------------------------------------------------ models

function buildMlp(cols: number, seed: number, learningRate: number, lastLayer?: { kernel: Float32Array; bias: number }): tf.Sequential {
  const model = tf.sequential();
  if (lastLayer) {
    // The logistic regression as one Dense(1, sigmoid) layer.
    model.add(tf.layers.dense({ inputShape: [cols], units: 1, activation: 'sigmoid', name: 'logistic' }));
    tf.tidy(() => model.setWeights([tf.tensor2d(lastLayer.kernel, [cols, 1]), tf.tensor1d([lastLayer.bias])]));
    return model;
  }
  model.add(tf.layers.dense({ inputShape: [cols], units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy' });
  return model;
}

function predictTf(model: tf.LayersModel, X: Float32Array, rows: number, cols: number): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(X, [rows, cols])) as tf.Tensor).dataSync() as Float32Array).slice();
}

function classify(y: Uint8Array, p: ArrayLike<number>): { loss: number; accuracy: number } {
  const yt = Array.from(y);
  const pred = Array.from(p, (v) => (v >= 0.5 ? 1 : 0));
  return { loss: logLoss(yt, Array.from(p), 1e-7, [0, 1]), accuracy: accuracy(yt, pred) };
}

async function train(p: TrainJobParams, ctx: JobContext): Promise<TrainResult> {
  validate(p);
  checkCancelled(ctx.signal);
  ctx.onProgress(0, 'Reading rows');
  const table = readTable(ctx.workspace, p);
  const yAll = encodeTarget(table, p.target, targetClasses(table, p.target));
  const split = stratifiedSplit(yAll, p.seed);
  if (split.train.length === 0 || split.test.length === 0) throw new XinzhiError('E_INVALID_INPUT', 'Too few rows to split into train, validation and test');
  const spec: PipelineSpec = fitPipeline(table, p.columns, p.target, p.features, split.train);
  const { X, cols } = applyPipeline(spec, table);
  const part = (idx: Int32Array) => ({ X: takeRows(X, cols, idx), y: Uint8Array.from(idx, (r) => yAll[r] as number), rows: idx.length });
  const trainSet = part(split.train);
  const valSet = part(split.validation);
  const testSet = part(split.test);
  checkCancelled(ctx.signal);

  const history: TrainHistoryEntry[] = [];
  let backend: string;
  let backendsTried: BackendAttempt[] = [];
  let testP: ArrayLike<number>;
  let model: tf.LayersModel;
  const started = performance.now();

  if (p.family === 'logistic') {
    backend = 'typed-array';
    ctx.onProgress(0.05, 'Training logistic regression');
    const lr = trainLogistic(trainSet.X, trainSet.y, trainSet.rows, cols, { epochs: p.epochs, batchSize: p.batchSize, learningRate: p.learningRate, seed: p.seed });
    checkCancelled(ctx.signal);
    const trainEval = classify(trainSet.y, predictProba(lr, trainSet.X, trainSet.rows));
    const entry: TrainHistoryEntry = { epoch: p.epochs, loss: trainEval.loss };
    if (valSet.rows > 0) {
      const v = classify(valSet.y, predictProba(lr, valSet.X, valSet.rows));
      entry.valLoss = v.loss;
      entry.valAccuracy = v.accuracy;
    }
    history.push(entry);
    ctx.onProgress(1, `Trained in ${p.epochs} epochs`, { epoch: p.epochs, loss: entry.loss, ...(entry.valLoss !== undefined ? { valLoss: entry.valLoss, valAccuracy: entry.valAccuracy ?? 0 } : {}) });
    await tf.setBackend('cpu'); // only to build and save the Dense(1) model
    model = buildMlp(cols, p.seed, p.learningRate, { kernel: Float32Array.from(lr.weights), bias: lr.bias });
    // The saved float32 model is what scoring will use: evaluate that one.
    testP = predictTf(model, testSet.X, testSet.rows, cols);
  } else {
    const chosen = await startBestBackend(p.forcedBackend);
    backend = chosen.backend;
    backendsTried = chosen.tried;
    ctx.log(`Training on ${backend} (${backendsTried.map((t) => `${t.name}: ${t.why}`).join('; ')})`);
    const mlp = buildMlp(cols, p.seed, p.learningRate);
    model = mlp;
    const random = mulberry32(p.seed);
    const order = Int32Array.from({ length: trainSet.rows }, (_, i) => i);
    const batches = Math.ceil(trainSet.rows / p.batchSize);
    for (let epoch = 1; epoch <= p.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        checkCancelled(ctx.signal);
        const idx = order.subarray(b * p.batchSize, Math.min(trainSet.rows, (b + 1) * p.batchSize));
        const xs = tf.tensor2d(takeRows(trainSet.X, cols, idx), [idx.length, cols]);
        const ys = tf.tensor2d(Float32Array.from(idx, (r) => trainSet.y[r] as number), [idx.length, 1]);
        const loss = (await mlp.trainOnBatch(xs, ys)) as number;
        xs.dispose();
        ys.dispose();
        lossSum += loss * idx.length;
        if (b % 8 === 7) await yieldToEvents();
      }
      await yieldToEvents();
      checkCancelled(ctx.signal);
      const entry: TrainHistoryEntry = { epoch, loss: lossSum / trainSet.rows };
      if (valSet.rows > 0) {
        const v = classify(valSet.y, predictTf(mlp, valSet.X, valSet.rows, cols));
        entry.valLoss = v.loss;
        entry.valAccuracy = v.accuracy;
      }
      history.push(entry);
      const counters: Record<string, number> = { epoch, epochs: p.epochs, loss: entry.loss };
      if (entry.valLoss !== undefined) counters.valLoss = entry.valLoss;
      if (entry.valAccuracy !== undefined) counters.valAccuracy = entry.valAccuracy;
      ctx.onProgress(epoch / p.epochs, `Epoch ${epoch}/${p.epochs}: loss ${entry.loss.toFixed(4)}`, counters);
    }
    testP = predictTf(mlp, testSet.X, testSet.rows, cols);
  }
  const trainMs = performance.now() - started;
  checkCancelled(ctx.signal);

  const metrics = binaryClassificationMetrics(testSet.y, testP);
  await model.save(fileSaveHandler(p.modelDir));
  // The target's column type lets scoring write predictions typed like the target (integer 0/1, not text).
  writeFile(p.modelDir, 'pipeline.json', JSON.stringify({ ...spec, targetType: p.columns.find((c) => c.name === p.target)?.type }));
  model.dispose();
  const files = describeFiles(['model.json', 'weights.bin', 'pipeline.json'], (name) => readFileSync(join(p.modelDir, name)));
  const samplePredictions: TrainSamplePrediction[] = [];
  for (let i = 0; i < Math.min(5, testSet.rows); i++) {
    samplePredictions.push({ testIndex: i, features: Array.from(testSet.X.subarray(i * cols, (i + 1) * cols)), probability: testP[i] as number });
  }
  return {
    family: p.family,
    backend,
    backendsTried,
    trainMs: Math.round(trainMs),
    metrics,
    history,
    featureSpec: spec,
    files,
    sizeBytes: files.reduce((s, f) => s + f.bytes, 0),
    rows: { train: trainSet.rows, validation: valSet.rows, test: testSet.rows },
    samplePredictions,
  };
}

runWorker((params, ctx) => train(params as TrainJobParams, ctx));
