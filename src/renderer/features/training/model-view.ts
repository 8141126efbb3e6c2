/** Reading model records for display: the learning curve, the key metric per task, metric direction, family names. */
import type { HistoryEntry, ModelFamily, ModelRecord, ModelTask } from '../../../shared/model/training.js';
import { ModelFamilySchema } from '../../../shared/model/training.js';

export const FAMILIES: readonly ModelFamily[] = ModelFamilySchema.options;
export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;

/** Series colours shared by the live curve, the model page and the comparison. */
export const CURVE_COLORS = { loss: '#4c6ef5', valLoss: '#f76707', valMetric: '#12b886' } as const;
/** Distinct colours for runs compared side by side. */
export const RUN_COLORS = ['#4c6ef5', '#f76707', '#12b886', '#e64980', '#7950f2', '#fab005', '#15aabf', '#82c91e'] as const;

/** One epoch from a train job's progress counters; workers before `valMetric` sent `valAccuracy`. */
export function entryFromCounters(counters: Record<string, number>): HistoryEntry | null {
  const { epoch, loss } = counters;
  if (epoch === undefined || loss === undefined || !Number.isFinite(loss)) return null;
  const entry: HistoryEntry = { epoch, loss };
  if (counters.valLoss !== undefined) entry.valLoss = counters.valLoss;
  const metric = counters.valMetric ?? counters.valAccuracy;
  if (metric !== undefined) entry.valMetric = metric;
  return entry;
}

/** The learning curve of a model (report.history; older records kept it in params.history). */
export function historyOf(model: ModelRecord): HistoryEntry[] {
  const raw = (model.report?.history ?? (model.params.history as unknown[] | undefined) ?? []) as (HistoryEntry & { valAccuracy?: number })[];
  return raw.map((e) => {
    const entry: HistoryEntry = { epoch: e.epoch, loss: e.loss };
    if (e.valLoss !== undefined) entry.valLoss = e.valLoss;
    const metric = e.valMetric ?? e.valAccuracy;
    if (metric !== undefined) entry.valMetric = metric;
    return entry;
  });
}

export function taskOf(model: ModelRecord): ModelTask {
  return model.task ?? 'binary';
}

/** The metric a list shows first, by task: the one an analyst would quote. */
const KEY_METRICS: Record<ModelTask, string[]> = {
  binary: ['accuracy', 'roc_auc', 'f1'],
  multiclass: ['accuracy', 'f1_macro', 'f1'],
  regression: ['r2', 'rmse', 'mae'],
  clustering: ['silhouette', 'adjusted_rand', 'davies_bouldin'],
  recommendation: ['ndcg_at_10', 'precision_at_10', 'rmse'],
  anomaly: ['roc_auc', 'average_precision', 'f1'],
};

export function keyMetric(model: ModelRecord): { name: string; value: number } | null {
  const metrics = model.metrics ?? {};
  for (const name of KEY_METRICS[taskOf(model)] ?? []) {
    const value = metrics[name];
    if (value !== undefined) return { name, value };
  }
  const first = Object.entries(metrics)[0];
  return first ? { name: first[0], value: first[1] } : null;
}

/** Errors, losses and distances are better low; scores are better high. */
export function lowerIsBetter(metric: string): boolean {
  return /(^|_)(rmse|mse|mae|log_loss|loss|brier|error|davies_bouldin|latency)($|_)/.test(metric) || metric.startsWith('mean_') && metric.includes('error');
}

/** Parameters worth showing as hyper-parameters (the rest are internals: history, pipeline spec, backend ladder). */
const INTERNAL_PARAMS = new Set(['history', 'featureSpec', 'featureNames', 'backendsTried', 'rows', 'report', 'samplePredictions', 'compression', 'parentModelId']);

/** The training settings and the family's hyper-parameters as used (those override the request's, e.g. learningRate). */
export function hyperParamsOf(model: ModelRecord): [string, string][] {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(model.params ?? {})) {
    if (INTERNAL_PARAMS.has(key) || value === undefined || value === null) continue;
    // The family asked for, shown only when it differs from the one trained (AutoML).
    if (key === 'requested' && value === model.family) continue;
    if (key === 'hyper' && typeof value === 'object' && !Array.isArray(value)) continue;
    out.set(key, showValue(value));
  }
  const hyper = model.params?.hyper;
  if (hyper && typeof hyper === 'object' && !Array.isArray(hyper)) for (const [k, v] of Object.entries(hyper as Record<string, unknown>)) out.set(k, showValue(v));
  return [...out.entries()];
}

function showValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Train / validation / test row counts when the record has them. */
export function splitRowsOf(model: ModelRecord): { train: number; validation: number; test: number } | null {
  const rows = model.params?.rows as { train?: number; validation?: number; test?: number } | undefined;
  if (!rows || typeof rows.train !== 'number') return null;
  return { train: rows.train, validation: rows.validation ?? 0, test: rows.test ?? 0 };
}

/** Formats a metric: fractions with 4 digits, large values with fewer. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(2);
  return value.toFixed(4);
}
