/**
 * A table or a query of an SQLite file as a record source. The file is opened read-only with query_only on, and a
 * query must be one statement that reads (better-sqlite3's `reader` and `readonly`) and starts with SELECT or
 * WITH; rows are streamed with iterate(), never held whole.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import type { ColumnType } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { malformed, type RecordSource, type SourceRecord } from './records-reader.js';

export interface SqliteOptions {
  table?: string | undefined;
  query?: string | undefined;
}

/** Column type from a declared SQLite type, by SQLite's affinity rules; null (infer) for NUMERIC, dates and none. */
export function sqliteDeclaredType(declared: string | null): ColumnType | null {
  const t = (declared ?? '').toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return null;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Strips leading comments, so `-- note\nSELECT …` is still seen to start with SELECT. */
function firstKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, '');
  return (/^[A-Za-z]+/.exec(stripped)?.[0] ?? '').toUpperCase();
}

export function listTables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

/** Prepares a user's query, refusing anything but one read-only SELECT. */
export function prepareReadOnlyQuery(db: Database.Database, sql: string): Database.Statement {
  const keyword = firstKeyword(sql);
  if (keyword !== 'SELECT' && keyword !== 'WITH' && keyword !== 'VALUES') {
    throw new XinzhiError('E_SQL_REJECTED', `Only a SELECT query can be imported (found ${keyword || 'nothing'})`, { reason: `it starts with ${keyword || 'nothing'}, not SELECT` });
  }
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new XinzhiError('E_SQL_REJECTED', `The query cannot be prepared: ${(err as Error).message}`, { reason: (err as Error).message });
  }
  if (!stmt.reader || !stmt.readonly) throw new XinzhiError('E_SQL_REJECTED', 'The query does not only read', { reason: 'it would change the database' });
  return stmt;
}

function openDatabase(path: string, fileName: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    // Reading the schema is what fails on a file that is not SQLite.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw malformed('sqlite', fileName, 'file header', (err as Error).message);
  }
  return db;
}

/** Tables and views of an SQLite file (for the preview). */
export function sqliteTables(path: string): string[] {
  const db = openDatabase(path, basename(path));
  try {
    return listTables(db);
  } finally {
    db.close();
  }
}

export async function openSqliteSource(path: string, options: SqliteOptions): Promise<RecordSource> {
  const fileName = basename(path);
  const info = await stat(path).catch(() => {
    throw new XinzhiError('E_FILE_NOT_FOUND', `File not found: ${path}`, { file: path });
  });
  if (info.size === 0) throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
  const db = openDatabase(path, fileName);
  try {
    const tables = listTables(db);
    let sql: string;
    let table: string | null = null;
    if (options.query?.trim()) {
      sql = options.query.trim().replace(/;\s*$/, '');
    } else {
      table = options.table ?? (tables.length === 1 ? tables[0]! : null);
      if (table === null) {
        throw new XinzhiError('E_INVALID_INPUT', `${fileName} has ${tables.length} tables: choose one`, { path: 'table', issue: `${fileName} has ${tables.length} tables or views (${tables.join(', ') || 'none'}): choose one, or give a query` });
      }
      if (!tables.includes(table)) {
        throw new XinzhiError('E_SOURCE_NOT_FOUND', `${fileName} has no table ${table}`, { file: fileName, what: 'table', name: table, available: tables.join(', ') });
      }
      sql = `SELECT * FROM ${quote(table)}`;
    }
    // Safe integers tell INTEGER values (BigInt) from REAL ones (number), so 183.0 stays a real as its storage class says.
    const stmt = prepareReadOnlyQuery(db, sql).raw(true).safeIntegers(true);
    const columns = stmt.columns();
    const total = Number((db.prepare(`SELECT count(*) AS n FROM (${sql})`).get() as { n: number }).n);
    let done = 0;
    async function* records(): AsyncGenerator<SourceRecord> {
      try {
        for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
          done++;
          for (let c = 0; c < row.length; c++) {
            const v = row[c];
            if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e15) row[c] = v.toFixed(1);
          }
          yield { values: row, line: done };
        }
      } catch (err) {
        if (err instanceof XinzhiError) throw err;
        throw malformed('sqlite', fileName, `row ${done + 1}`, (err as Error).message);
      } finally {
        db.close();
      }
    }
    return {
      format: 'sqlite',
      fileName,
      fileSize: info.size,
      names: columns.map((c) => c.name),
      declared: columns.map((c) => sqliteDeclaredType(c.type)),
      records: records(),
      bytesRead: () => (total > 0 ? Math.round((info.size * done) / total) : info.size),
      details: table !== null ? { table } : { query: sql },
      choices: { tables },
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
