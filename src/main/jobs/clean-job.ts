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
  /** Table of (row, source_row) pairs when rows were dropped, so the version can be compared with its parent. */
  rowMapTable: string | null;
}

/** A version's rows (the first `limit`, or all) as a column-major table, each row's `__row` as its origin. */
export function readVersionTable(db: Db, tableName: string, columns: readonly Column[], limit?: number): CleanTable {
  const data: Cell[][] = columns.map(() => []);
  const rows: number[] = [];
  const select = ['__row', ...columns.map((c) => quoteIdent(c.name))].join(', ');
  const sql = `SELECT ${select} FROM ${quoteIdent(tableName)} ORDER BY __row${limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : ''}`;
  for (const row of db.prepare(sql).raw(true).iterate() as IterableIterator<Cell[]>) {
    rows.push(row[0] as number);
    for (let c = 1; c < row.length; c++) data[c - 1]!.push(row[c]!);
  }
  return { columns: columns.map((c) => ({ name: c.name, type: c.type })), data, rowCount: rows.length, origin: Int32Array.from(rows) };
}

/** Writes (row, source_row) pairs of a table whose rows were filtered; returns the table's name, or null when no row moved. */
export function writeRowMap(db: Db, name: string, table: CleanTable): string | null {
  const origin = table.origin;
  if (!origin || origin.every((v, i) => v === i + 1)) return null;
  db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}; CREATE TABLE ${quoteIdent(name)} (row INTEGER PRIMARY KEY, source_row INTEGER NOT NULL) STRICT`);
  const insert = db.prepare(`INSERT INTO ${quoteIdent(name)} (row, source_row) VALUES (?, ?)`);
  db.transaction(() => {
    for (let r = 0; r < origin.length; r++) insert.run(r + 1, origin[r]!);
  })();
  return name;
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
