/**
 * Typed row batches from formats that hand over records rather than text lines (Excel, JSON/NDJSON, Parquet,
 * SQLite). Every value is first written as the text a CSV would hold (numbers as digits, dates as ISO dates,
 * nested values as JSON), then read with exactly the CSV rules of column-types.ts: the same NA tokens, the same
 * type inference on a sample, the same widening of a column when a later value does not fit, the same errors for
 * forced types. So a file imported as CSV and as any other format gives the same columns and rows.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Column, ColumnType } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { classify, convert, DEFAULT_NA_VALUES, naMatcher, widen } from './column-types.js';
import { uniqueColumnNames } from './sniff.js';
import type { ColumnBatch, EndEvent, RowsEvent } from './delimited-reader.js';

export type RecordFormat = 'xlsx' | 'json' | 'ndjson' | 'parquet' | 'sqlite';

/** How each format is named in messages. */
export const FORMAT_LABEL: Record<RecordFormat, string> = { xlsx: 'Excel (.xlsx)', json: 'JSON', ndjson: 'NDJSON', parquet: 'Parquet', sqlite: 'SQLite' };

export interface SourceRecord {
  values: unknown[];
  /** Row (Excel, SQLite), line (NDJSON) or element (JSON array) number, 1-based, for messages. */
  line: number;
}

export interface RecordSource {
  format: RecordFormat;
  fileName: string;
  fileSize: number;
  /** Column names as the source has them (may be empty or repeated: they are made unique here). */
  names: string[];
  /** Types the format itself declares (Parquet, SQLite): they seed inference; null = infer from the values. */
  declared?: (ColumnType | null)[];
  records: AsyncIterable<SourceRecord>;
  /** Progress numerator in bytes (or the share of the rows read, times the file size). */
  bytesRead(): number;
  /** What was read (sheet, header rows, table, query…), recorded with the version. */
  details: Record<string, unknown>;
  /** Other choices the file offers (sheets of a workbook, tables of a database) — for the preview. */
  choices?: { sheets?: string[]; tables?: string[] };
  /** Releases the file when reading stops early (a preview). */
  close?: () => void;
}

export interface RecordsSchemaEvent {
  kind: 'schema';
  format: RecordFormat;
  columns: Column[];
  fileSize: number;
  fileName: string;
  details: Record<string, unknown>;
  choices?: { sheets?: string[]; tables?: string[] };
}
export type RecordsEvent = RecordsSchemaEvent | RowsEvent | EndEvent;

export interface RecordsReaderOptions {
  /** Drop spaces around text values, as the CSV reader does by default. */
  trimSpaces?: boolean;
  naValues?: readonly string[];
  columnTypes?: Readonly<Record<string, ColumnType>>;
  sampleRecords?: number;
  batchRows?: number;
  signal?: AbortSignal;
  /** Hash the file's bytes for the version's provenance (a preview does not need it). */
  hashFile?: boolean;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A Date as CSV text: `YYYY-MM-DD` at midnight, else `YYYY-MM-DD HH:MM:SS[.mmm]` (UTC wall clock, as Excel and Parquet store it). */
export function dateText(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds(), ms = d.getUTCMilliseconds();
  if (h === 0 && m === 0 && s === 0 && ms === 0) return date;
  return `${date} ${pad(h)}:${pad(m)}:${pad(s)}${ms ? `.${pad(ms, 3)}` : ''}`;
}

const jsonReplacer = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

/** A source value as the text a CSV cell would hold; null for missing. */
export function rawText(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isNaN(value) ? null : String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return null;
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return dateText(value);
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
      return JSON.stringify(value, jsonReplacer);
    default:
      return String(value);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);

/** Nested objects flattened to `a.b` keys; arrays stay whole (they are written as JSON text). */
export function flattenObject(obj: Record<string, unknown>, into: Map<string, unknown> = new Map(), prefix = ''): Map<string, unknown> {
  for (const [key, value] of Object.entries(obj)) {
    if (isPlainObject(value) && Object.keys(value).length > 0) flattenObject(value, into, `${prefix}${key}.`);
    else into.set(`${prefix}${key}`, value);
  }
  return into;
}

/** SHA-256 of a file's bytes, streamed (the version records which bytes it came from). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads a record source as the same events as readDelimited: schema, typed row batches, end. */
export async function* readRecords(source: RecordSource, path: string, options: RecordsReaderOptions = {}): AsyncGenerator<RecordsEvent> {
  const { fileName } = source;
  const sampleLimit = options.sampleRecords ?? 20_000;
  const batchRows = options.batchRows ?? 5_000;
  const trim = options.trimSpaces ?? true;
  const isNa = naMatcher([...DEFAULT_NA_VALUES, ...(options.naValues ?? [])]);
  const width = source.names.length;
  if (width === 0) throw new XinzhiError('E_FILE_EMPTY', `${fileName} has no columns`, { file: fileName });
  const names = uniqueColumnNames(source.names, ['__row']);
  const forced = options.columnTypes ?? {};
  for (const name of Object.keys(forced)) {
    if (!names.includes(name)) throw new XinzhiError('E_INVALID_INPUT', `No column named ${name}`, { path: 'columnTypes', issue: `no column named “${name}”` });
  }
  const hashing = options.hashFile === false ? null : fileSha256(path);
  hashing?.catch(() => {});

  /** Each value as CSV text, or null when missing (empty, an NA token, or absent). */
  const textOf = (v: unknown): string | null => {
    let t = rawText(v);
    if (t === null) return null;
    if (trim && typeof v === 'string') t = t.trim();
    return isNa(t) ? null : t;
  };

  const iterator = source.records[Symbol.asyncIterator]();
  try {
    yield* convertRecords();
  } finally {
    await iterator.return?.(undefined);
    source.close?.();
  }

  async function* convertRecords(): AsyncGenerator<RecordsEvent> {
    const sample: { texts: (string | null)[]; line: number }[] = [];
    const toTexts = (rec: SourceRecord) => {
      const texts = new Array<string | null>(width);
      for (let c = 0; c < width; c++) texts[c] = textOf(rec.values[c]);
      return { texts, line: rec.line };
    };
    let done = false;
    while (sample.length < sampleLimit) {
      if (options.signal?.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      sample.push(toTexts(next.value));
    }

    const declared: ColumnType[] = names.map((name, c) => {
      if (forced[name]) return forced[name];
      let t: ColumnType | null = source.declared?.[c] ?? null;
      for (const r of sample) {
        const v = r.texts[c];
        if (v === null || v === undefined) continue;
        t = widen(t, classify(v));
        if (t === 'text') break;
      }
      return t ?? 'text';
    });
    const nullCounts = new Array<number>(width).fill(0);
    const columnsNow = (): Column[] => names.map((name, c) => ({ name, type: declared[c]!, sourceName: source.names[c]!, nullCount: nullCounts[c]! }));
    yield {
      kind: 'schema',
      format: source.format,
      columns: columnsNow(),
      fileSize: source.fileSize,
      fileName,
      details: source.details,
      ...(source.choices ? { choices: source.choices } : {}),
    };

    let rowCount = 0;
    const convertBatch = (batch: { texts: (string | null)[]; line: number }[]): RowsEvent => {
      const n = batch.length;
      const columns: ColumnBatch[] = new Array(width);
      let retyped = false;
      for (let c = 0; c < width; c++) {
        for (;;) {
          const type = declared[c]!;
          const numeric = type === 'integer' || type === 'real' || type === 'boolean';
          const values: Float64Array | (string | null)[] = numeric ? new Float64Array(n) : new Array<string | null>(n);
          let nulls: Uint8Array | null = null;
          let nullsHere = 0;
          let widened = false;
          for (let i = 0; i < n; i++) {
            const raw = batch[i]!.texts[c]!;
            if (raw === null) {
              (nulls ??= new Uint8Array(n))[i] = 1;
              nullsHere++;
              if (!numeric) values[i] = null;
              continue;
            }
            const value = type === 'text' ? raw : convert(raw, type);
            if (value === undefined) {
              if (forced[names[c]!]) {
                throw new XinzhiError('E_TYPE_MISMATCH', `${fileName}, row ${batch[i]!.line}: ${raw} is not ${type}`, {
                  file: fileName, line: batch[i]!.line, column: names[c]!, value: raw.length > 40 ? `${raw.slice(0, 40)}…` : raw, type,
                });
              }
              declared[c] = widen(type, classify(raw));
              retyped = widened = true;
              break;
            }
            values[i] = value as never;
          }
          if (widened) continue;
          nullCounts[c]! += nullsHere;
          columns[c] = numeric ? { kind: 'number', values: values as Float64Array, nulls } : { kind: 'text', values: values as (string | null)[], nulls };
          break;
        }
      }
      rowCount += n;
      const event: RowsEvent = { kind: 'rows', rowCount: n, columns, bytesRead: source.bytesRead(), rowsRead: rowCount, skippedRows: 0 };
      if (retyped) event.retyped = [...declared];
      return event;
    };

    for (let i = 0; i < sample.length; i += batchRows) yield convertBatch(sample.slice(i, i + batchRows));
    sample.length = 0;
    let batch: { texts: (string | null)[]; line: number }[] = [];
    while (!done) {
      if (options.signal?.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
      const next = await iterator.next();
      if (next.done) break;
      batch.push(toTexts(next.value));
      if (batch.length >= batchRows) {
        yield convertBatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) yield convertBatch(batch);
    yield { kind: 'end', columns: columnsNow(), rowCount, skippedRows: 0, skippedLines: [], contentHash: (await hashing) ?? '', bytesRead: source.fileSize };
  }
}

/** A malformed file: names the format, where it went wrong and what to do (the hint is in the localised text). */
export function malformed(format: RecordFormat, fileName: string, where: string, reason: string): XinzhiError {
  const label = FORMAT_LABEL[format];
  return new XinzhiError('E_IMPORT_MALFORMED', `${fileName} is not a readable ${label} file (${where}): ${reason}`, { file: fileName, format: label, where, reason: reason.slice(0, 300) });
}
