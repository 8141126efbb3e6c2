// The import pipeline's hand-offs: batches packed for the trip between the parser and the inserting thread come back
// unchanged (coded, joined or cloned), the staging table takes rows of any width, and reading the file in chunks cut
// at line breaks gives what one read of the whole file gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { packRows, unpackRows } from '../../src/main/ingest/threaded-reader.js';
import { batchToRows, readDelimited, type ColumnBatch, type ReaderEvent, type ReaderOptions, type RowsEvent } from '../../src/main/ingest/delimited-reader.js';
import { StagingTable } from '../../src/main/catalog/staging-table.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xinzhi-pipeline-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rowsEvent(columns: ColumnBatch[], rowCount: number): RowsEvent {
  return { kind: 'rows', rowCount, columns, bytesRead: 0, rowsRead: rowCount, skippedRows: 0 };
}

/** What the inserting thread receives, after a structured clone like postMessage's. */
function roundTrip(event: RowsEvent): { event: RowsEvent; kinds: string[] } {
  const { packed } = packRows(event);
  const cloned = structuredClone(packed);
  return { event: unpackRows(cloned), kinds: cloned.columns.map((c) => c.kind) };
}

describe('packRows: batches cross threads unchanged', () => {
  it('keeps coded texts coded, joins plain ones, clones texts holding the separator; nulls stay null', () => {
    const n = 1000;
    const dictionary = ['北京', 'Shanghai', "Xi'an", ''];
    const codes = Int32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -1 : i % 4));
    const cityNulls = Uint8Array.from(codes, (code) => (code < 0 ? 1 : 0));
    const unique = Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : `note ${i} ${'é'.repeat(i % 3)}`));
    const separator = Array.from({ length: n }, (_, i) => (i === 500 ? 'a\u0001b' : `v${i}`));
    const numbers = Float64Array.from({ length: n }, (_, i) => i * 1.5);
    const columns: ColumnBatch[] = [
      { kind: 'coded', dictionary, codes, nulls: cityNulls },
      { kind: 'text', values: unique, nulls: Uint8Array.from(unique, (v) => (v === null ? 1 : 0)) },
      { kind: 'text', values: separator, nulls: null },
      { kind: 'number', values: numbers, nulls: null },
    ];
    const expected = batchToRows(columns, n);
    const { event, kinds } = roundTrip(rowsEvent(columns, n));
    expect(kinds).toEqual(['coded', 'joined', 'text', 'number']);
    expect(batchToRows(event.columns, n)).toEqual(expected);
  });

  it('any batch of texts, coded or plain, comes back as it went', () => {
    const text = fc.option(fc.oneof(fc.constantFrom('a', 'b', '上海', ''), fc.string({ maxLength: 6 })), { nil: null });
    fc.assert(
      fc.property(fc.array(text, { minLength: 0, maxLength: 80 }), fc.boolean(), (values, coded) => {
        const nulls = Uint8Array.from(values, (v) => (v === null ? 1 : 0));
        const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
        const column: ColumnBatch = coded
          ? { kind: 'coded', dictionary, codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))), nulls }
          : { kind: 'text', values: [...values], nulls };
        const { event } = roundTrip(rowsEvent([column], values.length));
        expect(batchToRows(event.columns, values.length).map((r) => r[0])).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });
});

describe('readDelimited: repeating texts come coded', () => {
  async function batchesOf(content: string, options: Partial<ReaderOptions> = {}): Promise<RowsEvent[]> {
    const path = join(dir, `coded-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, content);
    const out: RowsEvent[] = [];
    for await (const ev of readDelimited({ path, sampleRecords: 50, batchRows: 100, ...options })) if (ev.kind === 'rows') out.push(ev);
    return out;
  }

  it('codes a column while its batches repeat, stops for 16 batches after one of distinct values, then tries again', async () => {
    const lines: string[] = [];
    for (let b = 0; b < 20; b++) for (let i = 0; i < 100; i++) lines.push(`${b === 2 ? `u${b}-${i}` : ['Beijing', '上海', 'NA', ' Wuhan'][i % 4]},${i}`);
    const batches = await batchesOf(`${lines.join('\n')}\n`, { header: 'no' });
    expect(batches).toHaveLength(20);
    const kinds = batches.map((b) => b.columns[0]!.kind);
    expect(kinds.slice(0, 3)).toEqual(['coded', 'coded', 'text']);
    expect(kinds.slice(3, 19)).toEqual(Array(16).fill('text'));
    expect(kinds[19]).toBe('coded');
    expect(batchToRows(batches[0]!.columns, 4)).toEqual([['Beijing', 0], ['上海', 1], [null, 2], ['Wuhan', 3]]);
    expect(batchToRows(batches[19]!.columns, 100)).toEqual(batchToRows(batches[5]!.columns, 100));
    const first = batches[0]!.columns[0]!;
    expect(first.kind === 'coded' && first.dictionary).toEqual(['Beijing', '上海', 'Wuhan']);
  });

  it('converts each distinct date once, widens a coded column whose value does not fit, and names the line of a forced type failure', async () => {
    const dates = ['d', ...Array.from({ length: 120 }, (_, i) => (i === 110 ? '2024-03-01 10:30' : i % 2 ? '2024/2/29' : '2024-01-05'))];
    const batches = await batchesOf(`${dates.join('\n')}\n`, { sampleRecords: 20, chunkBytes: 64 });
    expect(batches[1]!.retyped).toEqual(['datetime']);
    expect(batchToRows(batches[0]!.columns, 2)).toEqual([['2024-01-05'], ['2024-02-29']]);
    expect(batchToRows(batches[1]!.columns, 20).at(10)).toEqual(['2024-03-01 10:30']);
    const lines = ['id,day', ...Array.from({ length: 150 }, (_, i) => `${i},${i === 130 ? 'soon' : '2024-01-05'}`)];
    const path = join(dir, 'forced-day.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const events = readDelimited({ path, sampleRecords: 20, batchRows: 100, chunkBytes: 64, columnTypes: { day: 'date' } });
    await expect((async () => { for await (const _ of events) void _; })()).rejects.toMatchObject({ code: 'E_TYPE_MISMATCH', params: { line: 132, column: 'day' } });
  });
});

describe('StagingTable', () => {
  it('stores coded texts (bound as UTF-8 bytes) as the same TEXT values as plain ones, nulls as NULL', () => {
    const db = new Database(':memory:');
    const staging = new StagingTable(db, 'stg_coded', ['city', 'plain', 'n'], ['text', 'text', 'integer']);
    const dictionary = ['北京', "Xi'an", '', 'Zoë 😀'];
    const codes = Int32Array.from([0, 1, -1, 2, 3, 0, 3]);
    const nulls = Uint8Array.from([0, 0, 1, 0, 0, 0, 0]);
    const plain = ['北京', "Xi'an", null, '', 'Zoë 😀', '北京', 'Zoë 😀'];
    const columns: ColumnBatch[] = [
      { kind: 'coded', dictionary, codes, nulls },
      { kind: 'text', values: plain, nulls: Uint8Array.from(plain, (v) => (v === null ? 1 : 0)) },
      { kind: 'number', values: Float64Array.from(plain, (_, i) => i), nulls: null },
    ];
    staging.insert(columns, plain.length);
    const rows = db.prepare('SELECT city, typeof(city) AS t, plain, city = plain AS same FROM stg_coded ORDER BY __row').all() as { city: string | null; t: string; plain: string | null; same: number | null }[];
    expect(rows.map((r) => r.city)).toEqual(plain);
    expect(rows.map((r) => r.t)).toEqual(plain.map((v) => (v === null ? 'null' : 'text')));
    expect(rows.filter((r) => r.plain !== null).every((r) => r.same === 1)).toBe(true);
    expect(db.prepare("SELECT count(*) AS n FROM stg_coded WHERE city = '北京'").get()).toEqual({ n: 2 });
    db.close();
  });

  it('takes rows of a table too wide for 20 rows per statement (1,900 columns: 38,000 parameters)', () => {
    const db = new Database(':memory:');
    const width = 1900;
    const names = Array.from({ length: width }, (_, c) => `c${c}`);
    const staging = new StagingTable(db, 'stg_wide', names, names.map((_, c) => (c % 2 ? 'text' : 'integer')));
    const rowCount = 45;
    const columns: ColumnBatch[] = names.map((_, c) =>
      c % 2
        ? { kind: 'text', values: Array.from({ length: rowCount }, (_, r) => (r === 3 ? null : `t${r}:${c}`)), nulls: Uint8Array.from({ length: rowCount }, (_, r) => (r === 3 ? 1 : 0)) }
        : { kind: 'number', values: Float64Array.from({ length: rowCount }, (_, r) => r * width + c), nulls: null },
    );
    staging.insert(columns, rowCount);
    expect(db.prepare('SELECT count(*) AS n FROM stg_wide').get()).toEqual({ n: rowCount });
    const row = db.prepare('SELECT __row, c0, c1, c1898, c1899 FROM stg_wide WHERE __row = 45').get();
    expect(row).toEqual({ __row: 45, c0: 44 * width, c1: `t44:1`, c1898: 44 * width + 1898, c1899: 't44:1899' });
    expect(db.prepare('SELECT c1 FROM stg_wide WHERE __row = 4').get()).toEqual({ c1: null });
    db.close();
  });
});

describe('readDelimited: chunks cut at line breaks', () => {
  async function rowsOf(options: ReaderOptions): Promise<{ rows: unknown[][]; hash: string; types: string[] }> {
    const events: ReaderEvent[] = [];
    for await (const ev of readDelimited(options)) events.push(ev);
    const rows = events.flatMap((e) => (e.kind === 'rows' ? batchToRows(e.columns, e.rowCount) : []));
    const end = events.at(-1)!;
    if (end.kind !== 'end') throw new Error('no end event');
    return { rows, hash: end.contentHash, types: end.columns.map((c) => c.type) };
  }

  /** ~600 KB: several default chunks; quoted fields span lines, some lines are longer than the small chunk sizes. */
  function content(): string {
    const lines = ['id,name,note,amount'];
    for (let i = 1; i <= 12000; i++) {
      const note = i % 97 === 0 ? `"two\nlines, ${i}"` : i % 1001 === 0 ? 'x'.repeat(3000) : i % 13 === 0 ? '"quoted ""q"""' : `n${i % 50}`;
      lines.push(`${i},${i % 3 ? '张三' : 'Zoë'}${i % 11},${note},${(i * 0.25).toFixed(2)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  it('UTF-8 and GB18030: rows, types and hash equal one read of the whole file, whatever the chunk size', async () => {
    const text = content();
    for (const [encoding, bytes] of [['utf-8', Buffer.from(text)], ['gb18030', iconv.encode(text, 'gb18030')]] as const) {
      const path = join(dir, `big-${encoding}.csv`);
      writeFileSync(path, bytes);
      const whole = await rowsOf({ path, chunkBytes: bytes.length + 1 });
      expect(whole.rows).toHaveLength(12000);
      expect(whole.rows[96]).toEqual([97, '张三9', 'two\nlines, 97', 24.25]);
      for (const chunkBytes of [undefined, 1000, 4096, 65539]) {
        const chunked = await rowsOf({ path, chunkBytes });
        expect(chunked.types, `${encoding} ${chunkBytes}`).toEqual(whole.types);
        expect(chunked.hash).toBe(whole.hash);
        expect(chunked.rows, `${encoding} ${chunkBytes}`).toEqual(whole.rows);
      }
    }
  });
});
