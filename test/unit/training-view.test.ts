// The model studio's reading of job counters and model records: epochs from progress counters (old and new field
// names), the key metric per task, metric direction, and which params show as hyper-parameters.
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../src/shared/model/training.js';
import { entryFromCounters, historyOf, hyperParamsOf, keyMetric, lowerIsBetter } from '../../src/renderer/features/training/model-view.js';

function record(patch: Partial<ModelRecord>): ModelRecord {
  return {
    id: 'mdl_1', name: 'm', family: 'mlp', task: 'binary', versionId: 'ver_1', target: 'y', features: ['a'], params: {}, metrics: {},
    backend: 'wasm', trainMs: 1, sizeBytes: 1, files: [], report: { history: [] }, parentModelId: null, createdAt: '2026-01-01T00:00:00Z',
    ...patch,
  };
}

describe('entryFromCounters', () => {
  it('reads an epoch with the validation metric under its new and its old name', () => {
    expect(entryFromCounters({ epoch: 3, epochs: 10, loss: 0.5, valLoss: 0.6, valMetric: 0.9 })).toEqual({ epoch: 3, loss: 0.5, valLoss: 0.6, valMetric: 0.9 });
    expect(entryFromCounters({ epoch: 3, epochs: 10, loss: 0.5, valAccuracy: 0.8 })).toEqual({ epoch: 3, loss: 0.5, valMetric: 0.8 });
  });

  it('ignores counters that are not an epoch (rows read, a loss that is not a number)', () => {
    expect(entryFromCounters({ rows: 100 })).toBeNull();
    expect(entryFromCounters({ epoch: 1, loss: Number.NaN })).toBeNull();
  });
});

describe('model records', () => {
  it('take the history from the report, or from params in records made before reports', () => {
    expect(historyOf(record({ report: { history: [{ epoch: 1, loss: 1, valMetric: 0.5 }] } }))).toEqual([{ epoch: 1, loss: 1, valMetric: 0.5 }]);
    const old = record({ params: { history: [{ epoch: 2, loss: 0.3, valAccuracy: 0.7 }] } });
    delete (old as Partial<ModelRecord>).report;
    expect(historyOf(old)).toEqual([{ epoch: 2, loss: 0.3, valMetric: 0.7 }]);
  });

  it('pick the key metric by task', () => {
    expect(keyMetric(record({ task: 'binary', metrics: { roc_auc: 0.9, accuracy: 0.95 } }))).toEqual({ name: 'accuracy', value: 0.95 });
    expect(keyMetric(record({ task: 'regression', metrics: { rmse: 2, r2: 0.7 } }))).toEqual({ name: 'r2', value: 0.7 });
    expect(keyMetric(record({ task: 'clustering', metrics: { inertia: 5 } }))).toEqual({ name: 'inertia', value: 5 });
    expect(keyMetric(record({ metrics: {} }))).toBeNull();
  });

  it('know which metrics are better low', () => {
    for (const m of ['rmse', 'mae', 'log_loss', 'mean_squared_error', 'davies_bouldin']) expect(lowerIsBetter(m), m).toBe(true);
    for (const m of ['accuracy', 'roc_auc', 'r2', 'f1', 'ndcg_at_10', 'silhouette']) expect(lowerIsBetter(m), m).toBe(false);
  });

  it('show the settings and the hyper-parameters as used, not internals', () => {
    const m = record({ params: { epochs: 30, learningRate: 0.001, hyper: { hidden: [64, 64], learningRate: 0.01 }, requested: 'mlp', featureNames: ['a'], backendsTried: [], rows: { train: 1 } } });
    expect(hyperParamsOf(m)).toEqual([['epochs', '30'], ['learningRate', '0.01'], ['hidden', '[64, 64]']]);
    expect(hyperParamsOf(record({ family: 'logistic', params: { requested: 'auto' } }))).toEqual([['requested', 'auto']]);
  });
});
