/**
 * Scoring job: loads a model that train.worker saved (TF.js layers format or estimator.json, and pipeline.json) on
 * the best backend of the ladder, re-applies the saved pipeline to a dataset version's rows and either writes the
 * rows with `prediction` (and `score`) into a staging table in batches of BATCH_ROWS (predict), or computes
 * train.worker's test metrics for the model's task on all rows (evaluate).
 */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { StagingTable } from '../catalog/staging-table.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { ColumnTypeSchema, type ColumnType } from '../../shared/model/catalog.js';
import { startBestBackend } from './tf-backend.js';
import type { FeatureTable } from '../core/ml/logistic.js';
import type { ColumnBatch } from '../ingest/delimited-reader.js';
import type { JobContext } from '../jobs/protocol.js';
import type { ScoreJobParams, ScoreResult } from '../jobs/score-job.js';
import type { SavedPipeline } from '../jobs/train-job.js';
import { evaluate } from './ml/evaluation.js';
import { cellValue, decisionThresholdOf, inputColumns, loadModel, prepareRows, readColumns, readSavedPipeline } from './ml/prepare.js';

const BATCH_ROWS = 2048;
const NUMERIC = new Set<ColumnType>(['integer', 'real', 'boolean']);

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}

/** Lets the worker's message loop run, so a `cancel` from the host reaches the AbortSignal between batches. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

// ------------------------------------------------------------------ output

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** The prediction column's type: by task, and for classes the target's when every class fits it, else text. */
function predictionType(spec: SavedPipeline): ColumnType {
  if (spec.modelTask === 'regression' || spec.modelTask === 'recommendation') return 'real';
  if (spec.modelTask === 'clustering' || spec.modelTask === 'anomaly') return 'integer';
  const parsed = ColumnTypeSchema.safeParse(spec.targetType);
  if (!parsed.success) return 'text';
  const type = parsed.data;
  if (!NUMERIC.has(type)) return type;
  const fits = spec.classes.every((c) => c.trim() !== '' && Number.isFinite(Number(c)) && (type === 'real' || Number.isInteger(Number(c))));
  return fits ? type : 'text';
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
  if (p.mode === 'predict' && !p.stagingTable) throw new XinzhiError('E_INVALID_INPUT', 'predict needs a staging table');
  const types = new Map<string, ColumnType>();
  for (const c of p.columns) {
    const t = ColumnTypeSchema.safeParse(c.type);
    if (!t.success) throw new XinzhiError('E_INVALID_INPUT', `Column "${c.name}" has an unknown type "${c.type}"`);
    types.set(c.name, t.data);
  }
  return types;
}

/** Whether the task writes a `score` column next to the prediction (probability, anomaly score, distance). */
function hasScore(spec: SavedPipeline): boolean {
  return spec.modelTask !== 'regression' && spec.modelTask !== 'recommendation' && !(spec.family === 'dbscan');
}

async function score(p: ScoreJobParams, ctx: JobContext): Promise<ScoreResult> {
  const types = validate(p);
  ctx.onProgress(0, 'Loading the model');
  const spec = readSavedPipeline(p.modelDir, p.family);
  const needed = inputColumns(spec);
  const missing = needed.filter((name) => !types.has(name));
  if (missing.length > 0) {
    throw new XinzhiError('E_INVALID_INPUT', `The version lacks the model's feature column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, { missing: missing.join(', ') });
  }
  if (p.mode === 'evaluate' && (spec.target === '' || !types.has(spec.target))) {
    throw new XinzhiError('E_INVALID_INPUT', spec.target === '' ? 'The model has no target to evaluate against' : `The version lacks the target column "${spec.target}" to evaluate against`, { missing: spec.target });
  }
  const { backend } = await startBestBackend(undefined, (name, why) => ctx.log(`Backend ${name} ${why}`, 'warn'));
  const model = await loadModel(p.modelDir, spec);
  if (model.tfModel && spec.featureNames.length > 0) {
    const inputShape = model.tfModel.inputs[0]?.shape ?? [];
    const size = inputShape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
    if (size !== spec.featureNames.length) {
      model.dispose();
      throw new XinzhiError('E_INVALID_INPUT', `The model expects ${size} inputs but its pipeline makes ${spec.featureNames.length}`);
    }
  }
  checkCancelled(ctx.signal);
  await yieldToEvents();

  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  let staging: StagingTable | null = null;
  try {
    if (p.mode === 'evaluate') {
      const table = readColumns(db, p.sourceTable, [...needed.filter((n) => n !== spec.target), spec.target]);
      const data = prepareRows(spec, table);
      if (data.rows === 0) throw new XinzhiError('E_INVALID_INPUT', 'The version has no rows to evaluate on');
      ctx.onProgress(0.3, `Scoring ${data.rows} rows`, { rows: 0, total: data.rows });
      const out = await model.predict(data);
      checkCancelled(ctx.signal);
      const metrics = evaluate(spec.modelTask, spec.classes.length, data, out, { threshold: decisionThresholdOf(spec) }).metrics;
      ctx.onProgress(1, `Evaluated ${data.rows} rows`, { rows: data.rows });
      return { mode: 'evaluate', rows: data.rows, metrics, backend };
    }

    const total = Number((db.prepare(`SELECT COUNT(*) FROM ${quoteIdent(p.sourceTable)}`).pluck().get() as number | bigint) ?? 0);
    const readNames = p.columns.map((c) => c.name);
    const page = db
      .prepare(`SELECT __row, ${readNames.map(quoteIdent).join(', ')} FROM ${quoteIdent(p.sourceTable)} WHERE __row > ? ORDER BY __row LIMIT ${BATCH_ROWS}`)
      .raw(true);
    const taken = new Set(readNames);
    const predType = predictionType(spec);
    const withScore = hasScore(spec);
    const outColumns: { name: string; type: ColumnType }[] = [
      ...p.columns.map((c) => ({ name: c.name, type: types.get(c.name) as ColumnType })),
      { name: uniqueName('prediction', taken), type: predType },
      ...(withScore ? [{ name: uniqueName('score', taken), type: 'real' as ColumnType }] : []),
    ];
    staging = new StagingTable(db, p.stagingTable as string, outColumns.map((c) => c.name), outColumns.map((c) => c.type));
    const classify = spec.modelTask === 'binary' || spec.modelTask === 'multiclass';
    const labels = spec.classes.map((c) => (NUMERIC.has(predType) ? Number(c) : c));
    // A target column in the scored version is only copied: the model never needs it.
    const inputs = needed.filter((n) => n !== spec.target);
    const inputIndex = inputs.map((n) => readNames.indexOf(n));
    const scoring: SavedPipeline = { ...spec, target: '' };

    let done = 0;
    let last = Number.MIN_SAFE_INTEGER;
    for (;;) {
      checkCancelled(ctx.signal);
      const rows = page.all(last) as unknown[][];
      if (rows.length === 0) break;
      last = Number(rows[rows.length - 1]![0]);
      const n = rows.length;
      const table: FeatureTable = { columns: inputs.map((name, k) => ({ name, values: rows.map((r) => cellValue(r[(inputIndex[k] as number) + 1])) })) };
      const out = await model.predict(prepareRows(scoring, table));
      const batches = readNames.map((name, c) => toBatch(types.get(name) as ColumnType, rows.map((r) => r[c + 1])));
      const pred = classify ? Array.from(out.pred, (k) => labels[k] as string | number) : Array.from(out.pred);
      batches.push(toBatch(predType, pred));
      if (withScore) batches.push({ kind: 'number', values: Float64Array.from(out.score), nulls: null });
      staging.insert(batches, n);
      done += n;
      ctx.onProgress(total > 0 ? Math.min(done / total, 0.99) : 0.99, `Scored ${done} of ${total} rows`, { rows: done, total });
      await yieldToEvents();
    }
    checkCancelled(ctx.signal);
    ctx.onProgress(1, `Scored ${done} rows`, { rows: done });
    return { mode: 'predict', rows: done, columns: outColumns, backend };
  } catch (err) {
    staging?.drop();
    throw err;
  } finally {
    model.dispose();
    db.close();
  }
}

runWorker((params, ctx) => score(params as ScoreJobParams, ctx));
