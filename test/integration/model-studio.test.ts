// The model studio through the contract, on real data: every family trains in a worker, registers, scores and
// evaluates; search, AutoML, k-fold CV and early stopping report what they did; explanations add up; compressed
// models load (float16 with stock tf.loadLayersModel from the files) and keep their metrics.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { dataset, importOk, openTestApp, tempDir, type TestApp } from '../helpers.js';
import type { Explanation, ModelRecord, TrainRequestInput } from '../../src/shared/model/training.js';
import { syntheticRatings } from '../../src/main/core/ml/mf.js';

let t: TestApp;
let scratch: { path: string; remove(): void };
let ai4i = '';
let sms = '';
let ratings = '';

const READINGS = ['Air temperature [K]', 'Process temperature [K]', 'Rotational speed [rpm]', 'Torque [Nm]', 'Tool wear [min]'];
const FEATURES = ['Type', ...READINGS];

beforeAll(async () => {
  t = await openTestApp();
  scratch = tempDir();
  ai4i = (await importOk(t, { path: dataset('ai4i2020', 'ai4i2020.csv') })).versionId;
  // The SMS collection without its header line: label, text.
  const smsPath = join(scratch.path, 'sms.tsv');
  writeFileSync(smsPath, `label\ttext\n${readFileSync(dataset('sms_spam', 'SMSSpamCollection'), 'utf8')}`);
  sms = (await importOk(t, { path: smsPath, quote: 'none' })).versionId;
  const r = syntheticRatings({ users: 300, items: 200, rank: 10, density: 0.5, noise: 0.5, seed: 3 });
  const lines = ['user_id,item_id,rating', ...Array.from(r.ratings, (v, i) => `u${r.users[i]},i${r.items[i]},${v.toFixed(4)}`)];
  const ratingsPath = join(scratch.path, 'ratings.csv');
  writeFileSync(ratingsPath, `${lines.join('\n')}\n`);
  ratings = (await importOk(t, { path: ratingsPath })).versionId;
});
afterAll(async () => {
  await t.close();
  scratch.remove();
});

async function train(request: TrainRequestInput): Promise<ModelRecord> {
  const { jobId } = await t.api.training.trainModel(request);
  const job = await t.app.jobs.wait(jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  return job.result as ModelRecord;
}

async function jobResult<T>(jobId: string): Promise<T> {
  const job = await t.app.jobs.wait(jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  return job.result as T;
}

describe('model studio', () => {
  it('suggests families from the columns and the target', async () => {
    const failure = await t.api.training.suggestFamilies({ versionId: ai4i, target: 'Machine failure' });
    expect(failure.task).toBe('binary');
    expect(failure.suggestions.map((s) => s.family)).toEqual(expect.arrayContaining(['logistic', 'mlp', 'anomaly']));
    const torque = await t.api.training.suggestFamilies({ versionId: ai4i, target: 'Torque [Nm]' });
    expect(torque.task).toBe('regression');
    expect(torque.suggestions.filter((s) => s.recommended).map((s) => s.family)).toEqual(['linear', 'mlp']);
    const none = await t.api.training.suggestFamilies({ versionId: ai4i, target: '' });
    expect(none.task).toBeNull();
    expect(none.suggestions[0]).toMatchObject({ family: 'anomaly', reason: 'sensorColumns', recommended: true });
    const text = await t.api.training.suggestFamilies({ versionId: sms, target: 'label' });
    expect(text.suggestions[0]).toMatchObject({ family: 'text', reason: 'textColumn', params: { column: 'text' } });
    const recs = await t.api.training.suggestFamilies({ versionId: ratings, target: 'rating' });
    expect(recs.suggestions[0]).toMatchObject({ family: 'mf', task: 'recommendation', params: { user: 'user_id', item: 'item_id' } });
  });

  it('trains a linear regression (closed form) and an MLP regressor, and scores with real-valued predictions', async () => {
    const linear = await train({ versionId: ai4i, target: 'Torque [Nm]', features: READINGS.filter((c) => c !== 'Torque [Nm]'), family: 'linear' });
    expect(linear.task).toBe('regression');
    expect(Object.keys(linear.metrics).sort()).toEqual(['mae', 'mape', 'r2', 'rmse']);
    // Torque is nearly determined by rotational speed (power ≈ constant): a linear fit explains most of it.
    expect(linear.metrics.r2).toBeGreaterThan(0.7);
    const mlp = await train({ versionId: ai4i, target: 'Torque [Nm]', features: READINGS.filter((c) => c !== 'Torque [Nm]'), family: 'mlp', epochs: 8 });
    expect(mlp.metrics.r2).toBeGreaterThan(linear.metrics.r2 as number);
    const { versionId } = await jobResult<{ versionId: string }>((await t.api.training.predict({ modelId: linear.id, versionId: ai4i })).jobId);
    const version = await t.api.catalog.getVersion({ versionId });
    expect(version.columns.at(-1)).toMatchObject({ name: 'prediction', type: 'real' });
    const evaluated = await jobResult<{ metrics: Record<string, number> }>((await t.api.training.evaluate({ modelId: linear.id, versionId: ai4i })).jobId);
    expect(evaluated.metrics.r2).toBeGreaterThan(0.7);
  });

  it('trains a multiclass MLP with a confusion matrix over every class', async () => {
    const model = await train({ versionId: ai4i, target: 'Type', features: READINGS, family: 'mlp', epochs: 3 });
    expect(model.task).toBe('multiclass');
    expect(model.report.classes).toEqual(['H', 'L', 'M']);
    expect(model.report.confusion).toHaveLength(3);
    const total = (model.report.confusion ?? []).flat().reduce((s, v) => s + v, 0);
    expect(total).toBe(1500);
    expect(Object.keys(model.metrics)).toEqual(expect.arrayContaining(['accuracy', 'f1_macro', 'f1_weighted', 'log_loss']));
  });

  it('clusters with k-means and DBSCAN, and detects anomalies scored against the failure label', async () => {
    const kmeans = await train({ versionId: ai4i, features: READINGS, family: 'kmeans', hyper: { k: 4 } });
    expect(kmeans.task).toBe('clustering');
    expect(kmeans.target).toBe('');
    expect(kmeans.metrics.clusters).toBe(4);
    expect(kmeans.metrics.silhouette).toBeGreaterThan(0);
    // Standardised readings: the test rows' squared distances to their centres add up to less than their spread (5 per row).
    expect(kmeans.metrics.inertia).toBeGreaterThan(0);
    expect(kmeans.metrics.inertia).toBeLessThan(1500 * 5);
    const dbscan = await train({ versionId: ai4i, features: READINGS, family: 'dbscan', hyper: { eps: 0.8, minSamples: 10 } });
    expect(dbscan.metrics.clusters).toBeGreaterThanOrEqual(1);
    const iforest = await train({ versionId: ai4i, target: 'Machine failure', features: READINGS, family: 'anomaly', hyper: { contamination: 0.05 } });
    expect(iforest.task).toBe('anomaly');
    expect(iforest.metrics.roc_auc).toBeGreaterThan(0.7);
    expect(iforest.metrics.anomaly_rate).toBeGreaterThan(0.02);
    expect(iforest.metrics.anomaly_rate).toBeLessThan(0.1);
    const { versionId } = await jobResult<{ versionId: string }>((await t.api.training.predict({ modelId: kmeans.id, versionId: ai4i })).jobId);
    const page = await t.api.catalog.queryRows({ versionId, offset: 0, limit: 50 });
    const version = await t.api.catalog.getVersion({ versionId });
    const p = version.columns.findIndex((c) => c.name === 'prediction');
    expect(version.columns[p]?.type).toBe('integer');
    expect(new Set(page.rows.map((r) => r[p])).size).toBeGreaterThan(1);
  });

  it('classifies English SMS as spam with TF-IDF features', async () => {
    const model = await train({ versionId: sms, target: 'label', family: 'text', epochs: 5 });
    expect(model.task).toBe('binary');
    expect(model.metrics.accuracy).toBeGreaterThan(0.97);
    expect(model.files.map((f) => f.name)).toEqual(['estimator.json', 'pipeline.json']);
    const evaluated = await jobResult<{ metrics: Record<string, number> }>((await t.api.training.evaluate({ modelId: model.id, versionId: sms })).jobId);
    expect(evaluated.metrics.accuracy).toBeGreaterThan(0.97);
    // Its explanation is its term weights: spam words weigh toward spam, and a row's contributions add up to its log-odds.
    const e = await jobResult<Explanation>((await t.api.training.explain({ modelId: model.id, rows: [2] })).jobId);
    expect(e.metric).toBe('log_odds_weight');
    expect(e.contributionMethod).toBe('exact');
    const top = e.importance.slice(0, 10).map((i) => i.feature);
    expect(top.some((term) => ['txt', 'free', 'call', 'claim', 'prize', 'mobile', 'text', 'uk'].includes(term))).toBe(true);
    expect(e.importance[0]!.mean).toBeGreaterThan(0);
    const c = e.contributions[0]!;
    expect(c.base + c.values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(c.prediction, 6);
    // Row 2 is a spam message ("Free entry in 2 a wkly comp…"): positive log-odds.
    expect(c.prediction).toBeGreaterThan(0);
  });

  it('recommends with matrix factorisation close to the noise floor, and ranks held-out items', async () => {
    const model = await train({ versionId: ratings, target: 'rating', family: 'mf', epochs: 15 });
    expect(model.task).toBe('recommendation');
    // σ = 0.5 noise: an RMSE near it means the rank-10 structure was recovered (300 × 200 is small: allow 20%).
    expect(model.metrics.rmse).toBeLessThan(0.6);
    expect(model.metrics.ndcg_at_10).toBeGreaterThan(0.7);
    // The embedding model trains on wasm (its Gather gradient is a kernel we register) and beats the mean rating.
    const embedding = await train({ versionId: ratings, target: 'rating', family: 'embedding', epochs: 3 });
    expect(embedding.backend).toBe('wasm');
    expect(embedding.metrics.r2).toBeGreaterThan(0.1);
    const { versionId } = await jobResult<{ versionId: string }>((await t.api.training.predict({ modelId: embedding.id, versionId: ratings })).jobId);
    expect((await t.api.catalog.getVersion({ versionId })).columns.at(-1)).toMatchObject({ name: 'prediction', type: 'real' });
  });

  it('searches a grid by validation metric, picks with AutoML, cross-validates and stops early', async () => {
    const searched = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'logistic', search: 'grid', searchSpace: { l2: [0.0001, 0.1], classWeight: ['none', 'balanced'] }, trials: 10 });
    const trials = searched.report.trials ?? [];
    expect(trials).toHaveLength(4);
    expect(trials.filter((x) => x.chosen)).toHaveLength(1);
    const chosen = trials.find((x) => x.chosen)!;
    expect(chosen.score).toBe(Math.max(...trials.map((x) => x.score)));
    expect(searched.params.hyper).toMatchObject(chosen.hyper);

    const auto = await train({ versionId: ai4i, target: 'Torque [Nm]', features: READINGS.filter((c) => c !== 'Torque [Nm]'), family: 'auto', epochs: 3 });
    expect((auto.report.trials ?? []).map((x) => x.family)).toEqual(['linear', 'mlp']);
    expect(auto.family).toBe((auto.report.trials ?? []).find((x) => x.chosen)?.family);

    const cv = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'logistic', folds: 3 });
    expect(cv.report.cv?.scores).toHaveLength(3);
    expect(cv.report.cv?.metric).toBe('roc_auc');

    // A learning rate this high makes the validation loss stop improving early.
    const stopped = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'mlp', epochs: 60, learningRate: 0.05, patience: 2 });
    expect(stopped.report.stoppedEarly).toBeDefined();
    expect(stopped.report.history.length).toBeLessThan(60);
    expect(stopped.report.stoppedEarly!.epoch - stopped.report.stoppedEarly!.bestEpoch).toBe(2);
  });

  it('tunes a binary decision threshold for F1 on the validation rows, and scores with it', async () => {
    const plain = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'logistic', hyper: { classWeight: 'none' } });
    const tuned = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'logistic', hyper: { classWeight: 'none' }, threshold: 'f1' });
    const cut = (tuned.params.hyper as Record<string, number>).decisionThreshold as number;
    expect(cut).toBeGreaterThan(0);
    expect(cut).toBeLessThan(0.5);
    expect(tuned.metrics.roc_auc).toBeCloseTo(plain.metrics.roc_auc as number, 10); // the same model, another threshold
    expect(tuned.metrics.f1).toBeGreaterThan((plain.metrics.f1 as number) + 0.1);
    // Scoring predicts the positive class exactly where the score reaches the threshold.
    const { versionId } = await jobResult<{ versionId: string }>((await t.api.training.predict({ modelId: tuned.id, versionId: ai4i })).jobId);
    const version = await t.api.catalog.getVersion({ versionId });
    const p = version.columns.findIndex((c) => c.name === 'prediction');
    const sc = version.columns.findIndex((c) => c.name === 'score');
    const page = await t.api.catalog.queryRows({ versionId, offset: 0, limit: 2000 });
    for (const row of page.rows) expect(row[p]).toBe((row[sc] as number) >= cut ? 1 : 0);
    expect(page.rows.some((row) => row[p] === 1)).toBe(true);
  });

  it('explains a logistic model exactly and an MLP by KernelSHAP; contributions add up to the prediction', async () => {
    const logistic = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'logistic' });
    const exact = await jobResult<Explanation>((await t.api.training.explain({ modelId: logistic.id, rows: [0, 7] })).jobId);
    expect(exact.contributionMethod).toBe('exact');
    expect(exact.importance.map((i) => i.feature).sort()).toEqual([...FEATURES].sort());
    for (let i = 1; i < exact.importance.length; i++) expect(exact.importance[i - 1]!.mean).toBeGreaterThanOrEqual(exact.importance[i]!.mean);
    for (const c of exact.contributions) expect(c.base + c.values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(c.prediction, 6);
    expect(exact.pdp.length).toBeGreaterThan(0);
    expect((await t.api.training.getModel({ modelId: logistic.id })).report.explanation?.versionId).toBe(ai4i);

    const mlp = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'mlp', epochs: 3 });
    const shap = await jobResult<Explanation>((await t.api.training.explain({ modelId: mlp.id, rows: [3] })).jobId);
    expect(shap.contributionMethod).toBe('kernel-shap');
    const c = shap.contributions[0]!;
    expect(c.values).toHaveLength(FEATURES.length);
    expect(c.base + c.values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(c.prediction, 5);
  });

  it('compresses an MLP: float16 loads with stock tf.loadLayersModel, int8 per channel through ours, metrics kept', async () => {
    const mlp = await train({ versionId: ai4i, target: 'Machine failure', features: FEATURES, family: 'mlp', epochs: 3 });
    const half = await jobResult<{ modelId: string; sizeBytes: number; originalSizeBytes: number; metrics: Record<string, number>; originalMetrics: Record<string, number> }>(
      (await t.api.training.compress({ modelId: mlp.id, quantize: 'float16' })).jobId,
    );
    expect(half.sizeBytes).toBeLessThan(half.originalSizeBytes);
    expect(Math.abs((half.metrics.roc_auc as number) - (half.originalMetrics.roc_auc as number))).toBeLessThan(0.01);
    const dir = join(t.workspace, 'models', half.modelId);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    expect(json.weightsManifest[0]!.weights.every((w) => w.quantization?.dtype === 'float16' || w.dtype !== 'float32')).toBe(true);
    const weights = readFileSync(join(dir, 'weights.bin'));
    await tf.setBackend('cpu');
    const stock = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    expect(stock.inputs[0]?.shape[1]).toBe(8);
    stock.dispose();

    const int8 = await jobResult<{ modelId: string; sizeBytes: number; metrics: Record<string, number>; originalMetrics: Record<string, number>; sparsity: number }>(
      (await t.api.training.compress({ modelId: mlp.id, quantize: 'int8', prune: 0.5 })).jobId,
    );
    expect(int8.sparsity).toBeCloseTo(0.5, 2);
    expect(Math.abs((int8.metrics.roc_auc as number) - (int8.originalMetrics.roc_auc as number))).toBeLessThan(0.1);
    const record = await t.api.training.getModel({ modelId: int8.modelId });
    expect(record.parentModelId).toBe(mlp.id);
    expect(record.report.compression).toMatchObject({ quantize: 'int8', prune: 0.5, originalModelId: mlp.id });
    // The compressed model scores like any other.
    const evaluated = await jobResult<{ metrics: Record<string, number> }>((await t.api.training.evaluate({ modelId: int8.modelId, versionId: ai4i })).jobId);
    expect(evaluated.metrics.roc_auc).toBeGreaterThan(0.5);

    await t.api.training.deleteModel({ modelId: int8.modelId });
    expect(existsSync(join(t.workspace, 'models', int8.modelId))).toBe(false);
    await expect(t.api.training.getModel({ modelId: int8.modelId })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('imports MNIST from its IDX files and trains the reference CNN on wasm', async () => {
    const { jobId } = await t.api.catalog.importImages({ imagesPath: dataset('mnist_test', 't10k-images-idx3-ubyte.gz'), labelsPath: dataset('mnist_test', 't10k-labels-idx1-ubyte.gz'), name: 'mnist' });
    const imported = await jobResult<{ versionId: string; rowCount: number; columns: { name: string; type: string }[] }>(jobId);
    expect(imported.rowCount).toBe(10000);
    expect(imported.columns).toHaveLength(785);
    expect(imported.columns[0]).toEqual(expect.objectContaining({ name: 'label', type: 'integer' }));
    const first = await t.api.catalog.queryRows({ versionId: imported.versionId, offset: 0, limit: 1 });
    expect(first.rows[0]?.[0]).toBe(7); // MNIST's first test image is a 7
    const suggested = await t.api.training.suggestFamilies({ versionId: imported.versionId, target: 'label' });
    expect(suggested.suggestions[0]).toMatchObject({ family: 'cnn', reason: 'imagePixels', params: { side: 28 } });
    const cnn = await train({ versionId: imported.versionId, target: 'label', family: 'cnn', epochs: 1, batchSize: 64 });
    expect(cnn.backend).toBe('wasm');
    expect(cnn.task).toBe('multiclass');
    expect(cnn.report.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(cnn.metrics.accuracy).toBeGreaterThan(0.85);
    // A labels file that is not one: the error says what the file is.
    await expect(t.api.catalog.importImages({ imagesPath: dataset('mnist_test', 't10k-images-idx3-ubyte.gz'), labelsPath: dataset('mnist_test', 't10k-images-idx3-ubyte.gz') })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });

  it('imports a folder of PNG images, one subfolder per class, and trains the CNN on it', async () => {
    const { idxImagesAndLabels } = await import('../../src/main/core/ml/idx.js');
    const { PNG } = await import('pngjs');
    const mnist = idxImagesAndLabels(gunzipSync(readFileSync(dataset('mnist_test', 't10k-images-idx3-ubyte.gz'))), gunzipSync(readFileSync(dataset('mnist_test', 't10k-labels-idx1-ubyte.gz'))));
    const root = join(scratch.path, 'digits');
    const kept: number[] = [];
    for (let n = 0; n < mnist.count && kept.length < 240; n++) {
      const label = mnist.labels[n] as number;
      if (label !== 0 && label !== 1) continue;
      const png = new PNG({ width: 28, height: 28 });
      for (let i = 0; i < 784; i++) png.data.set([mnist.pixels[n * 784 + i]!, mnist.pixels[n * 784 + i]!, mnist.pixels[n * 784 + i]!, 255], i * 4);
      mkdirSync(join(root, label === 0 ? 'zero' : 'one'), { recursive: true });
      writeFileSync(join(root, label === 0 ? 'zero' : 'one', `${String(n).padStart(5, '0')}.png`), PNG.sync.write(png));
      kept.push(n);
    }
    const { jobId } = await t.api.catalog.importImages({ folder: root, size: 28 });
    const imported = await jobResult<{ versionId: string; rowCount: number; columns: { name: string; type: string }[] }>(jobId);
    expect(imported.rowCount).toBe(240);
    expect(imported.columns).toHaveLength(785);
    // The first row is the first "one" (class folders in name order), pixel for pixel as in the IDX file.
    const firstOne = kept.find((n) => mnist.labels[n] === 1)!;
    const row = (await t.api.catalog.queryRows({ versionId: imported.versionId, offset: 0, limit: 1 })).rows[0]!;
    expect(row[0]).toBe('one');
    expect(row.slice(1)).toEqual(Array.from(mnist.pixels.subarray(firstOne * 784, (firstOne + 1) * 784)));
    const cnn = await train({ versionId: imported.versionId, target: 'label', family: 'cnn', epochs: 3, batchSize: 16 });
    expect(cnn.task).toBe('binary');
    expect(cnn.report.classes).toEqual(['one', 'zero']);
    expect(cnn.metrics.accuracy).toBeGreaterThan(0.9);
  });

  it('refuses what a family cannot do, with the reason', async () => {
    await expect(t.api.training.trainModel({ versionId: ai4i, target: '', family: 'mlp' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    const { jobId } = await t.api.training.trainModel({ versionId: ai4i, target: 'Type', features: READINGS, family: 'linear' });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/numeric target/);
    const text = await t.api.training.trainModel({ versionId: ai4i, target: 'Machine failure', features: READINGS, family: 'text' });
    const failed = await t.app.jobs.wait(text.jobId);
    expect(failed.error?.message).toMatch(/text column/);
    await expect(t.api.training.compress({ modelId: 'mdl_nope', quantize: 'float16' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
