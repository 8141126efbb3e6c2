/** Which reader a file goes to (by extension), and the record formats' one entry point. */
import { extname } from 'node:path';
import type { ImportFormat, ImportOptions } from '../../shared/model/catalog.js';
import type { RecordFormat, RecordSource } from './records-reader.js';
import { openJsonSource } from './json-source.js';
import { openXlsxSource } from './xlsx-source.js';
import { openParquetSource } from './parquet-source.js';
import { openSqliteSource } from './sqlite-source.js';

const DELIMITED_EXTENSIONS = new Set(['', '.csv', '.tsv', '.txt', '.tab', '.psv', '.dat', '.data', '.test']);
const BY_EXTENSION: Record<string, RecordFormat> = {
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  // .xls goes to the Excel reader, which explains that it must be saved as .xlsx
  '.xls': 'xlsx',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.db': 'sqlite',
  '.sqlite': 'sqlite',
  '.sqlite3': 'sqlite',
};

/** The format a path is read as: the one asked for, else by extension; null when nothing reads it. */
export function formatOf(path: string, asked: ImportFormat = 'auto'): 'delimited' | RecordFormat | null {
  if (asked === 'csv') return 'delimited';
  if (asked !== 'auto') return asked;
  const ext = extname(path).toLowerCase();
  if (DELIMITED_EXTENSIONS.has(ext)) return 'delimited';
  return BY_EXTENSION[ext] ?? null;
}

type SourceOptions = Pick<ImportOptions, 'sheet' | 'headerRow' | 'headerRows' | 'header' | 'table' | 'query'>;

export function openRecordSource(path: string, format: RecordFormat, options: SourceOptions, signal?: AbortSignal): Promise<RecordSource> {
  switch (format) {
    case 'xlsx':
      return openXlsxSource(path, { sheet: options.sheet, headerRow: options.headerRow, headerRows: options.headerRows, header: options.header });
    case 'json':
    case 'ndjson':
      return openJsonSource(path, format, signal);
    case 'parquet':
      return openParquetSource(path, signal);
    case 'sqlite':
      return openSqliteSource(path, { table: options.table, query: options.query });
  }
}
