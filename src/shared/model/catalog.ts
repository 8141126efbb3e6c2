/** Domain types of the data catalog: columns, datasets, versions, row queries, imports. */
import { z } from 'zod';

export const ColumnTypeSchema = z.enum(['integer', 'real', 'boolean', 'date', 'datetime', 'text']);
export type ColumnType = z.infer<typeof ColumnTypeSchema>;

export const ColumnSchema = z.object({
  name: z.string(),
  type: ColumnTypeSchema,
  /** Header text as it stood in the file, before it was made unique / non-empty. */
  sourceName: z.string().optional(),
  nullCount: z.number().int().nonnegative().optional(),
});
export type Column = z.infer<typeof ColumnSchema>;

export const VersionSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  number: z.number().int().positive(),
  parentId: z.string().nullable(),
  operation: z.string(),
  params: z.record(z.string(), z.unknown()),
  rowCount: z.number().int().nonnegative(),
  columns: z.array(ColumnSchema),
  contentHash: z.string(),
  createdAt: z.string(),
});
export type Version = z.infer<typeof VersionSchema>;

export const VersionSummarySchema = VersionSchema.pick({ id: true, number: true, rowCount: true, operation: true, createdAt: true }).extend({
  columnCount: z.number().int().nonnegative(),
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

export const DatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z.array(VersionSummarySchema),
});
export type Dataset = z.infer<typeof DatasetSchema>;

export const DatasetDetailSchema = DatasetSchema.extend({ versions: z.array(VersionSchema) });
export type DatasetDetail = z.infer<typeof DatasetDetailSchema>;

export const EncodingSchema = z.enum(['auto', 'utf-8', 'gb18030', 'gbk', 'utf-16le', 'utf-16be']);
export type Encoding = z.infer<typeof EncodingSchema>;

export const DelimiterSchema = z.enum(['auto', ',', ';', '\t', '|']);
export type Delimiter = z.infer<typeof DelimiterSchema>;

/** How a file is read: 'auto' by its extension; 'csv' covers every delimited text file. */
export const ImportFormatSchema = z.enum(['auto', 'csv', 'xlsx', 'json', 'ndjson', 'parquet', 'sqlite']);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

/** What a non-delimited file needs told: which sheet and header rows (Excel), which table or query (SQLite). */
export const SourceChoiceSchema = z.object({
  format: ImportFormatSchema.default('auto'),
  /** Excel: the sheet's name (default: the first sheet). */
  sheet: z.string().min(1).optional(),
  /** Excel: 1-based row of the header (default: the first non-empty row). */
  headerRow: z.number().int().min(1).max(1_048_576).optional(),
  /** Excel: rows the header spans, merged upper cells joined as `Sales.Q1` (default: detected). */
  headerRows: z.number().int().min(1).max(10).optional(),
  /** SQLite: a table or view to import. */
  table: z.string().min(1).optional(),
  /** SQLite: one read-only SELECT statement to import instead of a table. */
  query: z.string().min(1).max(100_000).optional(),
});

export type SourceChoice = z.infer<typeof SourceChoiceSchema>;

export const ImportOptionsSchema = SourceChoiceSchema.extend({
  path: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
  encoding: EncodingSchema.default('auto'),
  delimiter: DelimiterSchema.default('auto'),
  /** 'auto' sniffs whether the first row is a header. */
  header: z.enum(['auto', 'yes', 'no']).default('auto'),
  skipBadRows: z.boolean().default(false),
  /** How `"` is read: 'auto' = RFC 4180 quoting, except tab files whose sample shows they do not quote. */
  quote: z.enum(['auto', 'double', 'none']).default('auto'),
  /** Drop spaces around fields, as in `39, State-gov`. */
  trimSpaces: z.boolean().default(true),
  /** Column types forced by the user, by (unique) column name. */
  columnTypes: z.record(z.string(), ColumnTypeSchema).default({}),
  /** Extra strings read as missing, besides the empty field and pandas' default NA tokens. */
  naValues: z.array(z.string()).default([]),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;
export type ImportOptionsInput = z.input<typeof ImportOptionsSchema>;

export const ImportPreviewSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number(),
  /** The format the file is read as ('csv' for every delimited text file). */
  format: ImportFormatSchema.exclude(['auto']),
  /** Delimited files only (the others read as UTF-8 text or binary); 'utf-8' and ',' otherwise. */
  encoding: EncodingSchema.exclude(['auto']),
  delimiter: DelimiterSchema.exclude(['auto']),
  /** Excel: the workbook's sheets; SQLite: its tables and views. */
  sheets: z.array(z.string()).optional(),
  tables: z.array(z.string()).optional(),
  /** What was read: sheet, header row(s), table, query… */
  details: z.record(z.string(), z.unknown()).default({}),
  hasHeader: z.boolean(),
  columns: z.array(ColumnSchema),
  sampleRows: z.array(z.array(z.string().nullable())),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const ImportResultSchema = z.object({
  datasetId: z.string(),
  versionId: z.string(),
  rowCount: z.number().int().nonnegative(),
  skippedRows: z.number().int().nonnegative(),
  columns: z.array(ColumnSchema),
  /** Delimited files: what was detected; '' for the other formats. */
  encoding: z.string(),
  delimiter: z.string(),
  format: ImportFormatSchema.exclude(['auto']).default('csv'),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const FilterOpSchema = z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'isNull', 'notNull']);
export type FilterOp = z.infer<typeof FilterOpSchema>;

export const RowFilterSchema = z.object({
  column: z.string(),
  op: FilterOpSchema,
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
});
export type RowFilter = z.infer<typeof RowFilterSchema>;

export const RowQuerySchema = z.object({
  versionId: z.string(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(5000).default(100),
  sort: z.object({ column: z.string(), direction: z.enum(['asc', 'desc']) }).nullable().default(null),
  filters: z.array(RowFilterSchema).default([]),
  /** Free text matched (LIKE, case-insensitive for ASCII) against every column. */
  search: z.string().default(''),
});
export type RowQuery = z.infer<typeof RowQuerySchema>;

export const CellSchema = z.union([z.string(), z.number(), z.null()]);
export const RowPageSchema = z.object({
  columns: z.array(ColumnSchema),
  rows: z.array(z.array(CellSchema)),
  offset: z.number().int(),
  /** Rows matching the filters (the whole version when there are none). */
  totalRows: z.number().int().nonnegative(),
});
export type RowPage = z.infer<typeof RowPageSchema>;
