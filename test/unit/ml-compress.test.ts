// Weight compression: IEEE half rounding (exhaustive over all 65 536 half values), affine 8-bit error bounds, our
// decoder against TF.js's own `tf.io.decodeWeights`, and a real tf.sequential model re-encoded in every mode and
// loaded back — with stock `tf.loadLayersModel` where the format allows, and with `loadCompressedModel`.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compressModelArtifacts,
  decodeWeights,
  encodeWeights,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  isStockLoadable,
  loadCompressedModel,
  magnitudePrune,
  namedWeightsFromArtifacts,
  weightStats,
  type CompressedWeightsEntry,
  type NamedWeight,
} from '../../src/main/core/ml/compress.js';
import { mulberry32 } from '../../src/main/core/random.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomWeight(name: string, shape: number[], seed: number, scale = 1): NamedWeight {
  const random = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { name, shape, values: Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale) };
}

const nextUp = (v: number) => {
  const f = new Float32Array([v]);
  const u = new Uint32Array(f.buffer);
  u[0] = (u[0] as number) + (v >= 0 ? 1 : -1);
  return f[0] as number;
};
const nextDown = (v: number) => {
  const f = new Float32Array([v]);
  const u = new Uint32Array(f.buffer);
  u[0] = (u[0] as number) - (v > 0 ? 1 : -1);
  return f[0] as number;
};

describe('IEEE half precision', () => {
  it('round-trips every half value and rounds every midpoint to even (exhaustive)', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = float16BitsToFloat32(h);
      if (Number.isNaN(v)) {
        expect((float32ToFloat16Bits(v) & 0x7c00) === 0x7c00 && (float32ToFloat16Bits(v) & 0x3ff) !== 0).toBe(true);
        continue;
      }
      expect(float32ToFloat16Bits(v)).toBe(h);
      // Midpoint between h and the next half of larger magnitude (positive and negative halves alike).
      if ((h & 0x7fff) < 0x7bff) {
        const w = float16BitsToFloat32(h + 1);
        const mid = (v + w) / 2;
        expect(Math.fround(mid)).toBe(mid); // a midpoint needs 12 significant bits: exact in float32
        expect(float32ToFloat16Bits(mid)).toBe(h % 2 === 0 ? h : h + 1);
        expect(float32ToFloat16Bits(Math.abs(mid) === mid ? nextDown(mid) : nextUp(mid))).toBe(h);
        expect(float32ToFloat16Bits(Math.abs(mid) === mid ? nextUp(mid) : nextDown(mid))).toBe(h + 1);
      }
    }
  });

  it('handles the edges like numpy float16', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65519)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // the tie above the largest half goes to Inf
    expect(float32ToFloat16Bits(-1e9)).toBe(0xfc00);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(1);
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0); // tie with 0: to even
    expect(float32ToFloat16Bits(nextUp(2 ** -25))).toBe(1);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(Object.is(float16BitsToFloat32(0x8000), -0)).toBe(true);
  });
});

describe('encodeWeights / decodeWeights', () => {
  const kernel = (() => {
    // Output channels with very different ranges: per-channel scales matter.
    const w = randomWeight('dense/kernel', [12, 5], 3);
    for (let i = 0; i < w.values.length; i++) w.values[i] = (w.values[i] as number) * 10 ** ((i % 5) - 2);
    w.values[7] = 0;
    return w;
  })();
  const bias = randomWeight('dense/bias', [5], 4, 0.1);
  const positive: NamedWeight = { name: 'scale', shape: [3], values: Float32Array.from([0.5, 0.75, 2]) };
  const constant: NamedWeight = { name: 'const', shape: [2, 2], values: new Float32Array(4).fill(-1.25) };
  const weights = [kernel, bias, positive, constant];

  it("'none' is a lossless float32 copy", () => {
    const { specs, data } = encodeWeights(weights, 'none');
    expect(specs.every((s) => s.quantization === undefined && s.dtype === 'float32')).toBe(true);
    expect(data.byteLength).toBe(4 * (60 + 5 + 3 + 4));
    decodeWeights(specs, data).forEach((w, i) => {
      expect(w.name).toBe(weights[i]!.name);
      expect(w.shape).toEqual(weights[i]!.shape);
      expect(Array.from(w.values)).toEqual(Array.from(weights[i]!.values));
    });
  });

  it("'float16' stays within half a half-ulp and takes half the bytes", () => {
    const { specs, data } = encodeWeights(weights, 'float16');
    expect(specs.every((s) => s.quantization?.dtype === 'float16')).toBe(true);
    expect(data.byteLength).toBe(2 * (60 + 5 + 3 + 4));
    decodeWeights(specs, data).forEach((w, i) => {
      const src = weights[i]!.values;
      w.values.forEach((v, j) => {
        const x = src[j] as number;
        // Normal halves: relative error ≤ 2^-11; subnormals: absolute ≤ 2^-25.
        expect(Math.abs(v - x)).toBeLessThanOrEqual(Math.max(Math.abs(x) * 2 ** -11, 2 ** -25));
      });
    });
  });

  it("'int8' quantises kernels per output channel within scale/2, biases per tensor, and keeps 0 exact", () => {
    const { specs, data } = encodeWeights(weights, 'int8');
    expect(data.byteLength).toBe(60 + 5 + 3 + 4);
    const [ks, bs, ps, cs] = specs as [CompressedWeightsEntry, CompressedWeightsEntry, CompressedWeightsEntry, CompressedWeightsEntry];
    expect(ks.quantization).toEqual({ dtype: 'uint8' });
    expect(ks.channelQuantization?.scales.length).toBe(5);
    expect(bs.channelQuantization).toBeUndefined();
    expect(typeof bs.quantization?.scale).toBe('number');
    expect(isStockLoadable(specs)).toBe(false);
    const [k, b, p, c] = decodeWeights(specs, data) as [NamedWeight, NamedWeight, NamedWeight, NamedWeight];
    const cq = ks.channelQuantization!;
    for (let ch = 0; ch < 5; ch++) {
      let maxErr = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = ch; i < 60; i += 5) {
        maxErr = Math.max(maxErr, Math.abs((k.values[i] as number) - (kernel.values[i] as number)));
        lo = Math.min(lo, kernel.values[i] as number);
        hi = Math.max(hi, kernel.values[i] as number);
      }
      const scale = cq.scales[ch] as number;
      expect(scale).toBeCloseTo((hi - lo) / 255, 12);
      expect(maxErr).toBeLessThanOrEqual(scale / 2 + 1e-7 * Math.max(Math.abs(lo), Math.abs(hi)));
    }
    expect(k.values[7]).toBe(0);
    const bScale = bs.quantization!.scale!;
    bias.values.forEach((x, i) => expect(Math.abs((b.values[i] as number) - x)).toBeLessThanOrEqual(bScale / 2 + 1e-8));
    // An all-positive range is not nudged (the converter's rule): its ends are exact.
    expect(p.values[0]).toBe(0.5);
    expect(p.values[2]).toBe(2);
    // A constant tensor decodes exactly.
    expect(Array.from(c.values)).toEqual([-1.25, -1.25, -1.25, -1.25]);
    expect(cs.channelQuantization).toBeDefined();

    // Per channel is much better than per tensor on the small channels.
    const perTensor = decodeWeights(...(Object.values(encodeWeights([kernel], 'int8', { perChannel: false })) as [CompressedWeightsEntry[], Uint8Array]))[0]!;
    const err = (a: Float32Array, ch: number) => {
      let m = 0;
      for (let i = ch; i < 60; i += 5) m = Math.max(m, Math.abs((a[i] as number) - (kernel.values[i] as number)));
      return m;
    };
    expect(err(k.values, 0)).toBeLessThan(err(perTensor.values, 0) / 50);
  });

  it('decodes stock entries exactly as tf.io.decodeWeights does', () => {
    for (const [mode, perChannel] of [['none', false], ['float16', false], ['int8', false]] as const) {
      const { specs, data } = encodeWeights(weights, mode, { perChannel });
      expect(isStockLoadable(specs)).toBe(true);
      const ours = decodeWeights(specs, data);
      const theirs = tf.io.decodeWeights(new Uint8Array(data).buffer, specs);
      for (const w of ours) {
        const t = theirs[w.name]!;
        expect(t.shape).toEqual(w.shape);
        expect(Array.from(t.dataSync())).toEqual(Array.from(w.values));
        t.dispose();
      }
    }
  });

  it('rejects bad input', () => {
    const bad = (fn: () => unknown) => expect(fn).toThrow(XinzhiError);
    bad(() => encodeWeights([{ name: 'a', shape: [2, 2], values: new Float32Array(3) }], 'none'));
    bad(() => encodeWeights([bias, bias], 'none'));
    bad(() => encodeWeights([{ name: 'big', shape: [1], values: Float32Array.from([70000]) }], 'float16'));
    bad(() => encodeWeights([{ name: 'nan', shape: [1], values: Float32Array.from([Number.NaN]) }], 'int8'));
    bad(() => encodeWeights(weights, 'int4' as never));
    const { specs, data } = encodeWeights(weights, 'int8');
    bad(() => decodeWeights(specs, data.subarray(0, data.length - 1)));
    bad(() => decodeWeights(specs, new Uint8Array(data.length + 1)));
    bad(() => decodeWeights([{ ...specs[1]!, quantization: { dtype: 'uint8' } }], data.subarray(60, 65)));
  });
});

describe('a tf.sequential model, compressed and loaded back', () => {
  let artifacts: tf.io.ModelArtifacts;
  let X: tf.Tensor2D;
  let reference: Float32Array;

  beforeAll(async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 0.1 }) }),
        tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.constant({ value: 0.05 }) }),
      ],
    });
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const random = mulberry32(9);
    X = tf.tensor2d(Float32Array.from({ length: 64 * 8 }, () => random() * 4 - 2), [64, 8]);
    reference = (model.predict(X) as tf.Tensor).dataSync() as Float32Array;
    model.dispose();
  });

  /** The stock path: the model.json object and its weights file, read the way TF.js's own file/http handlers do. */
  function stockLoad(modelJson: tf.io.ModelJSON, data: Uint8Array): Promise<tf.LayersModel> {
    return tf.loadLayersModel({
      load: () => tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [manifest.flatMap((g) => g.weights), new Uint8Array(data).buffer]),
    });
  }

  function maxDiff(model: tf.LayersModel): number {
    const p = (model.predict(X) as tf.Tensor).dataSync();
    let m = 0;
    p.forEach((v, i) => (m = Math.max(m, Math.abs(v - (reference[i] as number)))));
    return m;
  }

  const cases = [
    { mode: 'none', perChannel: true, tolerance: 0, stock: true },
    { mode: 'float16', perChannel: true, tolerance: 1e-3, stock: true },
    { mode: 'int8', perChannel: false, tolerance: 1e-2, stock: true },
    { mode: 'int8', perChannel: true, tolerance: 1e-2, stock: false },
  ] as const;

  for (const c of cases) {
    it(`${c.mode}${c.mode === 'int8' ? (c.perChannel ? ' per channel' : ' per tensor') : ''}: ${c.stock ? 'stock tf.loadLayersModel loads it' : 'stock loader refuses it, loadCompressedModel loads it'}`, async () => {
      const { modelJson: built, data } = compressModelArtifacts(artifacts, c.mode, { perChannel: c.perChannel });
      const modelJson = JSON.parse(JSON.stringify(built)) as tf.io.ModelJSON; // as written to and read from disk
      const specs = modelJson.weightsManifest[0]!.weights as CompressedWeightsEntry[];
      expect(isStockLoadable(specs)).toBe(c.stock);

      const ours = await loadCompressedModel(modelJson, data);
      const oursDiff = maxDiff(ours);
      expect(oursDiff).toBeLessThanOrEqual(c.tolerance);
      if (c.mode !== 'none') expect(oursDiff).toBeGreaterThan(0); // it really was quantised

      if (c.stock) {
        const stock = await stockLoad(modelJson, data);
        expect(maxDiff(stock)).toBeLessThanOrEqual(c.tolerance);
        // Same decoded weights either way.
        expect(Array.from((stock.predict(X) as tf.Tensor).dataSync())).toEqual(Array.from((ours.predict(X) as tf.Tensor).dataSync()));
        stock.dispose();
      } else {
        await expect(stockLoad(modelJson, data)).rejects.toThrow(/min and scale/);
      }
      ours.dispose();
    });
  }

  it('sizes: float16 is half of float32, 8-bit a quarter', () => {
    const full = compressModelArtifacts(artifacts, 'none').data.byteLength;
    expect(full).toBe(4 * (8 * 16 + 16 + 16 + 1));
    expect(compressModelArtifacts(artifacts, 'float16').data.byteLength).toBe(full / 2);
    expect(compressModelArtifacts(artifacts, 'int8').data.byteLength).toBe(full / 4);
  });

  it('pruned and 8-bit quantised, the pruned weights stay exactly 0', async () => {
    const pruned = magnitudePrune(namedWeightsFromArtifacts(artifacts), 0.5);
    const { specs, data } = encodeWeights(pruned.weights, 'int8');
    const decoded = decodeWeights(specs, data);
    for (const w of decoded) {
      const mask = pruned.masks.get(w.name);
      if (mask) w.values.forEach((v, i) => mask[i] === 0 && expect(v).toBe(0));
    }
    expect(weightStats(decoded.filter((w) => w.shape.length >= 2)).sparsity).toBeCloseTo(0.5, 2);
  });
});

describe('magnitudePrune', () => {
  const kernel = randomWeight('k', [8, 16], 5);
  const bias = randomWeight('b', [16], 6);

  it('hits the requested sparsity per kernel and keeps the largest weights; biases untouched', () => {
    for (const s of [0, 0.3, 0.5, 0.9, 1]) {
      const res = magnitudePrune([kernel, bias], s);
      const k = res.weights[0]!;
      const zeros = k.values.filter((v) => v === 0).length;
      expect(zeros).toBe(Math.round(s * 128));
      expect(res.sparsity).toBe(Math.round(s * 128) / 128);
      let maxPruned = 0;
      let minKept = Infinity;
      kernel.values.forEach((v, i) => {
        if (k.values[i] === 0) maxPruned = Math.max(maxPruned, Math.abs(v));
        else {
          minKept = Math.min(minKept, Math.abs(v));
          expect(k.values[i]).toBe(v);
        }
      });
      expect(maxPruned).toBeLessThanOrEqual(minKept);
      expect(Array.from(res.masks.get('k')!)).toEqual(Array.from(k.values, (v) => (v === 0 ? 0 : 1)));
      expect(res.masks.has('b')).toBe(false);
      expect(Array.from(res.weights[1]!.values)).toEqual(Array.from(bias.values));
    }
    // The input is not modified.
    expect(kernel.values.some((v) => v === 0)).toBe(false);
  });

  it('breaks ties by position, and prunes 1-D tensors when kernelsOnly is false', () => {
    const tied: NamedWeight = { name: 't', shape: [2, 3], values: Float32Array.from([1, -1, 2, 1, -2, 1]) };
    const res = magnitudePrune([tied], 0.5);
    expect(Array.from(res.weights[0]!.values)).toEqual([0, 0, 2, 0, -2, 1]);
    const all = magnitudePrune([kernel, bias], 0.25, { kernelsOnly: false });
    expect(all.weights[1]!.values.filter((v) => v === 0).length).toBe(4);
    expect(all.sparsity).toBe((32 + 4) / 144);
  });

  it('weightStats counts zeros; bad sparsity is rejected', () => {
    expect(weightStats([{ name: 'z', shape: [4], values: Float32Array.from([0, 1, -0, 2]) }])).toEqual({ params: 4, zeros: 2, sparsity: 0.5 });
    expect(weightStats([])).toEqual({ params: 0, zeros: 0, sparsity: 0 });
    expect(() => magnitudePrune([kernel], 1.5)).toThrow(XinzhiError);
    expect(() => magnitudePrune([kernel], Number.NaN)).toThrow(XinzhiError);
  });
});
