/** The in-memory shape the profiler and the rule checker read: numbers as typed arrays, texts as arrays. */
import type { ColumnType } from '../../../shared/model/catalog.js';

export interface NumberColumn {
  name: string;
  type: ColumnType;
  kind: 'number';
  values: Float64Array;
  /** 1 where the cell is missing (its value slot is then 0); null when no cell is. */
  nulls: Uint8Array | null;
}

/**
 * Texts dictionary-encoded as they are read: one code per row (−1 = missing) into the distinct values. Only the
 * distinct strings stay alive, which keeps a million-row read light on the garbage collector, and the profiler
 * counts codes instead of hashing strings.
 */
export interface TextColumn {
  name: string;
  type: ColumnType;
  kind: 'text';
  codes: Int32Array;
  dictionary: string[];
}

/** Builds a text column row by row: `add(value)` for each row in order. */
export class TextColumnBuilder {
  readonly codes: Int32Array;
  readonly dictionary: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(rows: number) {
    this.codes = new Int32Array(rows);
  }

  set(row: number, value: string | null): void {
    if (value === null) {
      this.codes[row] = -1;
      return;
    }
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.dictionary.length;
      this.index.set(value, id);
      this.dictionary.push(value);
    }
    this.codes[row] = id;
  }

  /**
   * Rows `offset…` from another builder's codes and dictionary (a later range of the same column read elsewhere).
   * New values join the dictionary in the order they first occur there, so the result equals reading the rows here.
   */
  setCodes(offset: number, codes: Int32Array, dictionary: readonly string[]): void {
    const remap = new Int32Array(dictionary.length);
    dictionary.forEach((value, code) => {
      let id = this.index.get(value);
      if (id === undefined) {
        id = this.dictionary.length;
        this.index.set(value, id);
        this.dictionary.push(value);
      }
      remap[code] = id;
    });
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      this.codes[offset + i] = code < 0 ? -1 : remap[code]!;
    }
  }

  build(name: string, type: ColumnType): TextColumn {
    return { name, type, kind: 'text', codes: this.codes, dictionary: this.dictionary };
  }
}

export type DataColumn = NumberColumn | TextColumn;

export const isNumericType = (type: ColumnType): boolean => type === 'integer' || type === 'real' || type === 'boolean';

export function isMissing(column: DataColumn, row: number): boolean {
  return column.kind === 'number' ? column.nulls !== null && column.nulls[row] === 1 : column.codes[row]! < 0;
}

export function cellOf(column: DataColumn, row: number): string | number | null {
  if (column.kind === 'number') return column.nulls !== null && column.nulls[row] === 1 ? null : column.values[row]!;
  const code = column.codes[row]!;
  return code < 0 ? null : column.dictionary[code]!;
}

/** Builds a column from plain cells (tests, small inputs): numeric types become typed arrays. */
export function columnFromCells(name: string, type: ColumnType, cells: readonly (string | number | null)[]): DataColumn {
  if (!isNumericType(type)) {
    const builder = new TextColumnBuilder(cells.length);
    cells.forEach((c, i) => builder.set(i, c === null ? null : String(c)));
    return builder.build(name, type);
  }
  const values = new Float64Array(cells.length);
  const nulls = new Uint8Array(cells.length);
  let any = false;
  cells.forEach((c, i) => {
    if (c === null || c === '' || Number.isNaN(Number(c))) {
      nulls[i] = 1;
      any = true;
    } else values[i] = Number(c);
  });
  return { name, type, kind: 'number', values, nulls: any ? nulls : null };
}
