/**
 * The cleaning operations as pure functions over an in-memory column-major table. Each returns a new table and
 * leaves its input untouched (columns that do not change are shared, never written), plus a report of what it did.
 */
import type { ColumnType } from '../../../shared/model/catalog.js';
import type { CleaningStep, StepReport } from '../../../shared/model/cleaning.js';
import { XinzhiError } from '../../../shared/model/errors.js';
import { compileExpression, toNumber, type Value } from '../expr/index.js';
import { mean, mode, quantileSorted, sortedNumbers } from './stats.js';
import { normaliseText } from './text.js';

export type Cell = string | number | null;

export interface CleanColumn {
  name: string;
  type: ColumnType;
}

export interface CleanTable {
  columns: CleanColumn[];
  /** One array per column, all of length rowCount. */
  data: Cell[][];
  rowCount: number;
  /**
   * Where each row came from (the source version's `__row`), when the caller tracks it: row filters carry it along,
   * so a published version can be compared cell by cell with its parent after rows were dropped.
   */
  origin?: Int32Array | undefined;
}

/** Reads text as a non-integer type (boolean, date, datetime) the way the importer does; undefined when it does not fit. */
export type TextConverter = (raw: string, type: ColumnType) => Cell | undefined;

export interface StepContext {
  /** Position of the step in its recipe, for error paths. */
  index: number;
  convert: TextConverter;
}

const isNumeric = (t: ColumnType) => t === 'integer' || t === 'real';

function invalid(ctx: StepContext, field: string, issue: string): XinzhiError {
  return new XinzhiError('E_INVALID_INPUT', issue, { path: `steps.${ctx.index}.${field}`, issue });
}

function columnIndex(table: CleanTable, name: string, ctx: StepContext, field: string): number {
  const i = table.columns.findIndex((c) => c.name === name);
  if (i < 0) throw invalid(ctx, field, `there is no column “${name}” at this step (columns: ${table.columns.map((c) => c.name).join(', ')})`);
  return i;
}

/** SQLite column names are case-insensitive and `__row` is the row number: names must be unique beyond case. */
function checkNames(names: readonly string[], ctx: StepContext, field: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (key === '__row') throw invalid(ctx, field, '“__row” is reserved for the row number');
    if (name.trim() === '') throw invalid(ctx, field, 'a column name cannot be empty');
    if (seen.has(key)) throw invalid(ctx, field, `the column name “${name}” would appear twice (names are compared without case)`);
    seen.add(key);
  }
}

function selectRows(table: CleanTable, keep: Uint8Array, kept: number): CleanTable {
  if (kept === table.rowCount) return table;
  const data = table.data.map((col) => {
    const out = new Array<Cell>(kept);
    let k = 0;
    for (let r = 0; r < table.rowCount; r++) if (keep[r]) out[k++] = col[r]!;
    return out;
  });
  let origin: Int32Array | undefined;
  if (table.origin) {
    origin = new Int32Array(kept);
    let k = 0;
    for (let r = 0; r < table.rowCount; r++) if (keep[r]) origin[k++] = table.origin[r]!;
  }
  return { columns: table.columns, data, rowCount: kept, origin };
}

function report(op: string, before: CleanTable, after: CleanTable, changedCells: number, detail: Record<string, unknown>): StepReport {
  return { op, rowsBefore: before.rowCount, rowsAfter: after.rowCount, changedCells, detail };
}

/** A stored cell as the expression language sees it (booleans are stored 0/1). */
function exprColumns(table: CleanTable) {
  return table.columns.map((c) => ({ name: c.name, type: c.type }));
}

function rowEvaluator(table: CleanTable, source: string) {
  const compiled = compileExpression(source, exprColumns(table));
  const used = compiled.columns.map((name) => table.columns.findIndex((c) => c.name === name));
  const row = new Array<Cell>(table.columns.length).fill(null);
  return {
    compiled,
    /** Fills only the columns the expression reads, into one reused row. */
    at(r: number) {
      for (const c of used) row[c] = table.data[c]![r]!;
      return row;
    },
  };
}

function dropDuplicates(table: CleanTable, step: Extract<CleaningStep, { op: 'dropDuplicates' }>, ctx: StepContext) {
  const cols = (step.columns.length ? step.columns : table.columns.map((c) => c.name)).map((n) => columnIndex(table, n, ctx, 'columns'));
  const seen = new Set<string>();
  const keep = new Uint8Array(table.rowCount);
  let kept = 0;
  const key = new Array<Cell>(cols.length);
  for (let r = 0; r < table.rowCount; r++) {
    for (let k = 0; k < cols.length; k++) key[k] = table.data[cols[k]!]![r]!;
    // JSON keeps 1 and "1" and null apart, as pandas does (its NaN equals NaN for duplicated()).
    const s = JSON.stringify(key);
    if (!seen.has(s)) {
      seen.add(s);
      keep[r] = 1;
      kept++;
    }
  }
  const out = selectRows(table, keep, kept);
  return { table: out, report: report('dropDuplicates', table, out, 0, { removed: table.rowCount - kept, columns: step.columns }) };
}

function filterRows(table: CleanTable, step: Extract<CleaningStep, { op: 'filter' }>) {
  const ev = rowEvaluator(table, step.expression);
  const keep = new Uint8Array(table.rowCount);
  let kept = 0;
  for (let r = 0; r < table.rowCount; r++) {
    if (ev.compiled.test(ev.at(r))) {
      keep[r] = 1;
      kept++;
    }
  }
  const out = selectRows(table, keep, kept);
  return { table: out, report: report('filter', table, out, 0, { removed: table.rowCount - kept }) };
}

/** A constant (or computed value) as a stored cell of `type`; undefined when it does not fit. */
function toCell(value: Value, type: ColumnType, convert: TextConverter): Cell | undefined {
  if (value === null) return null;
  switch (type) {
    case 'text':
      return typeof value === 'boolean' ? String(value) : typeof value === 'number' ? String(value) : value;
    case 'integer':
    case 'real': {
      const n = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : parseNumber(value);
      if (n === null || !Number.isFinite(n)) return undefined;
      return type === 'integer' && !Number.isInteger(n) ? undefined : n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return Number(value);
      if (typeof value === 'number') return value === 0 || value === 1 ? value : undefined;
      if (value.trim() === '0' || value.trim() === '1') return Number(value.trim());
      return convert(value.trim(), 'boolean');
    case 'date':
    case 'datetime': {
      if (typeof value !== 'string') return undefined;
      const raw = value.trim();
      const direct = convert(raw, type);
      if (direct !== undefined || type === 'datetime') return direct;
      // A datetime cast to a date keeps its day.
      const dt = convert(raw, 'datetime');
      return typeof dt === 'string' ? dt.slice(0, 10) : undefined;
    }
  }
}

/** Text spelling a plain decimal number (spaces around allowed), as the expression language reads it. */
const parseNumber = (s: string): number | null => toNumber(s);

/** A stored cell as a language value (what a constant or a cast starts from). */
function cellValue(v: Cell, type: ColumnType): Value {
  if (v === null) return null;
  if (type === 'boolean') return v === 1 || v === '1';
  return v;
}

function impute(table: CleanTable, step: Extract<CleaningStep, { op: 'impute' }>, ctx: StepContext) {
  const columns = [...table.columns];
  const data = [...table.data];
  const detail: Record<string, { value: Cell; filled: number }> = {};
  let changed = 0;
  for (const name of step.columns) {
    const c = columnIndex(table, name, ctx, 'columns');
    const col = table.data[c]!;
    const type = table.columns[c]!.type;
    let fill: Cell;
    if (step.strategy === 'mean' || step.strategy === 'median') {
      if (!isNumeric(type)) throw invalid(ctx, 'strategy', `${step.strategy} needs a numeric column; “${name}” is ${type} (use mode or constant)`);
      const m = step.strategy === 'mean' ? mean(col) : quantileSorted(sortedNumbers(col), 0.5);
      fill = Number.isNaN(m) ? null : m;
    } else if (step.strategy === 'mode') {
      fill = mode(col);
    } else {
      if (step.value === undefined) throw invalid(ctx, 'value', 'a constant fill needs a value');
      const cell = toCell(step.value, type, ctx.convert);
      // A fractional constant in an integer column widens it to real, as pandas' fillna does.
      const widened = cell === undefined && type === 'integer' ? toCell(step.value, 'real', ctx.convert) : cell;
      if (widened === undefined) throw invalid(ctx, 'value', `“${String(step.value)}” is not a valid ${type} for column “${name}”`);
      fill = widened;
    }
    let filled = 0;
    if (fill !== null) {
      const out = col.slice();
      for (let r = 0; r < out.length; r++) {
        if (out[r] === null) {
          out[r] = fill;
          filled++;
        }
      }
      data[c] = out;
      if (type === 'integer' && typeof fill === 'number' && !Number.isInteger(fill) && filled > 0) columns[c] = { name, type: 'real' };
    }
    changed += filled;
    detail[name] = { value: fill, filled };
  }
  const out = { columns, data, rowCount: table.rowCount, origin: table.origin };
  return { table: out, report: report('impute', table, out, changed, { strategy: step.strategy, columns: detail }) };
}

function capOutliers(table: CleanTable, step: Extract<CleaningStep, { op: 'capOutliers' }>, ctx: StepContext) {
  if (step.method === 'percentile' && !(step.lower < step.upper)) throw invalid(ctx, 'lower', `the lower percentile (${step.lower}) must be below the upper one (${step.upper})`);
  const columns = [...table.columns];
  const data = [...table.data];
  const detail: Record<string, { lower: number | null; upper: number | null; capped: number }> = {};
  let changed = 0;
  for (const name of step.columns) {
    const c = columnIndex(table, name, ctx, 'columns');
    const type = table.columns[c]!.type;
    if (!isNumeric(type)) throw invalid(ctx, 'columns', `outliers are capped in numeric columns; “${name}” is ${type}`);
    const sorted = sortedNumbers(table.data[c]!);
    if (sorted.length === 0) {
      detail[name] = { lower: null, upper: null, capped: 0 };
      continue;
    }
    let lower: number;
    let upper: number;
    if (step.method === 'iqr') {
      const q1 = quantileSorted(sorted, 0.25);
      const q3 = quantileSorted(sorted, 0.75);
      lower = q1 - step.factor * (q3 - q1);
      upper = q3 + step.factor * (q3 - q1);
    } else {
      lower = quantileSorted(sorted, step.lower);
      upper = quantileSorted(sorted, step.upper);
    }
    const out = table.data[c]!.slice();
    let capped = 0;
    let fractional = false;
    for (let r = 0; r < out.length; r++) {
      const v = out[r];
      if (typeof v !== 'number') continue;
      const bound = v < lower ? lower : v > upper ? upper : null;
      if (bound !== null) {
        out[r] = bound;
        capped++;
        if (!Number.isInteger(bound)) fractional = true;
      }
    }
    data[c] = out;
    if (type === 'integer' && fractional) columns[c] = { name, type: 'real' };
    changed += capped;
    detail[name] = { lower, upper, capped };
  }
  const out = { columns, data, rowCount: table.rowCount, origin: table.origin };
  return { table: out, report: report('capOutliers', table, out, changed, { method: step.method, columns: detail }) };
}

function normaliseTextStep(table: CleanTable, step: Extract<CleaningStep, { op: 'normaliseText' }>, ctx: StepContext) {
  const names = step.columns.length ? step.columns : table.columns.filter((c) => c.type === 'text').map((c) => c.name);
  const data = [...table.data];
  const detail: Record<string, number> = {};
  let changed = 0;
  for (const name of names) {
    const c = columnIndex(table, name, ctx, 'columns');
    if (table.columns[c]!.type !== 'text') throw invalid(ctx, 'columns', `“${name}” is ${table.columns[c]!.type}, not text`);
    const col = table.data[c]!;
    const out = col.slice();
    let n = 0;
    for (let r = 0; r < out.length; r++) {
      const v = out[r];
      if (typeof v !== 'string') continue;
      const w = normaliseText(v, step);
      if (w !== v) {
        out[r] = w;
        n++;
      }
    }
    data[c] = out;
    detail[name] = n;
    changed += n;
  }
  const out = { columns: table.columns, data, rowCount: table.rowCount, origin: table.origin };
  return { table: out, report: report('normaliseText', table, out, changed, { columns: detail }) };
}

function cast(table: CleanTable, step: Extract<CleaningStep, { op: 'cast' }>, ctx: StepContext) {
  const c = columnIndex(table, step.column, ctx, 'column');
  const from = table.columns[c]!.type;
  const col = table.data[c]!;
  const out = new Array<Cell>(col.length);
  let failed = 0;
  let changed = 0;
  for (let r = 0; r < col.length; r++) {
    const v = col[r]!;
    if (v === null) {
      out[r] = null;
      continue;
    }
    const cell = toCell(cellValue(v, from), step.to, ctx.convert);
    if (cell === undefined) {
      if (step.onError === 'fail') {
        throw new XinzhiError('E_CAST_FAILED', `Row ${r + 1}: “${String(v)}” is not a valid ${step.to}`, { row: r + 1, column: step.column, value: String(v).slice(0, 80), type: step.to });
      }
      out[r] = null;
      failed++;
    } else out[r] = cell;
    if (out[r] !== v) changed++;
  }
  const columns = table.columns.map((col, i) => (i === c ? { name: col.name, type: step.to } : col));
  const data = table.data.map((d, i) => (i === c ? out : d));
  const result = { columns, data, rowCount: table.rowCount, origin: table.origin };
  return { table: result, report: report('cast', table, result, changed, { column: step.column, from, to: step.to, failed }) };
}

function rename(table: CleanTable, step: Extract<CleaningStep, { op: 'rename' }>, ctx: StepContext) {
  for (const from of Object.keys(step.mapping)) columnIndex(table, from, ctx, 'mapping');
  const columns = table.columns.map((c) => (Object.hasOwn(step.mapping, c.name) ? { name: step.mapping[c.name]!, type: c.type } : c));
  checkNames(columns.map((c) => c.name), ctx, 'mapping');
  const out = { columns, data: table.data, rowCount: table.rowCount, origin: table.origin };
  return { table: out, report: report('rename', table, out, 0, { mapping: step.mapping }) };
}

function dropColumns(table: CleanTable, step: Extract<CleaningStep, { op: 'dropColumns' }>, ctx: StepContext) {
  const drop = new Set(step.columns.map((n) => columnIndex(table, n, ctx, 'columns')));
  if (drop.size === table.columns.length) throw invalid(ctx, 'columns', 'at least one column must remain');
  const keep = table.columns.map((_, i) => i).filter((i) => !drop.has(i));
  const out = { columns: keep.map((i) => table.columns[i]!), data: keep.map((i) => table.data[i]!), rowCount: table.rowCount, origin: table.origin };
  return { table: out, report: report('dropColumns', table, out, 0, { columns: step.columns }) };
}

function reorderColumns(table: CleanTable, step: Extract<CleaningStep, { op: 'reorderColumns' }>, ctx: StepContext) {
  const first = step.columns.map((n) => columnIndex(table, n, ctx, 'columns'));
  if (new Set(first).size !== first.length) throw invalid(ctx, 'columns', 'a column is listed twice');
  const order = [...first, ...table.columns.map((_, i) => i).filter((i) => !first.includes(i))];
  const out = { columns: order.map((i) => table.columns[i]!), data: order.map((i) => table.data[i]!), rowCount: table.rowCount, origin: table.origin };
  return { table: out, report: report('reorderColumns', table, out, 0, { columns: step.columns }) };
}

/** The narrowest stored type for computed values: boolean, integer, real, else text. */
function inferType(values: readonly Value[]): ColumnType {
  let kind: 'none' | 'boolean' | 'integer' | 'real' | 'text' = 'none';
  for (const v of values) {
    if (v === null) continue;
    const k = typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'real') : 'text';
    if (kind === 'none' || kind === k) kind = k;
    else if ((kind === 'integer' && k === 'real') || (kind === 'real' && k === 'integer')) kind = 'real';
    else return 'text';
  }
  return kind === 'none' ? 'text' : kind;
}

function derive(table: CleanTable, step: Extract<CleaningStep, { op: 'derive' }>, ctx: StepContext) {
  const ev = rowEvaluator(table, step.expression);
  const values = new Array<Value>(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) values[r] = ev.compiled.evaluate(ev.at(r));
  const type = step.type ?? inferType(values);
  const out = new Array<Cell>(table.rowCount);
  let failed = 0;
  for (let r = 0; r < values.length; r++) {
    const cell = toCell(values[r]!, type, ctx.convert);
    if (cell === undefined) failed++;
    out[r] = cell ?? null;
  }
  const existing = table.columns.findIndex((c) => c.name === step.name);
  const columns = [...table.columns];
  const data = [...table.data];
  if (existing >= 0) {
    columns[existing] = { name: step.name, type };
    data[existing] = out;
  } else {
    columns.push({ name: step.name, type });
    data.push(out);
    checkNames(columns.map((c) => c.name), ctx, 'name');
  }
  const result = { columns, data, rowCount: table.rowCount, origin: table.origin };
  return { table: result, report: report('derive', table, result, table.rowCount, { column: step.name, type, replaced: existing >= 0, failed }) };
}

/** Applies one step; throws E_INVALID_INPUT (with the step's path), E_EXPR_* or E_CAST_FAILED when it cannot. */
export function applyStep(table: CleanTable, step: CleaningStep, ctx: StepContext): { table: CleanTable; report: StepReport } {
  switch (step.op) {
    case 'dropDuplicates':
      return dropDuplicates(table, step, ctx);
    case 'filter':
      return filterRows(table, step);
    case 'impute':
      return impute(table, step, ctx);
    case 'capOutliers':
      return capOutliers(table, step, ctx);
    case 'normaliseText':
      return normaliseTextStep(table, step, ctx);
    case 'cast':
      return cast(table, step, ctx);
    case 'rename':
      return rename(table, step, ctx);
    case 'dropColumns':
      return dropColumns(table, step, ctx);
    case 'reorderColumns':
      return reorderColumns(table, step, ctx);
    case 'derive':
      return derive(table, step, ctx);
  }
}
