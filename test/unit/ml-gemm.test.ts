// The Dense step's matrix kernel, in WebAssembly (widths that are multiples of 16) and in JavaScript (others, with a
// dot-product path for one output column), against a float32 reference of the same loop: C = init + A·B, A read
// through strides, zero entries of A skipped, relu fused.
import { describe, expect, it } from 'vitest';
import { createGemmMemory } from '../../src/main/workers/ml/simd-gemm.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

/** The kernel's semantics in float32: each product added to the running value and rounded, row by row. */
function reference(f: Float32Array, a: number, sai: number, sak: number, b: number, M: number, K: number, N: number, init: 'zero' | 'accumulate' | number, c: number, relu: boolean): Float32Array {
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let v = init === 'zero' ? 0 : init === 'accumulate' ? f[c + i * N + j]! : f[init + j]!;
      for (let k = 0; k < K; k++) {
        const x = f[a + i * sai + k * sak]!;
        if (x !== 0) v = Math.fround(v + x * f[b + k * N + j]!);
      }
      out[i * N + j] = relu && !(v > 0) ? 0 : v;
    }
  }
  return out;
}

describe('gemm kernel', () => {
  for (const forceJs of [false, true]) {
    it(`${forceJs ? 'JavaScript' : 'WebAssembly where it applies'}: every init, relu, strided and zero-rich A, widths 1 to 48`, () => {
      const random = seeded(7);
      for (const [M, K, N] of [[256, 64, 1], [64, 256, 1], [5, 7, 1], [256, 108, 64], [33, 17, 16], [9, 40, 48], [12, 5, 3]] as const) {
        for (const init of ['zero', 'accumulate', 'bias'] as const) {
          for (const relu of [false, true]) {
            for (const transposed of [false, true]) {
              const mem = createGemmMemory(4096, forceJs);
              const a = 0;
              const b = a + M * K;
              const bias = b + K * N;
              const c = bias + N;
              mem.ensure(c + M * N);
              const f = mem.f32;
              // A: a third zeros (one-hot inputs, relu activations); B, bias and C: any sign.
              for (let t = 0; t < M * K; t++) f[a + t] = random() < 0.33 ? 0 : random() * 2 - 1;
              for (let t = b; t < c + M * N; t++) f[t] = random() * 2 - 1;
              // Transposed: A is stored K × M and read down its columns (Xᵀ·Δ in the backward pass).
              const [sai, sak] = transposed ? [1, M] : [K, 1];
              const initArg = init === 'bias' ? bias : init;
              const expected = reference(f, a, sai, sak, b, M, K, N, initArg, c, relu);
              mem.gemm(a, sai, sak, b, c, M, K, N, initArg, relu);
              const got = mem.f32.subarray(c, c + M * N);
              const label = `${M}×${K}×${N} ${init} relu=${relu} transposed=${transposed}`;
              if (forceJs || N % 16 !== 0) expect(Array.from(got), label).toEqual(Array.from(expected));
              else for (let t = 0; t < M * N; t++) expect(got[t], label).toBeCloseTo(expected[t]!, 4);
            }
          }
        }
      }
    });
  }
});
