// The record-format importers end to end (contract → job → worker → SQLite → publish): Excel, JSON, NDJSON,
// Parquet and SQLite give the same columns, types and rows as the same data in CSV; malformed files fail clearly
// and leave nothing behind.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Database from 'better-sqlite3';
import { dataset, importAndWait, importOk, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';
import type { ImportOptionsInput } from '../../src/shared/model/catalog.js';

let t: TestApp;
const tmp = tempDir();
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
  tmp.remove();
});

const file = (name: string) => join(tmp.path, name);
const PARQUET = join(repoRoot, 'test', 'fixtures', 'importers', 'people.parquet');

/** The rows of test/fixtures/importers/people.parquet, written in every other format by the tests. */
const PEOPLE = [
  { id: 1, name: 'Alice', city: '北京', score: 91.5, active: true, born: '1990-01-31', seen: '2024-03-01 08:30:00', zip: '01234' },
  { id: 2, name: 'Bob', city: '上海', score: 78, active: false, born: '1985-12-01', seen: '2024-03-02 17:05:10', zip: '10001' },
  { id: 3, name: '张伟', city: null, score: null, active: true, born: null, seen: '2024-03-03 00:00:01', zip: '20002' },
  { id: 4, name: 'Dana', city: '广州', score: 66.25, active: null, born: '2000-02-29', seen: null, zip: null },
  { id: 5, name: 'Eve', city: '深圳', score: 100, active: false, born: '1979-07-04', seen: '2024-03-05 12:00:00', zip: '00500' },
];
const NAMES = Object.keys(PEOPLE[0]!);
const EXPECTED_TYPES = { id: 'integer', name: 'text', city: 'text', score: 'real', active: 'boolean', born: 'date', seen: 'datetime', zip: 'text' };
const utc = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);

function writeCsv(): string {
  const cell = (v: unknown) => (v === null ? '' : String(v));
  writeFileSync(file('people.csv'), [NAMES.join(','), ...PEOPLE.map((p) => Object.values(p).map(cell).join(','))].join('\n') + '\n');
  return file('people.csv');
}

async function writeXlsx(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes').addRow(['This sheet is not the data']);
  const ws = wb.addWorksheet('People');
  ws.addRow(['People export, March 2024']);
  ws.addRow([]);
  ws.addRow(NAMES);
  for (const p of PEOPLE) {
    ws.addRow([
      p.id, p.name, p.city,
      // a formula: its cached result is what is imported
      p.id === 5 ? { formula: '50*2', result: 100 } : p.score,
      p.active, p.born === null ? null : utc(p.born), p.seen === null ? null : utc(p.seen), p.zip,
    ]);
  }
  ws.getColumn(6).numFmt = 'yyyy-mm-dd';
  ws.getColumn(7).numFmt = 'yyyy-mm-dd hh:mm:ss';
  await wb.xlsx.writeFile(file('people.xlsx'));
  return file('people.xlsx');
}

function writeJson(): { json: string; ndjson: string } {
  writeFileSync(file('people.json'), JSON.stringify(PEOPLE, null, 2));
  writeFileSync(file('people.ndjson'), PEOPLE.map((p) => JSON.stringify(p)).join('\n') + '\n');
  return { json: file('people.json'), ndjson: file('people.ndjson') };
}

function writeSqlite(): string {
  const db = new Database(file('people.db'));
  db.exec('CREATE TABLE people (id INTEGER, name TEXT, city TEXT, score REAL, active TEXT, born TEXT, seen TEXT, zip TEXT)');
  db.exec('CREATE TABLE other (x INTEGER)');
  const insert = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const p of PEOPLE) insert.run(p.id, p.name, p.city, p.score, p.active === null ? null : String(p.active), p.born, p.seen, p.zip);
  db.close();
  return file('people.db');
}

async function rowsOf(versionId: string) {
  const page = await t.api.catalog.queryRows({ versionId, limit: 100 });
  return { types: Object.fromEntries(page.columns.map((c) => [c.name, c.type])), rows: page.rows };
}

/** No dataset was added and no staging table is left behind. */
async function expectNothingWritten(before: number) {
  expect((await t.api.catalog.listDatasets({ query: '' })).length).toBe(before);
  expect(t.app.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'stg_%'").get()).toEqual({ n: 0 });
}

async function expectFailure(options: ImportOptionsInput, code: string, params: Record<string, unknown> = {}) {
  const before = (await t.api.catalog.listDatasets({ query: '' })).length;
  const job = await importAndWait(t, options);
  expect(job.state).toBe('failed');
  expect(job.error?.code).toBe(code);
  expect(job.error?.params).toMatchObject(params);
  await expectNothingWritten(before);
  return job.error!;
}

describe('the same data in every format', () => {
  it('gives the same columns, types and rows as CSV', async () => {
    const csv = await importOk(t, { path: writeCsv() });
    const reference = await rowsOf(csv.versionId);
    expect(reference.types).toEqual(EXPECTED_TYPES);
    const { json, ndjson } = writeJson();
    const sources: ImportOptionsInput[] = [
      { path: await writeXlsx(), sheet: 'People', headerRow: 3 },
      { path: json },
      { path: ndjson },
      { path: PARQUET },
      { path: writeSqlite(), table: 'people' },
      { path: file('people.db'), query: 'SELECT * FROM people ORDER BY id' },
    ];
    for (const options of sources) {
      const result = await importOk(t, options);
      expect(result.rowCount, options.path).toBe(5);
      const got = await rowsOf(result.versionId);
      expect(got.types, options.path).toEqual(reference.types);
      expect(got.rows, options.path).toEqual(reference.rows);
    }
  });

  it('records the format and what was read with the version', async () => {
    const result = await importOk(t, { path: file('people.db'), table: 'people', name: 'people-db' });
    expect(result.format).toBe('sqlite');
    const version = await t.api.catalog.getVersion({ versionId: result.versionId });
    expect(version.params).toMatchObject({ format: 'sqlite', table: 'people', file: 'people.db' });
    expect(String(version.params.sourceSha256)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('Excel', () => {
  it('previews the sheets, picks one, and flattens merged header cells to Sales.Q1', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Summary').addRow(['total', 1]);
    const ws = wb.addWorksheet('Regions');
    ws.addRow(['Region', 'Sales', null, 'Cost']);
    ws.addRow([null, 'Q1', 'Q2', null]);
    ws.mergeCells('B1:C1');
    ws.addRow(['华东', 10, 12, 5.5]);
    ws.addRow(['华北', 7, 9, 4]);
    await wb.xlsx.writeFile(file('regions.xlsx'));

    const preview = await t.api.catalog.previewImport({ path: file('regions.xlsx') });
    expect(preview.format).toBe('xlsx');
    expect(preview.sheets).toEqual(['Summary', 'Regions']);
    expect(preview.columns.map((c) => c.name)).toEqual(['total', '1']);

    const regions = await t.api.catalog.previewImport({ path: file('regions.xlsx'), sheet: 'Regions' });
    expect(regions.columns.map((c) => [c.name, c.type])).toEqual([['Region', 'text'], ['Sales.Q1', 'integer'], ['Sales.Q2', 'integer'], ['Cost', 'real']]);
    expect(regions.sampleRows).toEqual([['华东', '10', '12', '5.5'], ['华北', '7', '9', '4']]);
    expect(regions.details).toMatchObject({ sheet: 'Regions', headerRow: 1, headerRows: 2 });

    const result = await importOk(t, { path: file('regions.xlsx'), sheet: 'Regions' });
    expect(result.rowCount).toBe(2);
    // one header row asked for: row 2 is data, and the blank under "Region" is a missing value
    const single = await t.api.catalog.previewImport({ path: file('regions.xlsx'), sheet: 'Regions', headerRows: 1 });
    expect(single.columns.map((c) => c.name)).toEqual(['Region', 'Sales', 'column_3', 'Cost']);
  });

  it('refuses a missing sheet, an .xls, a password-protected and a corrupt workbook clearly', async () => {
    const err = await expectFailure({ path: file('regions.xlsx'), sheet: 'Nope' }, 'E_SOURCE_NOT_FOUND', { what: 'sheet', name: 'Nope' });
    expect(err.params?.available).toBe('Summary, Regions');

    const ole = Buffer.alloc(4096);
    ole.writeUInt32BE(0xd0cf11e0, 0);
    ole.writeUInt32BE(0xa1b11ae1, 4);
    writeFileSync(file('legacy.xls'), ole);
    await expectFailure({ path: file('legacy.xls') }, 'E_XLS_LEGACY', { file: 'legacy.xls' });
    const encrypted = Buffer.concat([ole, Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(64)]);
    writeFileSync(file('secret.xlsx'), encrypted);
    await expectFailure({ path: file('secret.xlsx') }, 'E_FILE_ENCRYPTED', { file: 'secret.xlsx' });

    writeFileSync(file('garbage.xlsx'), 'name,age\nnot,a workbook\n');
    await expectFailure({ path: file('garbage.xlsx') }, 'E_IMPORT_MALFORMED', { format: 'Excel (.xlsx)', where: 'byte 1' });
    const whole = readFileSync(file('people.xlsx'));
    writeFileSync(file('truncated.xlsx'), whole.subarray(0, Math.floor(whole.length / 2)));
    await expectFailure({ path: file('truncated.xlsx'), sheet: 'People' }, 'E_IMPORT_MALFORMED', { format: 'Excel (.xlsx)' });
  });
});

describe('JSON and NDJSON', () => {
  it('flattens nested objects to a.b columns and keeps arrays as JSON text; strings typed like CSV text', async () => {
    const records = [
      { id: 1, customer: { name: '王芳', address: { city: '杭州', zip: '310000' } }, tags: ['vip', 'new'], amount: 12.5 },
      { id: 2, customer: { name: 'Li Lei', address: { city: 'Beijing' } }, tags: [], amount: 3, note: 'late key' },
    ];
    writeFileSync(file('orders.ndjson'), records.map((r) => JSON.stringify(r)).join('\n\n'));
    writeFileSync(file('orders.json'), JSON.stringify(records));
    for (const path of [file('orders.ndjson'), file('orders.json')]) {
      const result = await importOk(t, { path });
      const { types, rows } = await rowsOf(result.versionId);
      expect(types).toEqual({ id: 'integer', 'customer.name': 'text', 'customer.address.city': 'text', 'customer.address.zip': 'integer', tags: 'text', amount: 'real', note: 'text' });
      expect(rows).toEqual([
        [1, '王芳', '杭州', 310000, '["vip","new"]', 12.5, null],
        [2, 'Li Lei', 'Beijing', null, '[]', 3, 'late key'],
      ]);
    }
  });

  it('names the bad line or element, and writes nothing', async () => {
    writeFileSync(file('bad.ndjson'), '{"a": 1}\n{"a": 2}\n{"a": 3,,}\n{"a": 4}\n');
    const err = await expectFailure({ path: file('bad.ndjson') }, 'E_IMPORT_MALFORMED', { format: 'NDJSON', where: 'line 3' });
    expect(err.message).toContain('line 3');
    writeFileSync(file('scalar.ndjson'), '{"a": 1}\n42\n');
    await expectFailure({ path: file('scalar.ndjson') }, 'E_IMPORT_MALFORMED', { where: 'line 2' });
    writeFileSync(file('bad.json'), '[{"a": 1}, {"a": 2}, {"a": tru}]');
    await expectFailure({ path: file('bad.json') }, 'E_IMPORT_MALFORMED', { format: 'JSON', where: 'element 3' });
    writeFileSync(file('cut.json'), '[{"a": 1}, {"a": "x, y}');
    await expectFailure({ path: file('cut.json') }, 'E_IMPORT_MALFORMED', { format: 'JSON' });
    writeFileSync(file('object.json'), '{"a": 1}');
    await expectFailure({ path: file('object.json') }, 'E_IMPORT_MALFORMED', { where: 'character 1' });
  });

  it('reads Adult through NDJSON with its known counts (37,155 <=50K, 11,687 >50K; 3,620 rows with a ?)', async () => {
    const csv = await importOk(t, { path: dataset('adult', 'adult_all.csv') });
    const table = (t.app.db.prepare('SELECT table_name FROM versions WHERE id = ?').get(csv.versionId) as { table_name: string }).table_name;
    const names = csv.columns.map((c) => c.name);
    const lines: string[] = [];
    for (const row of t.app.db.prepare(`SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM "${table}" ORDER BY __row`).raw(true).iterate() as IterableIterator<unknown[]>) {
      lines.push(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i]]))));
    }
    writeFileSync(file('adult.ndjson'), lines.join('\n') + '\n');
    const result = await importOk(t, { path: file('adult.ndjson'), naValues: ['?'] });
    expect(result.rowCount).toBe(48_842);
    expect(result.columns.map((c) => [c.name, c.type])).toEqual(csv.columns.map((c) => [c.name, c.type]));
    const ndTable = (t.app.db.prepare('SELECT table_name FROM versions WHERE id = ?').get(result.versionId) as { table_name: string }).table_name;
    const counts = Object.fromEntries((t.app.db.prepare(`SELECT income, count(*) AS n FROM "${ndTable}" GROUP BY income`).all() as { income: string; n: number }[]).map((r) => [r.income, r.n]));
    expect(counts).toEqual({ '<=50K': 37_155, '>50K': 11_687 });
    const withMissing = t.app.db.prepare(`SELECT count(*) AS n FROM "${ndTable}" WHERE ${names.map((n) => `"${n}" IS NULL`).join(' OR ')}`).get() as { n: number };
    expect(withMissing.n).toBe(3_620);
  }, 120_000);
});

describe('Parquet', () => {
  it('maps declared types, reads every row group, and previews', async () => {
    const preview = await t.api.catalog.previewImport({ path: PARQUET });
    expect(preview.format).toBe('parquet');
    expect(Object.fromEntries(preview.columns.map((c) => [c.name, c.type]))).toEqual(EXPECTED_TYPES);
    expect(preview.details).toMatchObject({ rowGroups: 3, rows: 5 });
    expect(preview.sampleRows[2]).toEqual(['3', '张伟', null, null, '1', null, '2024-03-03 00:00:01', '20002']);
  });

  it('fails clearly on a truncated file', async () => {
    const whole = readFileSync(PARQUET);
    writeFileSync(file('cut.parquet'), whole.subarray(0, whole.length - 20));
    await expectFailure({ path: file('cut.parquet') }, 'E_IMPORT_MALFORMED', { format: 'Parquet', where: 'file footer' });
  });
});

describe('SQLite', () => {
  it('lists the tables when none is chosen, and imports a validated query', async () => {
    const preview = await t.api.catalog.previewImport({ path: file('people.db') });
    expect(preview.tables).toEqual(['other', 'people']);
    expect(preview.columns).toEqual([]);
    const q = await t.api.catalog.previewImport({ path: file('people.db'), query: '-- busy people\nSELECT name, score * 2 AS double_score FROM people WHERE score > 70' });
    expect(q.columns.map((c) => [c.name, c.type])).toEqual([['name', 'text'], ['double_score', 'real']]);
    expect(q.sampleRows).toEqual([['Alice', '183'], ['Bob', '156'], ['Eve', '200']]);
  });

  it('refuses SQL that is not one read-only SELECT, and a missing table', async () => {
    const db = file('people.db');
    await expectFailure({ path: db, query: 'DELETE FROM people' }, 'E_SQL_REJECTED');
    await expectFailure({ path: db, query: 'SELECT 1; DROP TABLE people' }, 'E_SQL_REJECTED');
    await expectFailure({ path: db, query: 'SELEKT * FROM people' }, 'E_SQL_REJECTED');
    await expectFailure({ path: db, query: 'WITH x AS (SELECT 1) DELETE FROM people' }, 'E_SQL_REJECTED');
    await expectFailure({ path: db, table: 'nope' }, 'E_SOURCE_NOT_FOUND', { what: 'table', name: 'nope', available: 'other, people' });
    await expectFailure({ path: db }, 'E_INVALID_INPUT', { path: 'table' });
    // the database is untouched
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM people').get()).toEqual({ n: 5 });
    check.close();
    writeFileSync(file('fake.db'), 'this is not a database at all, just text '.repeat(50));
    await expectFailure({ path: file('fake.db'), table: 'x' }, 'E_IMPORT_MALFORMED', { format: 'SQLite' });
  });
});
