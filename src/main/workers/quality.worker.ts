/**
 * Quality job: reads a version's table in one pass into typed columns (Float64Array for numbers), then profiles
 * it and/or checks its dataset's rules. Nothing is written here: the service stores the outcome.
 */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { profileDataset, isNumericType, type DataColumn } from '../core/profile/index.js';
import { checkRules, compileRowPredicate } from '../core/quality/index.js';
import type { QualityJobOutput, QualityJobParams } from '../jobs/quality-job.js';

type Cell = string | number | bigint | null;

runWorker(async (raw, ctx) => {
  const params = raw as QualityJobParams;
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  try {
    ctx.onProgress(0.01, 'reading rows');
    const started = performance.now();
    const { columns, rowCount } = readColumns(db, params, ctx.signal);
    const readMs = performance.now() - started;
    let profile: QualityJobOutput['profile'] = null;
    if (params.profile) {
      const computeStart = performance.now();
      const computed = profileDataset(columns, rowCount, {
        signal: ctx.signal,
        onProgress: (p, message) => ctx.onProgress(0.3 + 0.6 * p, message),
      });
      profile = { ...computed, timings: { readMs: Math.round(readMs), computeMs: Math.round(performance.now() - computeStart) } };
    }
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

function readColumns(db: ReturnType<typeof openCatalog>, params: QualityJobParams, signal: AbortSignal): { columns: DataColumn[]; rowCount: number } {
  const n = params.rowCount;
  const columns: DataColumn[] = params.columns.map((c) =>
    isNumericType(c.type)
      ? { name: c.name, type: c.type, kind: 'number', values: new Float64Array(n), nulls: null }
      : { name: c.name, type: c.type, kind: 'text', values: new Array<string | null>(n).fill(null) },
  );
  if (columns.length === 0) return { columns, rowCount: n };
  const select = params.columns.map((c) => quoteIdent(c.name)).join(', ');
  const width = columns.length;
  let r = 0;
  for (const row of db.prepare(`SELECT ${select} FROM ${quoteIdent(params.tableName)} ORDER BY __row`).raw(true).iterate() as IterableIterator<Cell[]>) {
    if (r >= n) break;
    for (let c = 0; c < width; c++) {
      const col = columns[c]!;
      const v = row[c]!;
      if (col.kind === 'number') {
        if (v === null) (col.nulls ??= new Uint8Array(n))[r] = 1;
        else col.values[r] = Number(v);
      } else col.values[r] = v === null ? null : String(v);
    }
    r++;
    if ((r & 0xffff) === 0 && signal.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
  }
  return { columns, rowCount: r };
}
