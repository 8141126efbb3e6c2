/**
 * Training kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks, registered for the 'wasm' backend so that
 * convolutional networks train there (a missing kernel makes `fit` throw "Kernel '…' not registered for backend
 * 'wasm'"; tfjs does not fall back to another backend).
 *
 * Missing in 4.22, found by training conv nets on wasm (reference CNN; 'same' padding and stride 2; two conv
 * layers; batch norm, dropout; average, global-average and global-max pooling; leaky ReLU, ELU, ReLU6, tanh,
 * sigmoid; conv2dTranspose, upSampling2d, zeroPadding2d; depthwise and separable convs; both cross-entropies):
 *   - Conv2DBackpropFilter                 (every Conv2D layer's weight gradient)
 *   - DepthwiseConv2dNativeBackpropFilter  (depthwiseConv2d / separableConv2d)
 *   - DepthwiseConv2dNativeBackpropInput   (depthwiseConv2d / separableConv2d)
 * Conv2DBackpropInput, MaxPoolGrad and AvgPoolGrad are native in 4.22 and left alone.
 *
 * Conv2DBackpropFilter is dW = im2col(x)ᵀ · dy, i.e. one matrix product over N = batch·outH·outW rows: the
 * patches are written straight into the wasm heap as a K×N matrix (K = fh·fw·inC) and multiplied by dy (N×outC)
 * with the backend's own BatchMatMul (XNNPACK, SIMD), chunked over the batch so that the patch matrix stays
 * under wasmKernelLimits.im2colFloats. The depthwise kernels are tight typed-array loops over the heap (no matrix product
 * fits them; they are not on the reference CNN's path). NHWC; NCHW is transposed to NHWC first
 * (Conv2DBackpropFilter only — tfjs has no NCHW depthwise). Any stride, 'valid' / 'same' / explicit padding,
 * any batch size; dilation as the attributes say (tfjs' own gradients only allow 1).
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

/** dW[fh, fw, c, co] = Σ over (b, oy, ox) of x[b, oy·sh + fh − top, ox·sw + fw − left, c] · dy[b, oy, ox, co]; NHWC x and dy. */
function filterGradNhwc(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo, filterShape: Shape4): TensorInfo {
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
    let dyChunk: TensorInfo;
    if (nb === B) {
      dyChunk = { dataId: dy.dataId, shape: [n, CO], dtype: 'float32' };
    } else {
      dyChunk = backend.makeOutput([n, CO], 'float32');
      floatView(backend, dyChunk, 'dy').set(floatView(backend, dy, 'dy').subarray(b0 * perImage * CO, (b0 + nb) * perImage * CO));
    }
    const part = runWasm('BatchMatMul', backend, { a: cols, b: dyChunk }, { transposeA: false, transposeB: false });
    backend.disposeData(cols.dataId);
    if (dyChunk.dataId !== dy.dataId) backend.disposeData(dyChunk.dataId);
    if (result === null) {
      result = part;
    } else {
      const acc = floatView(backend, result, 'dW');
      const add = floatView(backend, part, 'dW');
      for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (add[i] as number);
      backend.disposeData(part.dataId);
    }
  }
  if (result === null) {
    // An empty batch: the gradient is zero.
    const zero = backend.makeOutput(filterShape, 'float32');
    floatView(backend, zero, 'dW').fill(0);
    return zero;
  }
  return { dataId: result.dataId, shape: filterShape, dtype: 'float32' };
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

function depthwiseInfo(inShape: Shape4, filterShape: Shape4, attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs | tf.DepthwiseConv2dNativeBackpropInputAttrs): Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(inShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true, 'channelsLast');
}

/** dW[fh, fw, c, m] = Σ over (b, oy, ox) of x[b, iy, ix, c] · dy[b, oy, ox, c·M + m]. */
function depthwiseConv2dNativeBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(x.shape as Shape4, a.filterShape, a);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const M = info.outChannels / C;
  const CM = C * M;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(FH * FW * CM);
  const out = wasm.makeOutput(a.filterShape, 'float32');
  const xv = floatView(wasm, x, 'x');
  const dyv = floatView(wasm, dy, 'dy');
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
            const xOff = ((b * H + iy) * W + ix) * C;
            const wOff = (fh * FW + fw) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[wOff + c] = (acc[wOff + c] as number) + (xv[xOff + c] as number) * (dyv[dyOff + c] as number);
            } else {
              for (let c = 0; c < C; c++) {
                const xc = xv[xOff + c] as number;
                const o = c * M;
                for (let m = 0; m < M; m++) acc[wOff + o + m] = (acc[wOff + o + m] as number) + xc * (dyv[dyOff + o + m] as number);
              }
            }
          }
        }
      }
    }
  }
  floatView(wasm, out, 'dW').set(acc);
  return out;
}

/** dx[b, iy, ix, c] = Σ over the (oy, ox, fh, fw) that read it and m of dy[b, oy, ox, c·M + m] · W[fh, fw, c, m]. */
function depthwiseConv2dNativeBackpropInput({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(a.inputShape, filter.shape as Shape4, a);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const M = info.outChannels / C;
  const CM = C * M;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = wasm.makeOutput(a.inputShape, 'float32');
  const dx = floatView(wasm, out, 'dx');
  const dyv = floatView(wasm, dy, 'dy');
  const wv = floatView(wasm, filter, 'filter');
  dx.fill(0);
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
            const xOff = ((b * H + iy) * W + ix) * C;
            const wOff = (fh * FW + fw) * CM;
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
          }
        }
      }
    }
  }
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

/** Kernels the wasm backend lacks: registered when missing. */
const MISSING: tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter as tf.KernelFunc },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropFilter as tf.KernelFunc },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropInput as tf.KernelFunc },
];

/**
 * Kernels the wasm backend has, replaced because ours are measurably faster. MaxPoolGrad: 4.22's native kernel
 * took ~25 ms on the reference CNN's [64, 26, 26, 32] pool, this one ~8 ms (a third of a training step was
 * spent there); it also breaks ties like the cpu backend (the native one does not).
 */
const REPLACED: tf.KernelConfig[] = [{ kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad as tf.KernelFunc }];

const ours = new Set<string>();

/**
 * Registers the training kernels for the 'wasm' backend: the missing ones, and the replacements. Idempotent:
 * a kernel registered by an earlier call is left as it is, and a missing-kernel the backend has gained
 * (a later tfjs) is not overridden. Returns the names of the kernels this module has registered, in this call
 * or an earlier one. Call it after the wasm backend is active (it may be called before; kernels are looked up
 * when they run).
 */
export function registerWasmTrainingKernels(): string[] {
  for (const config of MISSING) {
    if (ours.has(config.kernelName) || tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    ours.add(config.kernelName);
  }
  for (const config of REPLACED) {
    if (ours.has(config.kernelName)) continue;
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
    ours.add(config.kernelName);
  }
  return [...MISSING, ...REPLACED].map((k) => k.kernelName).filter((name) => ours.has(name));
}
