// The training worker for real: a worker thread from dist/main/workers on a small AI4I table in a temp workspace.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, repoRoot, runWorkerJob, tempDir, type WorkerRun } from '../helpers.js';
import { openCatalog, quoteIdent } from '../../src/main/catalog/connection.js';
import type { TrainJobParams, TrainResult } from '../../src/main/jobs/train-job.js';

const workerFile = join(repoRoot, 'dist/main/workers/train.worker.mjs');
const FEATURES = ['Type', 'Air temperature [K]', 'Process temperature [K]', 'Rotational speed [rpm]', 'Torque [Nm]', 'Tool wear [min]'];
const TYPES: Record<string, string> = { Type: 'text', 'Rotational speed [rpm]': 'integer', 'Tool wear [min]': 'integer', 'Machine failure': 'integer' };
const COLUMNS = [...FEATURES, 'Machine failure'].map((name) => ({ name, type: TYPES[name] ?? 'real' }));

let dir: { path: string; remove(): void };

beforeAll(() => {
  dir = tempDir();
  const lines = readFileSync(dataset('ai4i2020', 'ai4i2020.csv'), 'utf8').trim().split(/\r?\n/);
  const header = (lines[0] as string).split(',');
  const index = COLUMNS.map((c) => header.indexOf(c.name));
  const db = openCatalog(dir.path);
  db.exec(`CREATE TABLE ai4i (__row INTEGER PRIMARY KEY, ${COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.type === 'text' ? 'TEXT' : c.type === 'integer' ? 'INTEGER' : 'REAL'}`).join(', ')}) STRICT`);
  const insert = db.prepare(`INSERT INTO ai4i (${COLUMNS.map((c) => quoteIdent(c.name)).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      insert.run(index.map((i, k) => (COLUMNS[k]!.type === 'text' ? cells[i] : Number(cells[i]))));
    }
  })();
  db.close();
});

afterAll(() => dir.remove());

function params(over: Partial<TrainJobParams>): TrainJobParams {
  return { sourceTable: 'ai4i', columns: COLUMNS, target: 'Machine failure', features: FEATURES, family: 'logistic', epochs: 20, batchSize: 256, learningRate: 0.01, seed: 7, modelDir: join(dir.path, 'models', 'm'), ...over };
}


type Run = WorkerRun;

/** Runs the train worker to its end; `onProgress` may answer a progress message (to cancel). */
function runTrain(p: TrainJobParams, onProgress?: Parameters<typeof runWorkerJob>[4]): Promise<Run> {
  return runWorkerJob(workerFile, 'train', dir.path, p, onProgress);
}

function resultOf(run: Run): TrainResult {
  if (run.outcome.type !== 'done') throw new Error(`training failed: ${JSON.stringify(run.outcome)}`);
  return run.outcome.result as TrainResult;
}

const METRIC_KEYS = ['accuracy', 'balanced_accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'average_precision', 'log_loss'];

async function loadSaved(modelDir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as { format: string; modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  expect(json.format).toBe('layers-model');
  const manifest = json.weightsManifest[0]!;
  expect(manifest.paths).toEqual(['weights.bin']);
  const bin = readFileSync(join(modelDir, 'weights.bin'));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData }));
}

async function expectReloadsAndMatches(result: TrainResult, modelDir: string): Promise<void> {
  for (const f of result.files) {
    const bytes = readFileSync(join(modelDir, f.name));
    expect(f.bytes).toBe(bytes.length);
    expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  }
  expect(result.sizeBytes).toBe(result.files.reduce((s, f) => s + f.bytes, 0));
  await tf.setBackend('cpu');
  const model = await loadSaved(modelDir);
  const samples = result.samplePredictions;
  expect(samples).toHaveLength(5);
  const cols = result.featureSpec.featureNames.length;
  const out = tf.tidy(() => (model.predict(tf.tensor2d(samples.flatMap((s) => s.features), [5, cols])) as tf.Tensor).dataSync());
  samples.forEach((s, i) => expect(Math.abs((out[i] as number) - s.probability)).toBeLessThan(1e-5));
  model.dispose();
}

describe('train worker', () => {
  it('trains a logistic regression on AI4I, saves a loadable TF.js layers model and reports sklearn metrics', async () => {
    const p = params({ modelDir: join(dir.path, 'models', 'logistic'), hyper: { classWeight: 'none' } });
    const run = await runTrain(p);
    const result = resultOf(run);
    expect(result.family).toBe('logistic');
    expect(result.backend).toBe('typed-array');
    expect(Object.keys(result.metrics).sort()).toEqual([...METRIC_KEYS].sort());
    expect(result.metrics.accuracy).toBeGreaterThanOrEqual(0.96);
    expect(result.metrics.roc_auc).toBeGreaterThanOrEqual(0.85);
    expect(result.rows).toEqual({ train: 7000, validation: 1500, test: 1500 });
    expect(result.featureSpec.classes).toEqual(['0', '1']);
    expect(result.featureSpec.featureNames).toEqual(['Type=L', 'Type=M', 'Type=H', ...FEATURES.slice(1)]);
    expect(result.files.map((f) => f.name)).toEqual(['model.json', 'weights.bin', 'pipeline.json']);
    expect(run.messages.some((m) => m.type === 'progress' && m.progress === 1)).toBe(true);
    await expectReloadsAndMatches(result, p.modelDir);
  });

  it('weighs the classes by default when the positive class is rare, so failures are predicted (F1 > 0)', async () => {
    const unweighted = resultOf(await runTrain(params({ modelDir: join(dir.path, 'models', 'lr-none'), hyper: { classWeight: 'none' } })));
    const auto = resultOf(await runTrain(params({ modelDir: join(dir.path, 'models', 'lr-auto') })));
    expect(unweighted.hyper.classWeight).toBe('none');
    expect(auto.hyper.classWeight).toBe('balanced');
    expect(unweighted.metrics.f1).toBeLessThan(0.1);
    expect(auto.metrics.recall).toBeGreaterThan(0.5);
    expect(auto.metrics.f1).toBeGreaterThan(unweighted.metrics.f1 as number);
  });

  it('trains the MLP on the wasm backend with per-epoch progress, and the saved model predicts the same', async () => {
    const p = params({ family: 'mlp', epochs: 3, batchSize: 64, learningRate: 0.001, modelDir: join(dir.path, 'models', 'mlp') });
    const run = await runTrain(p);
    const result = resultOf(run);
    expect(result.backend).toBe('wasm');
    expect(result.backendsTried.map((t) => [t.name, t.ok])).toEqual([
      ['tfjs-node-gpu', false],
      ['tfjs-node', false],
      ['wasm', true],
    ]);
    expect(result.report.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    const losses = result.report.history.map((h) => h.loss);
    expect(losses[1]!).toBeLessThan(losses[0]!);
    expect(losses[2]!).toBeLessThan(losses[1]!);
    for (const h of result.report.history) {
      expect(h.valLoss).toBeGreaterThan(0);
      // The validation metric of a binary task is ROC AUC.
      expect(h.valMetric).toBeGreaterThan(0.6);
    }
    const epochs = run.messages.flatMap((m) => (m.type === 'progress' && m.counters.epoch !== undefined ? [m.counters.epoch] : []));
    expect(epochs.at(-1)).toBe(3);
    expect(Object.keys(result.metrics).sort()).toEqual([...METRIC_KEYS].sort());
    expect(result.metrics.accuracy).toBeGreaterThanOrEqual(0.96);
    await expectReloadsAndMatches(result, p.modelDir);
  });

  it('stops an MLP run on cancel with E_CANCELLED', async () => {
    const p = params({ family: 'mlp', epochs: 200, batchSize: 32, learningRate: 0.001, modelDir: join(dir.path, 'models', 'cancelled') });
    let sent = false;
    const run = await runTrain(p, (worker, msg) => {
      if (!sent && msg.counters.epoch !== undefined) {
        sent = true;
        worker.postMessage({ type: 'cancel' });
      }
    });
    expect(sent).toBe(true);
    expect(run.outcome).toEqual({ type: 'error', error: { code: 'E_CANCELLED', message: 'Cancelled' } });
  });

  it('rejects a feature that is not a column', async () => {
    const run = await runTrain(params({ features: ['nope'] }));
    expect(run.outcome.type === 'error' && run.outcome.error.code).toBe('E_INVALID_INPUT');
  });

  it('rejects a forced backend that is not installed', async () => {
    const run = await runTrain(params({ family: 'mlp', epochs: 1, forcedBackend: 'tfjs-node-gpu', modelDir: join(dir.path, 'models', 'gpu') }));
    expect(run.outcome.type).toBe('error');
    if (run.outcome.type === 'error') {
      expect(run.outcome.error.code).toBe('E_INVALID_INPUT');
      expect(run.outcome.error.message).toContain('@tensorflow/tfjs-node-gpu is not installed');
    }
  });
});
