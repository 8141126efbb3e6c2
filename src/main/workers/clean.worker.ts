/**
 * Clean job: reads a version, applies a recipe's steps in memory (core/clean), and fills the job's staging table.
 * The service publishes it as a new version with lineage; the source version's table is only read.
 */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { StagingTable } from '../catalog/staging-table.js';
import type { ColumnBatch } from '../ingest/delimited-reader.js';
import { convert } from '../ingest/column-types.js';
import { applyRecipe } from '../core/clean/index.js';
import { hashTable, readVersionTable, writeRowMap, type CleanJobParams, type StagedClean } from '../jobs/clean-job.js';

runWorker(async (raw, ctx) => {
  const params = raw as CleanJobParams;
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  let staging: StagingTable | null = null;
  try {
    ctx.onProgress(0.02, 'reading rows');
    const source = readVersionTable(db, params.sourceTable, params.sourceColumns);
    const { table, reports } = applyRecipe(source, params.steps, {
      convert,
      signal: ctx.signal,
      onProgress: (f, message) => ctx.onProgress(0.1 + 0.6 * f, message),
    });
    ctx.onProgress(0.75, 'writing rows');
    const batches: Exclude<ColumnBatch, { kind: 'coded' }>[] = table.data.map((values, c) => {
      const type = table.columns[c]!.type;
      let nulls: Uint8Array | null = null;
      for (let r = 0; r < values.length; r++) {
        if (values[r] === null) (nulls ??= new Uint8Array(values.length))[r] = 1;
      }
      return type === 'integer' || type === 'real' || type === 'boolean'
        ? { kind: 'number', values: Float64Array.from(values, (v) => (typeof v === 'number' ? v : 0)), nulls }
        : { kind: 'text', values: values.map((v) => (v === null ? null : String(v))), nulls };
    });
    staging = new StagingTable(db, params.stagingTable, table.columns.map((c) => c.name), table.columns.map((c) => c.type));
    const BATCH = 50_000;
    for (let start = 0; start < table.rowCount; start += BATCH) {
      if (ctx.signal.aborted) throw new Error('cancelled');
      const end = Math.min(table.rowCount, start + BATCH);
      staging.insert(
        batches.map((b) =>
          b.kind === 'number'
            ? { kind: 'number', values: b.values.subarray(start, end), nulls: b.nulls ? b.nulls.subarray(start, end) : null }
            : { kind: 'text', values: b.values.slice(start, end), nulls: b.nulls ? b.nulls.subarray(start, end) : null },
        ),
        end - start,
      );
      ctx.onProgress(0.75 + (0.2 * end) / Math.max(1, table.rowCount), `${end} rows written`, { rows: end });
    }
    const columns = table.columns.map((c, i) => ({ name: c.name, type: c.type, nullCount: table.data[i]!.reduce<number>((n, v) => n + (v === null ? 1 : 0), 0) }));
    const rowMapTable = writeRowMap(db, `${params.stagingTable}_rows`, table);
    const staged: StagedClean = { columns, rowCount: table.rowCount, reports, contentHash: hashTable(table), rowMapTable };
    ctx.onProgress(1, `${table.rowCount} rows`, { rows: table.rowCount });
    return staged;
  } catch (err) {
    staging?.drop();
    db.exec(`DROP TABLE IF EXISTS ${quoteIdent(`${params.stagingTable}_rows`)}`);
    throw err;
  } finally {
    db.close();
  }
});
