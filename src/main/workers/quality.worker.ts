/**
 * Quality job: reads a version's table in one pass into typed columns (Float64Array for numbers), then profiles
 * it and/or checks its dataset's rules. Nothing is written here: the service stores the outcome.
 */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { profileDataset, isNumericType, TextColumnBuilder, type DataColumn } from '../core/profile/index.js';
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
  const numbers = params.columns.map((c) => (isNumericType(c.type) ? { values: new Float64Array(n), nulls: null as Uint8Array | null } : null));
  const texts = params.columns.map((c) => (isNumericType(c.type) ? null : new TextColumnBuilder(n)));
  const width = params.columns.length;
  let r = 0;
  if (width > 0) {
    const select = params.columns.map((c) => quoteIdent(c.name)).join(', ');
    for (const row of db.prepare(`SELECT ${select} FROM ${quoteIdent(params.tableName)} ORDER BY __row`).raw(true).iterate() as IterableIterator<Cell[]>) {
      if (r >= n) break;
      for (let c = 0; c < width; c++) {
        const v = row[c]!;
        const number = numbers[c];
        if (number) {
          if (v === null) (number.nulls ??= new Uint8Array(n))[r] = 1;
          else number.values[r] = Number(v);
        } else texts[c]!.set(r, v === null ? null : String(v));
      }
      r++;
      if ((r & 0xffff) === 0 && signal.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
    }
  }
  const columns = params.columns.map((c, i): DataColumn => {
    const number = numbers[i];
    if (number) return { name: c.name, type: c.type, kind: 'number', values: number.values.subarray(0, r), nulls: number.nulls ? number.nulls.subarray(0, r) : null };
    const built = texts[i]!.build(c.name, c.type);
    return { ...built, codes: built.codes.subarray(0, r) };
  });
  return { columns, rowCount: r };
}
