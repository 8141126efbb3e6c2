/**
 * A small matrix-product kernel in WebAssembly SIMD, emitted as bytes at start-up (no toolchain, no TF.js op
 * overhead), for the Dense-stack training step (dense-fast.ts):
 *
 *   C[i, j] (+)= Σ_k A[i·sai + k·sak] · B[k, j]     i < M, j < N, k < K; B and C row-major, N a multiple of 16
 *
 * A is read through strides, so the same kernel computes X·W (sai = K, sak = 1) and Xᵀ·Δ (sai = 1, sak = rows).
 * Each 16-column block of a row of C stays in four f32x4 registers while k runs (B's rows are read in order), zero
 * entries of A are skipped (one-hot inputs, relu activations: half or more of the products), and the block can start
 * from a bias row and end with relu — so a Dense layer's forward pass is one call. Where WebAssembly SIMD is missing,
 * or N is not a multiple of 16, `gemm` runs the same loop in plain JavaScript.
 */

export interface GemmMemory {
  /** Float32 view of the kernel's memory; refreshed by `ensure`. */
  f32: Float32Array;
  /** Grows the memory to hold at least `floats` float32 values. */
  ensure(floats: number): void;
  /** C = A·B as described above, on float offsets into `f32`. init: 'zero', 'accumulate' or a bias row offset. */
  gemm(a: number, sai: number, sak: number, b: number, c: number, M: number, K: number, N: number, init: 'zero' | 'accumulate' | number, relu: boolean): void;
  readonly simd: boolean;
}

// ---- a tiny WebAssembly encoder: just what the kernel needs
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => vec([...s].map((ch) => [ch.charCodeAt(0)]));

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  ltS: [0x48],
  eqz: [0x45],
  f32Load: [0x2a, 0x02, 0x00],
  f32Const0: [0x43, 0, 0, 0, 0],
  f32Ne: [0x5c],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  simd: (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm],
};
const v128Load = (offset: number) => op.simd(0x00, 0x04, ...uleb(offset));
const v128Store = (offset: number) => op.simd(0x0b, 0x04, ...uleb(offset));
const v128Zero = op.simd(0x0c, ...new Array<number>(16).fill(0));
const f32x4Splat = op.simd(0x13);
const f32x4Add = op.simd(0xe4);
const f32x4Mul = op.simd(0xe6);
const f32x4Max = op.simd(0xe9);

/** The kernel's bytes: (a, sai, sak, b, c, M, K, N, mode, bias, relu) — byte offsets and strides; mode 0 zero, 1 accumulate, 2 bias. */
function kernelModule(): Uint8Array {
  // params 0..10; locals: i 11, jb 12, k 13, pa 14, pb 15, pc 16, x(f32) 17, s(v128) 18, acc0..3 (v128) 19..22, rowB 23
  const [A, SAI, SAK, B, C, M, K, N, MODE, BIAS, RELU] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [Ii, JB, Kk, PA, PB, PC, X, S, ACC, ROWB] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 23];
  const accs = [0, 1, 2, 3].map((t) => ACC + t);
  const body: number[] = [
    // rowB = N * 4 (bytes per row of B and C)
    ...op.get(N), ...op.i32(4), ...op.mul, ...op.set(ROWB),
    ...op.i32(0), ...op.set(Ii),
    ...op.block, ...op.loop,
    ...op.get(Ii), ...op.get(M), ...op.ltS, ...op.eqz, ...op.brIf(1),
    ...op.i32(0), ...op.set(JB),
    ...op.block, ...op.loop,
    ...op.get(JB), ...op.get(N), ...op.ltS, ...op.eqz, ...op.brIf(1),
    // pc = c + (i * N + jb) * 4
    ...op.get(C), ...op.get(Ii), ...op.get(ROWB), ...op.mul, ...op.add, ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...op.set(PC),
    // accumulators from C, a bias row or zero
    ...op.get(MODE), ...op.i32(1), ...[0x46] /* i32.eq */, ...op.if,
    ...accs.flatMap((r, t) => [...op.get(PC), ...v128Load(16 * t), ...op.set(r)]),
    ...op.else,
    ...op.get(MODE), ...op.i32(2), ...[0x46], ...op.if,
    ...accs.flatMap((r, t) => [...op.get(BIAS), ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...v128Load(16 * t), ...op.set(r)]),
    ...op.else,
    ...accs.flatMap((r) => [...v128Zero, ...op.set(r)]),
    ...op.end, ...op.end,
    // pa = a + i * sai; pb = b + jb * 4
    ...op.get(A), ...op.get(Ii), ...op.get(SAI), ...op.mul, ...op.add, ...op.set(PA),
    ...op.get(B), ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...op.set(PB),
    ...op.i32(0), ...op.set(Kk),
    ...op.block, ...op.loop,
    ...op.get(Kk), ...op.get(K), ...op.ltS, ...op.eqz, ...op.brIf(1),
    ...op.get(PA), ...op.f32Load, ...[0x22, ...uleb(X)] /* local.tee x */, ...op.f32Const0, ...op.f32Ne, ...op.if,
    ...op.get(X), ...f32x4Splat, ...op.set(S),
    ...accs.flatMap((r, t) => [...op.get(r), ...op.get(S), ...op.get(PB), ...v128Load(16 * t), ...f32x4Mul, ...f32x4Add, ...op.set(r)]),
    ...op.end,
    ...op.get(PA), ...op.get(SAK), ...op.add, ...op.set(PA),
    ...op.get(PB), ...op.get(ROWB), ...op.add, ...op.set(PB),
    ...op.get(Kk), ...op.i32(1), ...op.add, ...op.set(Kk),
    ...op.br(0), ...op.end, ...op.end,
    // relu, then store the block
    ...op.get(RELU), ...op.if,
    ...accs.flatMap((r) => [...op.get(r), ...v128Zero, ...f32x4Max, ...op.set(r)]),
    ...op.end,
    ...accs.flatMap((r, t) => [...op.get(PC), ...op.get(r), ...v128Store(16 * t)]),
    ...op.get(JB), ...op.i32(16), ...op.add, ...op.set(JB),
    ...op.br(0), ...op.end, ...op.end,
    ...op.get(Ii), ...op.i32(1), ...op.add, ...op.set(Ii),
    ...op.br(0), ...op.end, ...op.end,
  ];
  const locals = vec([
    [...uleb(6), I32],
    [...uleb(1), F32],
    [...uleb(5), V128],
    [...uleb(1), I32],
  ]);
  const fn = [...locals, ...body, ...op.end];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(new Array(11).fill([I32])), ...vec([])]])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([uleb(0)])),
    ...section(7, vec([[...str('gemm'), 0x00, ...uleb(0)]])),
    ...section(10, vec([[...uleb(fn.length), ...fn]])),
  ];
  return Uint8Array.from(bytes);
}

/** The slice of the WebAssembly API used here (Node has it; the main tsconfig carries no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type Kernel = (a: number, sai: number, sak: number, b: number, c: number, M: number, K: number, N: number, mode: number, bias: number, relu: number) => void;

let compiled: object | null | undefined;
function module(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = kernelModule();
      compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE_FLOATS = 65536 / 4;

/** Plain-JavaScript version of the kernel (any N), same loop order and zero skipping. */
function gemmJs(f: Float32Array, a: number, sai: number, sak: number, b: number, c: number, M: number, K: number, N: number, init: 'zero' | 'accumulate' | number, relu: boolean): void {
  if (N === 1) {
    // One output column (a binary or regression output layer): a dot product per row, summed in a local with the
    // same float32 rounding after each step as the general loop (which spent most of its time on loop overhead).
    for (let i = 0; i < M; i++) {
      let sum = init === 'zero' ? 0 : init === 'accumulate' ? (f[c + i] as number) : (f[init] as number);
      let pa = a + i * sai;
      for (let k = 0; k < K; k++, pa += sak) {
        const x = f[pa] as number;
        if (x !== 0) sum = Math.fround(sum + x * (f[b + k] as number));
      }
      f[c + i] = relu && !(sum > 0) ? 0 : sum;
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    const row = c + i * N;
    if (init === 'zero') f.fill(0, row, row + N);
    else if (init !== 'accumulate') f.copyWithin(row, init, init + N);
    let pa = a + i * sai;
    for (let k = 0; k < K; k++, pa += sak) {
      const x = f[pa] as number;
      if (x === 0) continue;
      const pb = b + k * N;
      for (let j = 0; j < N; j++) f[row + j]! += x * (f[pb + j] as number);
    }
    if (relu) for (let j = row; j < row + N; j++) if (!((f[j] as number) > 0)) f[j] = 0;
  }
}

export function createGemmMemory(initialFloats = PAGE_FLOATS, forceJs = false): GemmMemory {
  const compiledModule = forceJs ? null : module();
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(initialFloats / PAGE_FLOATS)) });
  const kernel = compiledModule ? ((new wasm.Instance(compiledModule, { env: { mem: memory } }).exports as { gemm: Kernel }).gemm) : null;
  const self: GemmMemory = {
    f32: new Float32Array(memory.buffer),
    simd: kernel !== null,
    ensure(floats: number) {
      const have = memory.buffer.byteLength / 4;
      if (floats > have) memory.grow(Math.ceil((floats - have) / PAGE_FLOATS));
      self.f32 = new Float32Array(memory.buffer);
    },
    gemm(a, sai, sak, b, c, M, K, N, init, relu) {
      if (kernel && N % 16 === 0) {
        const mode = init === 'zero' ? 0 : init === 'accumulate' ? 1 : 2;
        kernel(a * 4, sai * 4, sak * 4, b * 4, c * 4, M, K, N, mode, typeof init === 'number' ? init * 4 : 0, relu ? 1 : 0);
      } else gemmJs(self.f32, a, sai, sak, b, c, M, K, N, init, relu);
    },
  };
  return self;
}
