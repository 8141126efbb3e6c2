// Logistic regression: optimality on small problems, determinism, Adult accuracy; ML utility of an anonymised Adult.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../helpers.js';
import { accuracy, featurize, logisticGradient, predictProba, seededRandom, trainLogistic, MAX_LEVELS } from '../../src/main/core/ml/index.js';
import type { FeatureTable } from '../../src/main/core/ml/index.js';
import { applyNode, encodeColumn, mlUtility, mondrian, parseHierarchyCsv, searchOptimal } from '../../src/main/core/privacy/index.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

/** Two Gaussian-ish clouds in 2-D (sums of uniforms), overlapping unless `gap` is large. */
function clouds(rows: number, gap: number, seed: number): { X: Float64Array; y: Uint8Array } {
  const random = seededRandom(seed);
  const X = new Float64Array(rows * 2);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % 2;
    const shift = y[r] === 1 ? gap : -gap;
    X[r * 2] = shift + random() + random() - 1;
    X[r * 2 + 1] = 0.5 * shift + random() + random() - 1;
  }
  return { X, y };
}

const norm = (g: Float64Array) => Math.sqrt(g.reduce((s, v) => s + v * v, 0));

describe('logistic regression', () => {
  it('separates a separable set perfectly', () => {
    const { X, y } = clouds(200, 2, 3);
    for (const batchSize of [200, 32]) {
      const model = trainLogistic(X, y, 200, 2, { batchSize, epochs: batchSize === 200 ? 300 : 50, learningRate: 0.1 });
      expect(accuracy(model, X, y, 200)).toBe(1);
      expect(model.weights[0]).toBeGreaterThan(0);
    }
  });

  it('reaches the regularised optimum: the gradient vanishes and mini-batch Adam lands close to it', () => {
    const rows = 400;
    const { X, y } = clouds(rows, 0.3, 11);
    const l2 = 0.01;
    const full = trainLogistic(X, y, rows, 2, { batchSize: rows, epochs: 3000, l2 });
    expect(norm(logisticGradient(X, y, rows, 2, full, l2))).toBeLessThan(1e-8);
    // Closed-form check of the intercept's optimality: Σ (p − y) = 0 at the optimum (the intercept is not penalised).
    const p = predictProba(full, X, rows);
    let residual = 0;
    for (let r = 0; r < rows; r++) residual += (p[r] as number) - (y[r] as number);
    expect(Math.abs(residual) / rows).toBeLessThan(1e-8);
    // Stationarity per weight: Σ (p − y) x_j / n + λ w_j = 0.
    for (let j = 0; j < 2; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += ((p[r] as number) - (y[r] as number)) * (X[r * 2 + j] as number);
      expect(s / rows + l2 * (full.weights[j] as number)).toBeCloseTo(0, 8);
    }
    const sgd = trainLogistic(X, y, rows, 2, { batchSize: 16, epochs: 60, l2, learningRate: 0.05, seed: 5 });
    expect(norm(logisticGradient(X, y, rows, 2, sgd, l2))).toBeLessThan(5e-3);
    const q = predictProba(sgd, X, rows);
    for (let r = 0; r < rows; r++) expect(Math.abs((q[r] as number) - (p[r] as number))).toBeLessThan(0.02);
  });

  it('is deterministic under a seed and rejects bad shapes', () => {
    const { X, y } = clouds(300, 0.5, 2);
    const a = trainLogistic(X, y, 300, 2, { seed: 9, batchSize: 20 });
    const b = trainLogistic(X, y, 300, 2, { seed: 9, batchSize: 20 });
    const c = trainLogistic(X, y, 300, 2, { seed: 10, batchSize: 20 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(a.bias).toBe(b.bias);
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
    // Float32 inputs give the same probabilities up to float rounding.
    const p64 = predictProba(a, X, 300);
    const p32 = predictProba(a, Float32Array.from(X), 300);
    for (let r = 0; r < 300; r++) expect(Math.abs((p32[r] as number) - (p64[r] as number))).toBeLessThan(1e-6);
    expect(() => trainLogistic(X, y, 299, 2)).toThrow(XinzhiError);
    expect(() => trainLogistic(X, y.subarray(1), 300, 2)).toThrow(XinzhiError);
  });
});

describe('featurize', () => {
  it('standardises numbers, one-hot encodes categories with an `other` level, and maps the majority to class 0', () => {
    const levels = Array.from({ length: MAX_LEVELS + 5 }, (_, i) => `v${i}`);
    const rows = levels.length + 5;
    const table: FeatureTable = {
      columns: [
        { name: 'n', values: Array.from({ length: rows }, (_, r) => (r === 3 ? null : r % 2 === 0 ? r : String(r))) },
        { name: 'c', values: Array.from({ length: rows }, (_, r) => (r < 6 ? 'v0' : (levels[r - 5] ?? null))) },
        { name: 't', values: Array.from({ length: rows }, (_, r) => (r % 3 === 0 ? 'yes' : 'no')) },
      ],
    };
    const f = featurize(table, 't');
    expect(f.classes).toEqual(['no', 'yes']);
    expect(f.y[0]).toBe(1);
    expect(f.y[1]).toBe(0);
    expect(f.featureNames[0]).toBe('n');
    expect(f.featureNames[1]).toBe('c=v0');
    expect(f.featureNames.at(-1)).toBe('c=other');
    expect(f.featureNames.length).toBe(1 + MAX_LEVELS + 1);
    const cols = f.featureNames.length;
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += f.X[r * cols] as number;
    expect(mean / rows).toBeCloseTo(0, 9);
    expect(f.X[3 * cols]).toBe(0);
    for (let r = 0; r < rows; r++) {
      let ones = 0;
      for (let j = 1; j < cols; j++) ones += f.X[r * cols + j] as number;
      expect(ones).toBe(1);
    }
    expect(() => featurize({ columns: [{ name: 't', values: ['a', 'b', 'c'] }] }, 't')).toThrow(/exactly two/);
    expect(() => featurize(table, 'missing')).toThrow(XinzhiError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Adult.

function readAdultAll(): FeatureTable & { split: string[] } {
  const lines = readFileSync(path.join(datasetsDir, 'adult', 'adult_all.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const header = (lines[0] as string).split(',');
  const cells = lines.slice(1).map((l) => l.split(','));
  const columns = header.map((name, i) => ({ name, values: cells.map((row) => row[i] ?? null) as (string | null)[] }));
  return { columns, split: cells.map((row) => row[header.indexOf('split')] as string) };
}

function subset(X: Float64Array, cols: number, keep: number[]): Float64Array {
  const out = new Float64Array(keep.length * cols);
  keep.forEach((r, i) => out.set(X.subarray(r * cols, (r + 1) * cols), i * cols));
  return out;
}

describe('Adult (adult_all.csv): train split → test split', () => {
  it('predicts income >50K with accuracy ≥ 0.84', () => {
    const adult = readAdultAll();
    const table: FeatureTable = { columns: adult.columns.filter((c) => c.name !== 'split') };
    const f = featurize(table, 'income');
    expect(f.classes).toEqual(['<=50K', '>50K']);
    const cols = f.featureNames.length;
    const train = adult.split.flatMap((s, r) => (s === 'train' ? [r] : []));
    const test = adult.split.flatMap((s, r) => (s === 'test' ? [r] : []));
    expect(train.length).toBe(32561);
    expect(test.length).toBe(16281);
    const started = performance.now();
    const model = trainLogistic(subset(f.X, cols, train), Uint8Array.from(train, (r) => f.y[r] as number), train.length, cols, { seed: 1 });
    const ms = performance.now() - started;
    const acc = accuracy(model, subset(f.X, cols, test), Uint8Array.from(test, (r) => f.y[r] as number), test.length);
    console.log(`Adult logistic regression: ${cols} features, test accuracy ${acc.toFixed(4)}, trained in ${ms.toFixed(0)} ms`);
    expect(acc).toBeGreaterThanOrEqual(0.84);
  });
});

describe('ML utility of the 5-anonymous full-domain Adult (ARX setup (a))', () => {
  it('reports the accuracy before and after generalisation on the same split', () => {
    const arxDir = path.join(datasetsDir, 'adult', 'arx-hierarchies');
    const qis = ['age', 'education', 'marital-status', 'native-country', 'race', 'sex', 'workclass', 'occupation'];
    const lines = readFileSync(path.join(arxDir, 'adult.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
    const header = (lines[0] as string).split(';');
    const rows = lines.slice(1).map((l) => l.split(';'));
    const columns = qis.map((q) => encodeColumn(q, rows.map((r) => r[header.indexOf(q)] as string), parseHierarchyCsv(readFileSync(path.join(arxDir, `adult_hierarchy_${q}.csv`), 'utf8'))));
    const search = searchOptimal(columns, { k: 5 });
    const applied = applyNode(columns, search.node, { k: 5 });
    expect(applied.suppressedRows).toBe(0);
    const salary = rows.map((r) => r[header.indexOf('salary-class')] as string);
    const original: FeatureTable = { columns: [...qis.map((q) => ({ name: q, values: rows.map((r) => r[header.indexOf(q)] as string) })), { name: 'salary-class', values: salary }] };
    const anonymised: FeatureTable = { columns: [...qis.map((q, d) => ({ name: q, values: applied.labels[d] as string[] })), { name: 'salary-class', values: salary }] };
    const u = mlUtility(original, anonymised, 'salary-class', { seed: 1 });
    console.log(`Adult ML utility (k=5, node ${JSON.stringify(search.node)}): original ${u.accuracyOriginal.toFixed(4)}, anonymised ${u.accuracyAnonymised.toFixed(4)}, delta ${u.delta.toFixed(4)}, features ${JSON.stringify(u.features)}`);
    expect(u.rows).toBe(30162);
    expect(u.trainRows).toBe(Math.round(30162 * 0.7));
    expect(u.trainRows + u.testRows).toBe(30162);
    expect(u.delta).toBe(u.accuracyAnonymised - u.accuracyOriginal);
    expect(u.accuracyOriginal).toBeGreaterThanOrEqual(0.8);
    expect(u.accuracyAnonymised).toBeGreaterThanOrEqual(0.75);
    expect(u.accuracyAnonymised).toBeLessThanOrEqual(u.accuracyOriginal + 0.01);
    expect(u.features.anonymised).toBeLessThan(u.features.original);
    // Barely above always answering the majority class: the optimal node generalises age, education and marital status to *.
    const majority = salary.filter((v) => v === '<=50K').length / salary.length;
    expect(u.accuracyAnonymised).toBeGreaterThanOrEqual(majority - 0.01);
    // Mondrian's local recoding (same k) keeps more detail, and so more utility.
    const local = mondrian(columns, { k: 5 });
    const recoded: FeatureTable = { columns: [...qis.map((q, d) => ({ name: q, values: local.labels[d] as string[] })), { name: 'salary-class', values: salary }] };
    const m = mlUtility(original, recoded, 'salary-class', { seed: 1 });
    console.log(`Adult ML utility (k=5, Mondrian): anonymised ${m.accuracyAnonymised.toFixed(4)}, delta ${m.delta.toFixed(4)}, features ${JSON.stringify(m.features)}`);
    expect(m.accuracyOriginal).toBe(u.accuracyOriginal);
    expect(m.accuracyAnonymised).toBeGreaterThan(u.accuracyAnonymised);
    // Same inputs, same numbers.
    expect(mlUtility(original, anonymised, 'salary-class', { seed: 1 })).toEqual(u);
    expect(() => mlUtility(original, { columns: [{ name: 'salary-class', values: ['a'] }] }, 'salary-class')).toThrow(XinzhiError);
  });
});
