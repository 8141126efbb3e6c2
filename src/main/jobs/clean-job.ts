/** What the cleaning service hands the clean worker and gets back, and the reader both use to load a version. */
import { createHash } from 'node:crypto';
import type { Column } from '../../shared/model/catalog.js';
import type { CleaningStep, StepReport } from '../../shared/model/cleaning.js';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import type { Cell, CleanTable } from '../core/clean/index.js';

export interface CleanJobParams {
  sourceTable: string;
  sourceColumns: Column[];
  steps: CleaningStep[];
  stagingTable: string;
}

export interface StagedClean {
  columns: Column[];
  rowCount: number;
  reports: StepReport[];
  /** sha256 of the column names and types and every row, in order: equal data, equal hash. */
  contentHash: string;
}

/** A version's rows (the first `limit`, or all) as a column-major table. */
export function readVersionTable(db: Db, tableName: string, columns: readonly Column[], limit?: number): CleanTable {
  const data: Cell[][] = columns.map(() => []);
  const select = columns.map((c) => quoteIdent(c.name)).join(', ');
  const sql = `SELECT ${select} FROM ${quoteIdent(tableName)} ORDER BY __row${limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : ''}`;
  let rowCount = 0;
  for (const row of db.prepare(sql).raw(true).iterate() as IterableIterator<Cell[]>) {
    for (let c = 0; c < row.length; c++) data[c]!.push(row[c]!);
    rowCount++;
  }
  return { columns: columns.map((c) => ({ name: c.name, type: c.type })), data, rowCount };
}

/** The content hash of a table: names, types, then each row as JSON. */
export function hashTable(table: CleanTable): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(table.columns.map((c) => [c.name, c.type])));
  const row = new Array<Cell>(table.columns.length);
  let chunk = '';
  for (let r = 0; r < table.rowCount; r++) {
    for (let c = 0; c < row.length; c++) row[c] = table.data[c]![r]!;
    chunk += `\n${JSON.stringify(row)}`;
    if (chunk.length > 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
  return hash.digest('hex');
}
