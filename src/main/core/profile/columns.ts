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

export interface TextColumn {
  name: string;
  type: ColumnType;
  kind: 'text';
  values: (string | null)[];
}

export type DataColumn = NumberColumn | TextColumn;

export const isNumericType = (type: ColumnType): boolean => type === 'integer' || type === 'real' || type === 'boolean';

export function isMissing(column: DataColumn, row: number): boolean {
  return column.kind === 'number' ? column.nulls !== null && column.nulls[row] === 1 : column.values[row] === null;
}

export function cellOf(column: DataColumn, row: number): string | number | null {
  if (column.kind === 'number') return column.nulls !== null && column.nulls[row] === 1 ? null : column.values[row]!;
  return column.values[row]!;
}

/** Builds a column from plain cells (tests, small inputs): numeric types become typed arrays. */
export function columnFromCells(name: string, type: ColumnType, cells: readonly (string | number | null)[]): DataColumn {
  if (!isNumericType(type)) return { name, type, kind: 'text', values: cells.map((c) => (c === null ? null : String(c))) };
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
