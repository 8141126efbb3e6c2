/**
 * Small WebAssembly SIMD kernels, emitted as bytes at start-up (no toolchain, no TF.js op overhead), for the
 * Dense-stack training step (dense-fast.ts). All offsets are float offsets into one WebAssembly memory.
 *
 *   gemm   C[i, j] (+)= Σ_k A[i·sai + k·sak] · B[k, j]     i < M, j < N, k < K; B and C row-major, N a multiple of 16
 *   dot    the same with N = 1 and A's rows contiguous (K a multiple of 4): a one-unit output layer
 *   adam   tf.train.adam's update of `count` parameters (a multiple of 4) from their gradients, moments in place
 *   csrForward / csrGradient   the first layer on training rows kept in compressed sparse row form (one-hot data)
 *
 * A is read through strides, so the same kernel computes X·W (sai = K, sak = 1), Xᵀ·Δ (sai = 1, sak = rows) and the
 * column sums of Δ (sai = sak = 0 on a 1.0). Each 16-column block of a row of C stays in four f32x4 registers while k
 * runs (B's rows are read in order). The block can start from a bias row and end with relu, or be masked where
 * another matrix of C's shape is not positive (relu's derivative), so a Dense layer's forward pass and its backward
 * Δ·Wᵀ are one call each. Zero entries of A are skipped when asked (`sparse`): a win on one-hot inputs, where most
 * entries are zero; on relu activations (half zeros, in no order) the mispredicted branch cost more than the products
 * it saved. Where WebAssembly SIMD is missing, or the shapes do not fit, the same loops run in plain JavaScript.
 */

export interface GemmOptions {
  /** 'zero', 'accumulate' (C +=) or the float offset of a bias row. */
  init: 'zero' | 'accumulate' | number;
  relu?: boolean;
  /** Float offset of an M × N matrix: C is set to 0 where it is not > 0. */
  mask?: number;
  /** Skip zero entries of A (mostly-zero inputs). */
  sparse?: boolean;
}

export interface GemmMemory {
  /** Float32 and Int32 views of the kernels' memory; refreshed by `ensure`. Offsets count 4-byte words. */
  f32: Float32Array;
  i32: Int32Array;
  /** Grows the memory to hold at least `floats` float32 values. */
  ensure(floats: number): void;
  /** C = A·B as described above. */
  gemm(a: number, sai: number, sak: number, b: number, c: number, M: number, K: number, N: number, options: GemmOptions): void;
  /** C[r, :] = bias + Σ_p val[p]·W[col[p], :] for the n kept rows numbered in idx (relu fused); see csrFunctions. */
  csrForward(idx: number, n: number, rows: SparseRows, W: number, bias: number, C: number, N: number, relu: boolean): void;
  /** dW[col[p], :] += val[p]·D[r, :] for the n kept rows numbered in idx. */
  csrGradient(idx: number, n: number, rows: SparseRows, D: number, dW: number, N: number): void;
  /** tf.train.adam's update of params[0 … count) from grads, with moments m and v (all float offsets). */
  adam(params: number, grads: number, m: number, v: number, count: number, step: AdamStep): void;
  readonly simd: boolean;
}

/** Rows in compressed sparse row form in the memory: word offsets of ptr (rows + 1 starts), col and val. */
export interface SparseRows {
  ptr: number;
  col: number;
  val: number;
}

export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ. */
  correction1: number;
  correction2: number;
}

// ---- a tiny WebAssembly encoder: just what the kernels need
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
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  eq: [0x46],
  ltS: [0x48],
  eqz: [0x45],
  f32Load: [0x2a, 0x02, 0x00],
  i32Load: (offset = 0) => [0x28, 0x02, ...uleb(offset)],
  f32Store: [0x38, 0x02, 0x00],
  f32Const0: [0x43, 0, 0, 0, 0],
  f32Ne: [0x5c],
  f32Gt: [0x5e],
  f32Add: [0x92],
  select: [0x1b],
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
const v128And = op.simd(0x4e);
const f32x4Splat = op.simd(0x13);
const f32x4Lane = (lane: number) => op.simd(0x1f, lane);
const f32x4Gt = op.simd(0x44);
const f32x4Sqrt = op.simd(0xe3);
const f32x4Add = op.simd(0xe4);
const f32x4Mul = op.simd(0xe6);
const f32x4Div = op.simd(0xe7);
const f32x4Max = op.simd(0xe9);

/** `for (i = 0; i < limit; i += step) body` over i32 locals. */
const forLoop = (i: number, limit: number[], step: number, body: number[], from: number[] = op.i32(0)): number[] => [
  ...from, ...op.set(i),
  ...op.block, ...op.loop,
  ...op.get(i), ...limit, ...op.ltS, ...op.eqz, ...op.brIf(1),
  ...body,
  ...op.get(i), ...op.i32(step), ...op.add, ...op.set(i),
  ...op.br(0), ...op.end, ...op.end,
];

interface WasmFunction {
  name: string;
  params: number[];
  locals: number[];
  body: number[];
}

const FLAG_RELU = 1;
const FLAG_MASK = 2;

/**
 * gemm(a, sai, sak, b, c, M, K, N, mode, bias, flags, mask): byte offsets and strides; mode 0 zero, 1 accumulate,
 * 2 bias. `rows` rows of C are computed together (M a multiple of it): with 2, each row of B loaded into registers
 * serves both, which the dense kernel gains from; the sparse one skips per entry, so it takes one row at a time.
 */
function gemmFunction(name: string, sparse: boolean, rows: 1 | 2): WasmFunction {
  const [A, SAI, SAK, B, C, M, K, N, MODE, BIAS, FLAGS, MASK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const locals: number[] = [];
  const local = (type: number) => 12 + locals.push(type) - 1;
  const [Ii, JB, Kk, PB, PC, ROWB, PM] = [I32, I32, I32, I32, I32, I32, I32].map(local) as [number, number, number, number, number, number, number];
  const X = local(F32);
  const R = Array.from({ length: rows }, (_, r) => r);
  const T = [0, 1, 2, 3];
  const PA = R.map(() => local(I32));
  const S = R.map(() => local(V128));
  const BV = rows > 1 ? T.map(() => local(V128)) : [];
  const ACC = R.map(() => T.map(() => local(V128)));
  /** Byte address of row r of the current block of C (or of the mask): base + r · rowB. */
  const rowOf = (base: number[], r: number) => (r === 0 ? base : [...base, ...op.get(ROWB), ...op.i32(r), ...op.mul, ...op.add]);
  const acc = (r: number, t: number) => ACC[r]![t] as number;
  let kBody: number[];
  if (rows === 1) {
    const accumulate = T.flatMap((t) => [...op.get(acc(0, t)), ...op.get(S[0]!), ...op.get(PB), ...v128Load(16 * t), ...f32x4Mul, ...f32x4Add, ...op.set(acc(0, t))]);
    kBody = sparse
      ? [...op.get(PA[0]!), ...op.f32Load, ...op.tee(X), ...op.f32Const0, ...op.f32Ne, ...op.if, ...op.get(X), ...f32x4Splat, ...op.set(S[0]!), ...accumulate, ...op.end]
      : [...op.get(PA[0]!), ...op.f32Load, ...f32x4Splat, ...op.set(S[0]!), ...accumulate];
  } else {
    kBody = [
      ...T.flatMap((t) => [...op.get(PB), ...v128Load(16 * t), ...op.set(BV[t]!)]),
      ...R.flatMap((r) => [...op.get(PA[r]!), ...op.f32Load, ...f32x4Splat, ...op.set(S[r]!)]),
      ...R.flatMap((r) => T.flatMap((t) => [...op.get(acc(r, t)), ...op.get(S[r]!), ...op.get(BV[t]!), ...f32x4Mul, ...f32x4Add, ...op.set(acc(r, t))])),
    ];
  }
  kBody.push(...R.flatMap((r) => [...op.get(PA[r]!), ...op.get(SAK), ...op.add, ...op.set(PA[r]!)]), ...op.get(PB), ...op.get(ROWB), ...op.add, ...op.set(PB));
  const blockBody = [
    // pc = c + i * rowB + jb * 4
    ...op.get(C), ...op.get(Ii), ...op.get(ROWB), ...op.mul, ...op.add, ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...op.set(PC),
    // accumulators from C, a bias row or zero
    ...op.get(MODE), ...op.i32(1), ...op.eq, ...op.if,
    ...R.flatMap((r) => T.flatMap((t) => [...rowOf(op.get(PC), r), ...v128Load(16 * t), ...op.set(acc(r, t))])),
    ...op.else,
    ...op.get(MODE), ...op.i32(2), ...op.eq, ...op.if,
    ...R.flatMap((r) => T.flatMap((t) => [...op.get(BIAS), ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...v128Load(16 * t), ...op.set(acc(r, t))])),
    ...op.else,
    ...R.flatMap((r) => T.flatMap((t) => [...v128Zero, ...op.set(acc(r, t))])),
    ...op.end, ...op.end,
    // pa_r = a + (i + r) * sai; pb = b + jb * 4
    ...R.flatMap((r) => [...op.get(A), ...op.get(Ii), ...op.i32(r), ...op.add, ...op.get(SAI), ...op.mul, ...op.add, ...op.set(PA[r]!)]),
    ...op.get(B), ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...op.set(PB),
    ...forLoop(Kk, op.get(K), 1, kBody),
    // relu, the mask, then store the block
    ...op.get(FLAGS), ...op.i32(FLAG_RELU), ...op.and, ...op.if,
    ...R.flatMap((r) => T.flatMap((t) => [...op.get(acc(r, t)), ...v128Zero, ...f32x4Max, ...op.set(acc(r, t))])),
    ...op.end,
    ...op.get(FLAGS), ...op.i32(FLAG_MASK), ...op.and, ...op.if,
    ...op.get(MASK), ...op.get(PC), ...op.get(C), ...op.sub, ...op.add, ...op.set(PM),
    ...R.flatMap((r) => T.flatMap((t) => [...op.get(acc(r, t)), ...rowOf(op.get(PM), r), ...v128Load(16 * t), ...v128Zero, ...f32x4Gt, ...v128And, ...op.set(acc(r, t))])),
    ...op.end,
    ...R.flatMap((r) => T.flatMap((t) => [...rowOf(op.get(PC), r), ...op.get(acc(r, t)), ...v128Store(16 * t)])),
  ];
  return {
    name,
    params: new Array<number>(12).fill(I32),
    locals,
    body: [
      // rowB = N * 4 (bytes per row of B and C)
      ...op.get(N), ...op.i32(4), ...op.mul, ...op.set(ROWB),
      ...forLoop(Ii, op.get(M), rows, forLoop(JB, op.get(N), 16, blockBody)),
    ],
  };
}

/** dot(a, sai, b, c, M, K, mode, bias, relu): C[i] (+)= Σ_k A[i·sai + k]·B[k], K a multiple of 4. */
function dotFunction(): WasmFunction {
  const [A, SAI, B, C, M, K, MODE, BIAS, RELU] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  // locals: i 9, k 10, pa 11, pb 12, pc 13, s(f32) 14, acc(v128) 15
  const [Ii, Kk, PA, PB, PC, S, ACC] = [9, 10, 11, 12, 13, 14, 15];
  const rowBody = [
    ...op.get(A), ...op.get(Ii), ...op.get(SAI), ...op.mul, ...op.add, ...op.set(PA),
    ...op.get(B), ...op.set(PB),
    ...v128Zero, ...op.set(ACC),
    ...forLoop(Kk, op.get(K), 4, [
      ...op.get(ACC), ...op.get(PA), ...v128Load(0), ...op.get(PB), ...v128Load(0), ...f32x4Mul, ...f32x4Add, ...op.set(ACC),
      ...op.get(PA), ...op.i32(16), ...op.add, ...op.set(PA),
      ...op.get(PB), ...op.i32(16), ...op.add, ...op.set(PB),
    ]),
    // s = (lane0 + lane1) + (lane2 + lane3), then the starting value
    ...op.get(ACC), ...f32x4Lane(0), ...op.get(ACC), ...f32x4Lane(1), ...op.f32Add,
    ...op.get(ACC), ...f32x4Lane(2), ...op.get(ACC), ...f32x4Lane(3), ...op.f32Add, ...op.f32Add, ...op.set(S),
    ...op.get(C), ...op.get(Ii), ...op.i32(4), ...op.mul, ...op.add, ...op.set(PC),
    ...op.get(MODE), ...op.i32(1), ...op.eq, ...op.if,
    ...op.get(S), ...op.get(PC), ...op.f32Load, ...op.f32Add, ...op.set(S),
    ...op.else,
    ...op.get(MODE), ...op.i32(2), ...op.eq, ...op.if,
    ...op.get(S), ...op.get(BIAS), ...op.f32Load, ...op.f32Add, ...op.set(S),
    ...op.end, ...op.end,
    // relu as the JavaScript path has it: anything not > 0 (NaN included) becomes 0
    ...op.get(RELU), ...op.if,
    ...op.get(S), ...op.f32Const0, ...op.get(S), ...op.f32Const0, ...op.f32Gt, ...op.select, ...op.set(S),
    ...op.end,
    ...op.get(PC), ...op.get(S), ...op.f32Store,
  ];
  return {
    name: 'dot',
    params: new Array<number>(9).fill(I32),
    locals: [I32, I32, I32, I32, I32, F32, V128],
    body: forLoop(Ii, op.get(M), 1, rowBody),
  };
}

/** adam(p, g, m, v, count, lr, b1, ob1, b2, ob2, c1, c2, eps): byte offsets, count in floats (a multiple of 4). */
function adamFunction(): WasmFunction {
  const [P, G, Mo, Vo, COUNT] = [0, 1, 2, 3, 4];
  const scalars = [5, 6, 7, 8, 9, 10, 11, 12]; // lr, b1, ob1, b2, ob2, c1, c2, eps (f32)
  // locals: off 13, end 14, then splats of −lr, b1, ob1, b2, ob2, c1, c2, eps 15..22, g 23, m 24, v 25
  const [OFF, END] = [13, 14];
  const [NLR, B1, OB1, B2, OB2, C1, C2, EPS] = [15, 16, 17, 18, 19, 20, 21, 22];
  const [GV, MV, VV] = [23, 24, 25];
  const at = (base: number) => [...op.get(base), ...op.get(OFF), ...op.add];
  return {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
    locals: [I32, I32, ...new Array<number>(11).fill(V128)],
    body: [
      ...op.get(COUNT), ...op.i32(4), ...op.mul, ...op.set(END),
      // −lr as a splat: f32x4.neg of the splat
      ...op.get(scalars[0] as number), ...f32x4Splat, ...op.simd(0xe1), ...op.set(NLR),
      ...[B1, OB1, B2, OB2, C1, C2, EPS].flatMap((local, t) => [...op.get(scalars[t + 1] as number), ...f32x4Splat, ...op.set(local)]),
      ...forLoop(OFF, op.get(END), 16, [
        ...at(G), ...v128Load(0), ...op.set(GV),
        // m = b1·m + (1 − b1)·g;  v = b2·v + (1 − b2)·g²
        ...at(Mo), ...op.get(B1), ...at(Mo), ...v128Load(0), ...f32x4Mul, ...op.get(OB1), ...op.get(GV), ...f32x4Mul, ...f32x4Add, ...op.tee(MV), ...v128Store(0),
        ...at(Vo), ...op.get(B2), ...at(Vo), ...v128Load(0), ...f32x4Mul, ...op.get(OB2), ...op.get(GV), ...op.get(GV), ...f32x4Mul, ...f32x4Mul, ...f32x4Add, ...op.tee(VV), ...v128Store(0),
        // p = p + (m / c1) / (sqrt(v / c2) + ε) · (−lr), in tf.train.adam's order
        ...at(P),
        ...op.get(MV), ...op.get(C1), ...f32x4Div,
        ...op.get(VV), ...op.get(C2), ...f32x4Div, ...f32x4Sqrt, ...op.get(EPS), ...f32x4Add,
        ...f32x4Div, ...op.get(NLR), ...f32x4Mul,
        ...at(P), ...v128Load(0), ...f32x4Add,
        ...v128Store(0),
      ]),
    ],
  };
}

/**
 * The first layer on rows kept in compressed sparse row form (ptr: rows + 1 starts, col and val: the non-zero
 * entries): only the non-zeros are read, and no mini-batch is gathered. Same float32 operations, in the same order,
 * as the sparse gemm on the gathered rows. idx holds the batch's n row numbers (i32), N is a multiple of 16.
 *
 *   csrForward(idx, n, ptr, col, val, W, bias, C, N, relu):  C[r, :] = bias + Σ_p val[p] · W[col[p], :]
 *   csrGradient(idx, n, ptr, col, val, D, dW, N):           dW[col[p], :] += val[p] · D[r, :]   (dW zeroed first)
 */
function csrFunctions(): WasmFunction[] {
  const [IDX, NN, PTR, COL, VAL] = [0, 1, 2, 3, 4];
  const rowRange = (Rr: number, ROW: number, START: number, END: number) => [
    ...op.get(IDX), ...op.get(Rr), ...op.i32(4), ...op.mul, ...op.add, ...op.i32Load(), ...op.set(ROW),
    ...op.get(PTR), ...op.get(ROW), ...op.i32(4), ...op.mul, ...op.add, ...op.tee(END), ...op.i32Load(), ...op.set(START),
    ...op.get(END), ...op.i32Load(4), ...op.set(END),
  ];
  /** s = splat(val[p]); pw = base + col[p] · rowB */
  const entry = (P: number, S: number, PW: number, base: number[], ROWB: number) => [
    ...op.get(VAL), ...op.get(P), ...op.i32(4), ...op.mul, ...op.add, ...op.f32Load, ...f32x4Splat, ...op.set(S),
    ...base, ...op.get(COL), ...op.get(P), ...op.i32(4), ...op.mul, ...op.add, ...op.i32Load(), ...op.get(ROWB), ...op.mul, ...op.add, ...op.set(PW),
  ];
  const T = [0, 1, 2, 3];

  const [W, BIAS, C, N, RELU] = [5, 6, 7, 8, 9];
  // locals: r 10, jb 11, p 12, start 13, end 14, row 15, pw 16, pc 17, rowB 18, s 19, acc 20..23
  const [Rr, JB, P, START, END, ROW, PW, PC, ROWB, S, ACC] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const acc = (t: number) => ACC + t;
  const forward: WasmFunction = {
    name: 'csrForward',
    params: new Array<number>(10).fill(I32),
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128],
    body: [
      ...op.get(N), ...op.i32(4), ...op.mul, ...op.set(ROWB),
      ...forLoop(Rr, op.get(NN), 1, [
        ...rowRange(Rr, ROW, START, END),
        ...forLoop(JB, op.get(N), 16, [
          ...T.flatMap((t) => [...op.get(BIAS), ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...v128Load(16 * t), ...op.set(acc(t))]),
          ...forLoop(P, op.get(END), 1, [
            ...entry(P, S, PW, [...op.get(W), ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add], ROWB),
            ...T.flatMap((t) => [...op.get(acc(t)), ...op.get(S), ...op.get(PW), ...v128Load(16 * t), ...f32x4Mul, ...f32x4Add, ...op.set(acc(t))]),
          ], op.get(START)),
          ...op.get(RELU), ...op.if,
          ...T.flatMap((t) => [...op.get(acc(t)), ...v128Zero, ...f32x4Max, ...op.set(acc(t))]),
          ...op.end,
          ...op.get(C), ...op.get(Rr), ...op.get(ROWB), ...op.mul, ...op.add, ...op.get(JB), ...op.i32(4), ...op.mul, ...op.add, ...op.set(PC),
          ...T.flatMap((t) => [...op.get(PC), ...op.get(acc(t)), ...v128Store(16 * t)]),
        ]),
      ]),
    ],
  };

  const [D, DW, GN] = [5, 6, 7];
  // locals: r 8, p 9, start 10, end 11, row 12, pw 13, pd 14, t 15, rowB 16, s 17
  const [GR, GP, GSTART, GEND, GROW, GPW, GPD, GT, GROWB, GS] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const gradient: WasmFunction = {
    name: 'csrGradient',
    params: new Array<number>(8).fill(I32),
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, V128],
    body: [
      ...op.get(GN), ...op.i32(4), ...op.mul, ...op.set(GROWB),
      ...forLoop(GR, op.get(NN), 1, [
        ...rowRange(GR, GROW, GSTART, GEND),
        ...op.get(D), ...op.get(GR), ...op.get(GROWB), ...op.mul, ...op.add, ...op.set(GPD),
        ...forLoop(GP, op.get(GEND), 1, [
          ...entry(GP, GS, GPW, op.get(DW), GROWB),
          ...forLoop(GT, op.get(GROWB), 16, [
            ...op.get(GPW), ...op.get(GT), ...op.add,
            ...op.get(GPW), ...op.get(GT), ...op.add, ...v128Load(0),
            ...op.get(GS), ...op.get(GPD), ...op.get(GT), ...op.add, ...v128Load(0), ...f32x4Mul, ...f32x4Add,
            ...v128Store(0),
          ]),
        ], op.get(GSTART)),
      ]),
    ],
  };
  return [forward, gradient];
}

function moduleBytes(functions: WasmFunction[]): Uint8Array {
  const types = functions.map((fn) => [0x60, ...vec(fn.params.map((t) => [t])), ...vec([])]);
  const codes = functions.map((fn) => {
    const code = [...vec(fn.locals.map((t) => [1, t])), ...fn.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((fn, i) => [...str(fn.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(codes)),
  ]);
}

/** The slice of the WebAssembly API used here (Node has it; the main tsconfig carries no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type GemmKernel = (a: number, sai: number, sak: number, b: number, c: number, M: number, K: number, N: number, mode: number, bias: number, flags: number, mask: number) => void;
type DotKernel = (a: number, sai: number, b: number, c: number, M: number, K: number, mode: number, bias: number, relu: number) => void;
type CsrForwardKernel = (idx: number, n: number, ptr: number, col: number, val: number, W: number, bias: number, C: number, N: number, relu: number) => void;
type CsrGradientKernel = (idx: number, n: number, ptr: number, col: number, val: number, D: number, dW: number, N: number) => void;
type AdamKernel = (p: number, g: number, m: number, v: number, count: number, lr: number, b1: number, ob1: number, b2: number, ob2: number, c1: number, c2: number, eps: number) => void;
interface Kernels {
  gemmDense: GemmKernel;
  gemmDense2: GemmKernel;
  gemmSparse: GemmKernel;
  dot: DotKernel;
  adam: AdamKernel;
  csrForward: CsrForwardKernel;
  csrGradient: CsrGradientKernel;
}

let compiled: object | null | undefined;
function module(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = moduleBytes([gemmFunction('gemmDense', false, 1), gemmFunction('gemmDense2', false, 2), gemmFunction('gemmSparse', true, 1), dotFunction(), adamFunction(), ...csrFunctions()]);
      compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE_FLOATS = 65536 / 4;

/** Plain-JavaScript version of gemm (any shape), same loop order. */
function gemmJs(f: Float32Array, a: number, sai: number, sak: number, b: number, c: number, M: number, K: number, N: number, o: GemmOptions): void {
  const init = o.init;
  const sparse = o.sparse === true;
  if (N === 1) {
    // One output column (a binary or regression output layer): a dot product per row, summed in a local with the
    // same float32 rounding after each step as the general loop.
    for (let i = 0; i < M; i++) {
      let sum = init === 'zero' ? 0 : init === 'accumulate' ? (f[c + i] as number) : (f[init] as number);
      let pa = a + i * sai;
      for (let k = 0; k < K; k++, pa += sak) sum = Math.fround(sum + (f[pa] as number) * (f[b + k] as number));
      f[c + i] = o.relu && !(sum > 0) ? 0 : sum;
    }
  } else {
    for (let i = 0; i < M; i++) {
      const row = c + i * N;
      if (init === 'zero') f.fill(0, row, row + N);
      else if (init !== 'accumulate') f.copyWithin(row, init, init + N);
      let pa = a + i * sai;
      for (let k = 0; k < K; k++, pa += sak) {
        const x = f[pa] as number;
        if (sparse && x === 0) continue;
        const pb = b + k * N;
        for (let j = 0; j < N; j++) f[row + j]! += x * (f[pb + j] as number);
      }
      if (o.relu) for (let j = row; j < row + N; j++) if (!((f[j] as number) > 0)) f[j] = 0;
    }
  }
  if (o.mask !== undefined) {
    const shift = o.mask - c;
    for (let t = c; t < c + M * N; t++) if (!((f[t + shift] as number) > 0)) f[t] = 0;
  }
}

function csrForwardJs(f: Float32Array, w: Int32Array, idx: number, n: number, s: SparseRows, W: number, bias: number, C: number, N: number, relu: boolean): void {
  for (let r = 0; r < n; r++) {
    const row = w[idx + r] as number;
    const start = w[s.ptr + row] as number;
    const end = w[s.ptr + row + 1] as number;
    for (let j = 0; j < N; j++) {
      let sum = f[bias + j] as number;
      for (let p = start; p < end; p++) sum = Math.fround(sum + (f[s.val + p] as number) * (f[W + (w[s.col + p] as number) * N + j] as number));
      f[C + r * N + j] = relu && !(sum > 0) ? 0 : sum;
    }
  }
}

function csrGradientJs(f: Float32Array, w: Int32Array, idx: number, n: number, s: SparseRows, D: number, dW: number, N: number): void {
  for (let r = 0; r < n; r++) {
    const row = w[idx + r] as number;
    for (let p = w[s.ptr + row] as number, end = w[s.ptr + row + 1] as number; p < end; p++) {
      const v = f[s.val + p] as number;
      const to = dW + (w[s.col + p] as number) * N;
      for (let j = 0; j < N; j++) f[to + j]! += v * (f[D + r * N + j] as number);
    }
  }
}

function adamJs(f: Float32Array, params: number, grads: number, m: number, v: number, count: number, s: AdamStep): void {
  const { beta1, beta2, learningRate: lr, epsilon, correction1: c1, correction2: c2 } = s;
  for (let j = 0; j < count; j++) {
    const g = f[grads + j] as number;
    const mj = Math.fround(beta1 * (f[m + j] as number) + (1 - beta1) * g);
    const vj = Math.fround(beta2 * (f[v + j] as number) + (1 - beta2) * g * g);
    f[m + j] = mj;
    f[v + j] = vj;
    f[params + j] = (f[params + j] as number) - (lr * (mj / c1)) / (Math.sqrt(vj / c2) + epsilon);
  }
}

export function createGemmMemory(initialFloats = PAGE_FLOATS, forceJs = false): GemmMemory {
  const compiledModule = forceJs ? null : module();
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(initialFloats / PAGE_FLOATS)) });
  const k = compiledModule ? (new wasm.Instance(compiledModule, { env: { mem: memory } }).exports as Kernels) : null;
  const self: GemmMemory = {
    f32: new Float32Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    simd: k !== null,
    ensure(floats: number) {
      const have = memory.buffer.byteLength / 4;
      if (floats > have) memory.grow(Math.ceil((floats - have) / PAGE_FLOATS));
      self.f32 = new Float32Array(memory.buffer);
      self.i32 = new Int32Array(memory.buffer);
    },
    csrForward(idx, n, rows, W, bias, C, N, relu) {
      if (k && N % 16 === 0) k.csrForward(idx * 4, n, rows.ptr * 4, rows.col * 4, rows.val * 4, W * 4, bias * 4, C * 4, N, relu ? 1 : 0);
      else csrForwardJs(self.f32, self.i32, idx, n, rows, W, bias, C, N, relu);
    },
    csrGradient(idx, n, rows, D, dW, N) {
      if (k && N % 16 === 0) k.csrGradient(idx * 4, n, rows.ptr * 4, rows.col * 4, rows.val * 4, D * 4, dW * 4, N);
      else csrGradientJs(self.f32, self.i32, idx, n, rows, D, dW, N);
    },
    gemm(a, sai, sak, b, c, M, K, N, o) {
      const mode = o.init === 'zero' ? 0 : o.init === 'accumulate' ? 1 : 2;
      const bias = typeof o.init === 'number' ? o.init * 4 : 0;
      if (k && N % 16 === 0) {
        const flags = (o.relu ? FLAG_RELU : 0) | (o.mask !== undefined ? FLAG_MASK : 0);
        const mask = (o.mask ?? 0) * 4;
        if (o.sparse) k.gemmSparse(a * 4, sai * 4, sak * 4, b * 4, c * 4, M, K, N, mode, bias, flags, mask);
        else {
          // Pairs of rows, then the odd last row on its own.
          const paired = M - (M % 2);
          if (paired > 0) k.gemmDense2(a * 4, sai * 4, sak * 4, b * 4, c * 4, paired, K, N, mode, bias, flags, mask);
          if (paired < M) k.gemmDense((a + paired * sai) * 4, sai * 4, sak * 4, b * 4, (c + paired * N) * 4, 1, K, N, mode, bias, flags, mask + paired * N * 4);
        }
      } else if (k && N === 1 && sak === 1 && K % 4 === 0 && o.mask === undefined) {
        k.dot(a * 4, sai * 4, b * 4, c * 4, M, K, mode, bias, o.relu ? 1 : 0);
      } else gemmJs(self.f32, a, sai, sak, b, c, M, K, N, o);
    },
    adam(params, grads, m, v, count, s) {
      if (k && count % 4 === 0) k.adam(params * 4, grads * 4, m * 4, v * 4, count, s.learningRate, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.correction1, s.correction2, s.epsilon);
      else adamJs(self.f32, params, grads, m, v, count, s);
    },
  };
  return self;
}
