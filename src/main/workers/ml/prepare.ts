/**
 * Rows in, family inputs out: reading a version's columns, and re-applying a saved pipeline.json to new rows
 * (the feature matrix, the tokenised text column, or user/item indexes), plus loading a saved model for scoring,
 * explaining and compressing.
 */
import * as tf from '@tensorflow/tfjs';
import { XinzhiError } from '../../../shared/model/errors.js';
import type { Db } from '../../catalog/connection.js';
import { quoteIdent } from '../../catalog/connection.js';
import { applyPipeline, encodeTarget, targetValues } from '../../core/ml/pipeline.js';
import type { CellValue, FeatureTable } from '../../core/ml/logistic.js';
import { tokenize } from '../../core/ml/text.js';
import type { KMeansModel } from '../../core/ml/kmeans.js';
import type { DbscanModel } from '../../core/ml/dbscan.js';
import type { IsolationForestModel } from '../../core/ml/isolation-forest.js';
import type { MfModel } from '../../core/ml/mf.js';
import type { SavedPipeline } from '../../jobs/train-job.js';
import { loadLayersModel, readJson } from './artifact.js';
import type { Outputs } from './evaluation.js';
import { predictDbscan, predictIsolationForest, predictKMeans, predictMf, predictText, tfInputs, tfOutputs, type FamilyData, type TextEstimator } from './families.js';

export function cellValue(v: unknown): CellValue {
  return typeof v === 'bigint' ? Number(v) : v === undefined ? null : (v as CellValue);
}

/** Every row of `names` from `table`, in row order. */
export function readColumns(db: Db, table: string, names: readonly string[]): FeatureTable {
  const stmt = db.prepare(`SELECT ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)} ORDER BY rowid`).raw(true);
  const values: CellValue[][] = names.map(() => []);
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    for (let c = 0; c < names.length; c++) (values[c] as CellValue[]).push(cellValue(row[c]));
  }
  return { columns: names.map((name, c) => ({ name, values: values[c] as CellValue[] })) };
}

/** The input columns a saved model reads (the target not included). */
export function inputColumns(saved: SavedPipeline): string[] {
  if (saved.text) return [saved.text.column];
  if (saved.pairs) return [saved.pairs.userColumn, saved.pairs.itemColumn];
  return [...new Set(saved.features.map((f) => f.column))];
}

function valuesOf(table: FeatureTable, name: string): readonly CellValue[] {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new XinzhiError('E_INVALID_INPUT', `Column "${name}" is not in the table`);
  return c.values;
}

/** Tokens of a text column (missing → no tokens). */
export function tokenizeColumn(values: readonly CellValue[], lang: 'zh' | 'en'): string[][] {
  return values.map((v) => (v === null ? [] : tokenize(String(v), lang)));
}

/** Re-applies a saved pipeline to rows; the truth (y / yValues) is filled when the table holds the target. */
export function prepareRows(saved: SavedPipeline, table: FeatureTable): FamilyData {
  const rows = table.columns[0]?.values.length ?? 0;
  const hasTarget = saved.target !== '' && table.columns.some((c) => c.name === saved.target);
  const classify = saved.classes.length > 0;
  const truth = (): Pick<FamilyData, 'y' | 'yValues'> => {
    if (!hasTarget) return {};
    if (classify) return { y: encodeTarget(table, saved.target, saved.classes) };
    return { yValues: targetValues(table, saved.target) };
  };
  if (saved.text) return { rows, docs: tokenizeColumn(valuesOf(table, saved.text.column), saved.text.lang), ...truth() };
  if (saved.pairs) {
    const userIndex = new Map(saved.pairs.userIds.map((id, i) => [id, i]));
    const itemIndex = new Map(saved.pairs.itemIds.map((id, i) => [id, i]));
    const map = (values: readonly CellValue[], index: Map<string, number>) => Int32Array.from(values, (v) => (v === null ? -1 : (index.get(String(v)) ?? -1)));
    return { rows, users: map(valuesOf(table, saved.pairs.userColumn), userIndex), items: map(valuesOf(table, saved.pairs.itemColumn), itemIndex), ...truth() };
  }
  const out = applyPipeline(saved, table);
  return { rows, X: out.X, cols: out.cols, y: out.y, yValues: out.yValues };
}

export interface LoadedModel {
  predict(d: FamilyData): Promise<Outputs>;
  /** The TF.js model (families saved in TF.js layers format). */
  tfModel?: tf.LayersModel;
  dispose(): void;
}

const PREDICT_ROWS = 4096;

/** The decision threshold a binary classifier was saved with (undefined: 0.5). */
export function decisionThresholdOf(saved: SavedPipeline): number | undefined {
  return saved.modelTask === 'binary' && typeof saved.meta.decisionThreshold === 'number' ? saved.meta.decisionThreshold : undefined;
}

/** A binary classifier's predictions at its decision threshold (unchanged when it has none: 0.5). */
export function withThreshold(out: Outputs, threshold: number | undefined): Outputs {
  if (threshold === undefined) return out;
  return { ...out, pred: Float64Array.from(out.score, (s) => (s >= threshold ? 1 : 0)) };
}

/** Loads the model files of `dir` as train.worker saved them for `saved` (TF.js layers or estimator.json). */
export async function loadModel(dir: string, saved: SavedPipeline): Promise<LoadedModel> {
  const model = await loadFamilyModel(dir, saved);
  const threshold = decisionThresholdOf(saved);
  if (threshold === undefined) return model;
  return { ...model, predict: async (d) => withThreshold(await model.predict(d), threshold) };
}

async function loadFamilyModel(dir: string, saved: SavedPipeline): Promise<LoadedModel> {
  const family = saved.family;
  const json = () => readJson<{ kind: string }>(dir, 'estimator.json');
  if (family === 'kmeans') {
    const m = json() as KMeansModel;
    return { predict: async (d) => predictKMeans(m, d), dispose: () => undefined };
  }
  if (family === 'dbscan') {
    const m = json() as DbscanModel;
    return { predict: async (d) => predictDbscan(m, d), dispose: () => undefined };
  }
  if (family === 'anomaly' && saved.meta.method !== 'autoencoder') {
    const m = json() as IsolationForestModel;
    return { predict: async (d) => predictIsolationForest(m, d), dispose: () => undefined };
  }
  if (family === 'mf') {
    const m = json() as MfModel;
    return { predict: async (d) => predictMf(m, d), dispose: () => undefined };
  }
  if (family === 'text') {
    const m = json() as TextEstimator;
    return { predict: async (d) => predictText(m, d, saved.modelTask), dispose: () => undefined };
  }
  const model = await loadLayersModel(dir);
  return { tfModel: model, predict: (d) => predictWithTf(model, saved, d), dispose: () => model.dispose() };
}

/** Predictions of a TF.js model (the saved one, or a compressed variant of it) for prepared rows. */
export async function predictWithTf(model: tf.LayersModel, saved: SavedPipeline, d: FamilyData): Promise<Outputs> {
  const inputs = tfInputs(saved.family, saved.meta);
  const decode = tfOutputs(saved.family, saved.modelTask, saved.classes.length, saved.meta);
  const lastShape = model.outputs[0]?.shape ?? [];
  const units = (lastShape[lastShape.length - 1] as number | null) ?? 1;
  const raw = new Float32Array(d.rows * units);
  for (let from = 0; from < d.rows; from += PREDICT_ROWS) {
    const to = Math.min(d.rows, from + PREDICT_ROWS);
    raw.set(tf.tidy(() => (model.predict(inputs(d, from, to), { batchSize: PREDICT_ROWS }) as tf.Tensor).dataSync() as Float32Array), from * units);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return decode(raw, d.rows, d);
}

export function readSavedPipeline(dir: string, family: string): SavedPipeline {
  const spec = readJson<Partial<SavedPipeline>>(dir, 'pipeline.json');
  if (spec.version !== 1 || !Array.isArray(spec.features) || !Array.isArray(spec.classes)) throw new XinzhiError('E_INVALID_INPUT', 'pipeline.json is not a version 1 feature pipeline');
  // Models saved before multi-family training were binary logistic / MLP models.
  return {
    ...(spec as SavedPipeline),
    family: spec.family ?? (family as SavedPipeline['family']),
    modelTask: spec.modelTask ?? 'binary',
    meta: spec.meta ?? {},
  };
}
