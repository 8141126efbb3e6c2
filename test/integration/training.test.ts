// Training through the contract: a job in a worker, a registered model with its files, hashes, lineage and audit.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { dataset, importOk, openTestApp, repoRoot, type TestApp } from '../helpers.js';
import type { ModelRecord } from '../../src/shared/model/training.js';

let t: TestApp;
let versionId = '';

beforeAll(async () => {
  t = await openTestApp();
  versionId = (await importOk(t, { path: dataset('ai4i2020', 'ai4i2020.csv') })).versionId;
});
afterAll(async () => {
  await t.close();
});

// The failure-mode flags (TWF … RNF) and the ids would leak or overfit the target: the process readings only.
const features = ['Type', 'Air temperature [K]', 'Process temperature [K]', 'Rotational speed [rpm]', 'Torque [Nm]', 'Tool wear [min]'];

describe('training', () => {
  it('trains an MLP on AI4I in a worker and registers it with its files, lineage and audit', async () => {
    const { jobId } = await t.api.training.trainModel({ versionId, target: 'Machine failure', features, family: 'mlp', epochs: 3 });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const model = job.result as ModelRecord;
    expect(model.backend).toBe('wasm');
    expect(model.features).toEqual(features);
    expect(model.metrics.accuracy).toBeGreaterThan(0.95);
    expect(Object.keys(model.metrics)).toEqual(expect.arrayContaining(['accuracy', 'f1', 'roc_auc']));
    for (const file of model.files) {
      const path = join(t.workspace, 'models', model.id, file.name);
      expect(existsSync(path)).toBe(true);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(file.sha256);
    }
    expect(await t.api.training.getModel({ modelId: model.id })).toEqual(model);
    expect((await t.api.training.listModels({ versionId })).map((m) => m.id)).toContain(model.id);
    expect(t.app.db.prepare('SELECT parent_id, relation FROM lineage WHERE child_id = ?').get(model.id)).toEqual({ parent_id: versionId, relation: 'train' });
    const { entries } = await t.api.audit.listEntries({ limit: 1 });
    expect(entries[0]).toMatchObject({ action: 'model.train', target: model.id });
  });

  it('refuses a target the version does not have, and cleans up after a cancel', async () => {
    await expect(t.api.training.trainModel({ versionId, target: 'nope' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    const { jobId } = await t.api.training.trainModel({ versionId, target: 'Machine failure', features, family: 'mlp', epochs: 200 });
    await new Promise<void>((resolve) => {
      const off = t.api.jobs.onDidUpdate((job) => {
        if (job.id === jobId && job.progress > 0) {
          off();
          resolve();
        }
      });
    });
    await t.api.jobs.cancelJob({ jobId });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state).toBe('cancelled');
    expect((await t.api.training.listModels({})).length).toBe(1);
  });

  it('scores a version into a new version with prediction and score, and evaluates the model on it', async () => {
    const [model] = await t.api.training.listModels({ versionId });
    const { jobId } = await t.api.training.predict({ modelId: model!.id, versionId });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const scored = job.result as { versionId: string; rows: number };
    expect(scored.rows).toBe(10_000);
    const version = await t.api.catalog.getVersion({ versionId: scored.versionId });
    expect(version).toMatchObject({ parentId: versionId, operation: 'predict', rowCount: 10_000 });
    expect(version.columns.map((c) => [c.name, c.type]).slice(-2)).toEqual([['prediction', 'integer'], ['score', 'real']]);
    const page = await t.api.catalog.queryRows({ versionId: scored.versionId, limit: 5 });
    for (const row of page.rows) {
      const score = row.at(-1) as number;
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(t.app.db.prepare(`SELECT parent_id FROM lineage WHERE child_id = ? AND parent_kind = 'model'`).get(scored.versionId)).toEqual({ parent_id: model!.id });

    const evaluation = await t.app.jobs.wait((await t.api.training.evaluate({ modelId: model!.id, versionId })).jobId);
    expect(evaluation.state, JSON.stringify(evaluation.error)).toBe('succeeded');
    const metrics = (evaluation.result as { metrics: Record<string, number> }).metrics;
    expect(metrics.accuracy).toBeGreaterThan(0.95);
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['accuracy', 'f1', 'roc_auc']));
  });

  it('xinzhi train --json prints the contract shape', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', t.workspace, 'train', versionId, '--target', 'Machine failure', '--features', features.join(','), '--model', 'logistic', '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['backend', 'family', 'metrics', 'modelId', 'task', 'trainMs']);
    expect(out.family).toBe('logistic');
  });
});
