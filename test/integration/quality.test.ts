// Profiles, the quality score and quality rules through the contract on real data (Adult, checked against pandas),
// and their automatic runs on every new version of a dataset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { contract, createClient } from '../../src/shared/contract/index.js';
import { createApp } from '../../src/main/compose.js';
import { createInProcessTransport } from '../../src/main/transport/in-process.js';
import type { ProfileReport, RuleRun } from '../../src/shared/model/quality.js';
import type { Job } from '../../src/shared/model/jobs.js';
import Database from 'better-sqlite3';
import { profileDataset } from '../../src/main/core/profile/index.js';
import { ColumnsBuffer, readRows } from '../../src/main/workers/quality/read.js';
import { PARALLEL_MIN_ROWS } from '../../src/main/workers/quality/parallel.js';
import { dataset, importOk, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';

interface PandasReference {
  rows: number;
  duplicateRows: number;
  rowsWithMissing: number;
  columns: Record<string, { count: number; missing: number; distinct: number; mean?: number; std?: number; min?: number; max?: number; quantiles?: number[]; skewness?: number; zeros?: number; topValues: [string | number, number][] }>;
  pearson: Record<string, number>;
  cramersV: Record<string, number>;
}
const reference = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'quality', 'adult-pandas.json'), 'utf8')) as PandasReference;

async function waitOk(t: TestApp, jobId: string): Promise<Job> {
  const job = await t.app.jobs.wait(jobId);
  if (job.state !== 'succeeded') throw new Error(`job ${job.kind} ${job.state}: ${JSON.stringify(job.error)}`);
  return job;
}

describe('profiling Adult', () => {
  let t: TestApp;
  let versionId = '';
  let datasetId = '';
  let report: ProfileReport;

  beforeAll(async () => {
    t = await openTestApp();
    const imported = await importOk(t, { path: dataset('adult', 'adult_all.csv'), naValues: ['?'] });
    versionId = imported.versionId;
    datasetId = imported.datasetId;
    expect(await t.api.quality.getProfile({ versionId })).toBeNull();
    const { jobId } = await t.api.quality.profileVersion({ versionId });
    const job = await waitOk(t, jobId);
    expect(job.kind).toBe('profile');
    report = (await t.api.quality.getProfile({ versionId }))!;
  }, 120_000);
  afterAll(() => t.close());

  it("has Adult's known counts", () => {
    expect(report.rowCount).toBe(48_842);
    const income = report.columns.find((c) => c.name === 'income')!;
    expect(income.topValues).toEqual([
      { value: '<=50K', count: 37_155 },
      { value: '>50K', count: 11_687 },
    ]);
    expect(report.rowsWithMissing).toBe(3_620);
    expect(report.rowsWithMissing).toBe(reference.rowsWithMissing);
    expect(report.duplicateRows).toBe(reference.duplicateRows);
  });

  it("equals pandas' describe, quantile, skew, nunique, value_counts and corr", () => {
    for (const [name, ref] of Object.entries(reference.columns)) {
      const c = report.columns.find((x) => x.name === name)!;
      expect(c.count, name).toBe(ref.count);
      expect(c.missing, name).toBe(ref.missing);
      expect(c.distinct, name).toBe(ref.distinct);
      expect(c.topValues.slice(0, 3).map((v) => [v.value, v.count]), name).toEqual(ref.topValues);
      if (ref.mean === undefined) continue;
      const q = c.numeric!.quantiles;
      expect(c.numeric!.mean).toBeCloseTo(ref.mean, 8);
      expect(c.numeric!.std!).toBeCloseTo(ref.std!, 6);
      expect(c.numeric!.min).toBe(ref.min);
      expect(c.numeric!.max).toBe(ref.max);
      [q.p1, q.p5, q.p25, q.p50, q.p75, q.p95, q.p99].forEach((v, i) => expect(v, `${name} q${i}`).toBeCloseTo(ref.quantiles![i]!, 6));
      expect(c.numeric!.skewness!).toBeCloseTo(ref.skewness!, 8);
      expect(c.numeric!.zeros).toBe(ref.zeros);
    }
    const pearson = report.correlations.find((c) => c.method === 'pearson')!;
    const r = (a: string, b: string) => pearson.matrix[pearson.columns.indexOf(a)]![pearson.columns.indexOf(b)]!;
    expect(r('age', 'hours-per-week')).toBeCloseTo(reference.pearson['age~hours-per-week']!, 10);
    expect(r('fnlwgt', 'age')).toBeCloseTo(reference.pearson['fnlwgt~age']!, 10);
    const cramer = report.correlations.find((c) => c.method === 'cramers-v')!;
    const v = (a: string, b: string) => cramer.matrix[cramer.columns.indexOf(a)]![cramer.columns.indexOf(b)]!;
    expect(v('sex', 'relationship')).toBeCloseTo(reference.cramersV['sex~relationship']!, 10);
    expect(v('income', 'education')).toBeCloseTo(reference.cramersV['income~education']!, 10);
  });

  it('raises the alerts a steward expects on Adult', () => {
    const has = (kind: string, column: string | null) => report.alerts.some((a) => a.kind === kind && a.column === column);
    expect(has('missing', 'workclass')).toBe(true);
    expect(has('missing', 'occupation')).toBe(true);
    expect(has('missing', 'native-country')).toBe(false); // 1.75 % < 5 %
    expect(has('zeros', 'capital-gain')).toBe(true);
    expect(has('skewed', 'capital-gain')).toBe(true);
    expect(has('imbalance', 'native-country')).toBe(true);
    expect(has('duplicates', null)).toBe(true);
    expect(report.alerts.find((a) => a.kind === 'high-correlation' && [a.column, a.otherColumn].includes('education-num'))).toMatchObject({ value: 1 });
  });

  it('scores by the documented formula; validity joins once rules have run', async () => {
    const cells = 48_842 * 16;
    const missing = report.columns.reduce((a, c) => a + c.missing, 0);
    expect(report.dimensions.completeness).toBeCloseTo(100 * (1 - missing / cells), 1);
    expect(report.dimensions.uniqueness).toBeCloseTo(100 * (1 - 29 / 48_842), 1);
    expect(report.dimensions.validity).toBeNull();
    expect(report.dimensions.consistency).toBe(100);
    expect(report.qualityScore).toBeGreaterThan(90);

    await t.api.quality.addRule({ datasetId, spec: { kind: 'in-set', column: 'income', values: ['<=50K', '>50K'] } });
    await t.api.quality.addRule({ datasetId, spec: { kind: 'not-null', column: 'workclass' } });
    const { jobId } = await t.api.quality.runRules({ versionId });
    const run = (await waitOk(t, jobId)).result as RuleRun;
    expect(run).toMatchObject({ passed: 1, failed: 1 });
    const notNull = run.results.find((r) => r.spec.kind === 'not-null')!;
    expect(notNull.failingRows).toBe(2_799);
    expect(notNull.samples[0]).toEqual({ row: 28, value: null });
    const after = (await t.api.quality.getProfile({ versionId }))!;
    expect(after.dimensions.validity).toBeCloseTo(100 * (1 + (1 - 2_799 / 48_842)) / 2, 1);
    const history = await t.api.quality.getRuleHistory({ datasetId, limit: 10 });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ versionId, versionNumber: 1, passed: 1, failed: 1 });
  });

  it('rejects bad rules before storing them', async () => {
    await expect(t.api.quality.addRule({ datasetId, spec: { kind: 'not-null', column: 'nope' } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.quality.addRule({ datasetId, spec: { kind: 'matches', column: 'sex', pattern: '([' } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.quality.addRule({ datasetId, spec: { kind: 'predicate', expression: 'age >>> 3' } })).rejects.toMatchObject({ code: expect.stringMatching(/^E_EXPR_/) });
    await expect(t.api.quality.addRule({ datasetId, spec: { kind: 'between', column: 'age' } as never })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    expect(await t.api.quality.listRules({ datasetId })).toHaveLength(2);
    await expect(t.api.quality.deleteRule({ ruleId: 'rule_missing' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});

describe('a large version, read on two threads', () => {
  it('profiles exactly as a one-thread read does (Adult five times over)', async () => {
    const dir = tempDir();
    const t = await openTestApp();
    try {
      const [header, ...lines] = readFileSync(dataset('adult', 'adult_all.csv'), 'utf8').trimEnd().split(/\r?\n/);
      const copies = 5;
      const file = join(dir.path, 'adult-x5.csv');
      writeFileSync(file, `${[header, ...Array.from({ length: copies }, () => lines).flat()].join('\n')}\n`);
      const imported = await importOk(t, { path: file, naValues: ['?'] });
      expect(imported.rowCount).toBeGreaterThanOrEqual(PARALLEL_MIN_ROWS);
      const { jobId } = await t.api.quality.profileVersion({ versionId: imported.versionId });
      await waitOk(t, jobId);
      const report = (await t.api.quality.getProfile({ versionId: imported.versionId }))!;

      // Independent of the two-thread split: Adult's own counts, times five.
      expect(report.rowCount).toBe(copies * 48_842);
      expect(report.rowsWithMissing).toBe(copies * 3_620);
      expect(report.duplicateRows).toBe((copies - 1) * 48_842 + reference.duplicateRows);
      expect(report.columns.find((c) => c.name === 'income')!.topValues).toEqual([
        { value: '<=50K', count: copies * 37_155 },
        { value: '>50K', count: copies * 11_687 },
      ]);

      // And the same profile as the whole table read in this thread.
      const db = new Database(join(t.workspace, 'catalog.db'), { readonly: true });
      const tableName = db.prepare('SELECT table_name FROM versions WHERE id = ?').pluck().get(imported.versionId) as string;
      const buffer = new ColumnsBuffer(imported.columns, imported.rowCount);
      const rows = readRows(db, tableName, buffer, {});
      db.close();
      const expected = profileDataset(buffer.build(rows), rows);
      const { columns, duplicateRows, rowsWithMissing, correlations, alerts } = report;
      expect({ columns, duplicateRows, rowsWithMissing, correlations, alerts }).toEqual({
        columns: expected.columns,
        duplicateRows: expected.duplicateRows,
        rowsWithMissing: expected.rowsWithMissing,
        correlations: expected.correlations,
        alerts: expected.alerts,
      });
    } finally {
      await t.close();
      dir.remove();
    }
  }, 180_000);
});

describe('automatic profiles and rules on new versions', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('profiles every published version and checks its rules, when autoQuality is on', async () => {
    const app = await createApp({ workspace: join(tmp.path, 'ws'), host: 'cli', appRoot: repoRoot, autoQuality: true });
    const api = createClient(contract, createInProcessTransport(app.bound, app.events));
    const t: TestApp = { app, api, workspace: join(tmp.path, 'ws'), close: () => app.close() };
    try {
      const csv = join(tmp.path, 'people.csv');
      const rows = Array.from({ length: 60 }, (_, i) => `${20 + (i % 40)},${i % 2 ? 'F' : 'M'},${i % 7 === 0 ? '' : 'ok'}`);
      writeFileSync(csv, `age,sex,status\n${rows.join('\n')}\n`);
      const updates: string[] = [];
      api.quality.onDidUpdate((e) => updates.push(e.versionId));
      const imported = await importOk(t, { path: csv });
      const profileJob = () => app.jobs.list(50).find((j) => j.kind === 'profile' && j.title.endsWith('v1'));
      await expect.poll(profileJob, { timeout: 30_000 }).toBeTruthy();
      await waitOk(t, profileJob()!.id);
      expect((await api.quality.getProfile({ versionId: imported.versionId }))!.rowCount).toBe(60);
      expect(updates).toContain(imported.versionId);

      await api.quality.addRule({ datasetId: imported.datasetId, spec: { kind: 'not-null', column: 'status' } });
      await api.quality.addRule({ datasetId: imported.datasetId, spec: { kind: 'predicate', expression: 'age >= 18' } });
      // A new version by another area's operation (anonymise): its profile job also checks the rules.
      const { jobId } = await api.privacy.anonymise({
        versionId: imported.versionId,
        config: { columns: { age: { role: 'quasi', hierarchy: { interval: { widths: [10] } } } }, models: [{ model: 'k-anonymity', k: 2 }] },
      });
      const anonymised = (await waitOk(t, jobId)).result as { versionId: string };
      await expect.poll(() => app.jobs.list(50).find((j) => j.kind === 'profile' && j.title.endsWith('v2')), { timeout: 30_000 }).toBeTruthy();
      await waitOk(t, app.jobs.list(50).find((j) => j.kind === 'profile' && j.title.endsWith('v2'))!.id);
      const runs = await api.quality.getRuleHistory({ versionId: anonymised.versionId, limit: 5 });
      expect(runs).toHaveLength(1);
      const [notNull, predicate] = runs[0]!.results;
      expect(notNull).toMatchObject({ passed: false, failingRows: 9 });
      // After generalisation, age is a text interval: the predicate compares it as text and fails with a clear result.
      expect(predicate!.spec.kind).toBe('predicate');
      const profile = (await api.quality.getProfile({ versionId: anonymised.versionId }))!;
      expect(profile.dimensions.validity).not.toBeNull();
    } finally {
      await t.close();
    }
  }, 120_000);

  it('is off by default (tests and the CLI start no background jobs)', async () => {
    const t = await openTestApp();
    try {
      const csv = join(tmp.path, 'small.csv');
      writeFileSync(csv, 'a,b\n1,x\n2,y\n');
      await importOk(t, { path: csv });
      expect(t.app.jobs.list(10).map((j) => j.kind)).toEqual(['import']);
    } finally {
      await t.close();
    }
  });
});

describe('xinzhi profile and rules (CLI contract)', () => {
  const ws = tempDir();
  afterAll(() => ws.remove());
  const xinzhi = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', ws.path, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
  };

  it('profile --json runs the job once and prints the contract shape', () => {
    const imported = xinzhi('import', dataset('german_credit', 'german.csv'), '--json').json();
    const versionId = imported.versionId as string;
    const r = xinzhi('profile', versionId, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = r.json() as { qualityScore: number; dimensions: Record<string, number | null>; columns: { name: string; type: string; missing: number; distinct: number }[]; alerts: { kind: string; column: string | null }[]; duplicateRows: number };
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['qualityScore', 'dimensions', 'columns', 'alerts', 'duplicateRows']));
    expect(Object.keys(out.dimensions).sort()).toEqual(['completeness', 'consistency', 'outliers', 'uniqueness', 'validity']);
    expect(out.columns).toHaveLength(21);
    expect(out.columns[0]).toEqual(expect.objectContaining({ name: expect.any(String), type: expect.any(String), missing: 0, distinct: expect.any(Number) }));
    expect(out.duplicateRows).toBe(0);
    expect(out.qualityScore).toBeGreaterThan(0);
    for (const a of out.alerts) expect(a).toEqual(expect.objectContaining({ kind: expect.any(String), column: expect.anything() }));
    // Stored: a second call prints the same profile without a new job.
    expect(xinzhi('profile', versionId, '--json').json()).toEqual(out);

    const added = xinzhi('rules', 'add', versionId, '--kind', 'between', '--column', 'month', '--min', '6', '--max', '60', '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(added.json()).toMatchObject({ spec: { kind: 'between', column: 'month', min: 6, max: 60 } });
    expect((xinzhi('rules', 'ls', versionId, '--json').json() as { rules: unknown[] }).rules).toHaveLength(1);
    const run = xinzhi('rules', 'run', versionId, '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = run.json() as { passed: number; failed: number; results: { kind: string; failingRows: number; samples: { row: number; value: string }[] }[] };
    expect(result.failed).toBe(1);
    expect(result.results[0]!.kind).toBe('between');
    expect(result.results[0]!.failingRows).toBeGreaterThan(0);
    expect(result.results[0]!.samples.length).toBeGreaterThan(0);
    expect(xinzhi('rules', 'run', versionId, '--strict').code).toBe(2);
    const rescored = xinzhi('profile', versionId, '--json').json() as { dimensions: { validity: number } };
    expect(rescored.dimensions.validity).toBeGreaterThan(0);
    expect(rescored.dimensions.validity).toBeLessThan(100);
  }, 120_000);
});
