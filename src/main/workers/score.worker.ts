/**
 * Scoring job: loads a model that train.worker saved (model.json + weights.bin in TF.js layers format, and
 * pipeline.json) on the best backend of the ladder, re-applies the saved feature pipeline to a dataset version's
 * rows in batches of BATCH_ROWS (ORDER BY __row), and either writes the rows with `prediction` and `score` into a
 * staging table (predict) or computes train.worker's test metrics on all rows (evaluate).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { StagingTable } from '../catalog/staging-table.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { ColumnTypeSchema, type ColumnType } from '../../shared/model/catalog.js';
import { startBestBackend } from './tf-backend.js';
import { applyPipeline, type PipelineSpec } from '../core/ml/pipeline.js';
import { binaryClassificationMetrics } from '../core/ml/metrics.js';
import type { CellValue, FeatureTable } from '../core/ml/logistic.js';
import type { ColumnBatch } from '../ingest/delimited-reader.js';
import type { JobContext } from '../jobs/protocol.js';
import type { ScoreJobParams, ScoreResult } from '../jobs/score-job.js';

const BATCH_ROWS = 2048;
const NUMERIC = new Set<ColumnType>(['integer', 'real', 'boolean']);

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}

/** Lets the worker's message loop run, so a `cancel` from the host reaches the AbortSignal between batches. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

// ------------------------------------------------------------------ model files

function readModelFile(dir: string, name: string): Buffer {
  if (name !== basename(name) || name === '..' || name === '.') throw new XinzhiError('E_INVALID_INPUT', `Model file "${name}" is outside the model folder`);
  try {
    return readFileSync(join(dir, name));
  } catch (err) {
    throw new XinzhiError('E_INVALID_INPUT', `Cannot read ${name} of the model: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** An IOHandler that loads model.json and the weight files its manifest names from `dir`. */
function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readModelFile(dir, 'model.json').toString('utf8')) as {
        modelTopology: object;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
        trainingConfig?: tf.io.TrainingConfig;
      };
      const parts = json.weightsManifest.flatMap((group) => group.paths.map((p) => readModelFile(dir, p)));
      const all = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
      };
    },
  };
}

function readSpec(dir: string): PipelineSpec & { targetType?: unknown } {
  const spec = JSON.parse(readModelFile(dir, 'pipeline.json').toString('utf8')) as PipelineSpec & { targetType?: unknown };
  if (spec.version !== 1 || !Array.isArray(spec.features) || !Array.isArray(spec.classes) || spec.classes.length !== 2) {
    throw new XinzhiError('E_INVALID_INPUT', 'pipeline.json is not a version 1 feature pipeline');
  }
  return spec;
}

// ------------------------------------------------------------------ output

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** The prediction column's type: the target's when pipeline.json records it and both classes fit it, else text. */
function predictionType(spec: PipelineSpec & { targetType?: unknown }): ColumnType {
  const parsed = ColumnTypeSchema.safeParse(spec.targetType);
  if (!parsed.success) return 'text';
  const type = parsed.data;
  if (!NUMERIC.has(type)) return type;
  const fits = spec.classes.every((c) => c.trim() !== '' && Number.isFinite(Number(c)) && (type === 'real' || Number.isInteger(Number(c))));
  return fits ? type : 'text';
}

function cellValue(v: unknown): CellValue {
  return typeof v === 'bigint' ? Number(v) : v === undefined ? null : (v as CellValue);
}

function toBatch(type: ColumnType, values: readonly unknown[]): ColumnBatch {
  const n = values.length;
  let nulls: Uint8Array | null = null;
  const markNull = (r: number) => {
    nulls ??= new Uint8Array(n);
    nulls[r] = 1;
  };
  if (NUMERIC.has(type)) {
    const out = new Float64Array(n);
    values.forEach((v, r) => {
      if (v === null || v === undefined) markNull(r);
      else out[r] = typeof v === 'number' ? v : Number(v);
    });
    return { kind: 'number', values: out, nulls };
  }
  const out = values.map((v, r) => {
    if (v === null || v === undefined) {
      markNull(r);
      return null;
    }
    return String(v);
  });
  return { kind: 'text', values: out, nulls };
}

// ------------------------------------------------------------------ the job

function validate(p: ScoreJobParams): Map<string, ColumnType> {
  if (p.mode !== 'predict' && p.mode !== 'evaluate') throw new XinzhiError('E_INVALID_INPUT', `Unknown scoring mode "${String(p.mode)}"`);
  if (p.family !== 'logistic' && p.family !== 'mlp') throw new XinzhiError('E_INVALID_INPUT', `Unknown model family "${String(p.family)}"`);
  if (p.mode === 'predict' && !p.stagingTable) throw new XinzhiError('E_INVALID_INPUT', 'predict needs a staging table');
  const types = new Map<string, ColumnType>();
  for (const c of p.columns) {
    const t = ColumnTypeSchema.safeParse(c.type);
    if (!t.success) throw new XinzhiError('E_INVALID_INPUT', `Column "${c.name}" has an unknown type "${c.type}"`);
    types.set(c.name, t.data);
  }
  return types;
}

async function score(p: ScoreJobParams, ctx: JobContext): Promise<ScoreResult> {
  const types = validate(p);
  ctx.onProgress(0, 'Loading the model');
  const spec = readSpec(p.modelDir);
  const missing = spec.features.map((f) => f.column).filter((name, i, all) => all.indexOf(name) === i && !types.has(name));
  if (missing.length > 0) {
    throw new XinzhiError('E_INVALID_INPUT', `The version lacks the model's feature column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, { missing: missing.join(', ') });
  }
  if (p.mode === 'evaluate' && !types.has(spec.target)) {
    throw new XinzhiError('E_INVALID_INPUT', `The version lacks the target column "${spec.target}" to evaluate against`, { missing: spec.target });
  }
  const { backend } = await startBestBackend(undefined, (name, why) => ctx.log(`Backend ${name} ${why}`, 'warn'));
  const model = await tf.loadLayersModel(fileLoadHandler(p.modelDir));
  const cols = spec.featureNames.length;
  const inputShape = model.inputs[0]?.shape;
  if (inputShape?.[1] !== cols) {
    model.dispose();
    throw new XinzhiError('E_INVALID_INPUT', `The model expects ${String(inputShape?.[1])} inputs but its pipeline makes ${cols}`);
  }
  checkCancelled(ctx.signal);
  await yieldToEvents();

  // predict reads every column (to copy them); evaluate the features and the target only.
  const featureNames = [...new Set(spec.features.map((f) => f.column))];
  const readNames = p.mode === 'predict' ? p.columns.map((c) => c.name) : [...featureNames.filter((n) => n !== spec.target), spec.target];
  const modelNames = p.mode === 'predict' ? featureNames : readNames;
  const modelIndex = modelNames.map((n) => readNames.indexOf(n));

  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  let staging: StagingTable | null = null;
  try {
    const total = Number((db.prepare(`SELECT COUNT(*) FROM ${quoteIdent(p.sourceTable)}`).pluck().get() as number | bigint) ?? 0);
    const page = db
      .prepare(`SELECT __row, ${readNames.map(quoteIdent).join(', ')} FROM ${quoteIdent(p.sourceTable)} WHERE __row > ? ORDER BY __row LIMIT ${BATCH_ROWS}`)
      .raw(true);

    let outColumns: { name: string; type: ColumnType }[] | undefined;
    let predType: ColumnType = 'text';
    if (p.mode === 'predict') {
      const taken = new Set(p.columns.map((c) => c.name));
      predType = predictionType(spec);
      outColumns = [
        ...p.columns.map((c) => ({ name: c.name, type: types.get(c.name) as ColumnType })),
        { name: uniqueName('prediction', taken), type: predType },
        { name: uniqueName('score', taken), type: 'real' },
      ];
      staging = new StagingTable(db, p.stagingTable as string, outColumns.map((c) => c.name), outColumns.map((c) => c.type));
    }
    const labels = spec.classes.map((c) => (NUMERIC.has(predType) ? Number(c) : c)) as [string | number, string | number];

    const yAll = p.mode === 'evaluate' ? new Uint8Array(total) : null;
    const pAll = p.mode === 'evaluate' ? new Float32Array(total) : null;
    let done = 0;
    let last = Number.MIN_SAFE_INTEGER;
    for (;;) {
      checkCancelled(ctx.signal);
      const rows = page.all(last) as unknown[][];
      if (rows.length === 0) break;
      last = Number(rows[rows.length - 1]![0]);
      const n = rows.length;
      const table: FeatureTable = {
        columns: modelNames.map((name, k) => {
          const c = (modelIndex[k] as number) + 1;
          return { name, values: rows.map((r) => cellValue(r[c])) };
        }),
      };
      const out = applyPipeline(spec, table);
      const probs = tf.tidy(() => (model.predict(tf.tensor2d(out.X, [n, cols])) as tf.Tensor).dataSync() as Float32Array).slice();
      if (staging && outColumns) {
        const batches = readNames.map((name, c) => toBatch(types.get(name) as ColumnType, rows.map((r) => r[c + 1])));
        const pred = Array.from(probs, (v) => labels[v >= 0.5 ? 1 : 0]);
        batches.push(toBatch(predType, pred), { kind: 'number', values: Float64Array.from(probs), nulls: null });
        staging.insert(batches, n);
      } else if (yAll && pAll && out.y) {
        if (done + n > total) throw new XinzhiError('E_INVALID_INPUT', 'The version changed while it was being scored');
        yAll.set(out.y, done);
        pAll.set(probs, done);
      }
      done += n;
      ctx.onProgress(total > 0 ? Math.min(done / total, 0.99) : 0.99, `Scored ${done} of ${total} rows`, { rows: done, total });
      await yieldToEvents();
    }
    checkCancelled(ctx.signal);
    if (p.mode === 'evaluate') {
      if (done === 0) throw new XinzhiError('E_INVALID_INPUT', 'The version has no rows to evaluate on');
      const metrics = binaryClassificationMetrics((yAll as Uint8Array).subarray(0, done), (pAll as Float32Array).subarray(0, done));
      ctx.onProgress(1, `Evaluated ${done} rows`, { rows: done });
      return { mode: 'evaluate', rows: done, metrics, backend };
    }
    ctx.onProgress(1, `Scored ${done} rows`, { rows: done });
    return { mode: 'predict', rows: done, columns: outColumns as { name: string; type: ColumnType }[], backend };
  } catch (err) {
    staging?.drop();
    throw err;
  } finally {
    model.dispose();
    db.close();
  }
}

runWorker((params, ctx) => score(params as ScoreJobParams, ctx));
