// Model explanations: partial dependence against scikit-learn 1.2.1 (test/fixtures/sklearn-explain.json, made by
// test/fixtures/sklearn-explain.py), permutation importance against sklearn within statistical tolerance and exact
// invariants, KernelSHAP against exact linear contributions and brute-force Shapley values.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  kernelShap,
  linearContributions,
  partialDependence,
  partialDependenceGrid,
  permutationImportance,
  type FeatureGroup,
  type PredictFn,
} from '../../src/main/core/ml/explain.js';
import { r2Score } from '../../src/main/core/ml/metrics.js';
import { mulberry32 } from '../../src/main/core/random.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

interface PdCase {
  model: 'linear' | 'logistic';
  column: number;
  gridPoints: number;
  percentiles: [number, number];
  grid: number[];
  values: number[];
}
interface Fixture {
  data: { rows: number; cols: number; X: number[] };
  linear: { coef: number[]; intercept: number };
  logistic: { coef: number[]; intercept: number };
  pd: PdCase[];
  permutation: { rows: number; cols: number; X: number[]; y: number[]; coef: number[]; intercept: number; repeats: number; mean: number[]; std: number[] };
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn-explain.json', import.meta.url)), 'utf8')) as Fixture;

/** f(X) = w·x + b per row (optionally through a sigmoid), in float64 arithmetic. */
function linearPredict(w: ArrayLike<number>, b: number, link: 'identity' | 'logistic' = 'identity'): PredictFn {
  const cols = w.length;
  return (X, rows) => {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let z = b;
      for (let j = 0; j < cols; j++) z += (w[j] as number) * (X[r * cols + j] as number);
      out[r] = link === 'logistic' ? 1 / (1 + Math.exp(-z)) : z;
    }
    return out;
  };
}

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: rows * cols }, () => random() * 4 - 2);
}

function expectInvalid(fn: () => unknown): void {
  expect(fn).toThrow(XinzhiError);
}

async function expectInvalidAsync(p: Promise<unknown>): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(XinzhiError);
}

describe('partialDependence (sklearn brute method)', () => {
  const X = Float32Array.from(fixture.data.X);
  const { rows, cols } = fixture.data;

  it('stores X exactly as float32 values', () => {
    expect(Array.from(X)).toEqual(fixture.data.X);
  });

  for (const c of fixture.pd) {
    it(`matches sklearn: ${c.model}, column ${c.column}, ${c.gridPoints} points, percentiles ${c.percentiles.join('–')}`, async () => {
      const m = fixture[c.model];
      const predict = linearPredict(m.coef, m.intercept, c.model === 'logistic' ? 'logistic' : 'identity');
      const pd = await partialDependence(predict, X, rows, cols, c.column, { gridPoints: c.gridPoints, percentiles: c.percentiles });
      expect(pd.grid.length).toBe(c.grid.length);
      pd.grid.forEach((g, i) => expect(g).toBeCloseTo(c.grid[i] as number, 12));
      // The grid value is written into the Float32Array X, so it is evaluated at its float32 rounding (sklearn's X is
      // float64): that alone moves a value by up to ~1e-7 relative.
      pd.values.forEach((v, i) => expect(Math.abs(v - (c.values[i] as number))).toBeLessThan(1e-6 * Math.max(1, Math.abs(c.values[i] as number))));
    });
  }

  it('uses an explicit grid as given and rejects a bad column or percentiles', async () => {
    const m = fixture.linear;
    const predict = linearPredict(m.coef, m.intercept);
    const pd = await partialDependence(predict, X, rows, cols, 1, { grid: [0, 1] });
    expect(pd.grid).toEqual([0, 1]);
    // For a linear model, PD is linear in the grid value with slope coef[1].
    expect((pd.values[1] as number) - (pd.values[0] as number)).toBeCloseTo(m.coef[1] as number, 10);
    await expectInvalidAsync(partialDependence(predict, X, rows, cols, cols));
    await expectInvalidAsync(partialDependence(predict, X, rows, cols, 0, { percentiles: [0.9, 0.1] }));
    await expectInvalidAsync(partialDependence(predict, X, rows, cols, 0, { gridPoints: 1 }));
    await expectInvalidAsync(partialDependence(predict, X, rows + 1, cols, 0));
  });

  it('refuses quantile ends that coincide (sklearn raises too)', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i < 95 ? 1 : i));
    expectInvalid(() => partialDependenceGrid(values, 3, [0.05, 0.9]));
  });
});

describe('permutationImportance', () => {
  const P = fixture.permutation;
  const X = Float32Array.from(P.X);
  const predict = linearPredict(P.coef, P.intercept);
  const r2 = (yTrue: ArrayLike<number>, yPred: Float32Array) => r2Score(yTrue, yPred);

  it('agrees with sklearn permutation_importance (R², 200 repeats) within 5 standard errors', async () => {
    const res = await permutationImportance(predict, X, P.rows, P.cols, P.y, r2, { repeats: P.repeats, seed: 3 });
    res.forEach((r, j) => {
      const se = Math.sqrt(2) * (P.std[j] as number) / Math.sqrt(P.repeats);
      expect(Math.abs(r.mean - (P.mean[j] as number))).toBeLessThan(5 * se + 1e-6);
      // The spread over repeats is the same quantity sklearn reports (population std).
      expect(r.std).toBeGreaterThan(0.6 * (P.std[j] as number));
      expect(r.std).toBeLessThan(1.6 * (P.std[j] as number));
      expect(r.importances.length).toBe(P.repeats);
      const m = r.importances.reduce((s, v) => s + v, 0) / P.repeats;
      expect(r.mean).toBeCloseTo(m, 12);
      expect(r.std).toBeCloseTo(Math.sqrt(r.importances.reduce((s, v) => s + (v - m) ** 2, 0) / P.repeats), 12);
    });
  });

  it('gives exactly 0 to a feature the model ignores (also on a subsample) and is seeded', async () => {
    const w = [1, 0, -2];
    const rows = 300;
    const X3 = randomMatrix(rows, 3, 5);
    const f = linearPredict(w, 0.5);
    const y = f(X3, rows) as Float64Array;
    const a = await permutationImportance(f, X3, rows, 3, y, r2, { repeats: 4, seed: 9, maxRows: 100 });
    expect(a[1]!.mean).toBe(0);
    expect(a[1]!.std).toBe(0);
    expect(a[0]!.mean).toBeGreaterThan(0.1);
    expect(a[2]!.mean).toBeGreaterThan(a[0]!.mean);
    const b = await permutationImportance(f, X3, rows, 3, y, r2, { repeats: 4, seed: 9, maxRows: 100 });
    expect(b).toEqual(a);
    const c = await permutationImportance(f, X3, rows, 3, y, r2, { repeats: 4, seed: 10, maxRows: 100 });
    expect(c[0]!.mean).not.toBe(a[0]!.mean);
  });

  it('permutes a group’s columns together: a one-hot block stays one-hot', async () => {
    const rows = 200;
    const random = mulberry32(2);
    const X = new Float32Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      X[r * 4] = random();
      X[r * 4 + 1 + Math.floor(random() * 3)] = 1; // one-hot over columns 1..3
    }
    const groups: FeatureGroup[] = [
      { name: 'num', columns: [0] },
      { name: 'cat', columns: [1, 2, 3] },
    ];
    let broken = 0;
    const f: PredictFn = (Xs, n) => {
      const out = new Float32Array(n);
      for (let r = 0; r < n; r++) {
        const s = (Xs[r * 4 + 1] as number) + (Xs[r * 4 + 2] as number) + (Xs[r * 4 + 3] as number);
        if (s !== 1) broken++;
        out[r] = (Xs[r * 4] as number) + 2 * (Xs[r * 4 + 2] as number);
      }
      return out;
    };
    const y = Float64Array.from(f(X, rows) as Float32Array);
    const res = await permutationImportance(f, X, rows, 4, y, r2, { groups, repeats: 3 });
    expect(broken).toBe(0);
    expect(res.map((r) => r.feature)).toEqual(['num', 'cat']);
    expect(res[1]!.mean).toBeGreaterThan(0);
  });

  it('rejects bad input', async () => {
    const X3 = randomMatrix(10, 3, 1);
    const f = linearPredict([1, 1, 1], 0);
    const y = new Float64Array(10);
    await expectInvalidAsync(permutationImportance(f, X3, 10, 3, new Float64Array(9), r2));
    await expectInvalidAsync(permutationImportance(f, X3, 10, 3, y, r2, { repeats: 0 }));
    await expectInvalidAsync(permutationImportance(f, X3, 10, 3, y, r2, { groups: [{ name: 'a', columns: [3] }] }));
    await expectInvalidAsync(permutationImportance(() => new Float32Array(3), X3, 10, 3, y, r2));
  });
});

describe('linearContributions', () => {
  it('is exact: base + Σ values = w·x + b, grouped', () => {
    const w = [0.5, -1, 2, 0.25];
    const x = [1, 2, 3, 4];
    const mean = [0.5, 0.5, 1, 1];
    const groups = [
      { name: 'a', columns: [0, 3] },
      { name: 'b', columns: [1, 2] },
    ];
    const { base, values } = linearContributions(w, 0.3, x, mean, groups);
    expect(base).toBeCloseTo(0.25 - 0.5 + 2 + 0.25 + 0.3, 12);
    expect(values).toEqual([
      { feature: 'a', value: 0.5 * 0.5 + 0.25 * 3 },
      { feature: 'b', value: -1 * 1.5 + 2 * 2 },
    ]);
    expect(base + values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(0.5 - 2 + 6 + 1 + 0.3, 12);
  });

  it('requires groups that cover every column once', () => {
    expectInvalid(() => linearContributions([1, 2], 0, [1, 1], [0, 0], [{ name: 'a', columns: [0] }]));
    expectInvalid(() => linearContributions([1, 2], 0, [1, 1], [0, 0], [{ name: 'a', columns: [0, 1] }, { name: 'b', columns: [1] }]));
    expectInvalid(() => linearContributions([1, 2], 0, [1], [0, 0]));
  });
});

/** Brute-force interventional Shapley values of the groups over a background (the definition, 2^M coalitions). */
async function bruteShapley(f: PredictFn, x: Float32Array, bg: Float32Array, bgRows: number, cols: number, groups: FeatureGroup[]): Promise<number[]> {
  const M = groups.length;
  const v = new Float64Array(1 << M);
  for (let S = 0; S < 1 << M; S++) {
    const synth = Float32Array.from(bg);
    for (let g = 0; g < M; g++) {
      if (!(S & (1 << g))) continue;
      for (let r = 0; r < bgRows; r++) for (const c of groups[g]!.columns) synth[r * cols + c] = x[c] as number;
    }
    const out = await f(synth, bgRows);
    let s = 0;
    for (let r = 0; r < bgRows; r++) s += out[r] as number;
    v[S] = s / bgRows;
  }
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  return groups.map((_, i) => {
    let phi = 0;
    for (let S = 0; S < 1 << M; S++) {
      if (S & (1 << i)) continue;
      let size = 0;
      for (let k = S; k; k >>= 1) size += k & 1;
      phi += ((fact(size) * fact(M - size - 1)) / fact(M)) * ((v[S | (1 << i)] as number) - (v[S] as number));
    }
    return phi;
  });
}

function columnMeans(bg: Float32Array, rows: number, cols: number): Float64Array {
  const m = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) m[j]! += bg[r * cols + j] as number;
  return m.map((s) => s / rows);
}

describe('kernelShap', () => {
  it('equals the exact linear contributions for a linear model (exact enumeration, grouped)', async () => {
    const cols = 9;
    const w = [0.7, -1.2, 0.3, 2, -0.5, 0.9, 1.1, -0.4, 0.25];
    const groups: FeatureGroup[] = [
      { name: 'a', columns: [0] },
      { name: 'b', columns: [1, 2, 3] },
      { name: 'c', columns: [4] },
      { name: 'd', columns: [5, 6] },
      { name: 'e', columns: [7] },
      { name: 'f', columns: [8] },
    ];
    const bgRows = 40;
    const bg = randomMatrix(bgRows, cols, 11);
    const x = randomMatrix(1, cols, 12);
    const f = linearPredict(w, -0.3);
    const res = await kernelShap(f, x, bg, bgRows, cols, { groups });
    expect(res.exact).toBe(true);
    expect(res.samples).toBe(2 ** 6 - 2);
    const lin = linearContributions(w, -0.3, x, columnMeans(bg, bgRows, cols), groups);
    expect(res.base).toBeCloseTo(lin.base, 9);
    res.values.forEach((v, i) => {
      expect(v.feature).toBe(lin.values[i]!.feature);
      expect(Math.abs(v.value - lin.values[i]!.value)).toBeLessThan(1e-6);
    });
    expect(res.base + res.values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(res.fx, 10);
  });

  it('equals brute-force Shapley values on a nonlinear function (exact enumeration)', async () => {
    const cols = 6;
    const groups: FeatureGroup[] = [
      { name: 'g0', columns: [0] },
      { name: 'g1', columns: [1, 2] },
      { name: 'g2', columns: [3] },
      { name: 'g3', columns: [4] },
      { name: 'g4', columns: [5] },
    ];
    const f: PredictFn = (X, rows) => {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const v = (j: number) => X[r * cols + j] as number;
        // Interactions of 2, 3 and 4 groups: with only pairwise ones any symmetric kernel would give Shapley values.
        out[r] = v(0) * v(1) + Math.sin(v(2) * v(3)) + Math.max(0, v(4)) ** 2 * v(0) + Math.exp(0.3 * v(5)) * v(3) + v(0) * v(3) * v(4) + Math.tanh(v(1) + v(3) + v(4) + v(5));
      }
      return out;
    };
    const bgRows = 25;
    const bg = randomMatrix(bgRows, cols, 21);
    const x = randomMatrix(1, cols, 22);
    const res = await kernelShap(f, x, bg, bgRows, cols, { groups });
    const brute = await bruteShapley(f, x, bg, bgRows, cols, groups);
    expect(res.exact).toBe(true);
    res.values.forEach((v, i) => expect(Math.abs(v.value - (brute[i] as number))).toBeLessThan(1e-9));
    expect(res.base + res.values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(res.fx, 10);
  });

  it('sampling (16 groups): still exact for a linear model, additive and seeded for a nonlinear one', async () => {
    const cols = 16;
    const random = mulberry32(31);
    const w = Array.from({ length: cols }, () => random() * 2 - 1);
    const bgRows = 20;
    const bg = randomMatrix(bgRows, cols, 32);
    const x = randomMatrix(1, cols, 33);
    const lin = linearContributions(w, 0.1, x, columnMeans(bg, bgRows, cols));
    const res = await kernelShap(linearPredict(w, 0.1), x, bg, bgRows, cols, { samples: 600, seed: 4 });
    expect(res.exact).toBe(false);
    expect(res.samples).toBe(600);
    res.values.forEach((v, i) => expect(Math.abs(v.value - lin.values[i]!.value)).toBeLessThan(1e-6));

    const g: PredictFn = (X, rows) => {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < cols; j += 2) s += Math.tanh((X[r * cols + j] as number) * (X[r * cols + j + 1] as number));
        out[r] = s;
      }
      return out;
    };
    const a = await kernelShap(g, x, bg, bgRows, cols, { samples: 600, seed: 4 });
    expect(a.base + a.values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(a.fx, 9);
    expect(await kernelShap(g, x, bg, bgRows, cols, { samples: 600, seed: 4 })).toEqual(a);
    // Interaction pairs (2k, 2k+1) share their pair's effect: the sampled estimate is near the exact pair total.
    const exactPairs = await bruteShapley(g, x, bg, bgRows, cols, Array.from({ length: 8 }, (_, k) => ({ name: `p${k}`, columns: [2 * k, 2 * k + 1] })));
    for (let k = 0; k < 8; k++) {
      const pair = a.values[2 * k]!.value + a.values[2 * k + 1]!.value;
      expect(Math.abs(pair - (exactPairs[k] as number))).toBeLessThan(0.05);
    }
  });

  it('sampling (12 groups, 3-way interactions) converges to the brute-force Shapley values; exactUpTo forces enumeration', async () => {
    const cols = 12;
    const bgRows = 20;
    const random = mulberry32(41);
    const bg = Float32Array.from({ length: bgRows * cols }, () => random() * 4 - 2);
    const x = Float32Array.from({ length: cols }, () => random() * 4 - 2);
    const f: PredictFn = (X, rows) => {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const v = (j: number) => X[r * cols + j] as number;
        let s = 0;
        for (let j = 0; j < cols; j++) s += 0.3 * v(j);
        out[r] = s + v(0) * v(1) * v(2) + Math.tanh(v(3) + v(4) * v(5)) + v(6) * v(7) - Math.sin(v(8) * v(9) * v(10)) + v(11) * v(0);
      }
      return out;
    };
    const groups = Array.from({ length: cols }, (_, j) => ({ name: `x${j}`, columns: [j] }));
    const brute = await bruteShapley(f, x, bg, bgRows, cols, groups);
    const exact = await kernelShap(f, x, bg, bgRows, cols, { exactUpTo: 12 });
    expect(exact.exact).toBe(true);
    expect(exact.samples).toBe(4094);
    exact.values.forEach((v, i) => expect(Math.abs(v.value - (brute[i] as number))).toBeLessThan(1e-9));
    const sampled = await kernelShap(f, x, bg, bgRows, cols, { samples: 3000, seed: 1 });
    expect(sampled.exact).toBe(false);
    expect(sampled.samples).toBe(3000);
    // Measured max error 0.009 (max |φ| is 1.67); leaving the sampled coalitions' weights unnormalised gives 0.06.
    sampled.values.forEach((v, i) => expect(Math.abs(v.value - (brute[i] as number))).toBeLessThan(0.03));
    expect(sampled.base + sampled.values.reduce((s, v) => s + v.value, 0)).toBeCloseTo(sampled.fx, 9);
  });

  it('gives 0 to groups equal to x on every background row, and all of f(x) − base to a lone player', async () => {
    const cols = 3;
    const bg = Float32Array.from([1, 5, 0, 2, 5, 0, 3, 5, 0]);
    const x = Float32Array.from([4, 5, 0]);
    const f = linearPredict([1, 10, 100], 0);
    const res = await kernelShap(f, x, bg, 3, cols);
    expect(res.values.map((v) => v.value)).toEqual([4 - 2, 0, 0]);
    expect(res.base).toBe(2 + 50);
    const none = await kernelShap(f, Float32Array.from([1, 5, 0]), Float32Array.from([1, 5, 0]), 1, cols);
    expect(none.values.every((v) => v.value === 0)).toBe(true);
  });

  it('rejects groups that do not cover the columns and a mis-sized x', async () => {
    const f = linearPredict([1, 1], 0);
    const bg = randomMatrix(4, 2, 1);
    await expectInvalidAsync(kernelShap(f, Float32Array.from([1, 2]), bg, 4, 2, { groups: [{ name: 'a', columns: [0] }] }));
    await expectInvalidAsync(kernelShap(f, Float32Array.from([1]), bg, 4, 2));
    await expectInvalidAsync(kernelShap(f, Float32Array.from([1, 2]), bg, 5, 2));
  });
});
