// The re-applicable feature pipeline: fit on chosen rows, save as JSON, re-apply to reproduce the matrix.
import { describe, expect, it } from 'vitest';
import { applyPipeline, fitPipeline, stratifiedSplit, takeRows, targetClasses } from '../../src/main/core/ml/pipeline.js';
import { MAX_LEVELS, type FeatureTable } from '../../src/main/core/ml/logistic.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

const table: FeatureTable = {
  columns: [
    { name: 'age', values: [20, 30, null, 50, 40, 60] },
    { name: 'city', values: ['a', 'b', 'a', null, 'c', 'a'] },
    { name: 'flag', values: [1, 0, 1, 0, 1, 0] },
    { name: 'label', values: ['yes', 'no', 'no', 'yes', 'no', 'no'] },
  ],
};
const columns = [
  { name: 'age', type: 'integer' },
  { name: 'city', type: 'text' },
  { name: 'flag', type: 'boolean' },
  { name: 'label', type: 'text' },
];

describe('feature pipeline', () => {
  it('standardises numerics, one-hot encodes text, orders classes as sklearn does', () => {
    const spec = fitPipeline(table, columns, 'label');
    expect(spec.classes).toEqual(['no', 'yes']);
    expect(spec.featureNames).toEqual(['age', 'city=a', 'city=b', 'city=(missing)', 'city=c', 'flag']);
    const out = applyPipeline(spec, table);
    expect(out.cols).toBe(6);
    expect(Array.from(out.y!)).toEqual([1, 0, 0, 1, 0, 0]);
    const age = spec.features[0]!;
    expect(age).toMatchObject({ kind: 'numeric', mean: 40 });
    if (age.kind === 'numeric') expect(age.std).toBeCloseTo(Math.sqrt(200), 12);
    expect(out.X[2 * 6]).toBe(0); // missing → mean → 0
    expect(Array.from(out.X.subarray(3 * 6 + 1, 3 * 6 + 5))).toEqual([0, 0, 1, 0]);
    expect(targetClasses({ columns: [{ name: 't', values: [10, 9, 10] }] }, 't')).toEqual(['9', '10']);
  });

  it('reproduces the matrix when the saved spec (through JSON) is applied to the same rows', () => {
    const split = stratifiedSplit(Uint8Array.from([1, 0, 0, 1, 0, 0]), 3);
    const spec = fitPipeline(table, columns, 'label', [], split.train);
    const first = applyPipeline(spec, table);
    const again = applyPipeline(JSON.parse(JSON.stringify(spec)), table);
    expect(Array.from(again.X)).toEqual(Array.from(first.X));
    // without the target, on a subset of rows in another order: the same rows of the same matrix
    const rows = [4, 0, 2];
    const subset: FeatureTable = { columns: table.columns.filter((c) => c.name !== 'label').map((c) => ({ name: c.name, values: rows.map((r) => c.values[r] ?? null) })) };
    const part = applyPipeline(spec, subset);
    expect(part.y).toBeNull();
    expect(Array.from(part.X)).toEqual(Array.from(takeRows(first.X, first.cols, rows)));
  });

  it('sends unseen and rare levels to other, and uses only the features asked for', () => {
    const many: FeatureTable = { columns: [{ name: 'k', values: Array.from({ length: 120 }, (_, i) => `v${i % (MAX_LEVELS + 10)}`) }, { name: 'y', values: Array.from({ length: 120 }, (_, i) => i % 2) }] };
    const spec = fitPipeline(many, [{ name: 'k', type: 'text' }, { name: 'y', type: 'integer' }], 'y');
    expect(spec.featureNames).toHaveLength(MAX_LEVELS + 1);
    const unseen = applyPipeline(spec, { columns: [{ name: 'k', values: ['never'] }] });
    expect(unseen.X[MAX_LEVELS]).toBe(1);
    const only = fitPipeline(table, columns, 'label', ['flag']);
    expect(only.featureNames).toEqual(['flag']);
    expect(() => fitPipeline(table, columns, 'label', ['label'])).toThrow(XinzhiError);
    expect(() => fitPipeline(table, columns, 'label', ['nope'])).toThrow(XinzhiError);
  });

  it('splits 70/15/15 stratified and reproducibly under a seed', () => {
    const y = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const a = stratifiedSplit(y, 42);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([700, 150, 150]);
    expect(Array.from(a.test).filter((r) => y[r] === 1)).toHaveLength(15);
    expect(new Set([...a.train, ...a.validation, ...a.test]).size).toBe(1000);
    expect(stratifiedSplit(y, 42)).toEqual(a);
    expect(Array.from(stratifiedSplit(y, 43).test)).not.toEqual(Array.from(a.test));
  });
});

describe('takeRows', () => {
  it('gathers rows in index order, repeated rows included', () => {
    const X = Float32Array.from({ length: 5 * 3 }, (_, i) => i);
    expect(Array.from(takeRows(X, 3, [4, 0, 2]))).toEqual([12, 13, 14, 0, 1, 2, 6, 7, 8]);
    expect(Array.from(takeRows(X, 3, Int32Array.from([1, 3, 3])))).toEqual([3, 4, 5, 9, 10, 11, 9, 10, 11]);
  });
});
