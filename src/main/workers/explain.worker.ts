/**
 * Explanation job for a text model (exact term weights and contributions: explainText) or a tabular model (logistic,
 * linear, mlp, anomaly): permutation importance of each input
 * column (one-hot levels permuted together) by a score — ROC AUC for binary classifiers and anomaly detectors with a
 * label (threshold-free), accuracy for multiclass, R² for regressors (sklearn's default `scoring`) — partial dependence
 * of the most important numeric columns in their own units, and per-row contributions: exact for linear and
 * logistic models (in the linear predictor's units, log-odds for logistic), KernelSHAP on the model's score for
 * the others.
 */
import * as tf from '@tensorflow/tfjs';
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog } from '../catalog/connection.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { startBestBackend } from './tf-backend.js';
import { kernelShap, linearContributions, partialDependence, permutationImportance, type FeatureGroup } from '../core/ml/explain.js';
import { accuracy, r2Score, rocAuc } from '../core/ml/metrics.js';
import { mulberry32 } from '../core/random.js';
import type { JobContext } from '../jobs/protocol.js';
import type { ExplainJobParams, ExplainResult } from '../jobs/explain-job.js';
import type { SavedPipeline } from '../jobs/train-job.js';
import { subset, vectorize, type TextEstimator } from './ml/families.js';
import { readJson } from './ml/artifact.js';
import type { FeatureTable } from '../core/ml/logistic.js';
import { inputColumns, loadModel, prepareRows, readColumns, readSavedPipeline, tokenizeColumn } from './ml/prepare.js';

/** Rows permutation importance and partial dependence average over, and the KernelSHAP background size. */
const SAMPLE_ROWS = 2000;
const BACKGROUND_ROWS = 100;
const PDP_FEATURES = 4;

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}

/** One group per input column: a numeric column is one matrix column, a one-hot column its levels. */
function groupsOf(spec: SavedPipeline): FeatureGroup[] {
  const groups: FeatureGroup[] = [];
  let offset = 0;
  for (const f of spec.features) {
    const width = f.kind === 'numeric' ? 1 : f.levels.length + (f.other ? 1 : 0);
    groups.push({ name: f.column, columns: Array.from({ length: width }, (_, i) => offset + i) });
    offset += width;
  }
  return groups;
}

function sampleRows(rows: number, limit: number, seed: number): Int32Array {
  if (rows <= limit) return Int32Array.from({ length: rows }, (_, i) => i);
  const random = mulberry32(seed);
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  for (let i = 0; i < limit; i++) {
    const j = i + Math.floor(random() * (rows - i));
    const t = all[i] as number;
    all[i] = all[j] as number;
    all[j] = t;
  }
  return all.subarray(0, limit).sort();
}

/** Terms shown for a text model: the most weighted ones overall, and the largest contributions of a row. */
const TOP_TERMS = 15;
const TOP_ROW_TERMS = 15;

/**
 * A text model is a linear model over term weights, so its explanations are exact. A term's weight toward the
 * positive class (binary: w₁ − w₀ in log-odds) or toward the classes' spread (multiclass: the norm of its weights
 * around their mean) is its global importance; a row's contributions are its term values times those weights,
 * toward the predicted class's logit minus the mean logit, the terms beyond the largest summed as "(other terms)".
 * Hashing columns are named by the tokens of the explained rows that hash to them.
 */
function explainText(spec: SavedPipeline, est: TextEstimator, table: FeatureTable, rows: number[]): ExplainResult {
  const column = spec.text!.column;
  const values = table.columns.find((c) => c.name === column)?.values ?? [];
  const docs = tokenizeColumn(values, spec.text!.lang);
  const csr = vectorize(est, docs);
  const { classes: k, weights: W, bias } = est.classifier;
  const names = new Map<number, string>();
  if (est.vectorizer === 'tfidf') est.tfidf!.terms.forEach((term, j) => names.set(j, term));
  else {
    const seen = new Set<string>();
    for (const doc of docs) {
      for (const token of doc) {
        if (seen.has(token)) continue;
        seen.add(token);
        const one = vectorize(est, [[token]]);
        const j = one.indices[0];
        if (j !== undefined && !names.has(j)) names.set(j, token);
      }
    }
  }
  const direction = (j: number, c: number | null): number => {
    if (k === 2 && c === null) return (W[j * k + 1] as number) - (W[j * k] as number);
    const cls = c ?? 0;
    let mean = 0;
    for (let q = 0; q < k; q++) mean += (W[j * k + q] as number) / k;
    return (W[j * k + cls] as number) - mean;
  };
  const importance: ExplainResult['importance'] = [];
  for (const [j, term] of names) {
    let score: number;
    if (k === 2) score = direction(j, null);
    else {
      let ss = 0;
      for (let q = 0; q < k; q++) ss += direction(j, q) ** 2;
      score = Math.sqrt(ss);
    }
    importance.push({ feature: term, mean: score, std: 0 });
  }
  // Binary: the strongest terms for and against the positive class; multiclass: the widest spreads.
  importance.sort((a, b) => b.mean - a.mean);
  const top = k === 2 && importance.length > 2 * TOP_TERMS ? [...importance.slice(0, TOP_TERMS), ...importance.slice(-TOP_TERMS)] : importance.slice(0, 2 * TOP_TERMS);
  const contributions: ExplainResult['contributions'] = rows.map((row) => {
    const from = csr.indptr[row] as number;
    const to = csr.indptr[row + 1] as number;
    // The class explained: the positive one (binary), else the predicted one.
    let c: number | null = null;
    if (k > 2) {
      let best = -Infinity;
      for (let q = 0; q < k; q++) {
        let z = bias[q] as number;
        for (let p = from; p < to; p++) z += (csr.values[p] as number) * (W[(csr.indices[p] as number) * k + q] as number);
        if (z > best) {
          best = z;
          c = q;
        }
      }
    }
    let base: number;
    if (c === null) base = (bias[1] as number) - (bias[0] as number);
    else {
      let mean = 0;
      for (let q = 0; q < k; q++) mean += (bias[q] as number) / k;
      base = (bias[c] as number) - mean;
    }
    const parts = new Map<string, number>();
    for (let p = from; p < to; p++) {
      const j = csr.indices[p] as number;
      const term = names.get(j) ?? `#${j}`;
      parts.set(term, (parts.get(term) ?? 0) + (csr.values[p] as number) * direction(j, c));
    }
    const sorted = [...parts.entries()].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
    const shown = sorted.slice(0, TOP_ROW_TERMS).map(([feature, value]) => ({ feature, value }));
    const rest = sorted.slice(TOP_ROW_TERMS).reduce((sum, [, v]) => sum + v, 0);
    if (sorted.length > TOP_ROW_TERMS) shown.push({ feature: '(other terms)', value: rest });
    return { row, base, prediction: base + sorted.reduce((sum, [, v]) => sum + v, 0), values: shown };
  });
  return { metric: k === 2 ? 'log_odds_weight' : 'weight_spread', importance: top, pdp: [], contributions, contributionMethod: 'exact' };
}

async function explain(p: ExplainJobParams, ctx: JobContext): Promise<ExplainResult> {
  const spec = readSavedPipeline(p.modelDir, p.family);
  const task = spec.modelTask;
  if (spec.text) {
    const names = new Set(p.columns.map((c) => c.name));
    if (!names.has(spec.text.column)) throw new XinzhiError('E_INVALID_INPUT', `The version lacks the text column "${spec.text.column}"`, { missing: spec.text.column });
    ctx.onProgress(0.1, 'Reading rows');
    const db = openCatalog(ctx.workspace, { migrate: false, readonly: true });
    let table: FeatureTable;
    try {
      table = readColumns(db, p.sourceTable, [spec.text.column]);
    } finally {
      db.close();
    }
    const rowCount = table.columns[0]?.values.length ?? 0;
    for (const r of p.rows) if (r >= rowCount) throw new XinzhiError('E_INVALID_INPUT', `Row ${r} is outside the version's ${rowCount} rows`, { path: 'rows' });
    const result = explainText(spec, readJson<TextEstimator>(p.modelDir, 'estimator.json'), table, p.rows);
    ctx.onProgress(1, 'Explained');
    return result;
  }
  if (spec.pairs || spec.family === 'cnn' || spec.family === 'kmeans' || spec.family === 'dbscan') {
    throw new XinzhiError('E_INVALID_INPUT', `Explanations are for tabular and text models (logistic, linear, mlp, anomaly, text); this is a ${spec.family} model`);
  }
  if (task === 'anomaly' && spec.target === '') throw new XinzhiError('E_INVALID_INPUT', 'This anomaly detector was trained without a label column, so there is no score to explain against');
  const names = new Set(p.columns.map((c) => c.name));
  const needed = [...inputColumns(spec), spec.target].filter((n) => n !== '');
  const missing = needed.filter((n) => !names.has(n));
  if (missing.length > 0) throw new XinzhiError('E_INVALID_INPUT', `The version lacks the column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, { missing: missing.join(', ') });

  ctx.onProgress(0.02, 'Reading rows');
  const db = openCatalog(ctx.workspace, { migrate: false, readonly: true });
  const table = (() => {
    try {
      return readColumns(db, p.sourceTable, needed);
    } finally {
      db.close();
    }
  })();
  const all = prepareRows(spec, table);
  if (all.rows === 0) throw new XinzhiError('E_INVALID_INPUT', 'The version has no rows');
  for (const r of p.rows) if (r >= all.rows) throw new XinzhiError('E_INVALID_INPUT', `Row ${r} is outside the version's ${all.rows} rows`, { path: 'rows' });
  await startBestBackend(undefined, (name, why) => ctx.log(`Backend ${name} ${why}`, 'warn'));
  const model = await loadModel(p.modelDir, spec);
  try {
    const cols = all.cols as number;
    const sample = subset(all, sampleRows(all.rows, SAMPLE_ROWS, p.seed));
    const X = sample.X as Float32Array;
    // The score explained: P(positive) / the value / the anomaly score; multiclass: the predicted class index.
    const scoreOf = async (M: Float32Array, rows: number) => (await model.predict({ rows, X: M, cols })).score;
    const labelOf = async (M: Float32Array, rows: number) => (await model.predict({ rows, X: M, cols })).pred;
    const groups = groupsOf(spec);

    ctx.onProgress(0.1, 'Permutation importance');
    let metric: string;
    let importance;
    if (task === 'regression') {
      metric = 'r2';
      importance = await permutationImportance(scoreOf, X, sample.rows, cols, sample.yValues as Float64Array, (y, pred) => r2Score(y, pred), { groups, repeats: 5, seed: p.seed });
    } else if (task === 'anomaly' || task === 'binary') {
      // Threshold-free for binary classifiers: a rare positive class can leave accuracy flat whatever is permuted.
      metric = 'roc_auc';
      importance = await permutationImportance(scoreOf, X, sample.rows, cols, sample.y as Uint8Array, (y, s) => rocAuc(Array.from(y), s), { groups, repeats: 5, seed: p.seed });
    } else {
      metric = 'accuracy';
      importance = await permutationImportance(labelOf, X, sample.rows, cols, sample.y as Uint8Array, (y, pred) => accuracy(Array.from(y), Array.from(pred)), { groups, repeats: 5, seed: p.seed });
    }
    checkCancelled(ctx.signal);
    importance.sort((a, b) => b.mean - a.mean);

    ctx.onProgress(0.5, 'Partial dependence');
    const pdp: ExplainResult['pdp'] = [];
    if (task !== 'multiclass') {
      const numeric = new Map(spec.features.flatMap((f, i) => (f.kind === 'numeric' ? [[f.column, { index: (groups[i] as FeatureGroup).columns[0] as number, mean: f.mean, std: f.std }] as const] : [])));
      for (const imp of importance) {
        const f = numeric.get(imp.feature);
        if (!f || pdp.length >= PDP_FEATURES) continue;
        checkCancelled(ctx.signal);
        const pd = await partialDependence(scoreOf, X, sample.rows, cols, f.index, { gridPoints: 20 });
        // The grid back in the column's own units (the pipeline standardised it).
        pdp.push({ feature: imp.feature, grid: pd.grid.map((g) => Number((g * f.std + f.mean).toPrecision(7))), values: pd.values });
      }
    }

    ctx.onProgress(0.7, 'Contributions');
    const background = subset(all, sampleRows(all.rows, BACKGROUND_ROWS, p.seed + 1));
    const dense = model.tfModel && model.tfModel.layers.length === 1 && (spec.family === 'logistic' || spec.family === 'linear') && task !== 'multiclass';
    const contributions: ExplainResult['contributions'] = [];
    let method: ExplainResult['contributionMethod'] = 'kernel-shap';
    if (dense && model.tfModel) {
      method = 'exact';
      const [kernel, bias] = model.tfModel.getWeights().map((w) => w.dataSync() as Float32Array);
      const mean = new Float64Array(cols);
      const full = all.X as Float32Array;
      for (let r = 0; r < all.rows; r++) for (let j = 0; j < cols; j++) mean[j]! += (full[r * cols + j] as number) / all.rows;
      for (const row of p.rows) {
        const x = full.subarray(row * cols, (row + 1) * cols);
        const c = linearContributions(kernel as Float32Array, (bias as Float32Array)[0] as number, x, mean, groups);
        contributions.push({ row, base: c.base, prediction: c.base + c.values.reduce((s, v) => s + v.value, 0), values: c.values });
      }
    } else {
      for (const [k, row] of p.rows.entries()) {
        checkCancelled(ctx.signal);
        const x = (all.X as Float32Array).slice(row * cols, (row + 1) * cols);
        const shap = await kernelShap(scoreOf, x, background.X as Float32Array, background.rows, cols, { groups, seed: p.seed });
        contributions.push({ row, base: shap.base, prediction: shap.fx, values: shap.values });
        ctx.onProgress(0.7 + (0.3 * (k + 1)) / p.rows.length, `Contributions of row ${row}`);
      }
    }
    ctx.onProgress(1, 'Explained');
    return { metric, importance: importance.map(({ feature, mean, std }) => ({ feature, mean, std })), pdp, contributions, contributionMethod: method };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

runWorker((params, ctx) => explain(params as ExplainJobParams, ctx));
