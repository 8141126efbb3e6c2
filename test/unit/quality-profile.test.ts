// The profiler's definitions against pandas / numpy on small inputs, value patterns, dictionary-encoded texts, and
// every alert kind on a table crafted to trigger it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ALERT_THRESHOLDS,
  columnFromCells,
  cramersV,
  TextColumnBuilder,
  moments,
  profileDataset,
  quantileSorted,
  textKind,
  valuePattern,
  type DataColumn,
} from '../../src/main/core/profile/index.js';

describe('statistics', () => {
  it('quantiles interpolate linearly as pandas does', () => {
    // pandas: pd.Series([1, 2, 3, 4, 10]).quantile([.01, .25, .5, .95]) → 1.04, 2.0, 3.0, 8.8
    const s = Float64Array.from([1, 2, 3, 4, 10]);
    expect(quantileSorted(s, 0.01)).toBeCloseTo(1.04, 12);
    expect(quantileSorted(s, 0.25)).toBe(2);
    expect(quantileSorted(s, 0.5)).toBe(3);
    expect(quantileSorted(s, 0.95)).toBeCloseTo(8.8, 12);
    expect(quantileSorted(Float64Array.from([7]), 0.99)).toBe(7);
  });

  it('std is the sample one and skewness the adjusted G1 (pandas)', () => {
    // pd.Series([1, 2, 3, 4, 10]).std() = 3.5355339059327378, .skew() = 1.697056274847714
    const m = moments([1, 2, 3, 4, 10]);
    expect(m.mean).toBe(4);
    expect(m.std).toBeCloseTo(3.5355339059327378, 12);
    expect(m.skewness).toBeCloseTo(1.697056274847714, 12);
    expect(moments([5, 5, 5]).skewness).toBe(0);
    expect(moments([5]).std).toBeNull();
  });

  it('quantiles stay within min..max and are monotone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (xs) => {
        const s = Float64Array.from(xs).sort();
        const ps = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1].map((p) => quantileSorted(s, p));
        for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]! - 1e-9);
        expect(ps[0] === s[0]).toBe(true); // == : -0 and 0 are the same minimum
        expect(ps.at(-1) === s[s.length - 1]).toBe(true);
      }),
    );
  });

  it("Cramér's V is 1 for a function of the other column and 0 for independent ones", () => {
    const a = Int32Array.from([0, 0, 1, 1, 2, 2]);
    expect(cramersV(a, 3, Int32Array.from([1, 1, 0, 0, 2, 2]), 3)).toBeCloseTo(1, 12);
    expect(cramersV(Int32Array.from([0, 0, 1, 1]), 2, Int32Array.from([0, 1, 0, 1]), 2)).toBeCloseTo(0, 12);
  });

  it('text columns are dictionary-encoded: codes per row, each distinct string once', () => {
    const b = new TextColumnBuilder(5);
    ['x', null, 'y', 'x', 'x'].forEach((v, i) => b.set(i, v));
    const c = b.build('t', 'text');
    expect(Array.from(c.codes)).toEqual([0, -1, 1, 0, 0]);
    expect(c.dictionary).toEqual(['x', 'y']);
    const p = profileDataset([c], 5).columns[0]!;
    expect(p).toMatchObject({ count: 4, missing: 1, distinct: 2, topValues: [{ value: 'x', count: 3 }, { value: 'y', count: 1 }] });
  });
});

describe('value patterns and kinds', () => {
  it('collapses letter and CJK runs but keeps digits', () => {
    expect(valuePattern('010-6275')).toBe('999-9999');
    expect(valuePattern('Private')).toBe('Aa');
    expect(valuePattern('Self-emp-not-inc')).toBe('Aa-a-a-a');
    expect(valuePattern('北京市海淀区')).toBe('汉');
    expect(valuePattern('张三 13812345678')).toBe('汉 99999999999');
    expect(valuePattern('x'.repeat(5) + '1'.repeat(40)).endsWith('…')).toBe(true);
  });

  it('tells numbers, dates, booleans and text apart', () => {
    expect(['12', '-3.5', '1e3', '1,234.5'].map(textKind)).toEqual(['number', 'number', 'number', 'number']);
    expect(['2024-01-31', '2024/1/3', '2024-01-31T10:00:00Z', '2024年1月3日'].map(textKind)).toEqual(['date', 'date', 'date', 'date']);
    expect(['true', 'No', '是'].map(textKind)).toEqual(['boolean', 'boolean', 'boolean']);
    expect(['abc', '12a', ''].map(textKind)).toEqual(['text', 'text', 'text']);
  });
});

/** A table where each column is made to trip exactly the alert in its name. */
function craftedTable(): { columns: DataColumn[]; n: number } {
  const n = 400;
  const rows = Array.from({ length: n }, (_, i) => i);
  const columns: DataColumn[] = [
    columnFromCells('constant', 'text', rows.map(() => 'same')),
    columnFromCells('id', 'integer', rows.map((i) => i + 1)),
    columnFromCells('missing', 'real', rows.map((i) => (i % 4 === 0 ? null : i * 0.5))),
    columnFromCells('zeros', 'integer', rows.map((i) => (i % 3 === 0 ? 0 : (i % 7) + 1))),
    // One huge value among small ones: skewness ≈ √n.
    columnFromCells('skewed', 'real', rows.map((i) => (i === 0 ? 1e6 : (i % 10) + 1))),
    columnFromCells('imbalanced', 'text', rows.map((i) => (i < 390 ? 'A' : i < 395 ? 'B' : 'C'))),
    columnFromCells('cardinal', 'text', rows.map((i) => `code-${i % 120}`)),
    columnFromCells('twin_a', 'real', rows.map((i) => (i * 37) % 101)),
    columnFromCells('twin_b', 'real', rows.map((i) => ((i * 37) % 101) * 2 + 3)),
    columnFromCells('mixed', 'text', rows.map((i) => (i % 5 === 0 ? `n/a ${i}` : String(i)))),
  ];
  // Rows 0..9 repeated as rows 390..399 in every column would break the column shapes: instead, the last rows
  // copy earlier ones only through a separate table below.
  return { columns, n };
}

describe('alerts', () => {
  it('each kind fires on the column made for it', () => {
    const { columns, n } = craftedTable();
    const profile = profileDataset(columns, n);
    const fired = (kind: string) => profile.alerts.filter((a) => a.kind === kind).map((a) => a.column);
    expect(fired('constant')).toEqual(['constant']);
    expect(fired('unique')).toContain('id');
    expect(fired('missing')).toEqual(['missing']);
    expect(fired('zeros')).toEqual(['zeros']);
    expect(fired('skewed')).toContain('skewed');
    expect(fired('imbalance')).toContain('imbalanced');
    expect(fired('high-cardinality')).toEqual(['cardinal']);
    expect(fired('mixed-types')).toEqual(['mixed']);
    const corr = profile.alerts.find((a) => a.kind === 'high-correlation' && a.column === 'twin_a');
    expect(corr).toMatchObject({ otherColumn: 'twin_b' });
    expect(corr!.value).toBeCloseTo(1, 10);
    expect(fired('duplicates')).toEqual([]);
    expect(profile.columns.find((c) => c.name === 'missing')!.missing).toBe(100);
    expect(profile.alerts.find((a) => a.kind === 'missing')!.value).toBeCloseTo(0.25, 12);
    expect(ALERT_THRESHOLDS.missing).toBeLessThan(0.25);
  });

  it('counts duplicate rows as pandas duplicated() does, missing cells equal to each other', () => {
    const a = columnFromCells('a', 'integer', [1, 2, 1, null, null, 1]);
    const b = columnFromCells('b', 'text', ['x', 'y', 'x', null, null, 'z']);
    const profile = profileDataset([a, b], 6);
    expect(profile.duplicateRows).toBe(2);
    expect(profile.rowsWithMissing).toBe(2);
    expect(profile.alerts).toContainEqual({ kind: 'duplicates', column: null, value: 2 });
  });

  it('duplicate rows agree with a string-key count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: 3 })), fc.option(fc.constantFrom('a', 'b', 'c'))), { maxLength: 60 }),
        (rows) => {
          const a = columnFromCells('a', 'integer', rows.map((r) => r[0]));
          const b = columnFromCells('b', 'text', rows.map((r) => r[1]));
          const seen = new Set<string>();
          let expected = 0;
          for (const r of rows) {
            const key = JSON.stringify(r);
            if (seen.has(key)) expected++;
            else seen.add(key);
          }
          expect(profileDataset([a, b], rows.length).duplicateRows).toBe(expected);
        },
      ),
    );
  });
});
