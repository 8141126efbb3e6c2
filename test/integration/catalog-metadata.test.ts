// Catalog metadata and full-text search through the contract: owner, steward, tags, glossary terms, sensitivity;
// the FTS5 index follows imports, renames, metadata edits and deletes, finds Chinese text and column names,
// and a catalog made before the index existed is indexed by the migration.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOk, openTestApp, tempDir, type TestApp } from '../helpers.js';

let t: TestApp;
const tmp = tempDir();
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
  tmp.remove();
});

function csv(name: string, content: string): string {
  const path = join(tmp.path, name);
  writeFileSync(path, content);
  return path;
}

const ids = (hits: { datasetId: string }[]) => hits.map((h) => h.datasetId);

describe('dataset metadata', () => {
  it('stores description, owner, steward, tags, terms and sensitivity, audited', async () => {
    const ds = await importOk(t, { path: csv('loans.csv', 'applicant_income,loan_amount,region\n5000,120,华东\n') });
    await t.api.metadata.saveTerm({ term: 'Household income', definition: '家庭年收入（元）' });
    await t.api.metadata.saveTerm({ term: 'Exposure', definition: 'Amount at risk' });
    const meta = await t.api.metadata.updateMetadata({
      datasetId: ds.datasetId,
      description: '个人贷款申请记录，含家庭收入与地区',
      owner: 'Risk team',
      steward: 'Li Na',
      tags: ['credit', 'Credit', 'pii-free'],
      terms: [{ term: 'household income', column: 'applicant_income' }, { term: 'Exposure' }],
      sensitivity: 'confidential',
    });
    expect(meta).toMatchObject({ owner: 'Risk team', steward: 'Li Na', sensitivity: 'confidential', tags: ['Credit', 'pii-free'], suggestedSensitivity: null });
    expect(meta.terms).toEqual([
      { term: 'Exposure', column: null, definition: 'Amount at risk' },
      { term: 'Household income', column: 'applicant_income', definition: '家庭年收入（元）' },
    ]);
    expect((await t.api.catalog.getDataset({ datasetId: ds.datasetId })).description).toBe('个人贷款申请记录，含家庭收入与地区');

    // fields left out are kept
    const again = await t.api.metadata.updateMetadata({ datasetId: ds.datasetId, owner: 'Credit risk' });
    expect(again).toMatchObject({ owner: 'Credit risk', steward: 'Li Na', sensitivity: 'confidential', tags: ['Credit', 'pii-free'] });

    const audit = await t.api.audit.listEntries({ limit: 1000 });
    const entries = audit.entries.filter((e) => e.action === 'dataset.metadata' && e.target === ds.datasetId);
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.details)).toContainEqual({ owner: { from: 'Risk team', to: 'Credit risk' } });
    expect(audit.entries.some((e) => e.action === 'glossary.add' && e.target === 'Exposure')).toBe(true);

    const glossary = await t.api.metadata.listGlossary({});
    expect(glossary.find((g) => g.term === 'Household income')?.links).toEqual([{ datasetId: ds.datasetId, datasetName: 'loans', column: 'applicant_income' }]);
    expect(await t.api.metadata.listTags({})).toContainEqual({ tag: 'Credit', count: 1 });
  });

  it('refuses unknown terms and columns and writes nothing', async () => {
    const ds = await importOk(t, { path: csv('small.csv', 'a,b\n1,2\n') });
    await expect(t.api.metadata.updateMetadata({ datasetId: ds.datasetId, owner: 'x', terms: [{ term: 'No such term' }] })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.metadata.updateMetadata({ datasetId: ds.datasetId, terms: [{ term: 'Exposure', column: 'zzz' }] })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.metadata.updateMetadata({ datasetId: ds.datasetId, sensitivity: 'secret' as never })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    expect((await t.api.metadata.getMetadata({ datasetId: ds.datasetId })).owner).toBe('');
    await expect(t.api.metadata.getMetadata({ datasetId: 'ds_missing' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('renames a glossary term with its links, and deleting it unlinks it', async () => {
    const ds = await importOk(t, { path: csv('exp.csv', 'x\n1\n') });
    await t.api.metadata.saveTerm({ term: 'EAD', definition: 'Exposure at default' });
    await t.api.metadata.updateMetadata({ datasetId: ds.datasetId, terms: [{ term: 'EAD', column: 'x' }] });
    await t.api.metadata.saveTerm({ term: 'Exposure at default', definition: 'EAD', previousTerm: 'EAD' });
    expect((await t.api.metadata.getMetadata({ datasetId: ds.datasetId })).terms.map((x) => x.term)).toEqual(['Exposure at default']);
    expect(ids(await t.api.metadata.search({ text: 'exposure default' }))).toContain(ds.datasetId);
    expect(await t.api.metadata.deleteTerm({ term: 'Exposure at default' })).toEqual({ deleted: true });
    expect((await t.api.metadata.getMetadata({ datasetId: ds.datasetId })).terms).toEqual([]);
  });
});

describe('full-text search', () => {
  it('finds datasets by tag, column name, Chinese description and name, with highlights', async () => {
    const a = await importOk(t, { path: csv('customers.csv', 'customer_id,monthly_spend,城市\n1,20.5,杭州\n'), name: 'customers 2024' });
    const b = await importOk(t, { path: csv('sensors.csv', 'machine,temperature,torque\nm1,300.1,40\n') });
    await t.api.metadata.updateMetadata({ datasetId: a.datasetId, description: '零售客户的月度消费明细', tags: ['retail', 'marketing'] });
    await t.api.metadata.updateMetadata({ datasetId: b.datasetId, description: 'Predictive maintenance sensor readings', tags: ['iot'] });

    expect(ids(await t.api.metadata.search({ text: 'retail' }))).toEqual([a.datasetId]);
    expect(ids(await t.api.metadata.search({ text: 'torq' }))).toEqual([b.datasetId]);
    expect(ids(await t.api.metadata.search({ text: '消费' }))).toEqual([a.datasetId]);
    expect(ids(await t.api.metadata.search({ text: '城市' }))).toEqual([a.datasetId]);
    expect(ids(await t.api.metadata.search({ text: 'monthly spend' }))).toEqual([a.datasetId]);
    expect(await t.api.metadata.search({ text: '消防' })).toEqual([]);
    expect(await t.api.metadata.search({ text: '  ' })).toEqual([]);

    const [hit] = await t.api.metadata.search({ text: '月度 retail' });
    expect(hit!.matches.find((m) => m.field === 'description')!.segments).toEqual([
      { text: '零售客户的', hit: false }, { text: '月度', hit: true }, { text: '消费明细', hit: false },
    ]);
    expect(hit!.matches.find((m) => m.field === 'tag')!.segments).toEqual([{ text: 'retail', hit: true }]);
  });

  it('follows renames and deletes; a name outranks a column', async () => {
    const a = await importOk(t, { path: csv('orders.csv', 'id,amount\n1,2\n') });
    const b = await importOk(t, { path: csv('things.csv', 'orders_count\n1\n') });
    expect(ids(await t.api.metadata.search({ text: 'orders' }))).toEqual([a.datasetId, b.datasetId]);
    await t.api.catalog.renameDataset({ datasetId: a.datasetId, name: 'purchases' });
    expect(ids(await t.api.metadata.search({ text: 'orders' }))).toEqual([b.datasetId]);
    expect(ids(await t.api.metadata.search({ text: 'purchases' }))).toEqual([a.datasetId]);
    await t.api.catalog.deleteDataset({ datasetId: b.datasetId });
    expect(await t.api.metadata.search({ text: 'orders' })).toEqual([]);
    expect(t.app.db.prepare('SELECT count(*) AS n FROM catalog_fts WHERE dataset_id = ?').get(b.datasetId)).toEqual({ n: 0 });
  });

  it('indexes datasets that existed before the migration', async () => {
    const db = t.app.db;
    const a = await importOk(t, { path: csv('legacy.csv', 'zebra_count\n1\n') });
    // As if the catalog predated the index: empty it, then run the migration's last statement again.
    db.exec('DELETE FROM catalog_fts; DELETE FROM catalog_fts_stale;');
    expect(await t.api.metadata.search({ text: 'zebra' })).toEqual([]);
    db.exec('INSERT INTO catalog_fts_stale SELECT id FROM datasets');
    expect(ids(await t.api.metadata.search({ text: 'zebra' }))).toEqual([a.datasetId]);
  });
});
