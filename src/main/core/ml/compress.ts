/**
 * Post-training compression of TF.js layers-format weights: IEEE half precision, affine 8-bit quantisation and
 * magnitude pruning, written as a weights manifest + one binary blob like model.json + weights.bin.
 *
 * What stock `tf.loadLayersModel` decodes (tfjs-core 4.22, io/io_utils.js `decodeWeight`, and the manifest type in
 * io/types.d.ts `WeightsManifestEntry.quantization: { scale?, min?, dtype: 'uint16' | 'uint8' | 'float16' }`):
 * - `{ dtype: 'float16' }` on a float32 weight: 2 bytes a value, IEEE half;
 * - `{ dtype: 'uint8' | 'uint16', scale, min }`: value = q · scale + min with ONE scale and min per tensor (an entry
 *   without both throws "doesn't have corresponding metadata min and scale"); nothing per channel.
 *
 * So 'float16' and per-tensor 8-bit files load with the stock loader. Per-output-channel 8-bit (the 'int8' mode's
 * default for kernels) is written as `quantization: { dtype: 'uint8' }` — the byte size the stock reader expects,
 * but deliberately without `scale`/`min`, so the stock loader refuses the entry loudly instead of decoding it with
 * wrong numbers — plus a `channelQuantization: { axis, scales, mins }` field only `decodeWeights` here reads;
 * `loadCompressedModel` decodes such files and hands plain float32 weights to `tf.loadLayersModel`.
 *
 * 8-bit codes are unsigned (0 … 255) with a float offset, as TF.js stores them ("int8" in the sense of 8 bits a
 * weight); the range is nudged as tfjs-converter's quantization.py does so that 0 is represented exactly when the
 * range covers it (pruned weights stay exactly zero).
 */
import * as tf from '@tensorflow/tfjs';
import { XinzhiError } from '../../../shared/model/errors.js';

export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

export type CompressionMode = 'none' | 'float16' | 'int8';

/** Per-channel affine parameters along `axis` (always the last): value = q · scales[c] + mins[c]. */
export interface ChannelQuantization {
  axis: number;
  scales: number[];
  mins: number[];
}

/** A weights-manifest entry, optionally with our per-channel extension (not understood by stock TF.js). */
export type CompressedWeightsEntry = tf.io.WeightsManifestEntry & { channelQuantization?: ChannelQuantization };

export interface EncodeOptions {
  /** 'int8' only: per output channel (last axis) for kernels of rank ≥ 2. Default true; false writes every tensor per-tensor (stock-loadable). */
  perChannel?: boolean;
}

function invalid(message: string): never {
  throw new XinzhiError('E_INVALID_INPUT', message);
}

function sizeOf(shape: number[], what: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) invalid(`${what}: shape [${shape.join(', ')}] is not a list of sizes`);
    n *= d;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// IEEE half precision

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** The IEEE binary16 bits of a float32 value, rounded to nearest, ties to even (overflow → ±Inf, NaN kept NaN). */
export function float32ToFloat16Bits(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  if (exp > 142) return sign | 0x7c00; // ≥ 2^16
  if (exp < 113) {
    // A half subnormal (or zero): count units of 2^-24.
    if (exp < 102) return sign; // below 2^-25, half of the smallest subnormal
    const m = mant | 0x800000;
    const shift = 126 - exp;
    let q = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (q & 1) === 1)) q++;
    return sign | q; // q may carry into the smallest normal, which is the right answer
  }
  let q = ((exp - 112) << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (q & 1) === 1)) q++; // a carry into the exponent is correct, up to Inf
  return sign | q;
}

/** The value of IEEE binary16 bits (exact in float32). */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// ---------------------------------------------------------------------------------------------------------------
// Affine 8-bit

interface Affine {
  scale: number;
  min: number;
  max: number;
}

/** tfjs-converter's range for uint8: scale = (max − min)/255, min nudged so 0 is a code when the range covers 0. */
function affineRange(lo: number, hi: number): Affine {
  if (lo === hi) return { scale: 1, min: lo, max: hi }; // one value: every code 0 (as the converter)
  const scale = (hi - lo) / 255;
  if (lo <= 0 && hi >= 0) {
    const min = -Math.round(-lo / scale) * scale;
    return { scale, min, max: 255 * scale + min };
  }
  return { scale, min: lo, max: hi };
}

function quantize(v: number, a: Affine): number {
  if (a.min === a.max) return 0;
  return Math.round((Math.min(Math.max(v, a.min), a.max) - a.min) / a.scale);
}

// ---------------------------------------------------------------------------------------------------------------
// Encode / decode

function checkWeights(weights: NamedWeight[]): void {
  const names = new Set<string>();
  for (const w of weights) {
    if (typeof w.name !== 'string' || w.name === '') invalid('a weight has no name');
    if (names.has(w.name)) invalid(`weight "${w.name}" appears twice`);
    names.add(w.name);
    if (!(w.values instanceof Float32Array)) invalid(`weight "${w.name}": values must be a Float32Array`);
    if (sizeOf(w.shape, `weight "${w.name}"`) !== w.values.length) invalid(`weight "${w.name}" has ${w.values.length} values for shape [${w.shape.join(', ')}]`);
  }
}

/**
 * Encodes weights as manifest entries + one blob (tensors back to back, in order). 'none': float32; 'float16': IEEE
 * half with `quantization: { dtype: 'float16' }`; 'int8': affine uint8, per output channel (last axis) for tensors
 * of rank ≥ 2 and per tensor for biases and other 1-D (or scalar) tensors.
 */
export function encodeWeights(weights: NamedWeight[], mode: CompressionMode, options: EncodeOptions = {}): { specs: CompressedWeightsEntry[]; data: Uint8Array } {
  if (mode !== 'none' && mode !== 'float16' && mode !== 'int8') invalid(`unknown compression mode "${String(mode)}"`);
  checkWeights(weights);
  const perChannel = options.perChannel ?? true;
  const bytesPer = mode === 'none' ? 4 : mode === 'float16' ? 2 : 1;
  const data = new Uint8Array(weights.reduce((s, w) => s + w.values.length * bytesPer, 0));
  const specs: CompressedWeightsEntry[] = [];
  let offset = 0;
  for (const w of weights) {
    const n = w.values.length;
    const spec: CompressedWeightsEntry = { name: w.name, shape: [...w.shape], dtype: 'float32' };
    if (mode === 'none') {
      data.set(new Uint8Array(w.values.buffer, w.values.byteOffset, n * 4), offset);
    } else if (mode === 'float16') {
      const half = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        const v = w.values[i] as number;
        const h = float32ToFloat16Bits(v);
        if (Number.isFinite(v) && (h & 0x7c00) === 0x7c00) invalid(`weight "${w.name}" has a value (${v}) beyond float16's range`);
        half[i] = h;
      }
      data.set(new Uint8Array(half.buffer), offset); // native byte order, as the stock reader's Uint16Array view
      spec.quantization = { dtype: 'float16' };
    } else {
      for (let i = 0; i < n; i++) if (!Number.isFinite(w.values[i] as number)) invalid(`weight "${w.name}" has a non-finite value; it cannot be quantised`);
      const codes = data.subarray(offset, offset + n);
      // One channel (e.g. a Dense kernel into one unit) is the per-tensor case, which stock TF.js reads.
      const channels = perChannel && w.shape.length >= 2 ? (w.shape[w.shape.length - 1] as number) : 1;
      if (channels > 1) {
        const lo = new Float64Array(channels).fill(Number.POSITIVE_INFINITY);
        const hi = new Float64Array(channels).fill(Number.NEGATIVE_INFINITY);
        for (let i = 0; i < n; i++) {
          const c = i % channels;
          const v = w.values[i] as number;
          if (v < (lo[c] as number)) lo[c] = v;
          if (v > (hi[c] as number)) hi[c] = v;
        }
        const ranges = Array.from({ length: channels }, (_, c) => (n === 0 ? affineRange(0, 0) : affineRange(lo[c] as number, hi[c] as number)));
        for (let i = 0; i < n; i++) codes[i] = quantize(w.values[i] as number, ranges[i % channels] as Affine);
        // No scale/min on purpose: the stock loader must refuse this entry rather than misread it.
        spec.quantization = { dtype: 'uint8' };
        spec.channelQuantization = { axis: w.shape.length - 1, scales: ranges.map((r) => r.scale), mins: ranges.map((r) => r.min) };
      } else {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < n; i++) {
          lo = Math.min(lo, w.values[i] as number);
          hi = Math.max(hi, w.values[i] as number);
        }
        const range = n === 0 ? affineRange(0, 0) : affineRange(lo, hi);
        for (let i = 0; i < n; i++) codes[i] = quantize(w.values[i] as number, range);
        spec.quantization = { dtype: 'uint8', scale: range.scale, min: range.min };
      }
    }
    specs.push(spec);
    offset += n * bytesPer;
  }
  return { specs, data };
}

function bytesPerValue(spec: CompressedWeightsEntry): number {
  const q = spec.quantization;
  if (q === undefined) return 4;
  return q.dtype === 'float16' || q.dtype === 'uint16' ? 2 : 1;
}

/**
 * The inverse of `encodeWeights`, and a reader of stock manifests: float32, float16 and per-tensor uint8/uint16
 * entries decode exactly as TF.js decodes them (q · scale + min in double precision, stored as float32), plus our
 * per-channel uint8 form.
 */
export function decodeWeights(specs: CompressedWeightsEntry[], data: Uint8Array | ArrayBuffer): NamedWeight[] {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') invalid(`weight "${spec.name}" has dtype ${spec.dtype}; only float32 weights are supported`);
    const n = sizeOf(spec.shape, `weight "${spec.name}"`);
    const size = n * bytesPerValue(spec);
    if (offset + size > bytes.length) invalid(`the weight data ends inside "${spec.name}" (${bytes.length} bytes)`);
    const chunk = bytes.slice(offset, offset + size); // a copy: aligned for the typed-array views below
    const values = new Float32Array(n);
    const q = spec.quantization;
    if (q === undefined) {
      values.set(new Float32Array(chunk.buffer));
    } else if (q.dtype === 'float16') {
      const half = new Uint16Array(chunk.buffer);
      for (let i = 0; i < n; i++) values[i] = float16BitsToFloat32(half[i] as number);
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const codes = q.dtype === 'uint8' ? chunk : new Uint16Array(chunk.buffer);
      const cq = spec.channelQuantization;
      if (cq !== undefined) {
        if (q.dtype !== 'uint8') invalid(`weight "${spec.name}": per-channel quantisation is uint8 only`);
        const channels = spec.shape[spec.shape.length - 1];
        if (cq.axis !== spec.shape.length - 1 || channels === undefined || cq.scales.length !== channels || cq.mins.length !== channels) {
          invalid(`weight "${spec.name}": per-channel parameters do not match its last axis`);
        }
        for (let i = 0; i < n; i++) values[i] = (codes[i] as number) * (cq.scales[i % channels] as number) + (cq.mins[i % channels] as number);
      } else {
        if (typeof q.scale !== 'number' || typeof q.min !== 'number') invalid(`weight "${spec.name}" is ${q.dtype}-quantised without scale and min`);
        for (let i = 0; i < n; i++) values[i] = (codes[i] as number) * q.scale + q.min;
      }
    } else {
      invalid(`weight "${spec.name}" has unknown quantization dtype ${String((q as { dtype: unknown }).dtype)}`);
    }
    out.push({ name: spec.name, shape: [...spec.shape], values });
    offset += size;
  }
  if (offset !== bytes.length) invalid(`the weight data has ${bytes.length} bytes, the manifest describes ${offset}`);
  return out;
}

/** Whether stock `tf.loadLayersModel` can read these entries (no per-channel extension). */
export function isStockLoadable(specs: CompressedWeightsEntry[]): boolean {
  return specs.every((s) => s.channelQuantization === undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Models

function joinWeightData(weightData: tf.io.WeightData | undefined): Uint8Array {
  if (weightData === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData));
}

/** The weights of saved model artifacts (what `model.save(tf.io.withSaveHandler(...))` receives). */
export function namedWeightsFromArtifacts(artifacts: tf.io.ModelArtifacts): NamedWeight[] {
  return decodeWeights(artifacts.weightSpecs ?? [], joinWeightData(artifacts.weightData));
}

/** Re-encodes saved model artifacts as a model.json object (one weights file, `weightsPath`) and its data. */
export function compressModelArtifacts(artifacts: tf.io.ModelArtifacts, mode: CompressionMode, options: EncodeOptions & { weightsPath?: string } = {}): { modelJson: tf.io.ModelJSON; data: Uint8Array } {
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) invalid('the artifacts have no JSON model topology');
  const { specs, data } = encodeWeights(namedWeightsFromArtifacts(artifacts), mode, options);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'Xinzhi Workbench',
    weightsManifest: [{ paths: [options.weightsPath ?? 'weights.bin'], weights: specs }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
  };
  return { modelJson, data };
}

/**
 * Loads a model.json object and its (single, concatenated) weight data, any of our encodings included: the weights
 * are decoded here and given to `tf.loadLayersModel` as plain float32.
 */
export async function loadCompressedModel(modelJson: tf.io.ModelJSON, data: Uint8Array | ArrayBuffer): Promise<tf.LayersModel> {
  if (modelJson === null || typeof modelJson !== 'object' || !modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) invalid('not a TF.js layers model.json');
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights) as CompressedWeightsEntry[];
  const weights = decodeWeights(specs, data);
  const plain = encodeWeights(weights, 'none');
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: plain.specs,
      weightData: plain.data.buffer as ArrayBuffer, // its own buffer, exactly the data
      ...(modelJson.trainingConfig ? { trainingConfig: modelJson.trainingConfig } : {}),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Pruning

export interface PruneOptions {
  /** Prune only kernels (rank ≥ 2); biases and other 1-D tensors are left alone. Default true. */
  kernelsOnly?: boolean;
}

/**
 * Magnitude pruning: in each pruned tensor, the round(sparsity · size) weights of smallest |w| become 0 (ties broken
 * by position, so it is deterministic). Returns new weights, a keep-mask (1 = kept) per pruned tensor, and the
 * sparsity reached over the pruned tensors.
 */
export function magnitudePrune(weights: NamedWeight[], sparsity: number, options: PruneOptions = {}): { weights: NamedWeight[]; masks: Map<string, Uint8Array>; sparsity: number } {
  if (!(sparsity >= 0 && sparsity <= 1)) invalid('sparsity must be in [0, 1]');
  checkWeights(weights);
  const kernelsOnly = options.kernelsOnly ?? true;
  const masks = new Map<string, Uint8Array>();
  let params = 0;
  let zeros = 0;
  const out = weights.map((w) => {
    const values = Float32Array.from(w.values);
    if (kernelsOnly && w.shape.length < 2) return { name: w.name, shape: [...w.shape], values };
    const n = values.length;
    const magnitude = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (Number.isNaN(v)) invalid(`weight "${w.name}" contains NaN`);
      magnitude[i] = Math.abs(v);
    }
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (magnitude[a] as number) - (magnitude[b] as number) || a - b);
    const k = Math.round(sparsity * n);
    const mask = new Uint8Array(n).fill(1);
    for (let i = 0; i < k; i++) {
      const j = order[i] as number;
      mask[j] = 0;
      values[j] = 0;
    }
    masks.set(w.name, mask);
    params += n;
    for (let i = 0; i < n; i++) if (values[i] === 0) zeros++;
    return { name: w.name, shape: [...w.shape], values };
  });
  return { weights: out, masks, sparsity: params === 0 ? 0 : zeros / params };
}

/** Parameter count, exact zeros and their fraction over all the weights. */
export function weightStats(weights: NamedWeight[]): { params: number; zeros: number; sparsity: number } {
  let params = 0;
  let zeros = 0;
  for (const w of weights) {
    params += w.values.length;
    for (let i = 0; i < w.values.length; i++) if (w.values[i] === 0) zeros++;
  }
  return { params, zeros, sparsity: params === 0 ? 0 : zeros / params };
}
