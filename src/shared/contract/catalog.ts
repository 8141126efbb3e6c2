/** Catalog procedures: import files, list datasets and versions, page rows, export. */
import { z } from 'zod';
import { procedure, event } from './procedure.js';
import {
  DatasetSchema, DatasetDetailSchema, ImportOptionsSchema, ImportPreviewSchema, RowPageSchema, RowQuerySchema,
  VersionSchema, EncodingSchema, DelimiterSchema, SourceChoiceSchema,
} from '../model/catalog.js';

export const catalog = {
  /** Sniffs encoding, delimiter, header and column types of a file without importing it (sheets of a workbook, tables of a database). */
  previewImport: procedure(
    SourceChoiceSchema.extend({
      path: z.string().min(1),
      encoding: EncodingSchema.default('auto'),
      delimiter: DelimiterSchema.default('auto'),
      header: z.enum(['auto', 'yes', 'no']).default('auto'),
    }),
    ImportPreviewSchema,
  ),
  /** Starts an import job; the job's result is an ImportResult. */
  importFile: procedure(ImportOptionsSchema, z.object({ jobId: z.string() })),
  /**
   * Imports images as `label` + one column per pixel (an import job): from IDX files (MNIST's format, gzipped or
   * not), or from a folder with one subfolder of PNG/JPEG images per class, made grayscale size × size.
   */
  importImages: procedure(
    z.union([
      z.object({ imagesPath: z.string().min(1), labelsPath: z.string().min(1), name: z.string().min(1).max(200).optional() }),
      z.object({ folder: z.string().min(1), size: z.number().int().min(4).max(256).default(28), name: z.string().min(1).max(200).optional() }),
    ]),
    z.object({ jobId: z.string() }),
  ),
  listDatasets: procedure(z.object({ query: z.string().default('') }), z.array(DatasetSchema)),
  getDataset: procedure(z.object({ datasetId: z.string() }), DatasetDetailSchema),
  getVersion: procedure(z.object({ versionId: z.string() }), VersionSchema),
  queryRows: procedure(RowQuerySchema, RowPageSchema),
  renameDataset: procedure(z.object({ datasetId: z.string(), name: z.string().min(1).max(200) }), DatasetSchema),
  deleteDataset: procedure(z.object({ datasetId: z.string() }), z.object({ deleted: z.boolean() })),
  /** Writes a version as UTF-8 CSV to a path on the machine running the services. */
  exportVersion: procedure(
    z.object({ versionId: z.string(), path: z.string().min(1) }),
    z.object({ path: z.string(), rowCount: z.number().int() }),
  ),
  onDidChange: event(z.object({ datasetId: z.string() })),
} as const;
