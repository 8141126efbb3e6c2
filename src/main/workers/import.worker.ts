/** Import job: reads a delimited file and fills the job's staging table; the service publishes it afterwards. */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog } from '../catalog/connection.js';
import { StagingTable } from '../catalog/staging-table.js';
import { readDelimitedInThread } from '../ingest/threaded-reader.js';
import type { ImportOptions } from '../../shared/model/catalog.js';
import type { ImportJobParams, StagedImport } from '../jobs/import-job.js';

runWorker(async (raw, ctx) => {
  const params = raw as ImportJobParams;
  const options: ImportOptions = params.options;
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  let staging: StagingTable | null = null;
  const started = performance.now();
  try {
    let fileSize = 1;
    let header: Omit<StagedImport, 'columns' | 'rowCount' | 'skippedRows' | 'skippedLines' | 'contentHash'> | null = null;
    for await (const ev of readDelimitedInThread(new URL('./import-parse.worker.mjs', import.meta.url), options, ctx.signal)) {
      if (ev.kind === 'schema') {
        fileSize = ev.fileSize;
        header = { encoding: ev.encoding, delimiter: ev.delimiter, hasHeader: ev.hasHeader, quoting: ev.quoting, fileName: ev.fileName, fileSize: ev.fileSize };
        staging = new StagingTable(db, params.stagingTable, ev.columns.map((c) => c.name), ev.columns.map((c) => c.type));
      } else if (ev.kind === 'rows') {
        if (ev.retyped) staging!.retype(ev.retyped);
        staging!.insert(ev.columns, ev.rowCount);
        const elapsed = (performance.now() - started) / 1000;
        ctx.onProgress(ev.bytesRead / fileSize, `${ev.rowsRead} rows`, {
          rows: ev.rowsRead,
          bytes: ev.bytesRead,
          totalBytes: fileSize,
          skippedRows: ev.skippedRows,
          rowsPerSecond: elapsed > 0 ? Math.round(ev.rowsRead / elapsed) : 0,
        });
      } else {
        const result: StagedImport = {
          ...header!,
          columns: ev.columns,
          rowCount: ev.rowCount,
          skippedRows: ev.skippedRows,
          skippedLines: ev.skippedLines,
          contentHash: ev.contentHash,
        };
        ctx.onProgress(1, `${ev.rowCount} rows`, { rows: ev.rowCount, bytes: ev.bytesRead, totalBytes: fileSize, skippedRows: ev.skippedRows });
        return result;
      }
    }
    throw new Error('reader ended without a result');
  } catch (err) {
    staging?.drop();
    throw err;
  } finally {
    db.close();
  }
});
