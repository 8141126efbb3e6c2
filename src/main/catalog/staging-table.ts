/**
 * A STRICT typed table filled by a worker before it is published as a version. Columns follow `__row`, the
 * 1-based row number the grid pages by. Rows go in with multi-row INSERTs (measured ~30% faster than one row
 * per statement) and commit every batch, so other writers are never blocked for long.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection.js';
import { quoteIdent } from './connection.js';
import type { ColumnType } from '../../shared/model/catalog.js';
import type { Cell } from '../ingest/column-types.js';
import { cellAt, type ColumnBatch } from '../ingest/delimited-reader.js';
import { sqliteType } from '../ingest/column-types.js';

const ROWS_PER_STATEMENT = 20;
/**
 * Values go to `run` as arguments, not as one array: better-sqlite3 reads an array element by element through
 * V8's generic property lookup (measured on 1M x 10 rows: the inserting thread ~20% faster with spread arguments).
 * Wide tables get fewer rows per statement, so that a statement's parameters stay well under SQLite's limit.
 */
const MAX_PARAMETERS = 4000;

/**
 * What a statement binds: a stored value, or the UTF-8 bytes of a text. A dictionary-coded column's entries are
 * encoded once a batch and bound as bytes, which `CAST(? AS TEXT)` stores as the same text: better-sqlite3 would
 * otherwise measure and encode the string again for every row (measured: inserts ~10% faster).
 */
type Bindable = Cell | Uint8Array;

function bindable(col: ColumnBatch, r: number, utf8: readonly Uint8Array[] | null): Bindable {
  if (col.kind !== 'coded') return cellAt(col, r);
  const code = col.nulls !== null && col.nulls[r] === 1 ? -1 : col.codes[r]!;
  return code < 0 ? null : utf8 !== null ? utf8[code]! : col.dictionary[code]!;
}

export class StagingTable {
  private types: ColumnType[];
  private insertMany!: Statement<Bindable[]>;
  private insertOne!: Statement<Bindable[]>;
  private readonly flat: Bindable[];
  private readonly rowsPerStatement: number;
  private readonly insertBatch: (columns: readonly ColumnBatch[], rowCount: number) => void;

  constructor(
    private readonly db: Db,
    readonly tableName: string,
    private readonly names: readonly string[],
    types: readonly ColumnType[],
  ) {
    this.types = [...types];
    this.rowsPerStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / Math.max(1, names.length))));
    const rowsPerStatement = this.rowsPerStatement;
    this.flat = new Array<Bindable>(rowsPerStatement * names.length);
    db.exec(`DROP TABLE IF EXISTS ${quoteIdent(tableName)}`);
    db.exec(this.createSql(tableName, this.types));
    this.prepare();
    const width = names.length;
    this.insertBatch = db.transaction((columns: readonly ColumnBatch[], rowCount: number) => {
      const utf8 = columns.map((col, c) =>
        col.kind === 'coded' && sqliteType(this.types[c]!) === 'TEXT' ? col.dictionary.map((entry) => Buffer.from(entry, 'utf8')) : null,
      );
      const flat = this.flat;
      let r = 0;
      for (; r + rowsPerStatement <= rowCount; r += rowsPerStatement) {
        let k = 0;
        for (let q = r; q < r + rowsPerStatement; q++) {
          for (let c = 0; c < width; c++) flat[k++] = bindable(columns[c]!, q, utf8[c] ?? null);
        }
        this.insertMany.run(...flat);
      }
      const one = new Array<Bindable>(width);
      for (; r < rowCount; r++) {
        for (let c = 0; c < width; c++) one[c] = bindable(columns[c]!, r, utf8[c] ?? null);
        this.insertOne.run(...one);
      }
    });
  }

  private createSql(table: string, types: readonly ColumnType[]): string {
    const cols = this.names.map((n, i) => `${quoteIdent(n)} ${sqliteType(types[i]!)}`).join(', ');
    return `CREATE TABLE ${quoteIdent(table)} (__row INTEGER PRIMARY KEY, ${cols}) STRICT`;
  }

  private prepare(): void {
    const cols = this.names.map(quoteIdent).join(', ');
    const one = `(${this.types.map((t) => (sqliteType(t) === 'TEXT' ? 'CAST(? AS TEXT)' : '?')).join(', ')})`;
    this.insertOne = this.db.prepare<Bindable[]>(`INSERT INTO ${quoteIdent(this.tableName)} (${cols}) VALUES ${one}`);
    this.insertMany = this.db.prepare<Bindable[]>(`INSERT INTO ${quoteIdent(this.tableName)} (${cols}) VALUES ${Array(this.rowsPerStatement).fill(one).join(', ')}`);
  }

  insert(columns: readonly ColumnBatch[], rowCount: number): void {
    this.insertBatch(columns, rowCount);
  }

  /** Widens column types: rebuilds the table with the new types, converting the rows already in it. */
  retype(types: readonly ColumnType[]): void {
    if (types.every((t, i) => sqliteType(t) === sqliteType(this.types[i]!))) {
      this.types = [...types];
      return;
    }
    const tmp = `${this.tableName}_retype`;
    const cols = this.names.map(quoteIdent).join(', ');
    const casts = this.names.map((n, i) => `CAST(${quoteIdent(n)} AS ${sqliteType(types[i]!)})`).join(', ');
    // IMMEDIATE: the first statement only reads the schema when there is nothing to drop; a deferred transaction
    // would then have to upgrade to a write, which fails at once (SQLITE_BUSY, no busy wait) when the host
    // committed a job's progress in between.
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(tmp)}`);
      this.db.exec(this.createSql(tmp, types));
      this.db.exec(`INSERT INTO ${quoteIdent(tmp)} (__row, ${cols}) SELECT __row, ${casts} FROM ${quoteIdent(this.tableName)} ORDER BY __row`);
      this.db.exec(`DROP TABLE ${quoteIdent(this.tableName)}`);
      this.db.exec(`ALTER TABLE ${quoteIdent(tmp)} RENAME TO ${quoteIdent(this.tableName)}`);
    }).immediate();
    this.types = [...types];
    this.prepare();
  }

  drop(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(this.tableName)}`);
  }
}
