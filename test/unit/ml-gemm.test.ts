// The Dense step's kernels, in WebAssembly (widths that are multiples of 16; one output column with contiguous rows)
// and in JavaScript (the rest), against a float32 reference of the same loop: C = init + A·B, A read through strides
// (zero strides too: column sums), zero entries of A skipped or not, relu or a relu'-mask fused; and Adam against
// tf.train.adam's update written out in float64.
import { describe, expect, it } from 'vitest';
import { createGemmMemory } from '../../src/main/workers/ml/simd-gemm.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

/** The kernel's semantics in float32: each product added to the running value and rounded, row by row. */
function reference(f: Float32Array, a: number, sai: number, sak: number, b: number, M: number, K: number, N: number, init: 'zero' | 'accumulate' | number, c: number, relu: boolean, mask?: number): Float32Array {
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let v = init === 'zero' ? 0 : init === 'accumulate' ? f[c + i * N + j]! : f[init + j]!;
      for (let k = 0; k < K; k++) {
        v = Math.fround(v + f[a + i * sai + k * sak]! * f[b + k * N + j]!);
      }
      if (relu && !(v > 0)) v = 0;
      if (mask !== undefined && !(f[mask + i * N + j]! > 0)) v = 0;
      out[i * N + j] = v;
    }
  }
  return out;
}

/** Whether createGemmMemory runs this product in JavaScript (then it must equal the reference exactly). */
const runsInJs = (forceJs: boolean, sak: number, K: number, N: number, mask: boolean) => forceJs || (N % 16 !== 0 && !(N === 1 && sak === 1 && K % 4 === 0 && !mask));

describe('gemm kernel', () => {
  for (const forceJs of [false, true]) {
    it(`${forceJs ? 'JavaScript' : 'WebAssembly where it applies'}: every init, relu, mask, sparse or dense, strided and zero-rich A, widths 1 to 48`, () => {
      const random = seeded(7);
      for (const [M, K, N] of [[256, 64, 1], [64, 256, 1], [5, 7, 1], [256, 108, 64], [33, 17, 16], [9, 40, 48], [12, 5, 3], [1, 40, 32]] as const) {
        for (const init of ['zero', 'accumulate', 'bias'] as const) {
          for (const [relu, masked] of [[false, false], [true, false], [false, true]] as const) {
            for (const strides of ['rows', 'transposed', 'zero'] as const) {
              for (const sparse of [false, true]) {
                const mem = createGemmMemory(4096, forceJs);
                const a = 0;
                const b = a + M * K;
                const bias = b + K * N;
                const c = bias + N;
                const mask = c + M * N;
                mem.ensure(mask + M * N);
                const f = mem.f32;
                // A: a third zeros (one-hot inputs, relu activations); B, bias, C and the mask: any sign.
                for (let t = 0; t < M * K; t++) f[a + t] = random() < 0.33 ? 0 : random() * 2 - 1;
                for (let t = b; t < mask + M * N; t++) f[t] = random() * 2 - 1;
                // Transposed: A is stored K × M and read down its columns (Xᵀ·Δ in the backward pass); zero strides
                // read one value for every entry (the column sums of B when it is 1).
                const [sai, sak] = strides === 'transposed' ? [1, M] : strides === 'zero' ? [0, 0] : [K, 1];
                const initArg = init === 'bias' ? bias : init;
                const expected = reference(f, a, sai, sak, b, M, K, N, initArg, c, relu, masked ? mask : undefined);
                mem.gemm(a, sai, sak, b, c, M, K, N, { init: initArg, relu, sparse, ...(masked ? { mask } : {}) });
                const got = mem.f32.subarray(c, c + M * N);
                const label = `${M}×${K}×${N} ${init} relu=${relu} mask=${masked} ${strides} sparse=${sparse}`;
                if (runsInJs(forceJs, sak, K, N, masked)) expect(Array.from(got), label).toEqual(Array.from(expected));
                else {
                  let worst = 0;
                  for (let t = 0; t < M * N; t++) worst = Math.max(worst, Math.abs(got[t]! - expected[t]!));
                  expect(worst, label).toBeLessThan(5e-5);
                }
              }
            }
          }
        }
      }
    });

    it(`${forceJs ? 'JavaScript' : 'WebAssembly where it applies'}: the first layer on rows kept in compressed sparse row form`, () => {
      const random = seeded(9);
      for (const N of [32, 5]) {
        const [rows, cols, n] = [40, 24, 17];
        const dense = Float32Array.from({ length: rows * cols }, () => (random() < 0.8 ? 0 : random() * 2 - 1));
        const mem = createGemmMemory(4096, forceJs);
        const nonZeros = dense.filter((v) => v !== 0).length;
        const [ptr, col, val] = [0, 64, 64 + nonZeros];
        const W = val + nonZeros;
        const bias = W + cols * N;
        const [C, D, dW, idx] = [bias + N, bias + N + n * N, bias + N + 2 * n * N, bias + N + 2 * n * N + cols * N];
        mem.ensure(idx + n);
        const [f, w] = [mem.f32, mem.i32];
        let p = 0;
        for (let r = 0; r < rows; r++) {
          w[ptr + r] = p;
          for (let j = 0; j < cols; j++) if (dense[r * cols + j] !== 0) [w[col + p], f[val + p++]] = [j, dense[r * cols + j]!];
        }
        w[ptr + rows] = p;
        for (let t = W; t < dW; t++) f[t] = random() * 2 - 1;
        // Batch rows in any order, repeats included (a row drawn twice adds its gradient twice).
        const batch = Array.from({ length: n }, (_, i) => (i === 3 ? 7 : Math.floor(random() * rows)));
        batch[4] = 7;
        batch.forEach((r, i) => (w[idx + i] = r));
        const sparse = { ptr, col, val };
        const near = (got: Float32Array, expected: Float32Array, label: string) => {
          if (forceJs || N % 16 !== 0) return expect(Array.from(got), label).toEqual(Array.from(expected));
          let worst = 0;
          got.forEach((v, t) => (worst = Math.max(worst, Math.abs(v - expected[t]!))));
          expect(worst, label).toBeLessThan(5e-5);
        };
        for (const relu of [false, true]) {
          const expected = new Float32Array(n * N);
          batch.forEach((r, i) => {
            for (let j = 0; j < N; j++) {
              let v = f[bias + j]!;
              for (let k = 0; k < cols; k++) if (dense[r * cols + k] !== 0) v = Math.fround(v + dense[r * cols + k]! * f[W + k * N + j]!);
              expected[i * N + j] = relu && !(v > 0) ? 0 : v;
            }
          });
          mem.csrForward(idx, n, sparse, W, bias, C, N, relu);
          near(mem.f32.slice(C, C + n * N), expected, `forward N=${N} relu=${relu}`);
        }
        const expected = new Float32Array(cols * N);
        batch.forEach((r, i) => {
          for (let k = 0; k < cols; k++) {
            const v = dense[r * cols + k]!;
            if (v !== 0) for (let j = 0; j < N; j++) expected[k * N + j] = Math.fround(expected[k * N + j]! + v * f[D + i * N + j]!);
          }
        });
        mem.f32.fill(0, dW, dW + cols * N);
        mem.csrGradient(idx, n, sparse, D, dW, N);
        near(mem.f32.slice(dW, dW + cols * N), expected, `gradient N=${N}`);
      }
    });

    it(`${forceJs ? 'JavaScript' : 'WebAssembly where it applies'}: Adam equals tf.train.adam's update`, () => {
      const random = seeded(3);
      for (const count of [64, 7]) {
        const mem = createGemmMemory(4096, forceJs);
        const [p, g, m, v] = [0, 64, 128, 192];
        const f = mem.f32;
        for (let t = 0; t < 256; t++) f[t] = random() * 2 - 1;
        for (let t = v; t < v + 64; t++) f[t] = random() * 0.01; // second moments are never negative
        const before = Array.from(f.subarray(0, 256));
        const step = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 1 - 0.9 ** 3, correction2: 1 - 0.999 ** 3 };
        mem.adam(p, g, m, v, count, step);
        for (let j = 0; j < 64; j++) {
          const gj = before[g + j]!;
          const mj = 0.9 * before[m + j]! + 0.1 * gj;
          const vj = 0.999 * before[v + j]! + 0.001 * gj * gj;
          const pj = before[p + j]! - (0.01 * (mj / step.correction1)) / (Math.sqrt(vj / step.correction2) + 1e-7);
          const updated = j < count;
          expect(f[m + j], `m[${j}]`).toBeCloseTo(updated ? mj : before[m + j]!, 6);
          expect(f[v + j], `v[${j}]`).toBeCloseTo(updated ? vj : before[v + j]!, 6);
          expect(f[p + j], `p[${j}]`).toBeCloseTo(updated ? pj : before[p + j]!, 5);
        }
      }
    });
  }
});
