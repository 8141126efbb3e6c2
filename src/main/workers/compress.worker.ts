/**
 * Compression job for a model saved in TF.js layers format: magnitude pruning to a target sparsity (optionally
 * fine-tuned on the training split with the pruned weights held at zero), then post-training quantisation
 * (float16, or int8 affine per output channel — core/ml/compress.ts) written as a new model folder. Size, test-split
 * metrics and the median time to predict the test split are measured for the original and the compressed model,
 * on the same rows: the training version re-split with the model's seed (the split train.worker made).
 */
import * as tf from '@tensorflow/tfjs';
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog } from '../catalog/connection.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { startBestBackend } from './tf-backend.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';
import { compressModelArtifacts, encodeWeights, magnitudePrune, namedWeightsFromArtifacts, weightStats } from '../core/ml/compress.js';
import { stratifiedSplit } from '../core/ml/pipeline.js';
import { mulberry32 } from '../core/random.js';
import type { JobContext } from '../jobs/protocol.js';
import type { CompressJobParams, CompressResult } from '../jobs/explain-job.js';
import { describeFiles, modelArtifacts, readLayersArtifacts, readModelFile, writeModelFile } from './ml/artifact.js';
import { evaluate } from './ml/evaluation.js';
import { subset, tfInputs, tfLoss, tfTargets, type FamilyData } from './ml/families.js';
import { decisionThresholdOf, inputColumns, loadModel, prepareRows, readColumns, readSavedPipeline, type LoadedModel } from './ml/prepare.js';

const LATENCY_RUNS = 5;

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}

async function medianLatency(model: LoadedModel, data: FamilyData): Promise<number> {
  await model.predict(data); // warm-up: kernels compile on first use
  const times: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = performance.now();
    await model.predict(data);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

async function compress(p: CompressJobParams, ctx: JobContext): Promise<CompressResult> {
  if (!['none', 'float16', 'int8'].includes(p.quantize)) throw new XinzhiError('E_INVALID_INPUT', `Unknown quantisation "${String(p.quantize)}"`);
  if (!(p.prune >= 0 && p.prune < 1)) throw new XinzhiError('E_INVALID_INPUT', 'prune must be in [0, 1)');
  const saved = readSavedPipeline(p.sourceDir, p.family);
  let hasLayers = true;
  try {
    readModelFile(p.sourceDir, 'model.json');
  } catch {
    hasLayers = false;
  }
  if (!hasLayers) throw new XinzhiError('E_INVALID_INPUT', `Compression works on TF.js models (logistic, linear, mlp, cnn, embedding, autoencoder); a ${saved.family} model has no weights to quantise`);

  ctx.onProgress(0.02, 'Reading rows');
  const names = [...inputColumns(saved), saved.target].filter((n, i, all) => n !== '' && all.indexOf(n) === i);
  const db = openCatalog(ctx.workspace, { migrate: false, readonly: true });
  const table = (() => {
    try {
      return readColumns(db, p.sourceTable, names);
    } finally {
      db.close();
    }
  })();
  const all = prepareRows(saved, table);
  const split = stratifiedSplit(all.y ?? new Uint8Array(all.rows), p.seed);
  const train = subset(all, split.train);
  const test = subset(all, split.test);
  const { backend } = await startBestBackend(undefined, (name, why) => ctx.log(`Backend ${name} ${why}`, 'warn'));
  if (backend === 'wasm') registerWasmTrainingKernels();

  ctx.onProgress(0.1, 'Measuring the original model');
  const original = await loadModel(p.sourceDir, saved);
  const classes = saved.classes.length;
  const originalMetrics = evaluate(saved.modelTask, classes, test, await original.predict(test), { seed: p.seed, threshold: decisionThresholdOf(saved) }).metrics;
  const originalLatencyMs = await medianLatency(original, test);
  checkCancelled(ctx.signal);

  const { json, weightData } = readLayersArtifacts(p.sourceDir);
  let artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData,
    ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
  };
  let sparsity = weightStats(namedWeightsFromArtifacts(artifacts).filter((w) => w.shape.length >= 2)).sparsity;
  if (p.prune > 0) {
    ctx.onProgress(0.3, `Pruning to ${Math.round(p.prune * 100)}% zeros`);
    const pruned = magnitudePrune(namedWeightsFromArtifacts(artifacts), p.prune);
    const plain = encodeWeights(pruned.weights, 'none');
    artifacts = { ...artifacts, weightSpecs: plain.specs, weightData: plain.data.buffer as ArrayBuffer };
    if (p.fineTuneEpochs > 0) {
      const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      model.compile({ optimizer: tf.train.adam(p.learningRate), loss: tfLoss(saved.family, saved.modelTask) });
      const masks = model.weights.flatMap((v) => {
        const m = pruned.masks.get(v.originalName);
        return m ? [{ variable: v, mask: tf.tensor(Float32Array.from(m), v.shape as number[]) }] : [];
      });
      const inputs = tfInputs(saved.family, saved.meta);
      const targets = tfTargets(saved.family, saved.modelTask, classes, saved.meta);
      const random = mulberry32(p.seed);
      const order = Int32Array.from({ length: train.rows }, (_, i) => i);
      for (let epoch = 1; epoch <= p.fineTuneEpochs; epoch++) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j] as number, order[i] as number];
        }
        for (let from = 0, b = 0; from < train.rows; from += p.batchSize, b++) {
          checkCancelled(ctx.signal);
          const idx = order.subarray(from, Math.min(train.rows, from + p.batchSize));
          const batch = subset(train, idx);
          const xs = inputs(batch, 0, batch.rows);
          const ys = targets(train, idx);
          await model.trainOnBatch(xs, ys);
          tf.dispose([xs, ys]);
          // Pruned weights stay pruned: the mask is re-applied after every step.
          tf.tidy(() => masks.forEach(({ variable, mask }) => variable.write(variable.read().mul(mask))));
          if (b % 8 === 7) await new Promise<void>((resolve) => setImmediate(resolve));
        }
        ctx.onProgress(0.3 + (0.4 * epoch) / p.fineTuneEpochs, `Fine-tuning: epoch ${epoch}/${p.fineTuneEpochs}`, { epoch, epochs: p.fineTuneEpochs });
      }
      artifacts = await modelArtifacts(model);
      tf.dispose(masks.map((m) => m.mask));
      model.dispose();
    }
    sparsity = weightStats(namedWeightsFromArtifacts(artifacts).filter((w) => w.shape.length >= 2)).sparsity;
  }
  checkCancelled(ctx.signal);

  ctx.onProgress(0.75, 'Quantising');
  const { modelJson, data } = compressModelArtifacts(artifacts, p.quantize);
  writeModelFile(p.modelDir, 'model.json', JSON.stringify(modelJson));
  writeModelFile(p.modelDir, 'weights.bin', data);
  writeModelFile(p.modelDir, 'pipeline.json', readModelFile(p.sourceDir, 'pipeline.json'));

  ctx.onProgress(0.85, 'Measuring the compressed model');
  const compressed = await loadModel(p.modelDir, saved);
  const out = await compressed.predict(test);
  const evaluation = evaluate(saved.modelTask, classes, test, out, { seed: p.seed, threshold: decisionThresholdOf(saved) });
  const latencyMs = await medianLatency(compressed, test);
  compressed.dispose();
  original.dispose();
  const files = describeFiles(p.modelDir, ['model.json', 'weights.bin', 'pipeline.json']);
  const originalFiles = describeFiles(p.sourceDir, ['model.json', 'weights.bin', 'pipeline.json']);
  ctx.onProgress(1, 'Compressed');
  return {
    sizeBytes: files.reduce((s, f) => s + f.bytes, 0),
    originalSizeBytes: originalFiles.reduce((s, f) => s + f.bytes, 0),
    metrics: evaluation.metrics,
    originalMetrics,
    latencyMs,
    originalLatencyMs,
    sparsity,
    files,
    ...(evaluation.confusion ? { confusion: evaluation.confusion } : {}),
    ...(evaluation.roc ? { roc: evaluation.roc } : {}),
  };
}

runWorker((params, ctx) => compress(params as CompressJobParams, ctx));
