// Imports real files end to end (contract → job → worker threads → SQLite → publish) and checks what landed.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { dataset, importAndWait, importOk, openTestApp, tempDir, type TestApp } from '../helpers.js';

let t: TestApp;
const tmp = tempDir();
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
  tmp.remove();
});

function writeTmp(name: string, content: string | Buffer): string {
  const path = join(tmp.path, name);
  writeFileSync(path, content);
  return path;
}

describe('import of real datasets', () => {
  it('imports Adult (48,842 × 16) with inferred types, counts and content hash', async () => {
    const path = dataset('adult', 'adult_all.csv');
    const result = await importOk(t, { path });
    expect(result.rowCount).toBe(48_842);
    expect(result.columns).toHaveLength(16);
    const types = Object.fromEntries(result.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ age: 'integer', fnlwgt: 'integer', 'hours-per-week': 'integer', workclass: 'text', sex: 'text', income: 'text' });
    const version = await t.api.catalog.getVersion({ versionId: result.versionId });
    expect(version.params.sourceSha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    // The content hash identifies the version, not just the file: reading "?" as missing makes other content.
    const withNa = await importOk(t, { path, naValues: ['?'] });
    const again = await importOk(t, { path });
    expect((await t.api.catalog.getVersion({ versionId: withNa.versionId })).contentHash).not.toBe(version.contentHash);
    expect((await t.api.catalog.getVersion({ versionId: again.versionId })).contentHash).toBe(version.contentHash);
    // Known figures of the set: 32,561 train rows; Male/Female counts over both splits add up.
    const train = await t.api.catalog.queryRows({ versionId: result.versionId, filters: [{ column: 'split', op: 'eq', value: 'train' }], limit: 1 });
    expect(train.totalRows).toBe(32_561);
    const males = await t.api.catalog.queryRows({ versionId: result.versionId, filters: [{ column: 'sex', op: 'eq', value: 'Male' }, { column: 'split', op: 'eq', value: 'train' }], limit: 1 });
    expect(males.totalRows).toBe(21_790);
  });

  it('imports AI4I from CSV and from its tab/CRLF original with the same rows', async () => {
    const csv = await importOk(t, { path: dataset('ai4i2020', 'ai4i2020.csv') });
    const tsv = await importOk(t, { path: dataset('ai4i2020', 'ai4i2020.tsv') });
    expect(csv.rowCount).toBe(10_000);
    expect(tsv.rowCount).toBe(10_000);
    expect(csv.columns).toHaveLength(14);
    expect(tsv.delimiter).toBe('\t');
    expect(csv.columns.map((c) => [c.name, c.type])).toEqual(tsv.columns.map((c) => [c.name, c.type]));
    expect(Object.fromEntries(csv.columns.map((c) => [c.name, c.type]))).toMatchObject({
      UDI: 'integer', 'Product ID': 'text', Type: 'text', 'Air temperature [K]': 'real', 'Rotational speed [rpm]': 'integer', 'Machine failure': 'integer',
    });
    const a = await t.api.catalog.queryRows({ versionId: csv.versionId, offset: 9_990, limit: 10 });
    const b = await t.api.catalog.queryRows({ versionId: tsv.versionId, offset: 9_990, limit: 10 });
    expect(a.rows).toEqual(b.rows);
    const failures = await t.api.catalog.queryRows({ versionId: csv.versionId, filters: [{ column: 'Machine failure', op: 'eq', value: 1 }], limit: 1 });
    expect(failures.totalRows).toBe(339);
    const typeL = await t.api.catalog.queryRows({ versionId: csv.versionId, filters: [{ column: 'Type', op: 'eq', value: 'L' }], limit: 1 });
    expect(typeL.totalRows).toBe(6_000);
  });

  it('detects GBK (re-encoded waimai_10k) and round-trips its Chinese text', async () => {
    const original = readFileSync(dataset('chinese_sentiment', 'waimai_10k.csv'), 'utf8');
    const gbkBytes = iconv.encode(original, 'gbk');
    // What GBK can represent (a few emoji cannot): the import must give back exactly this text.
    const expected = iconv.decode(gbkBytes, 'gbk');
    const result = await importOk(t, { path: writeTmp('waimai-gbk.csv', gbkBytes) });
    expect(result.encoding).toBe('gb18030');
    expect(result.rowCount).toBe(11_987);
    const out = join(tmp.path, 'waimai-export.csv');
    await t.api.catalog.exportVersion({ versionId: result.versionId, path: out });
    const exported = readFileSync(out, 'utf8');
    const reviews = (text: string) => text.split('\n').slice(1, 200).join('\n').replace(/"/g, '');
    expect(reviews(exported)).toBe(reviews(expected));
    const page = await t.api.catalog.queryRows({ versionId: result.versionId, limit: 3 });
    expect(page.rows[0]).toEqual([1, '很快，好吃，味道足，量大']);
    expect(page.rows[2]).toEqual([1, '非常快，态度好。']);
  });

  it('detects UTF-16 LE and BE, with and without BOM, and UTF-8 with BOM', async () => {
    const text = '名称,数量\n苹果,3\n香蕉,5\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [name, bytes, encoding] of [
      ['le-bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'utf-16le'],
      ['be-bom.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be'],
      ['le.csv', le, 'utf-16le'],
      ['be.csv', be, 'utf-16be'],
      ['utf8-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
    ] as const) {
      const r = await importOk(t, { path: writeTmp(name, bytes) });
      expect(r.encoding, name).toBe(encoding);
      expect(r.columns.map((c) => c.name), name).toEqual(['名称', '数量']);
      const page = await t.api.catalog.queryRows({ versionId: r.versionId });
      expect(page.rows, name).toEqual([['苹果', 3], ['香蕉', 5]]);
    }
  });
});

describe('import of awkward but valid files', () => {
  it('imports the SMS collection (tab file that never quotes, no header) with all 5,574 messages', async () => {
    const r = await importOk(t, { path: dataset('sms_spam', 'SMSSpamCollection') });
    expect(r.rowCount).toBe(5_574);
    expect(r.delimiter).toBe('\t');
    const v = await t.api.catalog.getVersion({ versionId: r.versionId });
    expect(v.params).toMatchObject({ hasHeader: false, quoting: 'none' });
    const spam = await t.api.catalog.queryRows({ versionId: r.versionId, filters: [{ column: 'column_1', op: 'eq', value: 'spam' }], limit: 1 });
    expect(spam.totalRows).toBe(747);
    const quoted = await t.api.catalog.queryRows({ versionId: r.versionId, search: 'Happy valentines day', limit: 5 });
    expect(quoted.rows.some((row) => String(row[1]).startsWith('"Happy valentines day" I know'))).toBe(true);
  });

  it('imports adult.data (", " separated, no header): spaces trimmed, numbers typed, "?" read as missing', async () => {
    const r = await importOk(t, { path: dataset('adult', 'adult.data'), naValues: ['?'] });
    expect(r.rowCount).toBe(32_561);
    expect(r.columns.map((c) => c.type).slice(0, 5)).toEqual(['integer', 'text', 'integer', 'text', 'integer']);
    const first = await t.api.catalog.queryRows({ versionId: r.versionId, limit: 1 });
    expect(first.rows[0]!.slice(0, 4)).toEqual([39, 'State-gov', 77516, 'Bachelors']);
    const males = await t.api.catalog.queryRows({ versionId: r.versionId, filters: [{ column: 'column_10', op: 'eq', value: 'Male' }], limit: 1 });
    expect(males.totalRows).toBe(21_790);
    const missing = await t.api.catalog.queryRows({ versionId: r.versionId, filters: [{ column: 'column_2', op: 'isNull' }], limit: 1 });
    expect(missing.totalRows).toBeGreaterThan(0);
  });

  it('handles quoted delimiters and newlines, semicolons, duplicate and empty headers', async () => {
    const path = writeTmp('awkward.csv', 'id;name;name;;note\r\n1;"Li; Lei";x;a;"two\nlines"\r\n2;"say ""hi""";y;b;\r\n');
    const r = await importOk(t, { path });
    expect(r.delimiter).toBe(';');
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'name', 'name_2', 'column_4', 'note']);
    const page = await t.api.catalog.queryRows({ versionId: r.versionId });
    expect(page.rows).toEqual([
      [1, 'Li; Lei', 'x', 'a', 'two\nlines'],
      [2, 'say "hi"', 'y', 'b', null],
    ]);
  });

  it('keeps leading-zero codes and 18-digit IDs as text, widens a column whose late value does not fit', async () => {
    const lines = ['code,id_number,amount,flag,day'];
    for (let i = 0; i < 30_000; i++) lines.push(`00${i % 10},11010519491231002${i % 10},${i},true,2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    lines.push('001,110105194912310021,12.5,false,2024-02-29');
    lines.push('002,110105194912310022,n/a,no,2024-03-01 10:30');
    const r = await importOk(t, { path: writeTmp('types.csv', `${lines.join('\n')}\n`) });
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.type]))).toEqual({ code: 'text', id_number: 'text', amount: 'real', flag: 'boolean', day: 'datetime' });
    const last = await t.api.catalog.queryRows({ versionId: r.versionId, offset: 30_000, limit: 2 });
    expect(last.rows).toEqual([
      ['001', '110105194912310021', 12.5, 0, '2024-02-29'],
      ['002', '110105194912310022', null, 0, '2024-03-01 10:30'],
    ]);
    const first = await t.api.catalog.queryRows({ versionId: r.versionId, limit: 1 });
    expect(first.rows[0]).toEqual(['000', '110105194912310020', 0, 1, '2024-01-01']);
  });

  it('imports a field of several MB intact', async () => {
    const big = 'x'.repeat(6 * 1024 * 1024);
    const r = await importOk(t, { path: writeTmp('bigfield.csv', `a,b\n1,"${big}"\n2,small\n`) });
    const page = await t.api.catalog.queryRows({ versionId: r.versionId });
    expect((page.rows[0]![1] as string).length).toBe(big.length);
    expect(page.rows[1]).toEqual([2, 'small']);
  });

  it('honours overrides: delimiter, encoding, header, column types, NA values', async () => {
    const path = writeTmp('override.txt', '1|?|007\n2|x|008\n');
    const r = await importOk(t, { path, delimiter: '|', header: 'no', naValues: ['?'], columnTypes: { column_1: 'text' } });
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['column_1', 'text'], ['column_2', 'text'], ['column_3', 'text']]);
    const page = await t.api.catalog.queryRows({ versionId: r.versionId });
    expect(page.rows).toEqual([['1', null, '007'], ['2', 'x', '008']]);
  });
});

describe('bad input gets a clear error and publishes nothing', () => {
  const cases: [string, string | Buffer, string, Record<string, unknown>][] = [
    ['empty.csv', '', 'E_FILE_EMPTY', {}],
    ['binary.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'E_FILE_BINARY', {}],
    ['unclosed.csv', 'a,b\n1,2\n3,"open\n4,5\n', 'E_CSV_UNCLOSED_QUOTE', { line: 3 }],
    ['ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', 'E_CSV_RAGGED_ROW', { line: 3, expected: 3, found: 2 }],
    ['nul.csv', 'a,b\n1,2\n3,4\u0000\n', 'E_CSV_NUL_BYTE', { line: 3 }],
    ['bad-utf8.csv', Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0xff, 0xfe, 0xfd, 0x0a])]), 'E_ENCODING', {}],
    ['data.sav', 'PK', 'E_UNSUPPORTED_FORMAT', {}],
    // .xlsx is read now: two bytes are not a workbook
    ['data.xlsx', 'PK', 'E_IMPORT_MALFORMED', { format: 'Excel (.xlsx)' }],
  ];
  for (const [name, content, code, params] of cases) {
    it(`${name} → ${code}`, async () => {
      const before = await t.api.catalog.listDatasets({});
      const path = writeTmp(name, content);
      let error: { code: string; params?: Record<string, unknown> } | null = null;
      try {
        const job = await importAndWait(t, { path, encoding: name === 'bad-utf8.csv' ? 'utf-8' : 'auto' });
        expect(job.state).toBe('failed');
        error = job.error;
      } catch (err) {
        error = err as { code: string; params?: Record<string, unknown> };
      }
      expect(error?.code).toBe(code);
      expect(error?.params ?? {}).toMatchObject(params);
      const after = await t.api.catalog.listDatasets({});
      expect(after.length).toBe(before.length);
      const staging = t.app.db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'stg_%'`).get() as { n: number };
      expect(staging.n).toBe(0);
    });
  }

  it('--skip-bad-rows imports the rest and reports how many were skipped', async () => {
    const r = await importOk(t, { path: writeTmp('ragged2.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n9\n'), skipBadRows: true });
    expect(r.rowCount).toBe(2);
    expect(r.skippedRows).toBe(2);
    const v = await t.api.catalog.getVersion({ versionId: r.versionId });
    expect(v.params.skippedLines).toEqual([3, 5]);
  });

  it('a missing file fails with E_FILE_NOT_FOUND naming it', async () => {
    const job = await importAndWait(t, { path: join(tmp.path, 'nope.csv') });
    expect(job.error?.code).toBe('E_FILE_NOT_FOUND');
    expect(String(job.error?.params?.file)).toContain('nope.csv');
  });
});

describe('catalog browsing and export', () => {
  it('pages, sorts (NULLs last) and filters as SQL; exports exactly what is stored', async () => {
    const lines = ['n,label,score'];
    for (let i = 1; i <= 1000; i++) lines.push(`${i},${i % 3 === 0 ? 'fizz' : `item ${i}`},${i % 10 === 0 ? '' : (i * 1.5).toFixed(1)}`);
    const r = await importOk(t, { path: writeTmp('grid.csv', `${lines.join('\n')}\n`) });
    const page = await t.api.catalog.queryRows({ versionId: r.versionId, offset: 500, limit: 3 });
    expect(page.rows.map((row) => row[0])).toEqual([501, 502, 503]);
    const desc = await t.api.catalog.queryRows({ versionId: r.versionId, sort: { column: 'score', direction: 'desc' }, limit: 2 });
    expect(desc.rows.map((row) => row[2])).toEqual([1498.5, 1497]);
    const tail = await t.api.catalog.queryRows({ versionId: r.versionId, sort: { column: 'score', direction: 'asc' }, offset: 995, limit: 5 });
    expect(tail.rows.every((row) => row[2] === null)).toBe(true);
    const fizz = await t.api.catalog.queryRows({ versionId: r.versionId, filters: [{ column: 'label', op: 'eq', value: 'fizz' }, { column: 'n', op: 'gt', value: '900' }] });
    expect(fizz.totalRows).toBe(33);
    const search = await t.api.catalog.queryRows({ versionId: r.versionId, search: 'item 77' });
    expect(search.rows.map((row) => row[0])).toEqual([77, 770, 772, 773, 775, 776, 778, 779]);
    const out = join(tmp.path, 'grid-export.csv');
    const exported = await t.api.catalog.exportVersion({ versionId: r.versionId, path: out });
    expect(exported.rowCount).toBe(1000);
    // Reals are written as stored (1479.0 → 1479); everything else as in the source.
    const canonical = lines.map((l, i) => (i === 0 ? l : l.replace(/,([0-9.]+)$/, (_m, x: string) => `,${Number(x)}`)));
    expect(readFileSync(out, 'utf8')).toBe(`${canonical.join('\n')}\n`);
  });

  it('renames and deletes a dataset, dropping its tables, and audits both', async () => {
    const r = await importOk(t, { path: writeTmp('todelete.csv', 'a\n1\n') });
    await t.api.catalog.renameDataset({ datasetId: r.datasetId, name: '待删除' });
    expect((await t.api.catalog.getDataset({ datasetId: r.datasetId })).name).toBe('待删除');
    await t.api.catalog.deleteDataset({ datasetId: r.datasetId });
    await expect(t.api.catalog.getVersion({ versionId: r.versionId })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const { entries } = await t.api.audit.listEntries({ limit: 3 });
    expect(entries.map((e) => e.action)).toEqual(['dataset.delete', 'dataset.rename', 'dataset.import']);
    expect((await t.api.audit.verifyChain({})).ok).toBe(true);
  });
});
