// readDelimited on real temp files: schema inference, widening, forced types, bad rows, NA tokens, encodings,
// large fields, content hash, and independence from the read chunk size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { batchToRows, readDelimited, type EndEvent, type ReaderEvent, type ReaderOptions, type RowsEvent, type SchemaEvent } from '../../src/main/ingest/delimited-reader.js';
import type { Cell } from '../../src/main/ingest/column-types.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xinzhi-reader-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` (text as UTF-8, or raw bytes) to a fresh file and returns its path. */
function file(content: string | Uint8Array, name = `f${++counter}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface Read {
  events: ReaderEvent[];
  schema: SchemaEvent;
  batches: RowsEvent[];
  rows: Cell[][];
  end: EndEvent;
}

async function read(options: ReaderOptions): Promise<Read> {
  const events: ReaderEvent[] = [];
  for await (const ev of readDelimited(options)) events.push(ev);
  const schema = events.find((e): e is SchemaEvent => e.kind === 'schema');
  const end = events.at(-1);
  if (!schema || end?.kind !== 'end') throw new Error('reader did not yield schema … end');
  expect(events[0]).toBe(schema);
  const batches = events.filter((e): e is RowsEvent => e.kind === 'rows');
  const rows = batches.flatMap((b) => batchToRows(b.columns, b.rowCount));
  return { events, schema, batches, rows, end };
}

async function readError(options: ReaderOptions): Promise<XinzhiError> {
  try {
    await read(options);
  } catch (err) {
    expect(err).toBeInstanceOf(XinzhiError);
    return err as XinzhiError;
  }
  throw new Error('expected the reader to fail');
}

const names = (r: Read) => r.schema.columns.map((c) => c.name);
const types = (r: Read) => r.end.columns.map((c) => c.type);

describe('readDelimited: schema and values', () => {
  it('infers every column type from the sample and converts values', async () => {
    const path = file(
      'id,price,active,day,when,name,zip\n' +
        '1,2.5,yes,2024-01-05,2024-01-05 10:00,Ann,01234\n' +
        '2,3,no,2024/2/29,2024-01-06T9:30:00,"Lee, Bob",10001\n' +
        '-3,1e3,TRUE,2024-12-31,2024-01-07 23:59:59,,02134\n',
    );
    const r = await read({ path });
    expect(r.schema).toMatchObject({ encoding: 'utf-8', delimiter: ',', hasHeader: true, fileName: path.split('/').pop() });
    expect(names(r)).toEqual(['id', 'price', 'active', 'day', 'when', 'name', 'zip']);
    expect(r.schema.columns.map((c) => c.type)).toEqual(['integer', 'real', 'boolean', 'date', 'datetime', 'text', 'text']);
    expect(r.rows).toEqual([
      [1, 2.5, 1, '2024-01-05', '2024-01-05 10:00', 'Ann', '01234'],
      [2, 3, 0, '2024-02-29', '2024-01-06 09:30:00', 'Lee, Bob', '10001'],
      [-3, 1000, 1, '2024-12-31', '2024-01-07 23:59:59', null, '02134'],
    ]);
    // Numbers travel in Float64Arrays, repeating texts as codes into a dictionary; the empty name is a null.
    const [batch] = r.batches;
    expect(batch!.columns.map((c) => c.kind)).toEqual(['number', 'number', 'number', 'coded', 'coded', 'coded', 'coded']);
    const first = batch!.columns[0]!;
    expect(first.kind === 'number' && first.values).toBeInstanceOf(Float64Array);
    expect(r.end).toMatchObject({ rowCount: 3, skippedRows: 0, skippedLines: [] });
    expect(r.end.columns.map((c) => c.nullCount)).toEqual([0, 0, 0, 0, 0, 1, 0]);
  });

  it('keeps long digit strings (ID numbers) as text, not as lossy numbers', async () => {
    const r = await read({ path: file('name,id_card\nAnn,110101199003077777\nBob,110101199003078888\n') });
    expect(types(r)).toEqual(['text', 'text']);
    expect(r.rows.map((row) => row[1])).toEqual(['110101199003077777', '110101199003078888']);
  });

  it('reads all-missing columns as text with nulls, and counts nulls', async () => {
    const r = await read({ path: file('a,b\n1,\n2,NA\n,null\n') });
    expect(types(r)).toEqual(['integer', 'text']);
    expect(r.rows).toEqual([[1, null], [2, null], [null, null]]);
    expect(r.end.columns.map((c) => c.nullCount)).toEqual([1, 3]);
  });

  it('names header columns uniquely and keeps the source names', async () => {
    const r = await read({ path: file(' Name ,name,,__row\nA,B,C,D\n') });
    expect(names(r)).toEqual(['Name', 'name_2', 'column_3', '__row_2']);
    expect(r.schema.columns.map((c) => c.sourceName)).toEqual(['Name', 'name', '', '__row']);
  });

  it('reads tab, semicolon and pipe files', async () => {
    for (const d of ['\t', ';', '|']) {
      const r = await read({ path: file(`x${d}y\n1${d}a,b\n2${d}c\n`) });
      expect(r.schema.delimiter).toBe(d);
      expect(r.rows).toEqual([[1, 'a,b'], [2, 'c']]);
    }
  });

  it('reports physical lines after multi-line quoted records', async () => {
    const err = await readError({ path: file('a,b\n1,"two\nlines"\n2,"three\nmore\nlines"\n3\n') });
    expect(err.code).toBe('E_CSV_RAGGED_ROW');
    expect(err.params).toMatchObject({ line: 7, expected: 2, found: 1 });
  });
});

describe('readDelimited: widening', () => {
  it('widens a column when a later value does not fit, and says so in the batch', async () => {
    const lines = ['n,label'];
    for (let i = 1; i <= 10; i++) lines.push(`${i},x${i}`);
    lines.push('2.5,x11', '12,x12', '13,x13');
    const r = await read({ path: file(`${lines.join('\n')}\n`), sampleRecords: 3, batchRows: 3, chunkBytes: 8 });
    expect(r.schema.columns.map((c) => c.type)).toEqual(['integer', 'text']);
    expect(r.batches.filter((b) => b.retyped).map((b) => b.retyped)).toEqual([['real', 'text']]);
    expect(types(r)).toEqual(['real', 'text']);
    expect(r.rows.map((row) => row[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2.5, 12, 13]);
    expect(r.batches.length).toBeGreaterThan(2);
    expect(r.end.rowCount).toBe(13);
    expect(r.batches.at(-1)!.rowsRead).toBe(13);
  });

  it('announces every widening and converts each batch with the type it announces', async () => {
    const lines = ['v,w'];
    for (let i = 1; i <= 30; i++) lines.push(`${i === 12 ? '1.5' : i === 21 ? 'n/a!' : i},${i}`);
    const r = await read({ path: file(`${lines.join('\n')}\n`), sampleRecords: 2, batchRows: 4, chunkBytes: 8 });
    let current = r.schema.columns.map((c) => c.type);
    expect(current).toEqual(['integer', 'integer']);
    const announced: string[][] = [];
    for (const b of r.batches) {
      if (b.retyped) {
        current = b.retyped;
        announced.push(b.retyped);
      }
      b.columns.forEach((col, c) => expect(col.kind === 'coded' ? 'text' : col.kind).toBe(['integer', 'real', 'boolean'].includes(current[c]!) ? 'number' : 'text'));
    }
    expect(announced.at(-1)).toEqual(['text', 'integer']);
    expect(types(r)).toEqual(['text', 'integer']);
    // Values after the last widening are the raw texts.
    expect(r.rows.at(-1)).toEqual(['30', 30]);
    expect(r.rows.map((row) => String(row[0]))).toEqual(lines.slice(1).map((l) => l.split(',')[0]));
  });

  it('reconverts the rows of a batch above the value that widened the column', async () => {
    const r = await read({ path: file('v\n1\n2\n3\n4\n5\n6\n7\nseven\n'), sampleRecords: 2, batchRows: 100, chunkBytes: 4 });
    expect(r.schema.columns[0]!.type).toBe('integer');
    const widened = r.batches.find((b) => b.retyped)!;
    expect(widened.retyped).toEqual(['text']);
    expect(['text', 'coded']).toContain(widened.columns[0]!.kind);
    const values = batchToRows(widened.columns, widened.rowCount).map((x) => x[0]);
    expect(values.length).toBeGreaterThan(1);
    expect(values).toEqual(['1', '2', '3', '4', '5', '6', '7', 'seven'].slice(-values.length));
  });

  it('widens date to datetime and integer to real', async () => {
    const r = await read({ path: file('d,x\n2024-01-01,1\n2024-01-02,2\n2024-01-03 08:00,3.5\n'), sampleRecords: 1, batchRows: 1, chunkBytes: 8 });
    expect(r.schema.columns.map((c) => c.type)).toEqual(['date', 'integer']);
    expect(types(r)).toEqual(['datetime', 'real']);
    expect(r.rows.at(-1)).toEqual(['2024-01-03 08:00', 3.5]);
  });
});

describe('readDelimited: forced types and bad rows', () => {
  it('uses forced types instead of inferring them', async () => {
    const r = await read({ path: file('id,amount\n1,10\n2,"x\ny"\n3,30\n'), columnTypes: { id: 'real', amount: 'text' } });
    expect(types(r)).toEqual(['real', 'text']);
    expect(r.rows).toEqual([[1, '10'], [2, 'x\ny'], [3, '30']]);
  });

  it('reports E_TYPE_MISMATCH with the line, column, value and type', async () => {
    const path = file('id,amount\n1,10\n2,"2\n"\n3,oops\n');
    const err = await readError({ path, columnTypes: { amount: 'integer' } });
    expect(err.code).toBe('E_TYPE_MISMATCH');
    expect(err.params).toMatchObject({ line: 3, column: 'amount', value: '2\n', type: 'integer' });
    const later = await readError({ path: file('id,amount\n1,10\n2,20\n3,oops\n'), columnTypes: { amount: 'real' }, sampleRecords: 1, batchRows: 1, chunkBytes: 8 });
    expect(later.code).toBe('E_TYPE_MISMATCH');
    expect(later.params).toMatchObject({ line: 4, column: 'amount', value: 'oops', type: 'real' });
  });

  it('applies a forced type to all-text-looking values that fit it, and NA still means missing', async () => {
    const r = await read({ path: file('code,flag\n007,yes\n010,NA\n'), columnTypes: { flag: 'boolean', code: 'text' } });
    expect(types(r)).toEqual(['text', 'boolean']);
    expect(r.rows).toEqual([['007', 1], ['010', null]]);
  });

  it('rejects a forced type for a column that does not exist', async () => {
    const err = await readError({ path: file('a,b\n1,2\n'), columnTypes: { c: 'integer' } });
    expect(err.code).toBe('E_INVALID_INPUT');
    expect(err.params).toMatchObject({ path: 'columnTypes' });
  });

  it('fails on a ragged row with line, expected and found', async () => {
    const err = await readError({ path: file('a,b,c\n1,2,3\n4,5\n6,7,8\n') });
    expect(err.code).toBe('E_CSV_RAGGED_ROW');
    expect(err.params).toMatchObject({ line: 3, expected: 3, found: 2 });
    const late = await readError({ path: file('a,b\n1,2\n3,4\n5,6\n\n7,8,9\n'), sampleRecords: 1, chunkBytes: 8 });
    expect(late.code).toBe('E_CSV_RAGGED_ROW');
    expect(late.params).toMatchObject({ line: 6, expected: 2, found: 3 });
  });

  it('skips bad rows when asked, counting them and listing their lines', async () => {
    const lines = ['a,b', '1,2', '3', '4,5', '6,7,8'];
    for (let i = 0; i < 30; i++) lines.push(i % 2 ? `${i},${i}` : `${i}`);
    const r = await read({ path: file(`${lines.join('\n')}\n`), skipBadRows: true, sampleRecords: 5, batchRows: 4, chunkBytes: 16 });
    expect(r.end.skippedRows).toBe(17);
    expect(r.end.skippedLines).toHaveLength(Math.min(17, 20));
    expect(r.end.skippedLines.slice(0, 4)).toEqual([3, 5, 6, 8]);
    expect(r.rows).toHaveLength(2 + 15);
    expect(r.rows.slice(0, 3)).toEqual([[1, 2], [4, 5], [1, 1]]);
    expect(r.batches.at(-1)!.skippedRows).toBe(17);
  });
});

describe('readDelimited: empty files and missing values', () => {
  it('refuses an empty, whitespace-only or blank-lines-only file with E_FILE_EMPTY', async () => {
    for (const content of ['', '   ', '\n\n\r\n', '  \n \t \n', '\uFEFF', '\uFEFF \r\n']) {
      const err = await readError({ path: file(content) });
      expect(err.code, JSON.stringify(content)).toBe('E_FILE_EMPTY');
    }
  });

  it('refuses a whitespace-only file with E_FILE_EMPTY whatever the chunk size', async () => {
    for (const content of ['  \n \t \n   \n', '\n'.repeat(40), ' '.repeat(30)]) {
      const err = await readError({ path: file(content), chunkBytes: 7 });
      expect(err.code, JSON.stringify(content)).toBe('E_FILE_EMPTY');
    }
  });

  it('refuses a missing file with E_FILE_NOT_FOUND', async () => {
    const err = await readError({ path: join(dir, 'does-not-exist.csv') });
    expect(err.code).toBe('E_FILE_NOT_FOUND');
  });

  it('reads custom NA tokens as missing, also in typed columns and for inference', async () => {
    const r = await read({ path: file('a,b,c\n1,?,x\n?,2.5,?\n3,?,y\n'), naValues: ['?'] });
    expect(types(r)).toEqual(['integer', 'real', 'text']);
    expect(r.rows).toEqual([[1, null, 'x'], [null, 2.5, null], [3, null, 'y']]);
    expect(r.end.columns.map((c) => c.nullCount)).toEqual([1, 2, 1]);
    // Without the token, '?' makes the columns text.
    const plain = await read({ path: file('a,b\n1,?\n2,3\n') });
    expect(types(plain)).toEqual(['integer', 'text']);
  });

  it('reads a numeric-looking custom NA token (a sentinel like -999) as missing', async () => {
    const r = await read({ path: file('age,score\n31,-999\n-999,2.5\n40,3\n'), naValues: ['-999'] });
    expect(types(r)).toEqual(['integer', 'real']);
    expect(r.rows).toEqual([[31, null], [null, 2.5], [40, 3]]);
    expect(r.end.columns.map((c) => c.nullCount)).toEqual([1, 1]);
  });
});

describe('readDelimited: header detection', () => {
  it('sees no header in an all-numeric file and names the columns column_1…', async () => {
    const r = await read({ path: file('1,2.5,3\n4,5.5,6\n7,8,9\n') });
    expect(r.schema.hasHeader).toBe(false);
    expect(names(r)).toEqual(['column_1', 'column_2', 'column_3']);
    expect(types(r)).toEqual(['integer', 'real', 'integer']);
    expect(r.rows).toEqual([[1, 2.5, 3], [4, 5.5, 6], [7, 8, 9]]);
  });

  it('follows header: yes/no when given', async () => {
    const path = file('10,20\n30,40\n');
    const yes = await read({ path, header: 'yes' });
    expect(names(yes)).toEqual(['10', '20']);
    expect(yes.rows).toEqual([[30, 40]]);
    const no = await read({ path: file('a,b\nc,d\n'), header: 'no' });
    expect(names(no)).toEqual(['column_1', 'column_2']);
    expect(no.rows).toEqual([['a', 'b'], ['c', 'd']]);
  });
});

describe('readDelimited: encodings, big fields, hash', () => {
  it('reads GBK, UTF-16 (with and without BOM) and UTF-8 with BOM to the same rows', async () => {
    const text = '姓名,城市,金额\r\n张三,北京,1.5\r\n李四,"上海,浦东",2\r\n王五,广州,NA\r\n';
    const expected = [['张三', '北京', 1.5], ['李四', '上海,浦东', 2], ['王五', '广州', null]];
    const variants: [Uint8Array, string][] = [
      [iconv.encode(text, 'gbk'), 'gb18030'],
      [iconv.encode(text, 'utf-16le'), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), 'utf-16be'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
    ];
    for (const [bytes, encoding] of variants) {
      const r = await read({ path: file(bytes) });
      expect(r.schema.encoding).toBe(encoding);
      expect(names(r)).toEqual(['姓名', '城市', '金额']);
      expect(r.rows).toEqual(expected);
    }
  });

  it('reads a named encoding and reports invalid bytes with their line', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff]), Buffer.from('\n')]);
    const err = await readError({ path: file(bytes), encoding: 'utf-8' });
    expect(err.code).toBe('E_ENCODING');
    expect(err.params).toMatchObject({ line: 3 });
  });

  it('reports the line of a NUL byte', async () => {
    const err = await readError({ path: file(`a,b\n${'1,2\n'.repeat(400)}3,x\0\n`) });
    expect(err.code).toBe('E_CSV_NUL_BYTE');
    expect(err.params).toMatchObject({ line: 402 });
  });

  it('imports a 5 MB quoted field intact', async () => {
    const unit = 'ab,"c"\r\n中文😀 ';
    const big = unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length));
    const path = file(`id,blob,tail\n1,"${big.replace(/"/g, '""')}",end\n2,small,end2\n`);
    const r = await read({ path });
    expect(r.rows).toHaveLength(2);
    expect(r.rows[0]![0]).toBe(1);
    expect((r.rows[0]![1] as string).length).toBe(big.length);
    expect(r.rows[0]![1] === big).toBe(true);
    expect(r.rows[0]![2]).toBe('end');
    expect(r.rows[1]).toEqual([2, 'small', 'end2']);
  });

  it('refuses a field above maxFieldBytes with E_FIELD_TOO_LARGE', async () => {
    const err = await readError({ path: file(`a,b\n1,"${'x'.repeat(5000)}"\n`), maxFieldBytes: 1024, chunkBytes: 256 });
    expect(err.code).toBe('E_FIELD_TOO_LARGE');
    expect(err.params).toMatchObject({ line: 2, column: 2 });
  });

  it('gives contentHash = sha256 of the file bytes', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,2\n3,4\n'.repeat(50))]);
    const path = file(bytes);
    const expected = createHash('sha256').update(readFileSync(path)).digest('hex');
    for (const chunkBytes of [undefined, 7, 64]) {
      const r = await read({ path, chunkBytes });
      expect(r.end.contentHash).toBe(expected);
      expect(r.end.bytesRead).toBe(bytes.length);
    }
  });
});

describe('readDelimited: chunk-boundary safety', () => {
  const mixed =
    'id,名前,note,when\r\n' +
    '1,"Zoë ""quoted""",plain,2024-01-05\r\n' +
    '2,中文字段,"multi\r\nline, with comma",2024/2/29\r\n' +
    '\r\n' +
    '3,😀 emoji 𝄞,x,NA\r\n' +
    '4,"",y,2024-03-01\r\n';

  async function sameAsDefault(path: string, extra: Partial<ReaderOptions> = {}): Promise<Read> {
    const reference = await read({ path, ...extra });
    for (const chunkBytes of [1, 2, 3, 7, 13]) {
      const small = await read({ path, ...extra, chunkBytes });
      expect(small.schema.columns, `chunkBytes ${chunkBytes}`).toEqual(reference.schema.columns);
      expect(small.schema.encoding).toBe(reference.schema.encoding);
      expect(small.schema.delimiter).toBe(reference.schema.delimiter);
      expect(small.schema.hasHeader).toBe(reference.schema.hasHeader);
      expect(small.rows, `chunkBytes ${chunkBytes}`).toEqual(reference.rows);
      expect(small.end.columns).toEqual(reference.end.columns);
      expect(small.end.contentHash).toBe(reference.end.contentHash);
    }
    return reference;
  }

  it('UTF-8 with multi-byte characters split across chunks', async () => {
    const r = await sameAsDefault(file(mixed));
    expect(r.rows).toEqual([
      [1, 'Zoë "quoted"', 'plain', '2024-01-05'],
      [2, '中文字段', 'multi\r\nline, with comma', '2024-02-29'],
      [3, '😀 emoji 𝄞', 'x', null],
      [4, null, 'y', '2024-03-01'],
    ]);
  });

  it('GBK with two-byte characters split across chunks', async () => {
    const text = mixed.replace(/[😀𝄞ë]/gu, '');
    const r = await sameAsDefault(file(iconv.encode(text, 'gbk')));
    expect(r.schema.encoding).toBe('gb18030');
    expect(r.rows[1]![1]).toBe('中文字段');
  });

  it('GBK whose first bytes are plain ASCII', async () => {
    const text = `id,name\n${Array.from({ length: 20 }, (_, i) => `${i},名字${i}`).join('\n')}\n`;
    const r = await sameAsDefault(file(iconv.encode(text, 'gbk')));
    expect(r.schema.encoding).toBe('gb18030');
    expect(r.rows[3]).toEqual([3, '名字3']);
  });

  it('UTF-16 LE and BE split inside code units and surrogate pairs', async () => {
    for (const enc of ['utf-16le', 'utf-16be']) {
      const r = await sameAsDefault(file(iconv.encode(mixed, enc)));
      expect(r.schema.encoding).toBe(enc);
      expect(r.rows[2]![1]).toBe('😀 emoji 𝄞');
    }
  });

  it('delimiter sniffing does not depend on the chunk size', async () => {
    const r = await sameAsDefault(file('name,x|y|z\n1|2|3\n4|5|6\n7|8|9\n'));
    expect(r.schema.delimiter).toBe('|');
    expect(names(r)).toEqual(['name,x', 'y', 'z']);
  });

  it('invalid bytes get the same line whatever the chunk size', async () => {
    // '中' (3 bytes) straddles the first 7-byte chunk; the bad byte is on line 3.
    const bytes = Buffer.concat([Buffer.from('abcd,中\n1,2\n3,'), Buffer.from([0xff]), Buffer.from('\n4,5\n')]);
    const path = file(bytes);
    // Here the 7-byte chunk that holds the bad byte (line 2) starts with the last byte of '中'.
    const straddling = file(Buffer.concat([Buffer.from('abcd,中\n3,'), Buffer.from([0xff]), Buffer.from('\n')]));
    for (const chunkBytes of [undefined, 1, 2, 7, 11]) {
      const err = await readError({ path, encoding: 'utf-8', chunkBytes });
      expect(err.code).toBe('E_ENCODING');
      expect(err.params?.line, `chunkBytes ${chunkBytes}`).toBe(3);
      const err2 = await readError({ path: straddling, encoding: 'utf-8', chunkBytes });
      expect(err2.code).toBe('E_ENCODING');
      expect(err2.params?.line, `chunkBytes ${chunkBytes}`).toBe(2);
    }
    // A character cut at the very end of the file.
    const truncated = await readError({ path: file(Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xe4, 0xb8])])), encoding: 'utf-8', chunkBytes: 5 });
    expect(truncated.code).toBe('E_ENCODING');
    expect(truncated.params?.line).toBe(3);
  });

  it('a larger file gives the same rows with many batches and tiny chunks', async () => {
    const lines = ['k,v,t'];
    for (let i = 0; i < 500; i++) lines.push(`${i},${(i * 0.5).toFixed(1)},"t${i}${i % 7 === 0 ? '\n中' : ''}"`);
    await sameAsDefault(file(`${lines.join('\r\n')}\r\n`), { batchRows: 37, sampleRecords: 50 });
  });
});
