/** Datasets and their immutable versions: metadata rows plus one typed table per version (v_<id>). */
import type { Db } from './connection.js';
import { quoteIdent } from './connection.js';
import type { Column, Dataset, DatasetDetail, RowFilter, RowPage, RowQuery, Version } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { nowIso } from './ids.js';

interface DatasetRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}
interface VersionRow {
  id: string;
  dataset_id: string;
  number: number;
  parent_id: string | null;
  operation: string;
  params: string;
  table_name: string;
  row_count: number;
  columns: string;
  content_hash: string;
  created_at: string;
}

const toVersion = (r: VersionRow): Version => ({
  id: r.id,
  datasetId: r.dataset_id,
  number: r.number,
  parentId: r.parent_id,
  operation: r.operation,
  params: JSON.parse(r.params) as Record<string, unknown>,
  rowCount: r.row_count,
  columns: JSON.parse(r.columns) as Column[],
  contentHash: r.content_hash,
  createdAt: r.created_at,
});

export interface NewVersion {
  id: string;
  datasetId: string;
  parentId: string | null;
  operation: string;
  params: Record<string, unknown>;
  tableName: string;
  rowCount: number;
  columns: Column[];
  contentHash: string;
}

export class DatasetsRepo {
  constructor(private readonly db: Db) {}

  listDatasets(query: string): Dataset[] {
    const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(`SELECT * FROM datasets WHERE name LIKE ? ESCAPE '\\' OR id = ? ORDER BY updated_at DESC`)
      .all(like, query) as DatasetRow[];
    const versions = this.db.prepare('SELECT id, number, row_count, operation, created_at, json_array_length(columns) AS column_count FROM versions WHERE dataset_id = ? ORDER BY number');
    return rows.map((d) => ({
      id: d.id,
      name: d.name,
      description: d.description,
      createdAt: d.created_at,
      updatedAt: d.updated_at,
      versions: (versions.all(d.id) as (Pick<VersionRow, 'id' | 'number' | 'row_count' | 'operation' | 'created_at'> & { column_count: number })[]).map((v) => ({
        id: v.id,
        number: v.number,
        rowCount: v.row_count,
        columnCount: v.column_count,
        operation: v.operation,
        createdAt: v.created_at,
      })),
    }));
  }

  getDataset(datasetId: string): DatasetDetail {
    const d = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(datasetId) as DatasetRow | undefined;
    if (!d) throw new XinzhiError('E_NOT_FOUND', `Dataset ${datasetId} not found`, { what: 'Dataset', id: datasetId });
    const versions = (this.db.prepare('SELECT * FROM versions WHERE dataset_id = ? ORDER BY number').all(datasetId) as VersionRow[]).map(toVersion);
    return { id: d.id, name: d.name, description: d.description, createdAt: d.created_at, updatedAt: d.updated_at, versions };
  }

  getVersion(versionId: string): Version & { tableName: string } {
    const r = this.db.prepare('SELECT * FROM versions WHERE id = ?').get(versionId) as VersionRow | undefined;
    if (!r) throw new XinzhiError('E_NOT_FOUND', `Version ${versionId} not found`, { what: 'Version', id: versionId });
    return { ...toVersion(r), tableName: r.table_name };
  }

  insertDataset(id: string, name: string): void {
    const now = nowIso();
    this.db.prepare('INSERT INTO datasets (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, name, '', now, now);
  }

  /** Records a version whose table already exists (renamed from staging in the same transaction). */
  insertVersion(v: NewVersion): void {
    const { n } = this.db.prepare('SELECT coalesce(max(number), 0) + 1 AS n FROM versions WHERE dataset_id = ?').get(v.datasetId) as { n: number };
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO versions (id, dataset_id, number, parent_id, operation, params, table_name, row_count, columns, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(v.id, v.datasetId, n, v.parentId, v.operation, JSON.stringify(v.params), v.tableName, v.rowCount, JSON.stringify(v.columns), v.contentHash, now);
    this.db.prepare('UPDATE datasets SET updated_at = ? WHERE id = ?').run(now, v.datasetId);
  }

  renameDataset(datasetId: string, name: string): void {
    const info = this.db.prepare('UPDATE datasets SET name = ?, updated_at = ? WHERE id = ?').run(name, nowIso(), datasetId);
    if (info.changes === 0) throw new XinzhiError('E_NOT_FOUND', `Dataset ${datasetId} not found`, { what: 'Dataset', id: datasetId });
  }

  /** Deletes the dataset's rows and drops its version tables; returns the tables dropped. */
  deleteDataset(datasetId: string): string[] {
    const tables = (this.db.prepare('SELECT table_name FROM versions WHERE dataset_id = ?').all(datasetId) as { table_name: string }[]).map((r) => r.table_name);
    // A version's reversible-pseudonym mapping (map_<table>) goes with it.
    for (const t of tables) this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(t)}; DROP TABLE IF EXISTS ${quoteIdent(`map_${t}`)}`);
    this.db.prepare('DELETE FROM versions WHERE dataset_id = ?').run(datasetId);
    const info = this.db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId);
    if (info.changes === 0) throw new XinzhiError('E_NOT_FOUND', `Dataset ${datasetId} not found`, { what: 'Dataset', id: datasetId });
    return tables;
  }

  uniqueName(wanted: string): string {
    const exists = this.db.prepare('SELECT 1 FROM datasets WHERE name = ?');
    let name = wanted;
    for (let n = 2; exists.get(name); n++) name = `${wanted} (${n})`;
    return name;
  }

  queryRows(q: RowQuery): RowPage {
    const version = this.getVersion(q.versionId);
    const byName = new Map(version.columns.map((c) => [c.name, c]));
    const where: string[] = [];
    const params: unknown[] = [];
    for (const f of q.filters) {
      const col = byName.get(f.column);
      if (!col) throw new XinzhiError('E_INVALID_INPUT', `No column ${f.column}`, { path: 'filters.column', issue: `no column “${f.column}”` });
      where.push(filterSql(f, col, params));
    }
    if (q.search.trim() !== '') {
      const like = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(${version.columns.map((c) => `CAST(${quoteIdent(c.name)} AS TEXT) LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      for (let i = 0; i < version.columns.length; i++) params.push(like);
    }
    const table = quoteIdent(version.tableName);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const totalRows = where.length
      ? (this.db.prepare(`SELECT count(*) AS n FROM ${table} ${whereSql}`).get(...params) as { n: number }).n
      : version.rowCount;
    const select = version.columns.map((c) => quoteIdent(c.name)).join(', ');
    let sql: string;
    let pageParams: unknown[];
    if (!q.sort && where.length === 0) {
      // Rows of a version are numbered 1..n in __row: a page is a range seek, as fast at row 9,000,000 as at row 1.
      sql = `SELECT ${select} FROM ${table} WHERE __row > ? AND __row <= ? ORDER BY __row`;
      pageParams = [q.offset, q.offset + q.limit];
    } else {
      let order = '__row';
      if (q.sort) {
        const col = byName.get(q.sort.column);
        if (!col) throw new XinzhiError('E_INVALID_INPUT', `No column ${q.sort.column}`, { path: 'sort.column', issue: `no column “${q.sort.column}”` });
        if (version.rowCount >= 50_000) this.ensureIndex(version.tableName, col.name);
        const dir = q.sort.direction === 'desc' ? 'DESC' : 'ASC';
        // NULLs last in both directions, as analysts expect.
        order = `${quoteIdent(col.name)} IS NULL, ${quoteIdent(col.name)} ${dir}, __row ${dir}`;
      }
      sql = `SELECT ${select} FROM ${table} ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`;
      pageParams = [...params, q.limit, q.offset];
    }
    const rows = this.db.prepare(sql).raw(true).all(...pageParams) as (string | number | null)[][];
    return { columns: version.columns, rows, offset: q.offset, totalRows };
  }

  /** Versions are immutable, so an index made for sorting once serves every later sort. */
  private ensureIndex(tableName: string, column: string): void {
    const indexName = `${tableName}_by_${Buffer.from(column).toString('hex').slice(0, 40)}`;
    this.db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(indexName)} ON ${quoteIdent(tableName)} (${quoteIdent(column)} IS NULL, ${quoteIdent(column)}, __row)`);
  }

  /** Iterates a version's rows in order, as arrays, for export. */
  *iterateRows(versionId: string): Generator<(string | number | null)[]> {
    const version = this.getVersion(versionId);
    const select = version.columns.map((c) => quoteIdent(c.name)).join(', ');
    yield* this.db.prepare(`SELECT ${select} FROM ${quoteIdent(version.tableName)} ORDER BY __row`).raw(true).iterate() as Generator<(string | number | null)[]>;
  }
}

function filterSql(f: RowFilter, col: Column, params: unknown[]): string {
  const c = quoteIdent(col.name);
  const value = f.value === undefined || f.value === null ? null : typeof f.value === 'boolean' ? Number(f.value) : f.value;
  const numeric = col.type === 'integer' || col.type === 'real' || col.type === 'boolean';
  const typed = numeric && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  switch (f.op) {
    case 'isNull':
      return `${c} IS NULL`;
    case 'notNull':
      return `${c} IS NOT NULL`;
    case 'contains':
    case 'startsWith': {
      const text = String(value ?? '').replace(/[\\%_]/g, (ch) => `\\${ch}`);
      params.push(f.op === 'contains' ? `%${text}%` : `${text}%`);
      return `CAST(${c} AS TEXT) LIKE ? ESCAPE '\\'`;
    }
    default: {
      const op = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' }[f.op];
      params.push(typed);
      return `${c} ${op} ?`;
    }
  }
}
