// Cleaning through the contract on real data (Adult, '?' read as missing): recipes publish new immutable versions
// with lineage, counts equal pandas' (fixture from test/fixtures/cleaning/adult-pandas.py), comparison, the
// lineage graph, saved recipes replayed on another dataset, and the CLI's JSON shapes.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { dataset, importOk, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';
import type { CleanResult, LineageGraph, RecipeInput, VersionDiff } from '../../src/shared/model/cleaning.js';
import type { Job } from '../../src/shared/model/jobs.js';

const pandas = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'cleaning', 'adult-pandas.json'), 'utf8')) as {
  rows: number;
  duplicated: number;
  duplicatedSubset: { columns: string[]; count: number };
  missingWorkclass: number;
  workclassMode: string;
  rowsAfterImputeThenDedupe: number;
  iqr: Record<string, { lower: number; upper: number; capped: number; meanAfter: number }>;
  filterAgeOver40AndPrivate: number;
};

let t: TestApp;
const tmp = tempDir();
let adult = '';
beforeAll(async () => {
  t = await openTestApp();
  adult = (await importOk(t, { path: dataset('adult', 'adult_all.csv'), naValues: ['?'] })).versionId;
});
afterAll(async () => {
  await t.close();
  tmp.remove();
});

async function clean(versionId: string, recipe: RecipeInput): Promise<CleanResult> {
  const { jobId } = await t.api.cleaning.runRecipe({ versionId, recipe });
  const job: Job = await t.app.jobs.wait(jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  return job.result as CleanResult;
}

/** The version's table, read independently of the services: row count and a hash of every row. */
function tableFingerprint(versionId: string): { rows: number; sha: string } {
  const { table_name } = t.app.db.prepare('SELECT table_name FROM versions WHERE id = ?').get(versionId) as { table_name: string };
  const hash = createHash('sha256');
  let rows = 0;
  for (const row of t.app.db.prepare(`SELECT * FROM "${table_name}" ORDER BY __row`).raw(true).iterate() as IterableIterator<unknown[]>) {
    hash.update(JSON.stringify(row));
    rows++;
  }
  return { rows, sha: hash.digest('hex') };
}

async function countMissing(versionId: string, column: string): Promise<number> {
  const page = await t.api.catalog.queryRows({ versionId, offset: 0, limit: 1, filters: [{ column, op: 'isNull' }] });
  return page.totalRows;
}

describe('cleaning Adult through the contract', () => {
  it('imputes missing workclass with its mode: no missing left, the mode is pandas’ mode', async () => {
    expect(await countMissing(adult, 'workclass')).toBe(pandas.missingWorkclass);
    const result = await clean(adult, { steps: [{ op: 'impute', columns: ['workclass'], strategy: 'mode' }] });
    expect(result.rowCount).toBe(pandas.rows);
    expect(await countMissing(result.versionId, 'workclass')).toBe(0);
    expect(result.steps[0]).toMatchObject({ op: 'impute', changedCells: pandas.missingWorkclass, detail: { columns: { workclass: { value: pandas.workclassMode, filled: pandas.missingWorkclass } } } });
    expect(result.columns.find((c) => c.name === 'workclass')).toMatchObject({ type: 'text', nullCount: 0 });
    const version = await t.api.catalog.getVersion({ versionId: result.versionId });
    expect(version).toMatchObject({ parentId: adult, operation: 'clean', number: 2 });
    expect((version.params as { recipe: RecipeInput }).recipe.steps[0]).toMatchObject({ op: 'impute', strategy: 'mode' });
    // Comparison: same rows, only workclass cells changed, and exactly the imputed ones.
    const diff: VersionDiff = await t.api.cleaning.compareVersions({ versionA: adult, versionB: result.versionId });
    expect(diff.alignment).toBe('row');
    expect(diff.schema).toEqual({ added: [], removed: [], retyped: [], renamed: [], reordered: false });
    expect(diff.cells.changed).toBe(pandas.missingWorkclass);
    expect(diff.cells.byColumn.filter((c) => c.changed > 0)).toEqual([{ column: 'workclass', changed: pandas.missingWorkclass }]);
    expect(diff.cells.samples.every((s) => s.before === null && s.after === pandas.workclassMode)).toBe(true);
  });

  it('drops duplicates: as many as pandas’ duplicated().sum(), for all columns and for a subset', async () => {
    const all = await clean(adult, { steps: [{ op: 'dropDuplicates' }] });
    expect(all.rowCount).toBe(pandas.rows - pandas.duplicated);
    expect(all.steps[0]!.detail).toMatchObject({ removed: pandas.duplicated });
    const imputed = await clean(all.versionId, { steps: [{ op: 'impute', columns: ['workclass'], strategy: 'mode' }] });
    const dedupedThenImputed = await clean(adult, { steps: [{ op: 'dropDuplicates' }, { op: 'impute', columns: ['workclass'], strategy: 'mode' }] });
    const diff = await t.api.cleaning.compareVersions({ versionA: adult, versionB: dedupedThenImputed.versionId });
    expect(diff.alignment).toBe('lineage');
    expect(diff.rows).toMatchObject({ removed: pandas.duplicated, added: 0 });
    const filled = (imputed.steps[0]!.detail as { columns: { workclass: { filled: number } } }).columns.workclass.filled;
    expect(diff.cells.byColumn.filter((c) => c.changed > 0)).toEqual([{ column: 'workclass', changed: filled }]);
    expect(diff.cells.samples.every((s) => s.column === 'workclass' && s.before === null && s.after === pandas.workclassMode)).toBe(true);
    const subset = await clean(adult, { steps: [{ op: 'dropDuplicates', columns: pandas.duplicatedSubset.columns }] });
    expect(subset.rowCount).toBe(pandas.rows - pandas.duplicatedSubset.count);
    // Idempotent: deduplicating the deduplicated version removes nothing and gives the same content.
    const again = await clean(all.versionId, { steps: [{ op: 'dropDuplicates' }] });
    expect(again.rowCount).toBe(all.rowCount);
    const [v1, v2] = await Promise.all([t.api.catalog.getVersion({ versionId: all.versionId }), t.api.catalog.getVersion({ versionId: again.versionId })]);
    expect(v2.contentHash).toBe(v1.contentHash);
  });

  it('caps outliers at pandas’ IQR bounds and filters with an expression', async () => {
    const capped = await clean(adult, { steps: [{ op: 'capOutliers', columns: ['age', 'fnlwgt', 'hours-per-week'], method: 'iqr' }] });
    const detail = capped.steps[0]!.detail as { columns: Record<string, { lower: number; upper: number; capped: number }> };
    for (const col of ['age', 'fnlwgt', 'hours-per-week']) {
      expect(detail.columns[col]!.lower).toBeCloseTo(pandas.iqr[col]!.lower, 9);
      expect(detail.columns[col]!.upper).toBeCloseTo(pandas.iqr[col]!.upper, 9);
      expect(detail.columns[col]!.capped).toBe(pandas.iqr[col]!.capped);
    }
    const { table_name } = t.app.db.prepare('SELECT table_name FROM versions WHERE id = ?').get(capped.versionId) as { table_name: string };
    const { m } = t.app.db.prepare(`SELECT avg(fnlwgt) AS m FROM "${table_name}"`).get() as { m: number };
    expect(m).toBeCloseTo(pandas.iqr.fnlwgt!.meanAfter, 6);
    const filtered = await clean(adult, { steps: [{ op: 'filter', expression: 'age > 40 and workclass = \'Private\'' }] });
    expect(filtered.rowCount).toBe(pandas.filterAgeOver40AndPrivate);
  });

  it('keeps the parent immutable: its table rows and content hash are unchanged after a clean', async () => {
    const before = tableFingerprint(adult);
    const parentBefore = await t.api.catalog.getVersion({ versionId: adult });
    await clean(adult, { steps: [{ op: 'normaliseText' }, { op: 'dropColumns', columns: ['fnlwgt'] }, { op: 'rename', mapping: { age: '年龄' } }] });
    expect(tableFingerprint(adult)).toEqual(before);
    expect(await t.api.catalog.getVersion({ versionId: adult })).toEqual(parentBefore);
  });

  it('a recipe run at once equals the same steps run one version at a time', async () => {
    const steps: RecipeInput['steps'] = [
      { op: 'impute', columns: ['workclass', 'occupation'], strategy: 'mode' },
      { op: 'dropDuplicates' },
      { op: 'derive', name: 'long_hours', expression: '`hours-per-week` > 45' },
    ];
    const whole = await clean(adult, { steps });
    let current = adult;
    for (const s of steps) current = (await clean(current, { steps: [s] })).versionId;
    const [a, b] = await Promise.all([t.api.catalog.getVersion({ versionId: whole.versionId }), t.api.catalog.getVersion({ versionId: current })]);
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.rowCount).toBe(a.rowCount);
    expect(b.columns).toEqual(a.columns);
  });

  it('impute-then-dedupe leaves as many rows as pandas', async () => {
    const r = await clean(adult, { steps: [{ op: 'impute', columns: ['workclass'], strategy: 'mode' }, { op: 'dropDuplicates' }] });
    expect(r.rowCount).toBe(pandas.rowsAfterImputeThenDedupe);
  });

  it('refuses a bad recipe before starting a job, with the expression error’s position', async () => {
    const versionsBefore = (await t.api.catalog.listDatasets({ query: '' }))[0]!.versions.length;
    await expect(t.api.cleaning.runRecipe({ versionId: adult, recipe: { steps: [{ op: 'filter', expression: 'education-num > 10' }] } })).rejects.toMatchObject({
      code: 'E_EXPR_UNKNOWN_COLUMN',
      params: { column: 'num', position: 11 },
    });
    await expect(t.api.cleaning.runRecipe({ versionId: adult, recipe: { steps: [{ op: 'cast', column: 'nope', to: 'text' }] } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.cleaning.runRecipe({ versionId: adult, recipe: { steps: [] } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    // A cast that fails on row data fails the job; nothing is published.
    const { jobId } = await t.api.cleaning.runRecipe({ versionId: adult, recipe: { steps: [{ op: 'cast', column: 'workclass', to: 'integer' }] } });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'E_CAST_FAILED', params: { column: 'workclass', row: 1 } });
    expect((await t.api.catalog.listDatasets({ query: '' }))[0]!.versions.length).toBe(versionsBefore);
  });

  it('previews a recipe on a sample with the rows before and after, and names the failing step', async () => {
    const preview = await t.api.cleaning.previewRecipe({
      versionId: adult,
      steps: [{ op: 'filter', expression: 'age >= 50' }, { op: 'derive', name: 'age_band', expression: 'concat(floor(age / 10) * 10, \'s\')' }],
      sampleRows: 500,
      showRows: 5,
    });
    expect(preview.sampleRows).toBe(500);
    expect(preview.error).toBeNull();
    expect(preview.before.rows).toHaveLength(5);
    expect(preview.after.columns.at(-1)).toEqual({ name: 'age_band', type: 'text' });
    const ageIndex = preview.after.columns.findIndex((c) => c.name === 'age');
    expect(preview.after.rows.every((r) => (r[ageIndex] as number) >= 50)).toBe(true);
    expect(preview.steps[0]!.rowsAfter).toBeLessThan(500);
    const bad = await t.api.cleaning.previewRecipe({ versionId: adult, steps: [{ op: 'dropDuplicates' }, { op: 'filter', expression: 'age >' }] });
    expect(bad.error).toMatchObject({ step: 1, code: 'E_EXPR_END' });
    expect(bad.steps).toHaveLength(1);
  });

  it('compares schema changes: added, removed, retyped, renamed (from the recorded steps) and key-matched rows', async () => {
    const changed = await clean(adult, {
      steps: [
        { op: 'rename', mapping: { 'education-num': 'edu_years' } },
        { op: 'cast', column: 'age', to: 'text' },
        { op: 'dropColumns', columns: ['split'] },
        { op: 'derive', name: 'id', expression: 'fnlwgt' },
        { op: 'filter', expression: 'age != \'39\'' },
      ],
    });
    const diff = await t.api.cleaning.compareVersions({ versionA: adult, versionB: changed.versionId });
    expect(diff.schema.renamed).toEqual([{ from: 'education-num', to: 'edu_years' }]);
    expect(diff.schema.retyped).toEqual([{ name: 'age', from: 'integer', to: 'text' }]);
    expect(diff.schema.removed).toEqual([{ name: 'split', type: 'text' }]);
    expect(diff.schema.added).toEqual([{ name: 'id', type: 'integer' }]);
    // The filter dropped rows; the clean recorded where the others came from, so cells still compare with the parent.
    expect(diff.alignment).toBe('lineage');
    expect(diff.rows).toEqual({ a: pandas.rows, b: changed.rowCount, added: 0, removed: pandas.rows - changed.rowCount });
    // No value changed: the cast kept each age (39 and '39' compare equal, the type change is in the schema), and
    // the renamed column compares with its old name.
    expect(diff.cells.changed).toBe(0);
    expect(diff.cells.compared).toBe(changed.rowCount * 15);
    expect(diff.cells.byColumn.map((c) => c.column)).toContain('edu_years');
    // Rows matched by key: a filter removes rows, the rest compare equal.
    const keyed = await clean(adult, { steps: [{ op: 'dropDuplicates' }, { op: 'derive', name: 'key', expression: 'concat(fnlwgt, \'-\', age, \'-\', `education-num`, \'-\', `hours-per-week`, \'-\', occupation, \'-\', `capital-gain`, \'-\', relationship, \'-\', race, \'-\', sex, \'-\', `native-country`, \'-\', workclass, \'-\', split, \'-\', `marital-status`, \'-\', `capital-loss`, \'-\', income)' }] });
    const filtered = await clean(keyed.versionId, { steps: [{ op: 'filter', expression: 'age < 60' }, { op: 'impute', columns: ['occupation'], strategy: 'constant', value: 'Unknown' }] });
    const byKey = await t.api.cleaning.compareVersions({ versionA: keyed.versionId, versionB: filtered.versionId, keyColumns: ['key'] });
    expect(byKey.alignment).toBe('key');
    expect(byKey.rows.added).toBe(0);
    expect(byKey.rows.removed).toBe(keyed.rowCount - filtered.rowCount);
    expect(byKey.cells.byColumn.filter((c) => c.changed > 0).map((c) => c.column)).toEqual(['occupation']);
    await expect(t.api.cleaning.compareVersions({ versionA: adult, versionB: filtered.versionId, keyColumns: ['age'] })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });

  it('draws the lineage graph: file → import → versions, layered by depth', async () => {
    const a = await clean(adult, { steps: [{ op: 'dropDuplicates' }] });
    const b = await clean(a.versionId, { steps: [{ op: 'impute', columns: ['workclass'], strategy: 'mode' }] });
    const graph: LineageGraph = await t.api.lineage.getGraph({ id: b.versionId });
    expect(graph.focus).toBe(`version:${b.versionId}`);
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    const file = graph.nodes.find((n) => n.kind === 'file')!;
    expect(file).toMatchObject({ label: 'adult_all.csv', depth: 0 });
    expect(node(`version:${adult}`).depth).toBe(1);
    expect(node(`version:${a.versionId}`).depth).toBe(2);
    expect(node(`version:${b.versionId}`)).toMatchObject({ depth: 3, detail: expect.stringContaining('clean') });
    expect(graph.edges).toContainEqual({ source: file.id, target: `version:${adult}`, relation: 'import' });
    expect(graph.edges).toContainEqual({ source: `version:${a.versionId}`, target: `version:${b.versionId}`, relation: 'clean' });
    // Every edge goes left to right; asking by dataset id gives the same graph.
    for (const e of graph.edges) expect(node(e.target).depth).toBeGreaterThan(node(e.source).depth);
    const datasetId = (await t.api.catalog.getVersion({ versionId: adult })).datasetId;
    const byDataset = await t.api.lineage.getGraph({ id: datasetId });
    expect(byDataset.nodes.map((n) => n.id).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    await expect(t.api.lineage.getGraph({ id: 'nothing' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('reaches models trained on a cleaned version, and back from the model to the file', async () => {
    const german = await importOk(t, { path: dataset('german_credit', 'german.csv'), name: 'german' });
    const cleaned = await clean(german.versionId, { steps: [{ op: 'dropDuplicates' }, { op: 'filter', expression: 'age >= 21' }] });
    const { jobId } = await t.api.training.trainModel({ versionId: cleaned.versionId, target: 'credit', family: 'logistic', epochs: 2 });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const modelId = (job.result as { id: string }).id;
    const graph = await t.api.lineage.getGraph({ id: modelId });
    expect(graph.focus).toBe(`model:${modelId}`);
    const model = graph.nodes.find((n) => n.id === `model:${modelId}`)!;
    expect(model).toMatchObject({ kind: 'model', depth: 3 });
    expect(graph.edges).toContainEqual({ source: `version:${cleaned.versionId}`, target: `model:${modelId}`, relation: 'train' });
    expect(graph.nodes.map((n) => n.kind).sort()).toEqual(['file', 'model', 'version', 'version']);
  });

  it('saves a recipe and replays it on another dataset', async () => {
    const saved = await t.api.cleaning.saveRecipe({ name: 'adult basics', recipe: { steps: [{ op: 'dropDuplicates' }, { op: 'impute', columns: ['workclass'], strategy: 'mode' }] } });
    expect((await t.api.cleaning.listRecipes({})).map((r) => r.name)).toContain('adult basics');
    const again = await t.api.cleaning.saveRecipe({ name: 'adult basics', recipe: { steps: [{ op: 'impute', columns: ['workclass'], strategy: 'mode' }, { op: 'dropDuplicates' }] } });
    expect(again.id).toBe(saved.id);
    const other = await importOk(t, { path: dataset('adult', 'adult_all.csv'), naValues: ['?'], name: 'adult again' });
    const replayed = await clean(other.versionId, again.recipe);
    expect(replayed.rowCount).toBe(pandas.rowsAfterImputeThenDedupe);
    expect(await t.api.cleaning.deleteRecipe({ id: saved.id })).toEqual({ deleted: true });
    const { entries } = await t.api.audit.listEntries({ limit: 1000, offset: 0 });
    const cleanEntries = entries.filter((e) => e.action === 'version.clean');
    expect(cleanEntries.length).toBeGreaterThan(3);
    // The audit names operations and columns, never the values used (e.g. an imputed constant).
    expect(JSON.stringify(cleanEntries)).not.toContain('Unknown');
  });
});

describe('cleaning invariants through the contract (fast-check)', () => {
  it('any recipe leaves its parent unchanged, and is idempotent for dedupe', async () => {
    const csv = join(tmp.path, 'small.csv');
    writeFileSync(csv, 'k,name,score\n1,　张三 ,10\n2,李四,\n1,　张三 ,10\n3,ＡＢＣ,400\n4,,7\n2,李四,\n');
    const small = (await importOk(t, { path: csv, header: 'yes' })).versionId;
    const before = tableFingerprint(small);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom<RecipeInput['steps'][number]>(
            { op: 'dropDuplicates' },
            { op: 'normaliseText' },
            { op: 'impute', columns: ['score'], strategy: 'median' },
            { op: 'capOutliers', columns: ['score'] },
            { op: 'filter', expression: 'k > 1' },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        async (steps) => {
          const once = await clean(small, { steps: [...steps, { op: 'dropDuplicates' }] });
          const twice = await clean(once.versionId, { steps: [{ op: 'dropDuplicates' }] });
          expect(tableFingerprint(twice.versionId)).toEqual(tableFingerprint(once.versionId));
          expect(tableFingerprint(small)).toEqual(before);
        },
      ),
      { numRuns: 4 },
    );
  });
});

describe('cleaning CLI', () => {
  const ws = tempDir();
  afterAll(() => ws.remove());
  const xinzhi = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', ws.path, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
  };

  it('clean --json, diff --json and lineage --json print their contract shapes', () => {
    const imported = xinzhi('import', dataset('german_credit', 'german.csv'), '--json').json();
    const recipe = join(ws.path, 'recipe.json');
    writeFileSync(recipe, JSON.stringify({ steps: [{ op: 'dropDuplicates' }, { op: 'filter', expression: 'age >= 30' }] }));
    const r = xinzhi('clean', imported.versionId as string, '--recipe', recipe, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = r.json();
    expect(out).toMatchObject({ parentVersionId: imported.versionId, rowCount: expect.any(Number) });
    expect(out.versionId).toMatch(/^ver_/);
    const diff = xinzhi('diff', imported.versionId as string, out.versionId as string, '--json').json();
    expect(diff).toMatchObject({ rows: { a: 1000, b: out.rowCount, removed: 1000 - (out.rowCount as number) }, alignment: 'lineage' });
    const graph = xinzhi('lineage', out.versionId as string, '--json').json();
    expect(Object.keys(graph).sort()).toEqual(['edges', 'focus', 'nodes', 'truncated']);
    expect((graph.nodes as unknown[]).length).toBe(3);
    expect((graph.edges as { relation: string }[]).map((e) => e.relation).sort()).toEqual(['clean', 'import']);
    const bad = xinzhi('clean', imported.versionId as string, '--json');
    expect(bad.code).toBe(1);
    const zh = xinzhi('--lang', 'zh-CN', 'clean', imported.versionId as string, '--recipe', recipe.replace('.json', '-missing.json'));
    expect(zh.code).toBe(1);
    expect(zh.stderr).toMatch(/找不到文件/);
  });
});
