// Cleaning operations on in-memory tables: each operation against hand-checked or pandas values, and the
// invariants (inputs untouched, dedupe idempotent, a recipe equals its steps one by one) as properties.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyRecipe, applyStep, fullWidthToHalfWidth, normaliseText, quantileSorted, type Cell, type CleanTable } from '../../src/main/core/clean/index.js';
import { convert } from '../../src/main/ingest/column-types.js';
import { CleaningStepSchema, type CleaningStep, type CleaningStepInput } from '../../src/shared/model/cleaning.js';
import type { ColumnType } from '../../src/shared/model/catalog.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

function table(columns: [string, ColumnType][], rows: Cell[][]): CleanTable {
  return { columns: columns.map(([name, type]) => ({ name, type })), data: columns.map((_, c) => rows.map((r) => r[c]!)), rowCount: rows.length };
}
const rowsOf = (t: CleanTable): Cell[][] => Array.from({ length: t.rowCount }, (_, r) => t.data.map((col) => col[r]!));
const step = (s: CleaningStepInput): CleaningStep => CleaningStepSchema.parse(s);
const run = (t: CleanTable, s: CleaningStepInput) => applyStep(t, step(s), { index: 0, convert });
function errorOf(fn: () => unknown): XinzhiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof XinzhiError) return err;
    throw err;
  }
  throw new Error('no error');
}

const people = table(
  [['name', 'text'], ['age', 'integer'], ['city', 'text'], ['income', 'real'], ['vip', 'boolean'], ['born', 'date']],
  [
    ['　张三 ', 30, 'ＢＥＩＪＩＮＧ', 1000.5, 1, '1994-01-02'],
    ['李四', null, '上海', null, 0, null],
    ['　张三 ', 30, 'ＢＥＩＪＩＮＧ', 1000.5, 1, '1994-01-02'],
    ['王五', 52, null, 3000, null, '1972-12-31'],
    ['Ａｌｉｃｅ　Ｓｍｉｔｈ', 41, 'Shanghai  ', 2500, 1, '1983-07-15'],
  ],
);

describe('text normalisation', () => {
  it('turns full-width letters, digits, punctuation and the ideographic space into their half-width forms (NFKC)', () => {
    const o = { nfkc: true, fullWidth: true, trim: true, collapseWhitespace: true, case: 'keep' as const, emptyToNull: true };
    expect(normaliseText('　ＡＢＣ１２３，北京市　　海淀区（中关村）　', o)).toBe('ABC123,北京市 海淀区(中关村)');
    expect(normaliseText('  ', o)).toBeNull();
    expect(normaliseText('①㎏ﬁ', o)).toBe('1kgfi');
    // Without NFKC, only the full-width block and U+3000 change; compatibility forms stay.
    expect(normaliseText('①ＡＢ　Ｃ', { ...o, nfkc: false })).toBe('①AB C');
    expect(fullWidthToHalfWidth('ｈｅｌｌｏ！～')).toBe('hello!~');
    expect(fullWidthToHalfWidth('中文不变。')).toBe('中文不变。');
    expect(normaliseText('ＡＢＣ', { ...o, case: 'lower' })).toBe('abc');
    // Already-composed Chinese text is left as it is (NFKC keeps CJK unified ideographs).
    expect(normaliseText('数据治理', o)).toBe('数据治理');
  });

  it('normalises every text column by default and counts changed cells', () => {
    const { table: out, report } = run(people, { op: 'normaliseText' });
    expect(out.data[0]).toEqual(['张三', '李四', '张三', '王五', 'Alice Smith']);
    expect(out.data[2]).toEqual(['BEIJING', '上海', 'BEIJING', null, 'Shanghai']);
    expect(report.changedCells).toBe(6);
    expect(report.detail).toEqual({ columns: { name: 3, city: 3 } });
    expect(errorOf(() => run(people, { op: 'normaliseText', columns: ['age'] })).code).toBe('E_INVALID_INPUT');
  });
});

describe('quantiles and outlier caps (pandas definitions)', () => {
  // Values from pandas 1.5: Series.quantile (linear) and Series.clip(Q1 - 1.5 IQR, Q3 + 1.5 IQR).
  const cases: { xs: number[]; q1: number; q3: number; p10: number; p90: number; capped: number[] }[] = [
    { xs: [1, 2, 3, 4, 100], q1: 2, q3: 4, p10: 1.4, p90: 61.60000000000001, capped: [1, 2, 3, 4, 7] },
    { xs: [10, -5, 3.5, 7, 7, 2, 1000, -300], q1: 0.25, q3: 7.75, p10: -93.49999999999999, p90: 306.99999999999983, capped: [10, -5, 3.5, 7, 7, 2, 19, -11] },
    { xs: [5], q1: 5, q3: 5, p10: 5, p90: 5, capped: [5] },
    { xs: [1, 2], q1: 1.25, q3: 1.75, p10: 1.1, p90: 1.9, capped: [1, 2] },
  ];
  it('quantileSorted equals pandas Series.quantile', () => {
    for (const c of cases) {
      const sorted = Float64Array.from(c.xs).sort();
      expect(quantileSorted(sorted, 0.25)).toBeCloseTo(c.q1, 12);
      expect(quantileSorted(sorted, 0.75)).toBeCloseTo(c.q3, 12);
      expect(quantileSorted(sorted, 0.1)).toBeCloseTo(c.p10, 9);
      expect(quantileSorted(sorted, 0.9)).toBeCloseTo(c.p90, 9);
    }
  });

  it('IQR caps equal pandas clip at Q1 − 1.5·IQR and Q3 + 1.5·IQR; missing values stay missing', () => {
    for (const c of cases) {
      const t = table([['x', 'real']], [...c.xs.map((x) => [x]), [null]]);
      const { table: out, report } = run(t, { op: 'capOutliers', columns: ['x'] });
      expect(out.data[0]).toEqual([...c.capped, null]);
      expect(report.changedCells).toBe(c.xs.filter((x, i) => x !== c.capped[i]).length);
    }
  });

  it('percentile caps clip to the two quantiles; integer columns become real only when a bound is fractional', () => {
    const t = table([['x', 'integer']], [1, 2, 3, 4, 100].map((x) => [x]));
    const { table: out, report } = run(t, { op: 'capOutliers', columns: ['x'], method: 'percentile', lower: 0.1, upper: 0.9 });
    expect(out.data[0]![0]).toBeCloseTo(1.4, 12);
    expect(out.data[0]![4]).toBeCloseTo(61.6, 9);
    expect(out.columns[0]!.type).toBe('real');
    expect(report.detail).toMatchObject({ method: 'percentile' });
    const iqr = run(t, { op: 'capOutliers', columns: ['x'] });
    expect(iqr.table.columns[0]!.type).toBe('integer');
    expect(errorOf(() => run(people, { op: 'capOutliers', columns: ['name'] })).code).toBe('E_INVALID_INPUT');
    expect(errorOf(() => run(t, { op: 'capOutliers', columns: ['x'], method: 'percentile', lower: 0.9, upper: 0.1 })).code).toBe('E_INVALID_INPUT');
  });
});

describe('impute', () => {
  it('fills with the mean, the median, the mode (ties → smallest, as pandas) or a constant', () => {
    const t = table([['a', 'integer'], ['b', 'text']], [[1, 'x'], [null, 'y'], [4, null], [10, 'y'], [null, 'x']]);
    const mean = run(t, { op: 'impute', columns: ['a'], strategy: 'mean' });
    expect(mean.table.data[0]).toEqual([1, 5, 4, 10, 5]);
    expect(mean.table.columns[0]!.type).toBe('integer');
    const median = run(t, { op: 'impute', columns: ['a'], strategy: 'median' });
    expect(median.table.data[0]).toEqual([1, 4, 4, 10, 4]);
    const mode = run(t, { op: 'impute', columns: ['b', 'a'], strategy: 'mode' });
    expect(mode.table.data[1]).toEqual(['x', 'y', 'x', 'y', 'x']);
    expect(mode.table.data[0]).toEqual([1, 1, 4, 10, 1]);
    expect(mode.report.changedCells).toBe(3);
    const constant = run(t, { op: 'impute', columns: ['b'], strategy: 'constant', value: '未知' });
    expect(constant.table.data[1]).toEqual(['x', 'y', '未知', 'y', 'x']);
    // A fractional mean widens an integer column to real, as pandas' fillna does.
    const frac = run(table([['a', 'integer']], [[1], [null], [2]]), { op: 'impute', columns: ['a'], strategy: 'mean' });
    expect(frac.table.data[0]).toEqual([1, 1.5, 2]);
    expect(frac.table.columns[0]!.type).toBe('real');
    expect(errorOf(() => run(t, { op: 'impute', columns: ['b'], strategy: 'mean' })).code).toBe('E_INVALID_INPUT');
    expect(errorOf(() => run(t, { op: 'impute', columns: ['a'], strategy: 'constant', value: 'abc' })).code).toBe('E_INVALID_INPUT');
    expect(errorOf(() => run(t, { op: 'impute', columns: ['nope'], strategy: 'mode' })).params).toMatchObject({ path: 'steps.0.columns' });
  });
});

describe('rows: dedupe and filter', () => {
  it('drops later duplicates of all columns or of a subset', () => {
    const all = run(people, { op: 'dropDuplicates' });
    expect(all.table.rowCount).toBe(4);
    expect(all.report.detail).toMatchObject({ removed: 1 });
    const subset = run(people, { op: 'dropDuplicates', columns: ['vip'] });
    expect(rowsOf(subset.table).map((r) => r[4])).toEqual([1, 0, null]);
    // 1 and "1" are different values, as are null and "null".
    const mixed = table([['x', 'text']], [['1'], ['null'], [null], ['1']]);
    expect(run(mixed, { op: 'dropDuplicates' }).table.data[0]).toEqual(['1', 'null', null]);
  });

  it('filters by an expression (null drops the row) and reports its errors', () => {
    const out = run(people, { op: 'filter', expression: 'age >= 40 or city = \'上海\'' });
    expect(out.table.data[0]).toEqual(['李四', '王五', 'Ａｌｉｃｅ　Ｓｍｉｔｈ']);
    expect(run(people, { op: 'filter', expression: 'vip and year(born) < 1990' }).table.rowCount).toBe(1);
    expect(run(people, { op: 'filter', expression: 'age > 0' }).table.rowCount).toBe(4);
    expect(errorOf(() => run(people, { op: 'filter', expression: 'agee > 1' })).code).toBe('E_EXPR_UNKNOWN_COLUMN');
  });
});

describe('columns: cast, rename, drop, reorder, derive', () => {
  it('casts with a clear error, or to missing on failure', () => {
    const t = table([['s', 'text']], [['42'], [' 7 '], ['abc'], [null]]);
    const e = errorOf(() => run(t, { op: 'cast', column: 's', to: 'integer' }));
    expect(e.code).toBe('E_CAST_FAILED');
    expect(e.params).toMatchObject({ row: 3, column: 's', value: 'abc', type: 'integer' });
    const lenient = run(t, { op: 'cast', column: 's', to: 'integer', onError: 'null' });
    expect(lenient.table.data[0]).toEqual([42, 7, null, null]);
    expect(lenient.report.detail).toMatchObject({ failed: 1, from: 'text', to: 'integer' });
    expect(run(people, { op: 'cast', column: 'age', to: 'text' }).table.data[1]).toEqual(['30', null, '30', '52', '41']);
    expect(run(people, { op: 'cast', column: 'vip', to: 'text' }).table.data[4]).toEqual(['true', 'false', 'true', null, 'true']);
    const dates = table([['d', 'text']], [['2024/3/5'], ['2024-03-05 10:00'], ['x']]);
    expect(run(dates, { op: 'cast', column: 'd', to: 'date', onError: 'null' }).table.data[0]).toEqual(['2024-03-05', '2024-03-05', null]);
    expect(run(table([['r', 'real']], [[1.5], [2]]), { op: 'cast', column: 'r', to: 'integer', onError: 'null' }).table.data[0]).toEqual([null, 2]);
  });

  it('renames, drops and reorders with name checks', () => {
    const renamed = run(people, { op: 'rename', mapping: { name: '姓名', age: 'Age' } });
    expect(renamed.table.columns.map((c) => c.name)).toEqual(['姓名', 'Age', 'city', 'income', 'vip', 'born']);
    expect(renamed.table.data).toBe(people.data);
    expect(errorOf(() => run(people, { op: 'rename', mapping: { name: 'CITY' } })).code).toBe('E_INVALID_INPUT');
    expect(errorOf(() => run(people, { op: 'rename', mapping: { name: '__row' } })).code).toBe('E_INVALID_INPUT');
    expect(run(people, { op: 'dropColumns', columns: ['income', 'born'] }).table.columns.map((c) => c.name)).toEqual(['name', 'age', 'city', 'vip']);
    expect(errorOf(() => run(table([['x', 'text']], []), { op: 'dropColumns', columns: ['x'] })).code).toBe('E_INVALID_INPUT');
    expect(run(people, { op: 'reorderColumns', columns: ['born', 'age'] }).table.columns.map((c) => c.name)).toEqual(['born', 'age', 'name', 'city', 'income', 'vip']);
  });

  it('derives a column by expression with an inferred or given type', () => {
    const bands = run(people, { op: 'derive', name: 'band', expression: 'if(age >= 40, \'40+\', \'<40\')' });
    expect(bands.table.columns.at(-1)).toEqual({ name: 'band', type: 'text' });
    expect(bands.table.data.at(-1)).toEqual(['<40', '<40', '<40', '40+', '40+']);
    const double = run(people, { op: 'derive', name: 'age2', expression: 'age * 2' });
    expect(double.table.columns.at(-1)!.type).toBe('integer');
    expect(double.table.data.at(-1)).toEqual([60, null, 60, 104, 82]);
    const flag = run(people, { op: 'derive', name: 'rich', expression: 'income > 2000' });
    expect(flag.table.columns.at(-1)!.type).toBe('boolean');
    expect(flag.table.data.at(-1)).toEqual([0, null, 0, 1, 1]);
    const replaced = run(people, { op: 'derive', name: 'age', expression: 'coalesce(age, 0) / 2' });
    expect(replaced.table.columns[1]).toEqual({ name: 'age', type: 'real' });
    expect(replaced.table.data[1]).toEqual([15, 0, 15, 26, 20.5]);
    expect(run(people, { op: 'derive', name: 'y', expression: 'year(born)', type: 'text' }).table.data.at(-1)).toEqual(['1994', null, '1994', '1972', '1983']);
  });
});

// ---- properties ----
const cellFor = (type: ColumnType): fc.Arbitrary<Cell> =>
  type === 'integer' ? fc.option(fc.integer({ min: -5, max: 5 }), { freq: 4 }) : fc.option(fc.constantFrom('a', 'b', ' ａ ', '北京', 'Ｂ'), { freq: 4 });
const tableArb: fc.Arbitrary<CleanTable> = fc
  .array(fc.tuple(cellFor('integer'), cellFor('text'), cellFor('integer')), { maxLength: 60 })
  .map((rows) => table([['n', 'integer'], ['t', 'text'], ['m', 'integer']], rows));
const stepArb: fc.Arbitrary<CleaningStep> = fc.oneof(
  fc.constant(step({ op: 'dropDuplicates' })),
  fc.subarray(['n', 't', 'm'], { minLength: 1 }).map((columns) => step({ op: 'dropDuplicates', columns })),
  fc.constantFrom('n > 0', 'n is null or m < 2', 't in [\'a\', \'北京\']', 'not (n = m)').map((expression) => step({ op: 'filter', expression })),
  fc.constantFrom('mean', 'median', 'mode').map((strategy) => step({ op: 'impute', columns: ['n'], strategy })),
  fc.constant(step({ op: 'impute', columns: ['t'], strategy: 'constant', value: 'z' })),
  fc.constant(step({ op: 'capOutliers', columns: ['m'] })),
  fc.constant(step({ op: 'normaliseText' })),
  fc.constant(step({ op: 'derive', name: 'k', expression: 'coalesce(n, 0) + coalesce(m, 0)' })),
);

describe('cleaning invariants (fast-check)', () => {
  it('dedupe is idempotent and keeps exactly the first of each distinct row', () => {
    fc.assert(
      fc.property(tableArb, fc.subarray(['n', 't', 'm']), (t, columns) => {
        const once = run(t, { op: 'dropDuplicates', columns }).table;
        const twice = run(once, { op: 'dropDuplicates', columns }).table;
        expect(rowsOf(twice)).toEqual(rowsOf(once));
        const idx = (columns.length ? columns : ['n', 't', 'm']).map((c) => ['n', 't', 'm'].indexOf(c));
        const keys = rowsOf(t).map((r) => JSON.stringify(idx.map((i) => r[i])));
        const firsts = rowsOf(t).filter((_, i) => keys.indexOf(keys[i]!) === i);
        expect(rowsOf(once)).toEqual(firsts);
      }),
      { numRuns: 300 },
    );
  });

  it('a recipe equals its steps applied one by one, and never changes its input', () => {
    fc.assert(
      fc.property(tableArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), (t, steps) => {
        const snapshot = JSON.stringify(t);
        let stepwise = t;
        for (const s of steps) stepwise = applyRecipe(stepwise, [s], { convert }).table;
        const whole = applyRecipe(t, steps, { convert }).table;
        expect(whole).toEqual(stepwise);
        expect(JSON.stringify(t)).toBe(snapshot);
      }),
      { numRuns: 300 },
    );
  });

  it('every step keeps the columns rectangular and types honest', () => {
    fc.assert(
      fc.property(tableArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), (t, steps) => {
        const out = applyRecipe(t, steps, { convert }).table;
        for (const [c, col] of out.data.entries()) {
          expect(col).toHaveLength(out.rowCount);
          const type = out.columns[c]!.type;
          for (const v of col) {
            if (v === null) continue;
            if (type === 'integer') expect(Number.isInteger(v)).toBe(true);
            else if (type === 'real' || type === 'boolean') expect(typeof v).toBe('number');
            else expect(typeof v).toBe('string');
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
