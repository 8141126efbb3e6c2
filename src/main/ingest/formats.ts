/** Which reader a file goes to (by extension), and the record formats' one entry point. */
import { extname } from 'node:path';
import type { ImportFormat, ImportOptions } from '../../shared/model/catalog.js';
import type { RecordFormat, RecordSource } from './records-reader.js';

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

/** Each reader and its library (exceljs, hyparquet) is loaded only when a file of its format is read. */
export async function openRecordSource(path: string, format: RecordFormat, options: SourceOptions, signal?: AbortSignal): Promise<RecordSource> {
  switch (format) {
    case 'xlsx': {
      const { openXlsxSource } = await import('./xlsx-source.js');
      return openXlsxSource(path, { sheet: options.sheet, headerRow: options.headerRow, headerRows: options.headerRows, header: options.header });
    }
    case 'json':
    case 'ndjson': {
      const { openJsonSource } = await import('./json-source.js');
      return openJsonSource(path, format, signal);
    }
    case 'parquet': {
      const { openParquetSource } = await import('./parquet-source.js');
      return openParquetSource(path, signal);
    }
    case 'sqlite': {
      const { openSqliteSource } = await import('./sqlite-source.js');
      return openSqliteSource(path, { table: options.table, query: options.query });
    }
  }
}
