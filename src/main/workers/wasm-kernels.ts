/**
 * Training kernels for TensorFlow.js's 'wasm' backend (@tensorflow/tfjs-backend-wasm 4.22, SIMD build, one
 * thread in Node), registered by registerWasmTrainingKernels() once the backend is active.
 *
 * Missing in 4.22 — `fit` throws "Kernel '…' not registered for backend 'wasm'" and tfjs does not fall back —
 * found by training conv nets on wasm (the reference CNN; 'same' padding and stride 2; two conv layers; batch
 * norm, dropout; average, global-average and global-max pooling; leaky ReLU, ELU, ReLU6, tanh, sigmoid;
 * conv2dTranspose, upSampling2d, zeroPadding2d; depthwise and separable convs; both cross-entropies):
 *   - Conv2DBackpropFilter                 every Conv2D layer's weight gradient
 *   - DepthwiseConv2dNativeBackpropFilter  depthwiseConv2d / separableConv2d
 *   - DepthwiseConv2dNativeBackpropInput   depthwiseConv2d / separableConv2d
 * Conv2DBackpropInput, MaxPoolGrad and AvgPoolGrad exist natively.
 *
 * Conv2DBackpropFilter is one matrix product over n = batch·outH·outW: the im2col patches are written straight
 * into the wasm heap and multiplied with the backend's own BatchMatMul (XNNPACK, SIMD) — measured against tight
 * typed-array loops over the heap, which were several times slower (~40 ms against ~5–7 ms on the reference
 * CNN's first layer, batch 64). Large batches are done in chunks of whole images (wasmKernelLimits). The
 * depthwise kernels are typed-array loops (no single matrix product fits them; they are off the reference CNN's
 * path).
 *
 * Replaced, because they are the slow part of a training step once the missing kernels exist (see REPLACED):
 * MaxPoolGrad, BatchMatMul with transposes, Sum over leading axes, Identity. With them one epoch of the
 * reference CNN on 10,000 MNIST images (batch 64) takes ~4.1 s instead of ~8.1 s (test/bench/cnn.mjs).
 *
 * Layout NHWC; Conv2DBackpropFilter also takes NCHW (transposed to NHWC first; tfjs has no NCHW depthwise).
 * Any stride, 'valid' / 'same' / explicit padding, any batch size; dilation as the attributes say (tfjs' own
 * conv gradients only allow 1). Everything is float32 (another dtype is an error, or goes to the native kernel).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tf.TensorInfo;
type Conv2DInfo = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/**
 * Largest im2col patch matrix, in floats (default 16 Mi floats = 64 MiB); a larger batch is done in chunks of
 * whole images (one image at least, whatever its size). Mutable for tests.
 */
export const wasmKernelLimits = { im2colFloats: 16 * 1024 * 1024 };

function floatView(backend: BackendWasm, t: TensorInfo, what: string): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`${what} must be float32 on the wasm backend, got ${t.dtype}`);
  return backend.typedArrayFromHeap(t) as Float32Array;
}

function wasmKernel(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`The wasm backend has no ${name} kernel`);
  return k.kernelFunc;
}

function runWasm(name: string, backend: BackendWasm, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): TensorInfo {
  return wasmKernel(name)({ inputs, backend, attrs }) as TensorInfo;
}

/** Writes the im2col patches of images [b0, b0 + nb) as a K×n matrix (row k = (fh, fw, c), column = (b, oy, ox)). */
function im2colT(x: Float32Array, cols: Float32Array, info: Conv2DInfo, b0: number, nb: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const n = nb * OH * OW;
  const imageSize = H * W * C;
  for (let fh = 0; fh < FH; fh++) {
    for (let fw = 0; fw < FW; fw++) {
      // Output columns whose input column is inside the image: ox in [oxLo, oxHi).
      const colOffset = fw * DW - left;
      const oxLo = Math.min(OW, Math.max(0, Math.ceil(-colOffset / SW)));
      const oxHi = Math.max(oxLo, Math.min(OW, Math.floor((W - 1 - colOffset) / SW) + 1));
      for (let c = 0; c < C; c++) {
        const row = ((fh * FW + fw) * C + c) * n;
        let o = row;
        for (let b = b0; b < b0 + nb; b++) {
          const image = b * imageSize;
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * SH + fh * DH - top;
            if (iy < 0 || iy >= H) {
              cols.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            const base = image + iy * W * C + c;
            for (let ox = 0; ox < oxLo; ox++) cols[o++] = 0;
            let xi = base + (oxLo * SW + colOffset) * C;
            const step = SW * C;
            for (let ox = oxLo; ox < oxHi; ox++, xi += step) cols[o++] = x[xi] as number;
            for (let ox = oxHi; ox < OW; ox++) cols[o++] = 0;
          }
        }
      }
    }
  }
}

/** dW = im2col(x)ᵀ · dy, as (K×n patches) · (n×outC dy): XNNPACK packs (a copy of) dy. */
function filterGradPackDy(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo, filterShape: Shape4): TensorInfo {
  const { batchSize: B, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: FH, filterWidth: FW, inChannels: C } = info;
  const K = FH * FW * C;
  const perImage = OH * OW;
  const imagesPerChunk = Math.max(1, Math.min(B, Math.floor(wasmKernelLimits.im2colFloats / Math.max(1, K * perImage))));
  let result: TensorInfo | null = null;
  for (let b0 = 0; b0 < B; b0 += imagesPerChunk) {
    const nb = Math.min(imagesPerChunk, B - b0);
    const n = nb * perImage;
    const cols = backend.makeOutput([K, n], 'float32');
    // Views are taken after the allocation: growing the heap detaches earlier ones.
    im2colT(floatView(backend, x, 'x'), floatView(backend, cols, 'cols'), info, b0, nb);
    // dy goes in as a fresh copy: the native matmul caches XNNPACK's packed weights by the id of its second
    // operand, not by its shape, so dy's own id viewed as [n, outC] could meet an entry made for another view.
    const dyChunk = backend.makeOutput([n, CO], 'float32');
    floatView(backend, dyChunk, 'dy').set(floatView(backend, dy, 'dy').subarray(b0 * perImage * CO, (b0 + nb) * perImage * CO));
    const part = runWasm('BatchMatMul', backend, { a: cols, b: dyChunk }, { transposeA: false, transposeB: false });
    backend.disposeData(cols.dataId);
    backend.disposeData(dyChunk.dataId);
    if (result === null) {
      result = part;
    } else {
      const acc = floatView(backend, result, 'dW');
      const add = floatView(backend, part, 'dW');
      for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (add[i] as number);
      backend.disposeData(part.dataId);
    }
  }
  return { dataId: (result as TensorInfo).dataId, shape: filterShape, dtype: 'float32' };
}

/** Writes the im2col patches of images [b0, b0 + nb) as an n×K matrix (row = (b, oy, ox), column k = (fh, fw, c)). */
function im2col(x: Float32Array, cols: Float32Array, info: Conv2DInfo, b0: number, nb: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  let o = 0;
  for (let b = b0; b < b0 + nb; b++) {
    const image = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        for (let fh = 0; fh < FH; fh++) {
          const iy = oy * SH + fh * DH - top;
          if (iy < 0 || iy >= H) {
            cols.fill(0, o, o + FW * C);
            o += FW * C;
            continue;
          }
          for (let fw = 0; fw < FW; fw++) {
            const ix = ox * SW + fw * DW - left;
            if (ix < 0 || ix >= W) {
              cols.fill(0, o, o + C);
              o += C;
              continue;
            }
            const xi = image + (iy * W + ix) * C;
            if (C === 1) cols[o++] = x[xi] as number;
            else {
              for (let c = 0; c < C; c++) cols[o++] = x[xi + c] as number;
            }
          }
        }
      }
    }
  }
}

/** dWᵀ = dyᵀ · im2col(x), as (outC×n transposed dy) · (n×K patches): XNNPACK packs the patches. */
function filterGradPackPatches(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo, filterShape: Shape4): TensorInfo {
  const { batchSize: B, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: FH, filterWidth: FW, inChannels: C } = info;
  const K = FH * FW * C;
  const perImage = OH * OW;
  const imagesPerChunk = Math.max(1, Math.min(B, Math.floor(wasmKernelLimits.im2colFloats / Math.max(1, K * perImage))));
  const acc = new Float64Array(K * CO);
  for (let b0 = 0; b0 < B; b0 += imagesPerChunk) {
    const nb = Math.min(imagesPerChunk, B - b0);
    const n = nb * perImage;
    const cols = backend.makeOutput([n, K], 'float32');
    im2col(floatView(backend, x, 'x'), floatView(backend, cols, 'cols'), info, b0, nb);
    let dyChunk: TensorInfo = { dataId: dy.dataId, shape: [n, CO], dtype: 'float32' };
    if (nb !== B) {
      dyChunk = backend.makeOutput([n, CO], 'float32');
      floatView(backend, dyChunk, 'dy').set(floatView(backend, dy, 'dy').subarray(b0 * perImage * CO, (b0 + nb) * perImage * CO));
    }
    const dyT = runWasm('Transpose', backend, { x: dyChunk }, { perm: [1, 0] });
    if (dyChunk.dataId !== dy.dataId) backend.disposeData(dyChunk.dataId);
    const part = runWasm('BatchMatMul', backend, { a: dyT, b: cols }, { transposeA: false, transposeB: false });
    backend.disposeData(cols.dataId);
    backend.disposeData(dyT.dataId);
    const pv = floatView(backend, part, 'dW');
    for (let co = 0; co < CO; co++) for (let k = 0; k < K; k++) acc[k * CO + co] = (acc[k * CO + co] as number) + (pv[co * K + k] as number);
    backend.disposeData(part.dataId);
  }
  const out = backend.makeOutput(filterShape, 'float32');
  floatView(backend, out, 'dW').set(acc);
  return out;
}

/**
 * dW[fh, fw, c, co] = Σ over (b, oy, ox) of x[b, oy·sh + fh·dh − top, ox·sw + fw·dw − left, c] · dy[b, oy, ox, co]
 * (NHWC x and dy): one matrix product over n = batch·outH·outW. XNNPACK re-packs its second operand on every
 * call (a strided copy, the costliest part here), so the smaller of the patch matrix (n×K, K = fh·fw·inC) and dy
 * (n×outC) is made the second operand. Reference CNN, first layer (K = 9 < outC = 32): ~5.3 ms instead of
 * ~6.6 ms per batch of 64; [64, 13, 13, 32] → 64 filters (K = 288): ~16 ms instead of ~26 ms the other way.
 */
function filterGradNhwc(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo, filterShape: Shape4): TensorInfo {
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  if (info.batchSize * info.outHeight * info.outWidth === 0) {
    // No output positions: the gradient is zero.
    const zero = backend.makeOutput(filterShape, 'float32');
    floatView(backend, zero, 'dW').fill(0);
    return zero;
  }
  return K < info.outChannels ? filterGradPackPatches(backend, x, dy, info, filterShape) : filterGradPackDy(backend, x, dy, info, filterShape);
}

function conv2DBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  // The conv info of the original layout: sizes and padding do not depend on where the channels sit.
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, format);
  if (format === 'channelsLast') return filterGradNhwc(wasm, x, dy, info, filterShape);
  const xt = runWasm('Transpose', wasm, { x }, { perm: [0, 2, 3, 1] });
  const dyt = runWasm('Transpose', wasm, { x: dy }, { perm: [0, 2, 3, 1] });
  try {
    return filterGradNhwc(wasm, xt, dyt, info, filterShape);
  } finally {
    wasm.disposeData(xt.dataId);
    wasm.disposeData(dyt.dataId);
  }
}

/**
 * Visits every (output position, filter tap) of a depthwise convolution that reads a pixel inside the image, with
 * the offsets of dy's channels, of x's pixel and of the filter tap: the loop both depthwise gradients share.
 */
function forEachDepthwiseTap(info: Conv2DInfo, top: number, left: number, visit: (dyOff: number, xOff: number, wOff: number) => void): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const CM = info.outChannels;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const dyOff = ((b * OH + oy) * OW + ox) * CM;
        for (let fh = 0; fh < FH; fh++) {
          const iy = oy * SH + fh * DH - top;
          if (iy < 0 || iy >= H) continue;
          for (let fw = 0; fw < FW; fw++) {
            const ix = ox * SW + fw * DW - left;
            if (ix < 0 || ix >= W) continue;
            visit(dyOff, ((b * H + iy) * W + ix) * C, (fh * FW + fw) * CM);
          }
        }
      }
    }
  }
}

function depthwiseInfo(inShape: Shape4, filterShape: Shape4, attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs | tf.DepthwiseConv2dNativeBackpropInputAttrs): Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(inShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true, 'channelsLast');
}

/** dW[fh, fw, c, m] = Σ over (b, oy, ox) of x[b, iy, ix, c] · dy[b, oy, ox, c·M + m]. */
function depthwiseConv2dNativeBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(x.shape as Shape4, a.filterShape, a);
  const { inChannels: C, filterHeight: FH, filterWidth: FW } = info;
  const M = info.outChannels / C;
  const CM = C * M;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(FH * FW * CM);
  const out = wasm.makeOutput(a.filterShape, 'float32');
  const xv = floatView(wasm, x, 'x');
  const dyv = floatView(wasm, dy, 'dy');
  forEachDepthwiseTap(info, top, left, (dyOff, xOff, wOff) => {
    if (M === 1) {
      for (let c = 0; c < C; c++) acc[wOff + c] = (acc[wOff + c] as number) + (xv[xOff + c] as number) * (dyv[dyOff + c] as number);
    } else {
      for (let c = 0; c < C; c++) {
        const xc = xv[xOff + c] as number;
        const o = c * M;
        for (let m = 0; m < M; m++) acc[wOff + o + m] = (acc[wOff + o + m] as number) + xc * (dyv[dyOff + o + m] as number);
      }
    }
  });
  floatView(wasm, out, 'dW').set(acc);
  return out;
}

/** dx[b, iy, ix, c] = Σ over the (oy, ox, fh, fw) that read it and m of dy[b, oy, ox, c·M + m] · W[fh, fw, c, m]. */
function depthwiseConv2dNativeBackpropInput({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(a.inputShape, filter.shape as Shape4, a);
  const C = info.inChannels;
  const M = info.outChannels / C;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = wasm.makeOutput(a.inputShape, 'float32');
  const dx = floatView(wasm, out, 'dx');
  const dyv = floatView(wasm, dy, 'dy');
  const wv = floatView(wasm, filter, 'filter');
  dx.fill(0);
  forEachDepthwiseTap(info, top, left, (dyOff, xOff, wOff) => {
    if (M === 1) {
      for (let c = 0; c < C; c++) dx[xOff + c] = (dx[xOff + c] as number) + (dyv[dyOff + c] as number) * (wv[wOff + c] as number);
    } else {
      for (let c = 0; c < C; c++) {
        const o = c * M;
        let s = 0;
        for (let m = 0; m < M; m++) s += (dyv[dyOff + o + m] as number) * (wv[wOff + o + m] as number);
        dx[xOff + c] = (dx[xOff + c] as number) + s;
      }
    }
  });
  return out;
}

/**
 * Max-pool gradient: each output position's dy goes to the first strict maximum of its window in x (row-major
 * window order, as the cpu backend does; NaN never wins, a window of only NaN / −∞ passes nothing).
 */
function maxPoolGrad({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW, effectiveFilterHeight: EH, effectiveFilterWidth: EW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = wasm.makeOutput(input.shape, 'float32');
  const dx = floatView(wasm, out, 'dx');
  const xv = floatView(wasm, input, 'input');
  const dyv = floatView(wasm, dy, 'dy');
  dx.fill(0);
  // Each output position's window: the pixels inside the image, as offsets from the image start, row-major.
  const span = Math.ceil(EH / DH) * Math.ceil(EW / DW);
  const windows = new Int32Array(OH * OW * span);
  const sizes = new Int32Array(OH * OW);
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const p = oy * OW + ox;
      let n = 0;
      for (let fy = 0; fy < EH; fy += DH) {
        const iy = oy * SH - top + fy;
        if (iy < 0 || iy >= H) continue;
        for (let fx = 0; fx < EW; fx += DW) {
          const ix = ox * SW - left + fx;
          if (ix >= 0 && ix < W) windows[p * span + n++] = (iy * W + ix) * C;
        }
      }
      sizes[p] = n;
    }
  }
  for (let b = 0; b < B; b++) {
    const image = b * H * W * C;
    for (let p = 0; p < OH * OW; p++) {
      const n = sizes[p] as number;
      const w0 = p * span;
      const dyOff = (b * OH * OW + p) * C;
      for (let c = 0; c < C; c++) {
        let best = -Infinity;
        let at = -1;
        for (let k = 0; k < n; k++) {
          const i = image + (windows[w0 + k] as number) + c;
          const v = xv[i] as number;
          if (v > best) {
            best = v;
            at = i;
          }
        }
        if (at >= 0) dx[at] = (dx[at] as number) + (dyv[dyOff + c] as number);
      }
    }
  }
  return out;
}

/** The wasm backend's own kernels that the replacements below delegate to, captured when they are replaced. */
const native = new Map<string, tf.KernelFunc>();

function runNative(name: string, args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const f = native.get(name);
  if (f === undefined) throw new Error(`The wasm backend's own ${name} kernel was not captured`);
  return f(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
}

/**
 * BatchMatMul: 4.22 runs XNNPACK only for untransposed single matrices; with transposeA or transposeB it falls
 * back to a plain blocked loop (tfjs batch_mat_mul_impl.cc). Every Dense layer's backward pass asks for both
 * (dW = xᵀ·dy, dx = dy·Wᵀ), so single matrices are transposed first (the backend's Transpose) and multiplied
 * untransposed: on the reference CNN's [64, 5408] · [5408, 10] products ~1–2 ms instead of ~5–6 ms. Batched
 * products (batch > 1) take the native path unchanged, as XNNPACK is not used for them anyway.
 */
function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  const single = (t: TensorInfo) => t.dtype === 'float32' && t.shape.length >= 2 && tf.util.sizeFromShape(t.shape.slice(0, -2)) === 1;
  if (!(transposeA || transposeB) || !single(a) || !single(b)) return runNative(tf.BatchMatMul, args);
  const wasm = args.backend as BackendWasm;
  const swapLast = (t: TensorInfo) => {
    const perm = t.shape.map((_, i) => i);
    perm.splice(-2, 2, t.shape.length - 1, t.shape.length - 2);
    return runWasm('Transpose', wasm, { x: t }, { perm });
  };
  const a2 = transposeA ? swapLast(a) : a;
  const b2 = transposeB ? swapLast(b) : b;
  try {
    return runNative(tf.BatchMatMul, { inputs: { a: a2, b: b2 }, backend: wasm, attrs: { transposeA: false, transposeB: false } });
  } finally {
    if (a2 !== a) wasm.disposeData(a2.dataId);
    if (b2 !== b) wasm.disposeData(b2.dataId);
  }
}

/**
 * Sum: 4.22 transposes the reduced axes innermost and then reduces, which for a reduction over the leading axes
 * (every bias gradient: dy [b, h, w, c] summed to [c]) costs a full transpose. A reduction over leading axes
 * only is done here as column sums in one pass (float64 accumulators): ~2.5 ms instead of ~6 ms on the reference
 * CNN's [64, 26, 26, 32]. Anything else goes to the native kernel.
 */
function sum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  if (x.dtype !== 'float32' || x.shape.length < 2) return runNative(tf.Sum, args);
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((v, i) => v === i);
  if (!leading) return runNative(tf.Sum, args);
  const wasm = args.backend as BackendWasm;
  const r = axes.length;
  const rows = tf.util.sizeFromShape(x.shape.slice(0, r));
  const cols = tf.util.sizeFromShape(x.shape.slice(r));
  const acc = new Float64Array(cols);
  const out = wasm.makeOutput(keepDims ? x.shape.map((d, i) => (i < r ? 1 : d)) : x.shape.slice(r), 'float32');
  const xv = floatView(wasm, x, 'x');
  for (let i = 0, o = 0; i < rows; i++) for (let c = 0; c < cols; c++, o++) acc[c] = (acc[c] as number) + (xv[o] as number);
  floatView(wasm, out, 'sum').set(acc);
  return out;
}

/**
 * Identity (tf.clone, and the engine's copies of the tensors a gradient needs, several per layer): 4.22 copies
 * the buffer; here the output shares it with a reference count, as the backend's Reshape and the cpu backend's
 * Identity do (kernels never write into their inputs). Saves a [64, 26, 26, 32] copy three times per step on
 * the reference CNN. Strings go to the native kernel.
 */
function identity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return runNative(tf.Identity, args);
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * UnsortedSegmentSum: out[segmentIds[i], …] += x[i, …] — the gradient of Gather, which every Embedding layer
 * needs to train. segmentIds index the first axis of x; ids outside [0, numSegments) are dropped, as on cpu.
 */
function unsortedSegmentSum({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const rows = x.shape[0] ?? 0;
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  if (ids.length !== rows) throw new Error(`segmentIds has ${ids.length} ids for ${rows} rows`);
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
  const sums = floatView(wasm, out, 'output');
  const xv = floatView(wasm, x, 'x');
  sums.fill(0);
  for (let i = 0; i < rows; i++) {
    const id = ids[i] as number;
    if (id < 0 || id >= numSegments) continue;
    const from = i * inner;
    const to = id * inner;
    for (let j = 0; j < inner; j++) sums[to + j]! += xv[from + j] as number;
  }
  return out;
}

/** Kernels the wasm backend lacks: registered when missing. */
const MISSING: tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter as tf.KernelFunc },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropFilter as tf.KernelFunc },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropInput as tf.KernelFunc },
  { kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSum as tf.KernelFunc },
];

/**
 * Kernels the wasm backend has, replaced because ours are measurably faster on training's shapes (times on the
 * reference CNN, batch 64, SIMD build, one thread). MaxPoolGrad: ~25 ms native, ~8 ms here — a third of a
 * training step was spent there — and ties go to the first maximum as on the cpu backend (not so natively).
 * BatchMatMul, Sum and Identity wrap the native kernels (above): `wraps` says the native one is still needed.
 */
const REPLACED: { config: tf.KernelConfig; wraps: boolean }[] = [
  { config: { kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad as tf.KernelFunc }, wraps: false },
  { config: { kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul as tf.KernelFunc }, wraps: true },
  { config: { kernelName: tf.Sum, backendName: 'wasm', kernelFunc: sum as tf.KernelFunc }, wraps: true },
  { config: { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identity as tf.KernelFunc }, wraps: true },
];

const ours = new Set<string>();

/**
 * Registers the training kernels for the 'wasm' backend: the missing ones, and the faster replacements.
 * Idempotent: a kernel registered by an earlier call is left as it is; a missing kernel the backend has gained
 * (a later tfjs) is not overridden; a wrapper whose native kernel is absent is not registered. A replacement
 * keeps the native kernel's setup/dispose functions, so a re-initialised backend still sets the native one up.
 * Returns the names of the kernels this module has registered, in this call or an earlier one. Meant to be
 * called once the wasm backend is active (kernels are looked up when they run, so earlier works too).
 */
export function registerWasmTrainingKernels(): string[] {
  for (const config of MISSING) {
    if (ours.has(config.kernelName) || tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    ours.add(config.kernelName);
  }
  for (const { config, wraps } of REPLACED) {
    if (ours.has(config.kernelName)) continue;
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (wraps && existing === undefined) continue;
    if (existing !== undefined) {
      native.set(config.kernelName, existing.kernelFunc);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    const replacement: tf.KernelConfig = { ...config };
    if (existing?.setupFunc) replacement.setupFunc = existing.setupFunc;
    if (existing?.disposeFunc) replacement.disposeFunc = existing.disposeFunc;
    tf.registerKernel(replacement);
    ours.add(config.kernelName);
  }
  return [...MISSING, ...REPLACED.map((r) => r.config)].map((k) => k.kernelName).filter((name) => ours.has(name));
}
