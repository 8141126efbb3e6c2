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
  distributionOf,
  quantileOf,
  histogramOf,
  COUNTING_LIMIT,
  textKind,
  valuePattern,
  type DataColumn,
} from '../../src/main/core/profile/index.js';

describe('statistics', () => {
  it('quantiles interpolate linearly as pandas does', () => {
    // pandas: pd.Series([1, 2, 3, 4, 10]).quantile([.01, .25, .5, .95]) → 1.04, 2.0, 3.0, 8.8
    const d = distributionOf(Float64Array.from([10, 2, 1, 4, 3]));
    expect(quantileOf(d, 0.01)).toBeCloseTo(1.04, 12);
    expect(quantileOf(d, 0.25)).toBe(2);
    expect(quantileOf(d, 0.5)).toBe(3);
    expect(quantileOf(d, 0.95)).toBeCloseTo(8.8, 12);
    expect(quantileOf(distributionOf(Float64Array.from([7])), 0.99)).toBe(7);
    // Repeated values (the counting path): pd.Series([5, 1, 5, 5, 2, 1]).quantile([.1, .5, .9]) → 1.0, 3.5, 5.0
    const r = distributionOf(Float64Array.from([5, 1, 5, 5, 2, 1]));
    expect([0.1, 0.5, 0.9].map((p) => quantileOf(r, p))).toEqual([1, 3.5, 5]);
  });

  // The reference: numpy's linear quantile and histogram on the plainly sorted array.
  const referenceQuantile = (s: Float64Array, p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
  };
  const referenceHistogram = (s: Float64Array, bins: number) => {
    let [min, max] = [s[0]!, s[s.length - 1]!];
    if (min === max) [min, max] = [min - 0.5, max + 0.5];
    const counts = new Array<number>(bins).fill(0);
    for (const v of s) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - min) / ((max - min) / bins))))]!++;
    return counts;
  };

  it('the run-length distribution equals the sorted column, counted or sorted (property)', () => {
    const few = fc.array(fc.integer({ min: -5, max: 5 }).map((v) => (v === 0 ? -0 : v / 2)), { minLength: 1, maxLength: 300 });
    const many = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 });
    // Past COUNTING_LIMIT distinct values the column is sorted instead of counted; a shuffled range gets there.
    const past = fc.integer({ min: 0, max: 1e6 }).map((seed) => Array.from({ length: COUNTING_LIMIT + 50 }, (_, i) => ((i * 7919 + seed) % (COUNTING_LIMIT + 50)) / 4));
    fc.assert(
      fc.property(fc.oneof(few, many, past), (xs) => {
        const input = Float64Array.from(xs);
        const d = distributionOf(input);
        expect(Array.from(input)).toEqual(xs); // the column is not touched
        const s = Float64Array.from(xs).sort();
        expect(d.values.length).toBe(new Set(xs.map((v) => v + 0)).size);
        for (const p of [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1]) expect(quantileOf(d, p) === referenceQuantile(s, p)).toBe(true);
        const bins = Math.min(20, d.values.length);
        expect(histogramOf(d, bins).counts).toEqual(referenceHistogram(s, bins));
        if (d.indexes) {
          const ranks = d.indexes();
          xs.forEach((v, i) => expect(d.values[ranks[i]!] === v).toBe(true));
        }
      }),
      { numRuns: 150 },
    );
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
        const ps = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1].map((p) => quantileOf(distributionOf(Float64Array.from(xs)), p));
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

  it('a text column read in two row ranges and joined equals one read', () => {
    const cells = ['b', null, 'a', 'b', 'c', null, 'a', 'd', 'c'];
    const whole = new TextColumnBuilder(cells.length);
    cells.forEach((v, i) => whole.set(i, v));
    const first = new TextColumnBuilder(cells.length);
    cells.slice(0, 4).forEach((v, i) => first.set(i, v));
    const second = new TextColumnBuilder(5);
    cells.slice(4).forEach((v, i) => second.set(i, v));
    first.setCodes(4, second.codes, second.dictionary);
    expect(first.build('t', 'text')).toEqual(whole.build('t', 'text'));
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
