// PII findings through the contract and the CLI (masked, stored per version, audited without values), and labeling
// end to end: schema, labels by several annotators, agreement, export as a new version with lineage and audit.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { syntheticChineseTable } from '../../src/main/core/pii/index.js';
import { importOk, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';

const dir = tempDir('xinzhi-pii-');
const rows = syntheticChineseTable(300, 42);
const csvPath = join(dir.path, 'customers.csv');

function cli(workspace: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', workspace, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let t: TestApp;
beforeAll(async () => {
  writeFileSync(csvPath, Papa.unparse(rows as unknown as Record<string, unknown>[]));
  t = await openTestApp(join(dir.path, 'ws'));
});
afterAll(async () => {
  await t.close();
  dir.remove();
});

describe('pii', () => {
  it('finds every Chinese PII column of a synthetic table, stores masked findings, and audits kinds only', async () => {
    const imported = await importOk(t, { path: csvPath });
    const findings = await t.api.pii.detect({ versionId: imported.versionId });
    const kinds = Object.fromEntries(findings.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      姓名: 'personName', 身份证号: 'cnResidentId', 手机号: 'cnMobile', 固定电话: 'cnLandline', 邮箱: 'email', 银行卡号: 'bankCard',
      车牌号: 'cnLicensePlate', 统一社会信用代码: 'uscc', 地址: 'address', 出生日期: 'dateOfBirth', 邮编: 'postalCode', 备注: 'cnMobile', 消费金额: null,
    });
    const byName = Object.fromEntries(findings.columns.map((c) => [c.name, c]));
    expect(byName.备注!.freeText).toBe(true);
    expect(byName.出生日期!.role).toBe('quasi');
    expect(byName.身份证号!.role).toBe('identifying');
    expect(findings.suggestedSensitivity).toBe('restricted');
    expect(byName.手机号!.maskedExamples[0]).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(byName.姓名!.maskedExamples[0]).toMatch(/^[\u4e00-\u9fff]\*{1,2}$/);

    // Nothing raw: no sampled value of a PII column appears in the stored findings or the audit log.
    const stored = JSON.stringify(await t.api.pii.getFindings({ versionId: imported.versionId }));
    const audit = JSON.stringify(t.app.db.prepare('SELECT details FROM audit_log').all());
    for (const r of rows.slice(0, 300)) {
      for (const v of [r.身份证号, r.手机号, r.邮箱, r.银行卡号, r.姓名, r.地址, r.统一社会信用代码]) {
        expect(stored.includes(v), v).toBe(false);
        expect(audit.includes(v), v).toBe(false);
      }
    }
    expect(JSON.parse(stored)).toMatchObject({ versionId: imported.versionId, columns: findings.columns });

    // privacy.suggestSetup proposes the same roles (one detector).
    const setup = await t.api.privacy.suggestSetup({ versionId: imported.versionId });
    for (const c of findings.columns) expect(setup.config.columns[c.name]!.role, c.name).toBe(c.role);
  });

  it('xinzhi pii VERSION --json prints {columns: [{name, kind, confidence, role}]}', async () => {
    const imported = await importOk(t, { path: csvPath });
    await t.app.close();
    const r = cli(t.workspace, 'pii', imported.versionId, '--json');
    t = await openTestApp(t.workspace);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { columns: { name: string; kind: string | null; confidence: number; role: string }[] };
    expect(out.columns).toHaveLength(13);
    for (const c of out.columns) expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'kind', 'confidence', 'role']));
    expect(out.columns.find((c) => c.name === '消费金额')).toMatchObject({ kind: null, confidence: 0 });
    expect(out.columns.find((c) => c.name === '身份证号')).toMatchObject({ kind: 'cnResidentId', role: 'identifying' });
  });
});

describe('labeling', () => {
  it('labels by several annotators → stats with kappa → a new version with a label column, lineage and audit', async () => {
    const imported = await importOk(t, { path: csvPath });
    const datasetId = imported.datasetId;
    await expect(t.api.labeling.nextItems({ versionId: imported.versionId, annotator: 'ann' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.labeling.setSchema({ datasetId, classes: ['only'] })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await t.api.labeling.setSchema({ datasetId, classes: ['good', 'bad', 'unsure'], overlap: 0.5, annotatorsPerItem: 2 });

    const queue = await t.api.labeling.nextItems({ versionId: imported.versionId, annotator: 'alice', limit: 40 });
    expect(queue.items).toHaveLength(40);
    const overlapRows = queue.items.filter((i) => i.wanted === 2).map((i) => i.row);
    // About half the rows are overlap rows (seeded hash), and the same for every annotator.
    expect(overlapRows.length).toBeGreaterThan(10);
    expect(overlapRows.length).toBeLessThan(30);
    const bobQueue = await t.api.labeling.nextItems({ versionId: imported.versionId, annotator: 'bob', limit: 40 });
    expect(bobQueue.items.filter((i) => i.wanted === 2).map((i) => i.row)).toEqual(overlapRows);

    const classes = ['good', 'bad', 'unsure'];
    for (const item of queue.items) await t.api.labeling.addLabel({ versionId: imported.versionId, row: item.row, annotator: 'alice', label: classes[item.row % 3]! });
    // Bob sees only rows still wanting labels: alice's overlap rows, not her single rows.
    const bobNext = await t.api.labeling.nextItems({ versionId: imported.versionId, annotator: 'bob', limit: 40 });
    for (const row of overlapRows) expect(bobNext.items.map((i) => i.row)).toContain(row);
    for (const item of queue.items.filter((i) => i.wanted === 1)) expect(bobNext.items.map((i) => i.row)).not.toContain(item.row);
    // Bob agrees except on every fourth overlap row.
    for (const [k, row] of overlapRows.entries()) await t.api.labeling.addLabel({ versionId: imported.versionId, row, annotator: 'bob', label: k % 4 === 0 ? 'unsure' : classes[row % 3]! });
    await expect(t.api.labeling.addLabel({ versionId: imported.versionId, row: 1, annotator: 'bob', label: 'nope' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });

    // Undo removes one label.
    expect(await t.api.labeling.removeLabel({ versionId: imported.versionId, row: overlapRows[1]!, annotator: 'bob' })).toEqual({ removed: true });
    await t.api.labeling.addLabel({ versionId: imported.versionId, row: overlapRows[1]!, annotator: 'bob', label: classes[overlapRows[1]! % 3]! });

    const stats = await t.api.labeling.stats({ datasetId });
    expect(stats.labelledRows).toBe(40);
    expect(stats.labels).toBe(40 + overlapRows.length);
    expect(stats.annotators).toEqual({ alice: 40, bob: overlapRows.length });
    expect(stats.cohenKappa).toHaveLength(1);
    expect(stats.cohenKappa[0]!.items).toBe(overlapRows.length);
    expect(stats.cohenKappa[0]!.kappa).toBeGreaterThan(0.4);
    expect(stats.cohenKappa[0]!.kappa).toBeLessThan(1);
    expect(stats.fleissKappa).toMatchObject({ items: overlapRows.length, raters: 2 });
    expect(await t.api.labeling.listAnnotators({ datasetId })).toEqual(expect.arrayContaining(['alice', 'bob']));

    const exported = await t.api.labeling.exportLabels({ datasetId });
    expect(exported).toMatchObject({ parentVersionId: imported.versionId, rowCount: 300, labelledRows: 40, labelColumn: 'label' });
    // Ties (alice ≠ bob on a two-label row) go to the class listed first.
    expect(exported.ties).toBe(Math.ceil(overlapRows.length / 4) - overlapRows.filter((r, k) => k % 4 === 0 && classes[r % 3] === 'unsure').length);
    const version = (await t.api.catalog.getDataset({ datasetId })).versions.find((v) => v.id === exported.versionId)!;
    expect(version).toMatchObject({ parentId: imported.versionId, operation: 'label' });
    expect(version.columns.at(-1)).toMatchObject({ name: 'label', type: 'text' });
    const page = await t.api.catalog.queryRows({ versionId: exported.versionId, offset: 0, limit: 300 });
    const labelOf = new Map(page.rows.map((r, i) => [i + 1, r.at(-1)]));
    for (const item of queue.items) {
      const k = overlapRows.indexOf(item.row);
      const alice = classes[item.row % 3]!;
      const bob = k >= 0 && k % 4 === 0 ? 'unsure' : alice;
      const expected = alice === bob ? alice : classes.find((c) => c === alice || c === bob);
      expect(labelOf.get(item.row), `row ${item.row}`).toBe(expected);
    }
    expect(page.rows.filter((r) => r.at(-1) === null)).toHaveLength(260);
    const lineage = t.app.db.prepare('SELECT parent_id, relation FROM lineage WHERE child_id = ?').get(exported.versionId);
    expect(lineage).toEqual({ parent_id: imported.versionId, relation: 'label' });
    const audit = await t.api.audit.listEntries({ limit: 1000 });
    expect(audit.entries.some((e) => e.action === 'version.label' && e.target === exported.versionId)).toBe(true);
    expect((await t.api.audit.verifyChain({})).ok).toBe(true);
  });

  it('the CLI: label schema, add, stats --json, export --json', async () => {
    const imported = await importOk(t, { path: csvPath });
    await t.app.close();
    const ws = t.workspace;
    expect(cli(ws, 'label', 'schema', imported.datasetId, '--classes', 'a,b,c', '--overlap', '1', '--json').code).toBe(0);
    for (const [row, ann, label] of [[1, 'x', 'a'], [1, 'y', 'a'], [2, 'x', 'b'], [2, 'y', 'c'], [3, 'x', 'c'], [3, 'y', 'c']] as const) {
      const r = cli(ws, 'label', 'add', imported.versionId, '--row', String(row), '--label', label, '--annotator', ann, '--json');
      expect(r.code, r.stderr).toBe(0);
    }
    const stats = JSON.parse(cli(ws, 'label', 'stats', imported.datasetId, '--json').stdout);
    expect(stats).toMatchObject({ labelledRows: 3, labels: 6, counts: { a: 2, b: 1, c: 3 } });
    // sklearn: cohen_kappa_score(['a','b','c'], ['a','c','c']) = 0.5
    expect(stats.cohenKappa[0].kappa).toBeCloseTo(0.5, 10);
    const exported = JSON.parse(cli(ws, 'label', 'export', imported.datasetId, '--json').stdout);
    expect(exported).toMatchObject({ parentVersionId: imported.versionId, labelledRows: 3, ties: 1 });
    expect(exported.versionId).toMatch(/^ver_/);
    t = await openTestApp(ws);
  });
});
