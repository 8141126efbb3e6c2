/** What the import service hands its worker, and what the worker hands back before publishing. */
import type { Column, ImportOptions } from '../../shared/model/catalog.js';

export interface ImportJobParams {
  options: ImportOptions;
  stagingTable: string;
}

export interface StagedImport {
  columns: Column[];
  rowCount: number;
  skippedRows: number;
  skippedLines: number[];
  contentHash: string;
  encoding: string;
  delimiter: string;
  hasHeader: boolean;
  quoting: boolean;
  fileName: string;
  fileSize: number;
  /** 'csv' for delimited text; otherwise the record format it was read as. */
  format: 'csv' | 'xlsx' | 'json' | 'ndjson' | 'parquet' | 'sqlite';
  /** What a record format read (sheet, header rows, table, query…). */
  details: Record<string, unknown>;
}
