// The scoring worker for real: a model trained by the train worker on AI4I in a temp workspace, then scored by
// dist/main/workers/score.worker.mjs (predict into a staging table, evaluate, a missing column, cancel).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, repoRoot, runWorkerJob, tempDir, type WorkerRun } from '../helpers.js';
import { openCatalog, quoteIdent } from '../../src/main/catalog/connection.js';
import { applyPipeline, type PipelineSpec } from '../../src/main/core/ml/pipeline.js';
import { accuracy, averagePrecision, balancedAccuracy, logLoss, precisionRecallF1, rocAuc } from '../../src/main/core/ml/metrics.js';
import type { CellValue } from '../../src/main/core/ml/logistic.js';
import type { ScoreJobParams, ScoreResult } from '../../src/main/jobs/score-job.js';
import type { TrainJobParams, TrainResult } from '../../src/main/jobs/train-job.js';

const trainWorker = join(repoRoot, 'dist/main/workers/train.worker.mjs');
const scoreWorker = join(repoRoot, 'dist/main/workers/score.worker.mjs');
const TARGET = 'Machine failure';
const FEATURES = ['Type', 'Air temperature [K]', 'Process temperature [K]', 'Rotational speed [rpm]', 'Torque [Nm]', 'Tool wear [min]'];
const TYPES: Record<string, string> = { Type: 'text', 'Rotational speed [rpm]': 'integer', 'Tool wear [min]': 'integer', [TARGET]: 'integer' };
// The version to score also holds a column the model does not use.
const COLUMNS = ['UDI', ...FEATURES, TARGET].map((name) => ({ name, type: TYPES[name] ?? (name === 'UDI' ? 'integer' : 'real') }));
const METRIC_KEYS = ['accuracy', 'balanced_accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'average_precision', 'log_loss'];

let dir: { path: string; remove(): void };
let modelDir: string;
let trained: TrainResult;

function sqlType(type: string): string {
  return type === 'text' ? 'TEXT' : type === 'integer' ? 'INTEGER' : 'REAL';
}


function runJob(file: string, kind: string, params: unknown, onProgress?: Parameters<typeof runWorkerJob>[4]): Promise<Run> {
  return runWorkerJob(file, kind, dir.path, params, onProgress);
}

type Run = WorkerRun;

function done<T>(run: Run): T {
  if (run.outcome.type !== 'done') throw new Error(`job failed: ${JSON.stringify(run.outcome)}`);
  return run.outcome.result as T;
}

function scoreParams(over: Partial<ScoreJobParams>): ScoreJobParams {
  return { mode: 'predict', modelDir, family: 'mlp', sourceTable: 'ai4i', columns: COLUMNS, stagingTable: 'scored', ...over };
}

function tableExists(name: string): boolean {
  const db = openCatalog(dir.path, { migrate: false, readonly: true });
  try {
    return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  } finally {
    db.close();
  }
}

function readRows(table: string, names: string[], limit?: number): unknown[][] {
  const db = openCatalog(dir.path, { migrate: false, readonly: true });
  try {
    return db.prepare(`SELECT ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)} ORDER BY __row${limit ? ` LIMIT ${limit}` : ''}`).raw(true).all() as unknown[][];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = tempDir();
  const lines = readFileSync(dataset('ai4i2020', 'ai4i2020.csv'), 'utf8').trim().split(/\r?\n/);
  const header = (lines[0] as string).split(',');
  const index = COLUMNS.map((c) => header.indexOf(c.name));
  const db = openCatalog(dir.path);
  db.exec(`CREATE TABLE ai4i (__row INTEGER PRIMARY KEY, ${COLUMNS.map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}`).join(', ')}) STRICT`);
  const insert = db.prepare(`INSERT INTO ai4i (${COLUMNS.map((c) => quoteIdent(c.name)).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      insert.run(index.map((i, k) => (COLUMNS[k]!.type === 'text' ? cells[i] : Number(cells[i]))));
    }
  })();
  // 30 copies of the rows, for a run long enough to cancel.
  db.exec(`CREATE TABLE ai4i_big (__row INTEGER PRIMARY KEY, ${COLUMNS.map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}`).join(', ')}) STRICT`);
  db.exec(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 30) INSERT INTO ai4i_big (${COLUMNS.map((c) => quoteIdent(c.name)).join(', ')}) SELECT ${COLUMNS.map((c) => quoteIdent(c.name)).join(', ')} FROM k, ai4i ORDER BY i, ai4i.__row`);
  db.close();
  modelDir = join(dir.path, 'models', 'mlp');
  const train: TrainJobParams = { sourceTable: 'ai4i', columns: COLUMNS, target: TARGET, features: FEATURES, family: 'mlp', epochs: 6, batchSize: 64, learningRate: 0.005, seed: 7, modelDir };
  trained = done<TrainResult>(await runJob(trainWorker, 'train', train));
}, 30_000);

afterAll(() => dir.remove());

async function loadSaved(dirPath: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dirPath, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  const bin = readFileSync(join(dirPath, 'weights.bin'));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData }));
}

function expectedMetrics(y: number[], scores: number[]): Record<string, number> {
  const pred = scores.map((v) => (v >= 0.5 ? 1 : 0));
  const prf = precisionRecallF1(y, pred, { average: 'binary', posLabel: 1, zeroDivision: 0 });
  return {
    accuracy: accuracy(y, pred),
    balanced_accuracy: balancedAccuracy(y, pred),
    precision: prf.precision,
    recall: prf.recall,
    f1: prf.f1,
    roc_auc: rocAuc(y, scores),
    average_precision: averagePrecision(y, scores, 1),
    log_loss: logLoss(y, scores, Number.EPSILON, [0, 1]),
  };
}

describe('score worker', () => {
  it('predicts into a staging table: every source column, then prediction and score equal to the saved model’s probabilities', async () => {
    expect(trained.backend).toBe('wasm');
    const run = await runJob(scoreWorker, 'score', scoreParams({}));
    const result = done<ScoreResult>(run);
    expect(result.mode).toBe('predict');
    expect(result.rows).toBe(10_000);
    expect(result.backend).toBe('wasm');
    expect(result.metrics).toBeUndefined();
    // The trainer saves the target's type, so predictions come typed like the target (integer here).
    expect(result.columns).toEqual([...COLUMNS, { name: 'prediction', type: 'integer' }, { name: 'score', type: 'real' }]);
    expect(run.messages.some((m) => m.type === 'progress' && m.progress === 1 && m.counters.rows === 10_000)).toBe(true);

    const db = openCatalog(dir.path, { migrate: false, readonly: true });
    const info = db.prepare(`PRAGMA table_info(scored)`).all() as { name: string; type: string }[];
    db.close();
    expect(info.map((c) => [c.name, c.type])).toEqual([['__row', 'INTEGER'], ...COLUMNS.map((c) => [c.name, sqlType(c.type)]), ['prediction', 'INTEGER'], ['score', 'REAL']]);

    const names = COLUMNS.map((c) => c.name);
    const source = readRows('ai4i', names);
    const staged = readRows('scored', [...names, 'prediction', 'score']);
    expect(staged).toHaveLength(10_000);
    expect(staged.map((r) => r.slice(0, names.length))).toEqual(source);
    for (const r of staged) expect(r[names.length]).toBe((r[names.length + 1] as number) >= 0.5 ? 1 : 0);
    expect(staged.filter((r) => r[names.length] === 1).length).toBeGreaterThan(20);

    // An independent load of the saved model (cpu backend here) with the saved pipeline.
    const spec = JSON.parse(readFileSync(join(modelDir, 'pipeline.json'), 'utf8')) as PipelineSpec;
    const first = 200;
    const features = FEATURES.map((name) => ({ name, values: source.slice(0, first).map((r) => r[names.indexOf(name)] as CellValue) }));
    const { X, cols } = applyPipeline(spec, { columns: features });
    await tf.setBackend('cpu');
    const model = await loadSaved(modelDir);
    const probs = tf.tidy(() => (model.predict(tf.tensor2d(X, [first, cols])) as tf.Tensor).dataSync());
    model.dispose();
    let maxDiff = 0;
    for (let i = 0; i < first; i++) maxDiff = Math.max(maxDiff, Math.abs((staged[i]![names.length + 1] as number) - (probs[i] as number)));
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('evaluates on a version with the target: the metrics metrics.ts gives for those predictions', async () => {
    const result = done<ScoreResult>(await runJob(scoreWorker, 'score', scoreParams({ mode: 'evaluate', stagingTable: undefined })));
    expect(result.mode).toBe('evaluate');
    expect(result.rows).toBe(10_000);
    expect(result.columns).toBeUndefined();
    const metrics = result.metrics!;
    expect(Object.keys(metrics).sort()).toEqual([...METRIC_KEYS].sort());
    const rows = readRows('scored', [TARGET, 'score']);
    const expected = expectedMetrics(rows.map((r) => r[0] as number), rows.map((r) => r[1] as number));
    for (const key of METRIC_KEYS) expect(metrics[key]).toBeCloseTo(expected[key]!, 12);
    expect(metrics.accuracy).toBeGreaterThan(0.95);
    expect(metrics.f1).toBeGreaterThan(0.3);
  });

  it('types the prediction like the target when pipeline.json records the target type', async () => {
    const typedDir = join(dir.path, 'models', 'typed');
    mkdirSync(typedDir, { recursive: true });
    for (const f of ['model.json', 'weights.bin']) copyFileSync(join(modelDir, f), join(typedDir, f));
    const spec = JSON.parse(readFileSync(join(modelDir, 'pipeline.json'), 'utf8')) as PipelineSpec;
    writeFileSync(join(typedDir, 'pipeline.json'), JSON.stringify({ ...spec, targetType: 'integer' }));
    // The version to score has a `prediction` column already, and no target.
    const columns = [...COLUMNS.filter((c) => c.name !== TARGET), { name: 'prediction', type: 'text' }];
    const db = openCatalog(dir.path);
    db.exec(`CREATE TABLE ai4i_new (__row INTEGER PRIMARY KEY, ${columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}`).join(', ')}) STRICT`);
    db.exec(`INSERT INTO ai4i_new (${columns.slice(0, -1).map((c) => quoteIdent(c.name)).join(', ')}, prediction) SELECT ${columns.slice(0, -1).map((c) => quoteIdent(c.name)).join(', ')}, 'old' FROM ai4i WHERE __row <= 50`);
    db.close();
    const result = done<ScoreResult>(await runJob(scoreWorker, 'score', scoreParams({ modelDir: typedDir, sourceTable: 'ai4i_new', columns, stagingTable: 'scored_typed' })));
    expect(result.rows).toBe(50);
    expect(result.columns!.slice(-3)).toEqual([{ name: 'prediction', type: 'text' }, { name: 'prediction_2', type: 'integer' }, { name: 'score', type: 'real' }]);
    for (const [old, pred, score] of readRows('scored_typed', ['prediction', 'prediction_2', 'score'])) {
      expect(old).toBe('old');
      expect(pred).toBe((score as number) >= 0.5 ? 1 : 0);
    }
  });

  it('rejects a version lacking a feature column, and evaluate on a version lacking the target, naming them', async () => {
    const noTorque = COLUMNS.filter((c) => c.name !== 'Torque [Nm]' && c.name !== 'Type');
    const run = await runJob(scoreWorker, 'score', scoreParams({ columns: noTorque, stagingTable: 'scored_missing' }));
    expect(run.outcome.type).toBe('error');
    if (run.outcome.type === 'error') {
      expect(run.outcome.error.code).toBe('E_INVALID_INPUT');
      expect(run.outcome.error.message).toContain('"Type", "Torque [Nm]"');
    }
    expect(tableExists('scored_missing')).toBe(false);
    const noTarget = await runJob(scoreWorker, 'score', scoreParams({ mode: 'evaluate', columns: COLUMNS.filter((c) => c.name !== TARGET) }));
    expect(noTarget.outcome.type === 'error' && noTarget.outcome.error.code).toBe('E_INVALID_INPUT');
    expect(noTarget.outcome.type === 'error' && noTarget.outcome.error.message).toContain(`"${TARGET}"`);
  });

  it('stops on cancel with E_CANCELLED and drops the staging table', async () => {
    let sent = false;
    const run = await runJob(scoreWorker, 'score', scoreParams({ sourceTable: 'ai4i_big', stagingTable: 'scored_cancelled' }), (worker, msg) => {
      if (!sent && msg.counters.rows !== undefined) {
        sent = true;
        worker.postMessage({ type: 'cancel' });
      }
    });
    expect(sent).toBe(true);
    expect(run.outcome).toEqual({ type: 'error', error: { code: 'E_CANCELLED', message: 'Cancelled' } });
    expect(tableExists('scored_cancelled')).toBe(false);
  });
});
