/**
 * Streams a delimited text file (CSV/TSV, any supported encoding) as typed row batches with bounded memory:
 * detect encoding → sniff delimiter and header on a sample → infer types on the first records → convert.
 * When a later value does not fit its column's type, the column is widened and the batch says so.
 */
import { open, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { basename } from 'node:path';
import type { Column, ColumnType, Delimiter, Encoding } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { DelimitedParser, type SpanSink } from './csv-parser.js';
import { RecordBatch, TextCoder } from './record-batch.js';
import { bomLengthFor, detectEncoding, type ConcreteEncoding } from './encoding.js';
import { sniffDelimiter, sniffHeader, sniffQuoting, uniqueColumnNames, type ConcreteDelimiter } from './sniff.js';
import { classify, convert, DEFAULT_NA_VALUES, naMatcher, widen, type Cell } from './column-types.js';

export interface ReaderOptions {
  path: string;
  encoding?: Encoding;
  delimiter?: Delimiter;
  header?: 'auto' | 'yes' | 'no';
  quote?: 'auto' | 'double' | 'none';
  /** Drop spaces around fields (`39, State-gov` → `39`, `State-gov`); default true. */
  trimSpaces?: boolean;
  naValues?: readonly string[];
  /** Types forced by the user, by final column name; a value that does not fit is an error, not a widening. */
  columnTypes?: Readonly<Record<string, ColumnType>>;
  skipBadRows?: boolean;
  /** Records read before the schema is fixed. */
  sampleRecords?: number;
  batchRows?: number;
  maxFieldBytes?: number;
  chunkBytes?: number;
  signal?: AbortSignal;
}

export interface SchemaEvent {
  kind: 'schema';
  columns: Column[];
  encoding: ConcreteEncoding;
  delimiter: ConcreteDelimiter;
  hasHeader: boolean;
  /** Whether `"` quoted fields (false for tab files that never quote). */
  quoting: boolean;
  fileSize: number;
  fileName: string;
}
/**
 * One column of a batch: numbers (integer, real, boolean 0/1) in a Float64Array, texts in an array, or texts that
 * repeat as codes into a dictionary (code -1: missing).
 */
export type ColumnBatch =
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array | null }
  | { kind: 'text'; values: (string | null)[]; nulls: Uint8Array | null }
  | { kind: 'coded'; dictionary: string[]; codes: Int32Array; nulls: Uint8Array | null };

/** Row `r` of column `col` as a stored value. */
export function cellAt(col: ColumnBatch, r: number): Cell {
  if (col.nulls !== null && col.nulls[r] === 1) return null;
  if (col.kind === 'coded') {
    const code = col.codes[r]!;
    return code < 0 ? null : col.dictionary[code]!;
  }
  return col.values[r]!;
}

export function batchToRows(columns: readonly ColumnBatch[], rowCount: number): Cell[][] {
  const rows: Cell[][] = [];
  for (let r = 0; r < rowCount; r++) rows.push(columns.map((col) => cellAt(col, r)));
  return rows;
}

export interface RowsEvent {
  kind: 'rows';
  rowCount: number;
  columns: ColumnBatch[];
  /** Set when a column's type had to be widened before this batch: the new type of every column. */
  retyped?: ColumnType[];
  bytesRead: number;
  rowsRead: number;
  skippedRows: number;
}
export interface EndEvent {
  kind: 'end';
  columns: Column[];
  rowCount: number;
  skippedRows: number;
  /** First few physical lines of skipped records. */
  skippedLines: number[];
  contentHash: string;
  bytesRead: number;
}
export type ReaderEvent = SchemaEvent | RowsEvent | EndEvent;

export const DEFAULT_MAX_FIELD_BYTES = 64 * 1024 * 1024;
/** A text column is coded (a dictionary of distinct values and a code per row) while at most this share of a batch is distinct. */
const MAX_DISTINCT_SHARE = 0.5;
/** A column that had too many distinct values is tried again this many batches later. */
const RETRY_CODING_AFTER = 16;
/**
 * Read size. Under 128 KiB each decoded chunk is an ordinary V8 heap string; 1 MiB chunks became external strings,
 * each a fresh allocation (measured: the 1M-row parse ~10% faster with 96 KiB).
 */
const CHUNK_BYTES = 96 * 1024;
/** Encoding and delimiter are guessed from at least this many first bytes, whatever the read chunk size. */
const SNIFF_BYTES = 64 * 1024;

export async function* readDelimited(options: ReaderOptions): AsyncGenerator<ReaderEvent> {
  const fileName = basename(options.path);
  const info = await stat(options.path).catch(() => {
    throw new XinzhiError('E_FILE_NOT_FOUND', `File not found: ${options.path}`, { file: options.path });
  });
  if (!info.isFile()) throw new XinzhiError('E_FILE_NOT_FOUND', `Not a file: ${options.path}`, { file: options.path });
  if (info.size === 0) throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
  const sampleRecordLimit = options.sampleRecords ?? 20_000;
  const batchRows = options.batchRows ?? 5_000;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const trimSpaces = options.trimSpaces ?? true;
  const isNa = naMatcher([...DEFAULT_NA_VALUES, ...(options.naValues ?? [])]);
  // The default tokens never parse as a number, boolean or date; a user's token may ('-999', '9999-12-31').
  const naMayParse = (options.naValues ?? []).some((t) => classify(t) !== 'text');
  const hash = createHash('sha256');

  const handle = await open(options.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let bytesRead = 0;
    /** Bytes after the last line break of the previous chunk: buffer[carryFrom, carryTo), moved to the front on the next read. */
    let carryFrom = 0;
    let carryTo = 0;
    /**
     * Set once the encoding is known to be one where byte 0x0A is always a line feed (UTF-8, GBK, GB18030): chunks
     * then end after their last line break, so the parser rarely has to join the end of one chunk to the next
     * (scanning a joined string costs about twice as much as a fresh one, measured on 1M rows).
     */
    let cutAtLineBreaks = false;
    /** The next chunk of the file, as a view of `buffer`: valid until the next call (each chunk is decoded at once). */
    const readChunk = async (): Promise<Uint8Array | null> => {
      if (options.signal?.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
      const carried = carryTo - carryFrom;
      if (carried > 0) buffer.copy(buffer, 0, carryFrom, carryTo);
      carryFrom = carryTo = 0;
      const { bytesRead: n } = await handle.read(buffer, carried, chunkBytes - carried, bytesRead);
      if (n === 0 && carried === 0) return null;
      hash.update(buffer.subarray(carried, carried + n));
      bytesRead += n;
      const end = carried + n;
      let cut = end;
      if (cutAtLineBreaks && bytesRead < info.size) {
        const lineBreak = buffer.lastIndexOf(10, end - 1);
        // A chunk without any line break (a huge field) goes whole, and the parser keeps what is pending.
        if (lineBreak !== -1) cut = lineBreak + 1;
      }
      carryFrom = cut;
      carryTo = end;
      return buffer.subarray(0, cut);
    };

    // 1. Encoding from the first bytes.
    const first = await readChunk();
    if (!first) throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
    let head: Uint8Array = first;
    if (first.length < SNIFF_BYTES && bytesRead < info.size) {
      const peek = Buffer.allocUnsafe(SNIFF_BYTES);
      head = peek.subarray(0, (await handle.read(peek, 0, SNIFF_BYTES, 0)).bytesRead);
    }
    const headIsFile = head.length >= info.size;
    let encoding: ConcreteEncoding;
    let bomLength: number;
    if (!options.encoding || options.encoding === 'auto') {
      ({ encoding, bomLength } = detectEncoding(head, headIsFile, fileName));
    } else {
      encoding = options.encoding;
      bomLength = bomLengthFor(head, encoding);
    }
    cutAtLineBreaks = encoding === 'utf-8' || encoding === 'gb18030' || encoding === 'gbk';
    const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    let bomLeft = bomLength;
    let sawText = false;
    let asciiSoFar = encoding === 'utf-8' || encoding === 'gb18030' || encoding === 'gbk';
    const decode = async (chunk: Uint8Array, final: boolean): Promise<string> => {
      let bytes = chunk;
      if (bomLeft > 0) {
        bytes = chunk.subarray(Math.min(bomLeft, chunk.length));
        bomLeft -= chunk.length - bytes.length;
      }
      try {
        // Pure-ASCII chunks of an ASCII-compatible encoding are read as Latin-1, ~10x faster than TextDecoder; only
        // while every chunk so far was ASCII, so the decoder never holds half a character.
        let text: string;
        if (asciiSoFar && isAscii(bytes)) text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
        else {
          asciiSoFar = false;
          text = decoder.decode(bytes, { stream: !final });
        }
        if (!sawText) sawText = text.trim() !== '';
        return text;
      } catch {
        const line = await lineOfInvalidByte();
        throw new XinzhiError('E_ENCODING', `${fileName}, line ${line}: invalid ${encoding}`, { file: fileName, encoding: encoding.toUpperCase(), line });
      }
    };
    /** Decodes again from the start, leniently: a chunk alone may begin inside a character, which would point too early. */
    const lineOfInvalidByte = async (): Promise<number> => {
      const lossy = new TextDecoder(encoding, { ignoreBOM: true });
      const buf = Buffer.allocUnsafe(Math.max(chunkBytes, SNIFF_BYTES));
      let line = 1;
      for (let offset = bomLength; ; ) {
        const { bytesRead: n } = await handle.read(buf, 0, buf.length, offset);
        offset += n;
        const text = lossy.decode(buf.subarray(0, n), { stream: n > 0 });
        const bad = text.indexOf('\uFFFD');
        for (let i = text.indexOf('\n'); i !== -1 && (bad === -1 || i < bad); i = text.indexOf('\n', i + 1)) line++;
        if (bad !== -1 || n === 0) return line;
      }
    };

    let text = await decode(first, bytesRead >= info.size);
    if (!sawText && bytesRead >= info.size) {
      // Whitespace only, perhaps after a BOM.
      throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
    }

    // 2. Delimiter from the first decoded text (at least SNIFF_BYTES of it).
    const sniffText = () => new TextDecoder(encoding, { ignoreBOM: true }).decode(head.subarray(bomLength), { stream: !headIsFile });
    // The sniffers read a couple of hundred records: 64 KiB of text is plenty.
    const headText = (head === first ? text : sniffText()).slice(0, SNIFF_BYTES);
    const delimiter: ConcreteDelimiter = !options.delimiter || options.delimiter === 'auto' ? sniffDelimiter(headText) : options.delimiter;
    const quoting = options.quote === 'none' ? false : options.quote === 'double' ? true : sniffQuoting(headText, delimiter);
    const parser = new DelimitedParser(delimiter, fileName, Math.floor((options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES) / 2) * 2, quoting, trimSpaces);

    // 3. Collect the sample records, kept as spans into the decoded text like every later record (collected as
    //    arrays of strings, 20,000 records cost the parser thread ~4x as much, most of it garbage collection).
    const sampleBatches: RecordBatch[] = [];
    let sampleCount = 0;
    const sampleBatchFor = (fieldCount: number): RecordBatch => {
      let last = sampleBatches.at(-1);
      if (!last || last.isFull) {
        // The first record (the header, or the first row) sets the width, as it does below.
        last = new RecordBatch(batchRows, last?.width ?? Math.max(1, fieldCount));
        sampleBatches.push(last);
      }
      sampleCount++;
      return last;
    };
    const sampleSink: SpanSink = {
      spans(text, starts, ends, fieldCount, line) {
        sampleBatchFor(fieldCount).addSpans(text, starts, ends, fieldCount, line);
      },
      fields(fields, line) {
        sampleBatchFor(fields.length).addFields(fields, line);
      },
    };
    let eof = bytesRead >= info.size;
    parser.push(text, eof, sampleSink);
    while (!eof && sampleCount < sampleRecordLimit + 1) {
      const bytes = await readChunk();
      eof = bytes === null || bytesRead >= info.size;
      text = await decode(bytes ?? new Uint8Array(0), eof);
      parser.push(text, eof, sampleSink);
    }
    if (sampleCount === 0 || (eof && !sawText)) throw new XinzhiError('E_FILE_EMPTY', `${fileName} has no records`, { file: fileName });

    // 4. Header and schema.
    const firstBatch = sampleBatches[0]!;
    const firstRecords: string[][] = [];
    for (let r = 0; r < Math.min(200, firstBatch.count); r++) firstRecords.push(firstBatch.fields(r));
    const hasHeader = options.header === 'yes' ? true : options.header === 'no' ? false : sniffHeader(firstRecords);
    const headerFields = hasHeader ? firstRecords[0]! : null;
    if (hasHeader) firstBatch.dropFirst();
    const width = firstBatch.width;
    const sourceNames = headerFields ? headerFields.map((f) => f.trim()) : Array.from({ length: width }, () => '');
    // `__row` is the version table's own row number column.
    const names = uniqueColumnNames(sourceNames, ['__row']);
    const forced = options.columnTypes ?? {};
    for (const name of Object.keys(forced)) {
      if (!names.includes(name)) throw new XinzhiError('E_INVALID_INPUT', `No column named ${name}`, { path: 'columnTypes', issue: `no column named “${name}”` });
    }

    let skippedRows = 0;
    const skippedLines: number[] = [];
    /** A record with the wrong number of fields: an error, or skipped and counted with skipBadRows. */
    const isBad = (fieldCount: number, line: number): boolean => {
      if (fieldCount === width) return false;
      if (!options.skipBadRows) {
        throw new XinzhiError('E_CSV_RAGGED_ROW', `${fileName}, line ${line}: expected ${width} fields, found ${fieldCount}`, {
          file: fileName, line, expected: width, found: fieldCount,
        });
      }
      skippedRows++;
      if (skippedLines.length < 20) skippedLines.push(line);
      return true;
    };

    // A sample record of the wrong width fails the import now, before anything is stored (with skipBadRows it
    // is left out of the inference here, and counted when its batch is converted).
    if (!options.skipBadRows) {
      for (const b of sampleBatches) for (let r = 0; r < b.count; r++) isBad(b.fieldCount(r), b.line(r));
    }
    const types: (ColumnType | null)[] = names.map((n) => forced[n] ?? null);
    for (let c = 0; c < width; c++) {
      if (forced[names[c]!]) continue;
      let t: ColumnType | null = null;
      sample: for (const b of sampleBatches) {
        for (let r = 0; r < b.count; r++) {
          if (b.fieldCount(r) !== width) continue;
          const v = b.raw(r, c);
          if (isNa(v)) continue;
          t = widen(t, classify(v));
          if (t === 'text') break sample;
        }
      }
      types[c] = t;
    }
    const declared: ColumnType[] = types.map((t) => t ?? 'text');
    const nullCounts = new Array<number>(width).fill(0);
    const columnsNow = (): Column[] =>
      names.map((name, c) => ({ name, type: declared[c]!, sourceName: sourceNames[c]!, nullCount: nullCounts[c]! }));

    yield { kind: 'schema', columns: columnsNow(), encoding, delimiter, hasHeader, quoting, fileSize: info.size, fileName };

    // 5. Convert batches; widen a column when a value does not fit (forced columns fail instead).
    let rowCount = 0;
    const goodRows = new Int32Array(batchRows);
    /** Per column: batches to wait before trying to code it again after a batch of mostly distinct values. */
    const codingPause = new Array<number>(width).fill(0);
    const coder = new TextCoder(Math.max(16, Math.floor(batchRows * MAX_DISTINCT_SHARE)) + 1);
    /**
     * Column c of the batch as a dictionary of its distinct values (each checked for NA and converted once) and a
     * code per row, without a string per value: null when too many values are distinct; 'widened' when a value
     * does not fit the type (the column is widened and converted again).
     */
    const codeColumn = (batch: RecordBatch, c: number, type: ColumnType, n: number): ColumnBatch | 'widened' | null => {
      const limit = Math.max(16, Math.floor(n * MAX_DISTINCT_SHARE));
      coder.reset();
      const codes = new Int32Array(n);
      const dictionary: string[] = [];
      const codeOfEntry: number[] = [];
      let nulls: Uint8Array | null = null;
      let nullsHere = 0;
      for (let i = 0; i < n; i++) {
        const r = goodRows[i]!;
        const entry = batch.intern(r, c, coder);
        if (entry === codeOfEntry.length) {
          if (entry >= limit) return null;
          const raw = coder.text(entry);
          const value = storedValue(raw, type);
          if (value === undefined && !isNa(raw)) {
            widenFor(batch, r, c, raw, type);
            return 'widened';
          }
          codeOfEntry.push(value === undefined ? -1 : dictionary.push(value as string) - 1);
        }
        const code = codeOfEntry[entry]!;
        codes[i] = code;
        if (code < 0) {
          (nulls ??= new Uint8Array(n))[i] = 1;
          nullsHere++;
        }
      }
      nullCounts[c]! += nullsHere;
      return { kind: 'coded', dictionary, codes, nulls };
    };
    /** The value a field's text is stored as in a column of `type`; undefined for a missing value or one that does not fit. */
    // Default NA tokens never parse as numbers or dates, so typed columns try the conversion first.
    const storedValue = (raw: string, type: ColumnType): Cell | undefined =>
      (type === 'text' || naMayParse) && isNa(raw) ? undefined : type === 'text' ? raw : convert(raw, type);
    /** A value that does not fit its column: a forced type fails the import, naming the line; others widen the column. */
    const widenFor = (batch: RecordBatch, r: number, c: number, raw: string, type: ColumnType): void => {
      if (forced[names[c]!]) {
        throw new XinzhiError('E_TYPE_MISMATCH', `${fileName}, line ${batch.line(r)}: ${raw} is not ${type}`, {
          file: fileName, line: batch.line(r), column: names[c]!, value: raw.length > 40 ? `${raw.slice(0, 40)}…` : raw, type,
        });
      }
      declared[c] = widen(type, classify(raw));
    };
    const convertBatch = (batch: RecordBatch): RowsEvent => {
      let n = 0;
      for (let r = 0; r < batch.count; r++) if (!isBad(batch.fieldCount(r), batch.line(r))) goodRows[n++] = r;
      const columns: ColumnBatch[] = new Array(width);
      let retyped = false;
      // Column by column, so a column widened mid-batch is simply converted again from its first row.
      for (let c = 0; c < width; c++) {
        let tryCoding = codingPause[c] === 0;
        if (!tryCoding) codingPause[c]!--;
        for (;;) {
          const type = declared[c]!;
          const numeric = type === 'integer' || type === 'real' || type === 'boolean';
          if (!numeric && tryCoding) {
            const coded = codeColumn(batch, c, type, n);
            if (coded === 'widened') {
              retyped = true;
              continue;
            }
            if (coded) {
              columns[c] = coded;
              break;
            }
            codingPause[c] = RETRY_CODING_AFTER;
            tryCoding = false;
          }
          const values: Float64Array | (string | null)[] = numeric ? new Float64Array(n) : new Array<string | null>(n);
          let nulls: Uint8Array | null = null;
          let nullsHere = 0;
          let widened = false;
          for (let i = 0; i < n; i++) {
            const r = goodRows[i]!;
            // Numbers convert in place; a failure (or a user NA token that looks like a value) takes the text path.
            if (!naMayParse && (type === 'integer' || type === 'real')) {
              const v = type === 'integer' ? batch.integerAt(r, c) : batch.realAt(r, c);
              if (!Number.isNaN(v)) {
                (values as Float64Array)[i] = v;
                continue;
              }
            }
            const raw = batch.raw(r, c);
            const value = storedValue(raw, type);
            if (value === undefined) {
              if (isNa(raw)) {
                (nulls ??= new Uint8Array(n))[i] = 1;
                nullsHere++;
                if (!numeric) values[i] = null;
                continue;
              }
              widenFor(batch, r, c, raw, type);
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
      batch.clear();
      const event: RowsEvent = { kind: 'rows', rowCount: n, columns, bytesRead, rowsRead: rowCount, skippedRows };
      if (retyped) event.retyped = [...declared];
      return event;
    };

    // The sample's batches, in order; the last one, unless full, goes on collecting the rest of the file.
    const batch = sampleBatches.at(-1)!;
    for (const b of sampleBatches) {
      if (b !== batch || b.isFull) yield convertBatch(b);
    }
    sampleBatches.length = 0;

    // The rest of the file: records go straight into the batch; a full batch is converted at once.
    const ready: RowsEvent[] = [];
    const spanSink: SpanSink = {
      spans(text, starts, ends, fieldCount, line) {
        batch.addSpans(text, starts, ends, fieldCount, line);
        if (batch.isFull) ready.push(convertBatch(batch));
      },
      fields(fields, line) {
        batch.addFields(fields, line);
        if (batch.isFull) ready.push(convertBatch(batch));
      },
    };
    while (!eof) {
      const bytes = await readChunk();
      eof = bytes === null || bytesRead >= info.size;
      text = await decode(bytes ?? new Uint8Array(0), eof);
      parser.push(text, eof, spanSink);
      for (const event of ready) yield event;
      ready.length = 0;
    }
    if (batch.count > 0) yield convertBatch(batch);

    yield {
      kind: 'end',
      columns: columnsNow(),
      rowCount,
      skippedRows,
      skippedLines,
      contentHash: hash.digest('hex'),
      bytesRead,
    };
  } finally {
    await handle.close();
  }
}

/** Reads just enough of a file to show what an import would do: encoding, delimiter, header, types, sample rows. */
export async function previewDelimited(options: ReaderOptions & { sampleRows?: number }) {
  const sampleRows: (string | null)[][] = [];
  let schema: SchemaEvent | null = null;
  const reader = readDelimited({ ...options, sampleRecords: Math.max(options.sampleRecords ?? 5_000, 1), skipBadRows: true });
  try {
    for await (const ev of reader) {
      if (ev.kind === 'schema') schema = ev;
      else if (ev.kind === 'rows') {
        for (const row of batchToRows(ev.columns, ev.rowCount)) {
          if (sampleRows.length >= (options.sampleRows ?? 20)) break;
          sampleRows.push(row.map((v) => (v === null ? null : String(v))));
        }
        break;
      }
    }
  } finally {
    await reader.return(undefined);
  }
  if (!schema) throw new XinzhiError('E_FILE_EMPTY', 'No records', { file: options.path });
  return { schema, sampleRows };
}
