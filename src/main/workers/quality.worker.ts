/**
 * Quality job: reads a version's table into typed columns (Float64Array for numbers, dictionary codes for texts),
 * then profiles it and/or checks its dataset's rules. Large tables are read on two threads (quality/parallel.ts). Nothing is written here: the service stores the outcome.
 */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { profileDataset, type ComputedProfile, type DataColumn, type ProfileOptions } from '../core/profile/index.js';
import { checkRules, compileRowPredicate } from '../core/quality/index.js';
import type { JobContext } from '../jobs/protocol.js';
import type { QualityJobOutput, QualityJobParams } from '../jobs/quality-job.js';
import { ColumnsBuffer, readRows } from './quality/read.js';
import { PARALLEL_MIN_ROWS, PartThread } from './quality/parallel.js';

type Db = ReturnType<typeof openCatalog>;

runWorker(async (raw, ctx) => {
  const params = raw as QualityJobParams;
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  try {
    ctx.onProgress(0.01, 'reading rows');
    const started = performance.now();
    const outcome = params.rowCount >= PARALLEL_MIN_ROWS && params.columns.length >= 2 ? await inTwoThreads(db, params, ctx, started) : null;
    const { columns, rowCount, computed, readMs, computeMs } = outcome ?? inOneThread(db, params, ctx, started);
    const profile: QualityJobOutput['profile'] = computed ? { ...computed, timings: { readMs: Math.round(readMs), computeMs: Math.round(computeMs) } } : null;
    let ruleResults: QualityJobOutput['ruleResults'] = null;
    if (params.rules.length > 0) {
      ctx.onProgress(0.92, 'checking rules');
      ruleResults = checkRules(params.rules, columns, rowCount, compileRowPredicate);
    }
    ctx.onProgress(1, `${rowCount} rows`, { rows: rowCount });
    return { profile, ruleResults } satisfies QualityJobOutput;
  } finally {
    db.close();
  }
});

interface Outcome {
  columns: DataColumn[];
  rowCount: number;
  computed: ComputedProfile | null;
  readMs: number;
  computeMs: number;
}

function profileOptions(ctx: JobContext): ProfileOptions {
  return { signal: ctx.signal, onProgress: (p, message) => ctx.onProgress(0.3 + 0.6 * p, message) };
}

function readProgress(ctx: JobContext, of: number): (rows: number) => void {
  return (rows) => ctx.onProgress(0.01 + (0.29 * rows) / Math.max(1, of), 'reading rows');
}

function inOneThread(db: Db, params: QualityJobParams, ctx: JobContext, started: number): Outcome {
  const buffer = new ColumnsBuffer(params.columns, params.rowCount);
  const rowCount = readRows(db, params.tableName, buffer, {}, ctx.signal, readProgress(ctx, params.rowCount));
  const columns = buffer.build(rowCount);
  const readMs = performance.now() - started;
  const computeStart = performance.now();
  const computed = params.profile ? profileDataset(columns, rowCount, profileOptions(ctx)) : null;
  return { columns, rowCount, computed, readMs, computeMs: performance.now() - computeStart };
}

/** Null when the table's rows are not numbered 1…rowCount (then the one-thread read copes). */
async function inTwoThreads(db: Db, params: QualityJobParams, ctx: JobContext, started: number): Promise<Outcome | null> {
  const half = Math.floor(params.rowCount / 2);
  const table = quoteIdent(params.tableName);
  // A version's rows are numbered 1…n, so the halves are a range each; anything else is read in one thread.
  const bounds = db.prepare(`SELECT min(__row) AS first, max(__row) AS last FROM ${table}`).get() as { first: number | null; last: number | null };
  if (bounds.first !== 1 || bounds.last !== params.rowCount) return null;
  const splitRow = 1 + half;
  const helper = new PartThread(new URL('./quality-part.worker.mjs', import.meta.url), {
    workspace: ctx.workspace,
    tableName: params.tableName,
    columns: params.columns,
    fromRow: splitRow,
    capacity: params.rowCount - half,
  });
  const stop = () => void helper.terminate();
  ctx.signal.addEventListener('abort', stop);
  try {
    const buffer = new ColumnsBuffer(params.columns, params.rowCount);
    const mine = readRows(db, params.tableName, buffer, { toRow: splitRow }, ctx.signal, readProgress(ctx, half));
    const theirs = await helper.rows();
    buffer.append(mine, theirs.columns);
    const rowCount = mine + theirs.rows;
    const columns = buffer.build(rowCount);
    const readMs = performance.now() - started;
    await helper.terminate();
    const computeStart = performance.now();
    const computed = params.profile ? profileDataset(columns, rowCount, profileOptions(ctx)) : null;
    return { columns, rowCount, computed, readMs, computeMs: performance.now() - computeStart };
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    await helper.terminate();
  }
}
