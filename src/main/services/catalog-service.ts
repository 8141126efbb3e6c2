/** The catalog domain: imports as jobs published in one transaction, datasets, versions, rows, export. */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { basename, extname, join } from 'node:path';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import type { Implements } from '../../shared/contract/procedure.js';
import type { catalog } from '../../shared/contract/catalog.js';
import {
  ImportOptionsSchema, type ImportFormat, type ImportOptions, type ImportPreview, type ImportResult, type RowPage, type RowQuery, type SourceChoice,
} from '../../shared/model/catalog.js';
import { formatOf } from '../ingest/formats.js';
import { previewRecords } from '../ingest/records-preview.js';
import type { RecordFormat } from '../ingest/records-reader.js';
import { idxImagesAndLabels } from '../core/ml/idx.js';
import { readImageFolder } from '../ingest/images.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { appendAudit, canonicalJson } from '../catalog/audit-log.js';
import { newId, stagingTableName, versionTableName } from '../catalog/ids.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { QueryHost } from '../jobs/query-host.js';
import type { ImportJobParams, StagedImport } from '../jobs/import-job.js';
import { previewDelimited } from '../ingest/delimited-reader.js';
import { toCsvField, toCsvLine } from '../ingest/csv-writer.js';
import type { EventBus } from '../transport/event-bus.js';

export class CatalogService implements Implements<typeof catalog> {
  private readonly repo: DatasetsRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
    private readonly actor: string,
    private readonly queries: QueryHost | null = null,
  ) {
    this.repo = new DatasetsRepo(db);
  }

  private static checkFormat(path: string, asked: ImportFormat = 'auto'): 'delimited' | RecordFormat {
    const format = formatOf(path, asked);
    if (format === null) {
      const ext = extname(path).toLowerCase();
      throw new XinzhiError('E_UNSUPPORTED_FORMAT', `${basename(path)}: ${ext} is not supported yet`, { file: basename(path), format: ext.slice(1) || ext });
    }
    return format;
  }

  async previewImport(input: SourceChoice & { path: string; encoding: ImportOptions['encoding']; delimiter: ImportOptions['delimiter']; header: ImportOptions['header'] }): Promise<ImportPreview> {
    const format = CatalogService.checkFormat(input.path, input.format);
    if (format !== 'delimited') return previewRecords(input.path, format, input);
    const { schema, sampleRows } = await previewDelimited({ ...input, sampleRows: 20 });
    return {
      path: input.path,
      fileName: schema.fileName,
      sizeBytes: schema.fileSize,
      format: 'csv',
      encoding: schema.encoding,
      delimiter: schema.delimiter,
      hasHeader: schema.hasHeader,
      details: {},
      columns: schema.columns.map(({ name, type, sourceName }) => ({ name, type, sourceName: sourceName ?? name })),
      sampleRows,
    };
  }

  importFile(options: ImportOptions, afterwards?: () => void): { jobId: string } {
    CatalogService.checkFormat(options.path, options.format);
    const jobId = newId('job');
    const params: ImportJobParams = { options, stagingTable: stagingTableName(jobId) };
    this.jobs.start(
      {
        kind: 'import',
        title: basename(options.path),
        worker: 'import.worker.mjs',
        params,
        stagingTable: params.stagingTable,
        publish: (staged) => {
          try {
            return this.publishImport(options, params.stagingTable, staged as StagedImport);
          } finally {
            afterwards?.();
          }
        },
        ...(afterwards ? { onFailed: () => afterwards() } : {}),
      },
      jobId,
    );
    return { jobId };
  }

  /**
   * Images in IDX files (MNIST's format; gzipped or not) become a dataset with a `label` column and one integer
   * column per pixel (p0 … p783 for 28 × 28), through a temporary CSV and the ordinary import job.
   */
  importImages(input: { imagesPath: string; labelsPath: string; name?: string | undefined } | { folder: string; size: number; name?: string | undefined }): { jobId: string } {
    if ('folder' in input) {
      const { count, size, labels, pixels } = readImageFolder(input.folder, input.size);
      return this.importPixels(count, size, size, (n) => labels[n] as string, pixels, input.name ?? (basename(input.folder) || 'images'));
    }
    const read = (path: string) => {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(path);
      } catch (err) {
        throw new XinzhiError('E_NOT_FOUND', `Cannot read ${basename(path)}: ${err instanceof Error ? err.message : String(err)}`, { what: 'File', id: basename(path) });
      }
      return bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
    };
    const { count, rows, cols, pixels, labels } = idxImagesAndLabels(read(input.imagesPath), read(input.labelsPath));
    return this.importPixels(count, rows, cols, (n) => String(labels[n]), pixels, input.name ?? basename(input.imagesPath).replace(/(\.gz)?$/, ''));
  }

  /** Labelled images as a temporary CSV (`label`, p0 … pN) through the ordinary import job; the CSV is removed when it ends. */
  private importPixels(count: number, rows: number, cols: number, labelOf: (n: number) => string, pixels: Uint8Array, name: string): { jobId: string } {
    const size = rows * cols;
    const dir = mkdtempSync(join(tmpdir(), 'xinzhi-images-'));
    const csv = join(dir, `${name.replace(/[^\w.-]+/g, '_') || 'images'}.csv`);
    const lines: string[] = [['label', ...Array.from({ length: size }, (_, i) => `p${i}`)].join(',')];
    for (let n = 0; n < count; n++) lines.push(`${toCsvField(labelOf(n))},${Array.from(pixels.subarray(n * size, (n + 1) * size)).join(',')}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    try {
      return this.importFile(ImportOptionsSchema.parse({ path: csv, header: 'yes', name }), cleanup);
    } catch (err) {
      cleanup();
      throw err;
    }
  }

  /** The one short transaction that makes an import visible: staging table → version table, rows, audit. */
  private publishImport(options: ImportOptions, stagingTable: string, staged: StagedImport): ImportResult {
    const datasetId = newId('ds');
    const versionId = newId('ver');
    const tableName = versionTableName(versionId);
    const name = options.name ?? basename(options.path).replace(/\.[^.]+$/, '');
    const read = staged.format === 'csv'
      ? { encoding: staged.encoding, delimiter: staged.delimiter, hasHeader: staged.hasHeader, quoting: staged.quoting ? 'double' : 'none', skippedRows: staged.skippedRows, skippedLines: staged.skippedLines }
      : { format: staged.format, ...staged.details };
    const params = {
      file: staged.fileName,
      sizeBytes: staged.fileSize,
      sourceSha256: staged.contentHash,
      ...read,
      trimSpaces: options.trimSpaces,
      columnTypes: options.columnTypes,
      naValues: options.naValues,
    };
    // The version's identity: the same bytes read the same way give the same content, whoever imports them.
    const contentHash = createHash('sha256')
      .update(canonicalJson({ ...params, file: undefined, columns: staged.columns.map((c) => [c.name, c.type]), rowCount: staged.rowCount }))
      .digest('hex');
    this.db.transaction(() => {
      this.db.exec(`ALTER TABLE ${quoteIdent(stagingTable)} RENAME TO ${quoteIdent(tableName)}`);
      const uniqueName = this.repo.uniqueName(name);
      this.repo.insertDataset(datasetId, uniqueName);
      this.repo.insertVersion({
        id: versionId,
        datasetId,
        parentId: null,
        operation: 'import',
        params,
        tableName,
        rowCount: staged.rowCount,
        columns: staged.columns,
        contentHash,
      });
      appendAudit(this.db, {
        actor: this.actor,
        action: 'dataset.import',
        target: versionId,
        details: {
          datasetId,
          file: staged.fileName,
          format: staged.format,
          fileSha256: staged.contentHash,
          rows: staged.rowCount,
          skippedRows: staged.skippedRows,
          columns: staged.columns.map((c) => ({ name: c.name, type: c.type })),
        },
      });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId });
    return {
      datasetId,
      versionId,
      rowCount: staged.rowCount,
      skippedRows: staged.skippedRows,
      columns: staged.columns,
      encoding: staged.encoding,
      delimiter: staged.delimiter,
      format: staged.format,
    };
  }

  listDatasets(input: { query: string }) {
    return this.repo.listDatasets(input.query);
  }

  getDataset(input: { datasetId: string }) {
    return this.repo.getDataset(input.datasetId);
  }

  getVersion(input: { versionId: string }) {
    const { tableName: _table, ...version } = this.repo.getVersion(input.versionId);
    return version;
  }

  /** Plain pages are range seeks, answered here at once; sorts, filters and searches go to the query worker. */
  async queryRows(input: RowQuery) {
    const cheap = input.sort === null && input.filters.length === 0 && input.search.trim() === '';
    if (cheap || !this.queries) return this.repo.queryRows(input);
    return (await this.queries.run('queryRows', input)) as RowPage;
  }

  renameDataset(input: { datasetId: string; name: string }) {
    this.db.transaction(() => {
      this.repo.renameDataset(input.datasetId, input.name);
      appendAudit(this.db, { actor: this.actor, action: 'dataset.rename', target: input.datasetId, details: { name: input.name } });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId: input.datasetId });
    const dataset = this.repo.listDatasets(input.datasetId).find((d) => d.id === input.datasetId);
    return dataset!;
  }

  deleteDataset(input: { datasetId: string }) {
    this.db.transaction(() => {
      const detail = this.repo.getDataset(input.datasetId);
      const tables = this.repo.deleteDataset(input.datasetId);
      appendAudit(this.db, {
        actor: this.actor,
        action: 'dataset.delete',
        target: input.datasetId,
        details: { name: detail.name, versions: detail.versions.map((v) => v.id), tables },
      });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId: input.datasetId });
    return { deleted: true };
  }

  async exportVersion(input: { versionId: string; path: string }) {
    const rowCount = await this.writeCsv(input.versionId, createWriteStream(input.path));
    this.db.transaction(() => {
      appendAudit(this.db, { actor: this.actor, action: 'version.export', target: input.versionId, details: { file: basename(input.path), rows: rowCount } });
    })();
    return { path: input.path, rowCount };
  }

  /** Streams a version as UTF-8 CSV (header + rows), respecting backpressure; returns the row count. */
  async writeCsv(versionId: string, out: NodeJS.WritableStream): Promise<number> {
    const version = this.repo.getVersion(versionId);
    let rows = 0;
    let chunk = toCsvLine(version.columns.map((c) => c.name));
    try {
      for (const row of this.repo.iterateRows(versionId)) {
        chunk += toCsvLine(row);
        rows++;
        if (chunk.length > 1 << 16) {
          if (!out.write(chunk)) await once(out, 'drain');
          chunk = '';
        }
      }
      out.end(chunk);
      await once(out, 'finish');
    } catch (err) {
      out.end();
      throw err;
    }
    return rows;
  }
}
