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
}
