#!/usr/bin/env node
// Reference CNN benchmark on the MNIST test set (10,000 images 28×28, IDX gzip): Conv2D(32, 3×3, ReLU) →
// MaxPool(2) → Flatten → Dense(10, softmax), Adam 3e-3 (with only 8,000 training images 1e-3 stops near 0.96
// after 5 epochs), sparse categorical cross-entropy, batch 64.
//   1. one epoch on all 10k images on TF.js 'wasm' (with workers/wasm-kernels.ts registered; and again with
//      only its missing kernels, the native MaxPoolGrad/BatchMatMul/Sum/Identity put back) and on 'cpu'
//      (pure JS); ms/epoch and the ratio. When the first cpu batches say an epoch would take over
//      XINZHI_BENCH_CPU_MAX_S (default 180) seconds, a fixed number of batches is timed instead
//      (XINZHI_BENCH_CPU_BATCHES, default 10) and the epoch extrapolated by images — the output says so.
//   2. a seeded 80/20 split: ≤ XINZHI_BENCH_EPOCHS (default 5) epochs on wasm, held-out accuracy after each.
//   3. which wasm binary runs (SIMD, threads), and whether the threaded-SIMD build starts in a worker_thread.
// Prints and writes test/bench/results/cnn-<date>.json. Not a test: nothing here asserts a time.
// Data: $XINZHI_DATASETS/mnist_test, else ../shared/datasets/mnist_test beside the repository.
import { mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { cpus, totalmem, tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mnistDir = resolve(process.env.XINZHI_DATASETS ?? resolve(root, '..', 'shared', 'datasets'), 'mnist_test');
const resultsDir = join(root, 'test', 'bench', 'results');
const BATCH = 64;
const SEED = 42;
const LEARNING_RATE = Number(process.env.XINZHI_BENCH_LR ?? 3e-3);
const CPU_MAX_S = Number(process.env.XINZHI_BENCH_CPU_MAX_S ?? 180);
const CPU_BATCHES = Number(process.env.XINZHI_BENCH_CPU_BATCHES ?? 10);
const EPOCHS = Number(process.env.XINZHI_BENCH_EPOCHS ?? 5);
const requireHere = createRequire(join(root, 'package.json'));
const wasmDist = join(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';

// The engine is TypeScript: bundle it to a temporary module, as privacy-arx.mjs does. TensorFlow.js stays
// external (resolved to this repository's files) so that the bundle and this script share one tfjs engine.
const scratch = mkdtempSync(join(tmpdir(), 'xinzhi-bench-cnn-'));
const bundle = join(scratch, 'cnn.mjs');
const tfExternal = { name: 'tfjs-external', setup: (b) => b.onResolve({ filter: /^@tensorflow\// }, (a) => ({ path: requireHere.resolve(a.path), external: true })) };
await build({
  stdin: {
    contents: [
      "export { registerWasmTrainingKernels } from './src/main/workers/wasm-kernels.ts';",
      "export { buildReferenceCnn, REFERENCE_CNN_LOSS } from './src/main/core/ml/cnn.ts';",
      "export { idxImagesAndLabels } from './src/main/core/ml/idx.ts';",
      "export { mulberry32 } from './src/main/core/random.ts';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
    sourcefile: 'bench-cnn-entry.ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'warning',
  plugins: [tfExternal],
});
const { registerWasmTrainingKernels, buildReferenceCnn, REFERENCE_CNN_LOSS, idxImagesAndLabels, mulberry32 } = await import(pathToFileURL(bundle).href);
rmSync(scratch, { recursive: true, force: true });

// ---- data
const t0 = performance.now();
const mnist = idxImagesAndLabels(
  gunzipSync(readFileSync(join(mnistDir, 't10k-images-idx3-ubyte.gz'))),
  gunzipSync(readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte.gz'))),
);
const { count, rows, cols } = mnist;
const pixelsPerImage = rows * cols;
const X = new Float32Array(mnist.pixels.length);
for (let i = 0; i < X.length; i++) X[i] = mnist.pixels[i] / 255;
const Y = Float32Array.from(mnist.labels);
const loadMs = performance.now() - t0;
console.log(`MNIST test: ${count} images ${rows}×${cols}, read + gunzip + parse + /255 in ${loadMs.toFixed(0)} ms (${mnistDir})`);

function permutation(n, seed) {
  const random = mulberry32(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** A batch as tensors, copied from the typed arrays (the same data path on every backend). */
function batchTensors(indices) {
  const xs = new Float32Array(indices.length * pixelsPerImage);
  const ys = new Float32Array(indices.length);
  indices.forEach((k, i) => {
    xs.set(X.subarray(k * pixelsPerImage, (k + 1) * pixelsPerImage), i * pixelsPerImage);
    ys[i] = Y[k];
  });
  return [tf.tensor4d(xs, [indices.length, rows, cols, 1]), tf.tensor1d(ys)];
}

async function trainBatches(model, order, firstBatch, lastBatch) {
  let loss = 0;
  for (let b = firstBatch; b < lastBatch; b++) {
    const [xs, ys] = batchTensors(order.slice(b * BATCH, (b + 1) * BATCH));
    const [l] = await model.trainOnBatch(xs, ys);
    loss = l;
    xs.dispose();
    ys.dispose();
  }
  return loss;
}

// The wasm backend's own kernels that registerWasmTrainingKernels replaces, kept to time an epoch without the
// replacements too (only the missing kernels added), so the output shows what each part brings.
const REPLACEABLE = ['MaxPoolGrad', 'BatchMatMul', 'Sum', 'Identity'];
const nativeKernels = new Map();
const ourKernels = new Map();
function useKernels(which) {
  for (const name of REPLACEABLE) {
    const config = (which === 'native' ? nativeKernels : ourKernels).get(name);
    if (config === undefined) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
}

async function useBackend(name) {
  if (name === 'wasm') {
    tfwasm.setWasmPaths(wasmDist);
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
    if (nativeKernels.size === 0) for (const k of REPLACEABLE) if (tf.getKernel(k, 'wasm')) nativeKernels.set(k, tf.getKernel(k, 'wasm'));
    const registered = registerWasmTrainingKernels();
    if (ourKernels.size === 0) for (const k of REPLACEABLE) if (registered.includes(k)) ourKernels.set(k, tf.getKernel(k, 'wasm'));
    return registered;
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not initialise`);
  return [];
}

const newModel = () => buildReferenceCnn({ height: rows, width: cols, channels: 1, classes: 10, seed: SEED, learningRate: LEARNING_RATE });
const batchesPerEpoch = Math.ceil(count / BATCH);
const order = permutation(count, SEED);

/** One epoch (or a measured prefix, extrapolated by images) after one warm-up batch that is not timed. */
async function timeEpoch(backend, maxSeconds, fixedBatches) {
  const registered = await useBackend(backend);
  const model = newModel();
  await trainBatches(model, permutation(count, SEED + 1), 0, 1); // warm-up: kernel set-up, first allocations
  const start = performance.now();
  let done = 0;
  let loss = NaN;
  let extrapolated = false;
  while (done < batchesPerEpoch) {
    loss = await trainBatches(model, order, done, done + 1);
    done++;
    const elapsed = performance.now() - start;
    if (done === 2 && done < batchesPerEpoch && (elapsed / done) * batchesPerEpoch > maxSeconds * 1000) extrapolated = true;
    if (extrapolated && done >= fixedBatches) break;
  }
  const ms = performance.now() - start;
  const images = Math.min(count, done * BATCH);
  const epochMs = (ms / images) * count;
  model.optimizer.dispose();
  model.dispose();
  return { backend, registeredKernels: registered, batchesTimed: done, imagesTimed: images, measuredMs: ms, epochMs, extrapolated, lastLoss: loss, tensorsLeft: tf.memory().numTensors };
}

// ---- 1. one epoch, wasm and cpu
const wasm = await timeEpoch('wasm', Infinity, batchesPerEpoch);
useKernels('native');
const wasmMissingOnly = await timeEpoch('wasm', Infinity, batchesPerEpoch);
useKernels('ours');
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
const wasmBinary = simd && threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
console.log(`wasm binary: ${wasmBinary} (SIMD ${simd}, threads ${threads}, XNNPACK threads ${tfwasm.getThreadsCount()}); kernels registered: ${wasm.registeredKernels.join(', ')}`);
const f = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
console.log(`wasm  one epoch (${count} images, batch ${BATCH}): ${f(wasm.epochMs)}   last batch loss ${wasm.lastLoss.toFixed(4)}`);
console.log(`wasm  one epoch with only the missing kernels added (native ${REPLACEABLE.join(', ')}): ${f(wasmMissingOnly.epochMs)}`);
const cpu = await timeEpoch('cpu', CPU_MAX_S, CPU_BATCHES);
console.log(
  `cpu   one epoch: ${f(cpu.epochMs)}${cpu.extrapolated ? `   EXTRAPOLATED from ${cpu.batchesTimed} batches (${cpu.imagesTimed} images in ${f(cpu.measuredMs)}): a full epoch would exceed ${CPU_MAX_S} s` : ''}`,
);
const ratio = cpu.epochMs / wasm.epochMs;
console.log(`ratio cpu / wasm: ${ratio.toFixed(1)}×   (with only the missing kernels: ${(cpu.epochMs / wasmMissingOnly.epochMs).toFixed(1)}×)`);

// ---- 2. accuracy: seeded 80/20 split, ≤ EPOCHS epochs on wasm
await useBackend('wasm');
const split = permutation(count, SEED + 2);
const nTrain = Math.floor(count * 0.8);
const trainIdx = split.slice(0, nTrain);
const testIdx = split.slice(nTrain);
const [xTest, yTest] = batchTensors(testIdx);
const model = newModel();
const history = [];
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  const t = performance.now();
  const shuffled = permutation(nTrain, SEED + 100 + epoch).map((i) => trainIdx[i]);
  const loss = await trainBatches(model, shuffled, 0, Math.ceil(nTrain / BATCH));
  const trainMs = performance.now() - t;
  const predicted = tf.tidy(() => model.predict(xTest, { batchSize: 500 }).argMax(-1));
  const p = await predicted.data();
  predicted.dispose();
  const y = await yTest.data();
  let right = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === y[i]) right++;
  const accuracy = right / p.length;
  history.push({ epoch, trainMs: Math.round(trainMs), lastBatchLoss: Number(loss.toFixed(4)), heldOutAccuracy: accuracy });
  console.log(`epoch ${epoch}: ${nTrain} train images in ${f(trainMs)}, held-out accuracy ${accuracy.toFixed(4)} (${right}/${p.length})`);
}
model.optimizer.dispose();
model.dispose();
xTest.dispose();
yTest.dispose();
const finalAccuracy = history[history.length - 1]?.heldOutAccuracy ?? NaN;
console.log(`held-out accuracy after ${history.length} epochs: ${finalAccuracy.toFixed(4)} (target ≥ 0.97: ${finalAccuracy >= 0.97 ? 'met' : 'NOT met'})`);

// ---- 3. threads: does the threaded-SIMD build start in a worker_thread? (tfjs reports no multithread support
// in Node; forcing the flag is the only way to ask for it.)
function workerCheck(forceThreads) {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const tf = require(workerData.tfjs);
    const wasm = require(workerData.wasm);
    const said = [];
    for (const level of ['log', 'warn', 'error']) console[level] = (...a) => said.push(a.map(String).join(' '));
    (async () => {
      wasm.setWasmPaths(workerData.dist);
      if (workerData.forceThreads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      let ok = false, error = null;
      try { ok = await tf.setBackend('wasm'); } catch (e) { error = String(e && e.message || e); }
      if (!ok && !error) error = said.filter((l) => /error/i.test(l)).join(' | ') || said.join(' | ') || 'setBackend returned false';
      const out = { ok, backend: tf.getBackend(), simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), error };
      try { out.threads = wasm.getThreadsCount(); } catch (e) { out.threads = null; if (!error) out.error = String(e.message); }
      parentPort.postMessage(out);
      process.exit(0);
    })();`;
  return new Promise((resolveCheck) => {
    const w = new Worker(code, { eval: true, workerData: { forceThreads, tfjs: requireHere.resolve('@tensorflow/tfjs'), wasm: requireHere.resolve('@tensorflow/tfjs-backend-wasm'), dist: wasmDist } });
    const timer = setTimeout(() => {
      void w.terminate();
      resolveCheck({ ok: false, error: 'no answer in 20 s' });
    }, 20_000);
    w.once('message', (m) => {
      clearTimeout(timer);
      resolveCheck(m);
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      resolveCheck({ ok: false, error: String(e.message) });
    });
  });
}
const inWorker = await workerCheck(false);
const forcedThreads = await workerCheck(true);
const brief = (r) => (r.ok && r.backend === 'wasm' ? `starts (SIMD ${r.simd}, XNNPACK threads ${r.threads})` : `fails: ${(r.error ?? 'backend not wasm').split('\n')[0].slice(0, 160)}`);
console.log(`worker_thread, wasm as tfjs picks it: ${brief(inWorker)}`);
console.log(`worker_thread, threaded-SIMD forced (WASM_HAS_MULTITHREAD_SUPPORT=true): ${brief(forcedThreads)}`);

mkdirSync(resultsDir, { recursive: true });
const out = join(resultsDir, `cnn-${new Date().toISOString().slice(0, 10)}.json`);
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version, tfjs: tf.version.tfjs };
const round = (r) => ({ ...r, measuredMs: Math.round(r.measuredMs), epochMs: Math.round(r.epochMs), lastLoss: Number(r.lastLoss.toFixed(4)) });
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      model: { layers: 'Conv2D(32,3x3,relu) > MaxPool2D(2) > Flatten > Dense(10,softmax)', optimizer: `adam(${LEARNING_RATE})`, loss: REFERENCE_CNN_LOSS, batchSize: BATCH, seed: SEED },
      data: { dir: mnistDir, count, rows, cols, loadMs: Math.round(loadMs) },
      wasmRuntime: {
        binary: wasmBinary,
        simd,
        threads,
        xnnpackThreads: tfwasm.getThreadsCount(),
        inWorkerThread: inWorker,
        threadedSimdForcedInWorkerThread: { ...forcedThreads, error: forcedThreads.error?.split('\n')[0] ?? null },
      },
      epoch: {
        wasm: round(wasm),
        wasmMissingKernelsOnly: { ...round(wasmMissingOnly), registeredKernels: wasmMissingOnly.registeredKernels.filter((k) => !REPLACEABLE.includes(k)), nativeKernels: REPLACEABLE },
        cpu: round(cpu),
        ratioCpuOverWasm: Number(ratio.toFixed(2)),
        ratioCpuOverWasmMissingKernelsOnly: Number((cpu.epochMs / wasmMissingOnly.epochMs).toFixed(2)),
      },
      accuracy: { split: '80/20 seeded', train: nTrain, heldOut: count - nTrain, epochs: history, final: finalAccuracy },
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${out}`);
