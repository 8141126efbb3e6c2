/**
 * Reads a version table (or a range of its rows) into the profiler's typed columns: Float64Array for numbers,
 * dictionary codes for texts. Rows come in `__row` order.
 */
import type Database from 'better-sqlite3';
import type { Column } from '../../../shared/model/catalog.js';
import { quoteIdent } from '../../catalog/connection.js';
import { isNumericType, TextColumnBuilder, type DataColumn } from '../../core/profile/index.js';

type Cell = string | number | bigint | null;

/** Columns being filled: numbers in place, texts through a dictionary builder. */
export class ColumnsBuffer {
  readonly numbers: ({ values: Float64Array; nulls: Uint8Array | null } | null)[];
  readonly texts: (TextColumnBuilder | null)[];

  constructor(
    readonly columns: readonly Column[],
    readonly capacity: number,
  ) {
    this.numbers = columns.map((c) => (isNumericType(c.type) ? { values: new Float64Array(capacity), nulls: null } : null));
    this.texts = columns.map((c) => (isNumericType(c.type) ? null : new TextColumnBuilder(capacity)));
  }

  /** The first `rows` rows as the profiler's columns. */
  build(rows: number): DataColumn[] {
    return this.columns.map((c, i): DataColumn => {
      const number = this.numbers[i];
      if (number) return { name: c.name, type: c.type, kind: 'number', values: number.values.subarray(0, rows), nulls: number.nulls ? number.nulls.subarray(0, rows) : null };
      const built = this.texts[i]!.build(c.name, c.type);
      return { ...built, codes: built.codes.subarray(0, rows) };
    });
  }

  /** Copies columns read elsewhere (a later row range) into rows `offset…`. */
  append(offset: number, part: readonly DataColumn[]): void {
    part.forEach((col, i) => {
      const number = this.numbers[i];
      if (number && col.kind === 'number') {
        number.values.set(col.values, offset);
        if (col.nulls) (number.nulls ??= new Uint8Array(this.capacity)).set(col.nulls, offset);
      } else if (!number && col.kind === 'text') this.texts[i]!.setCodes(offset, col.codes, col.dictionary);
      else throw new Error(`column ${col.name}: the parts disagree on its kind`);
    });
  }
}

export interface RowRange {
  /** First `__row` read (inclusive); none: from the start. */
  fromRow?: number;
  /** `__row` where reading stops (exclusive); none: to the end. */
  toRow?: number;
}

/** Reads up to `buffer.capacity` rows of `range` into `buffer` from row 0; returns how many were read. */
export function readRows(db: Database.Database, tableName: string, buffer: ColumnsBuffer, range: RowRange, signal?: AbortSignal, onRows?: (rows: number) => void): number {
  const width = buffer.columns.length;
  if (width === 0) return 0;
  const n = buffer.capacity;
  const { numbers, texts } = buffer;
  const select = buffer.columns.map((c) => quoteIdent(c.name)).join(', ');
  const where = [range.fromRow !== undefined ? '__row >= @fromRow' : null, range.toRow !== undefined ? '__row < @toRow' : null].filter(Boolean).join(' AND ');
  const statement = db.prepare(`SELECT ${select} FROM ${quoteIdent(tableName)}${where ? ` WHERE ${where}` : ''} ORDER BY __row`).raw(true);
  const bindings = { ...(range.fromRow !== undefined ? { fromRow: range.fromRow } : {}), ...(range.toRow !== undefined ? { toRow: range.toRow } : {}) };
  let r = 0;
  for (const row of statement.iterate(bindings) as IterableIterator<Cell[]>) {
    if (r >= n) break;
    for (let c = 0; c < width; c++) {
      const v = row[c]!;
      const number = numbers[c];
      if (number) {
        if (v === null) (number.nulls ??= new Uint8Array(n))[r] = 1;
        else number.values[r] = Number(v);
      } else texts[c]!.set(r, v === null ? null : String(v));
    }
    r++;
    if ((r & 0xffff) === 0) {
      if (signal?.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
      onRows?.(r);
    }
  }
  return r;
}
