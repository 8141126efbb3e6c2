#!/usr/bin/env node
// Production-planning benchmark: the planner (src/main/core/scenarios/planning.ts → HiGHS in WebAssembly via the
// `highs` package) on a seeded random LP of 1,000 products × 50 resources (usage density 30 %, demand bounds),
// against SciPy's linprog(method='highs') — the same HiGHS solver, native — on the identical model, in the same run.
// Also: the re-solve latency of the sample factory's what-if (6 products × 7 resources), the path a slider takes.
// Prints and writes test/bench/results/scenarios-<date>.json. Not a test: nothing here asserts a time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(root, 'test', 'bench', 'results');
const PRODUCTS = Number(process.env.XINZHI_BENCH_PRODUCTS ?? 1000);
const RESOURCES = Number(process.env.XINZHI_BENCH_RESOURCES ?? 50);
const REPEATS = Number(process.env.XINZHI_BENCH_REPEATS ?? 5);

const scratch = mkdtempSync(join(tmpdir(), 'xinzhi-bench-scenarios-'));
const bundle = join(scratch, 'planning.mjs');
await build({
  stdin: {
    contents: ["export { solvePlan, planDashboard, generatePlanSample } from './src/main/core/scenarios/planning.ts';", "export { mulberry32 } from './src/main/core/random.ts';"].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'warning',
  // `highs` stays external, imported from this repository's node_modules by absolute path (the bundle lives in a temp folder).
  plugins: [
    {
      name: 'highs-external',
      setup(b) {
        const highs = join(dirname(createRequire(join(root, 'package.json')).resolve('highs')), 'highs.mjs');
        b.onResolve({ filter: /^highs$/ }, () => ({ path: pathToFileURL(highs).href, external: true }));
      },
    },
  ],
});
const { solvePlan, planDashboard, generatePlanSample, mulberry32 } = await import(pathToFileURL(bundle).href);

/** A seeded random factory: unit profit 1–50, usage 0.1–5 on 30 % of (product, resource) pairs, capacities binding. */
function randomPlan(nP, nR, seed) {
  const random = mulberry32(seed);
  const products = Array.from({ length: nP }, (_, j) => {
    const unitCost = 10 + random() * 40;
    const maxDemand = Math.round(50 + random() * 450);
    return { id: `P${j}`, price: unitCost + 1 + random() * 49, unitCost, minDemand: random() < 0.2 ? Math.round(maxDemand * 0.05) : 0, maxDemand };
  });
  const usage = [];
  const load = new Array(nR).fill(0);
  for (const p of products) {
    for (let r = 0; r < nR; r++) {
      if (random() >= 0.3) continue;
      const amount = Math.round((0.1 + random() * 4.9) * 100) / 100;
      usage.push({ product: p.id, resource: `R${r}`, amount });
      load[r] += amount * p.maxDemand;
    }
  }
  const resources = load.map((l, r) => ({ id: `R${r}`, capacity: Math.round(l * (0.2 + random() * 0.3)) }));
  return { products, resources, usage };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const plan = randomPlan(PRODUCTS, RESOURCES, 20261204);
await solvePlan(generatePlanSample()); // compile the WebAssembly module once, as the app does at the first solve
const times = [];
let outcome;
for (let i = 0; i < REPEATS; i++) {
  const t0 = performance.now();
  outcome = await solvePlan(plan);
  times.push(performance.now() - t0);
}
const binding = plan.resources.filter((r, i) => r.capacity - outcome.used[i] <= 1e-6 * Math.max(1, r.capacity)).length;
console.log(`planner (highs wasm): ${PRODUCTS} products × ${RESOURCES} resources, ${plan.usage.length} usage entries: status ${outcome.status}, profit ${outcome.profit.toFixed(2)}, binding ${binding}; median ${median(times).toFixed(1)} ms over ${REPEATS}`);

const sample = generatePlanSample();
const whatIfTimes = [];
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  await planDashboard(sample, { price: 80 + i * 2 });
  whatIfTimes.push(performance.now() - t0);
}
console.log(`what-if re-solve of the sample factory (dashboard included): median ${median(whatIfTimes).toFixed(2)} ms over 20`);

// The peer: SciPy's linprog with HiGHS (native), on the same model written as arrays.
const modelFile = join(scratch, 'model.json');
const productIndex = new Map(plan.products.map((p, j) => [p.id, j]));
writeFileSync(
  modelFile,
  JSON.stringify({
    c: plan.products.map((p) => -(p.price - p.unitCost)),
    bounds: plan.products.map((p) => [p.minDemand, p.maxDemand]),
    b: plan.resources.map((r) => r.capacity),
    entries: plan.usage.map((u) => [Number(u.resource.slice(1)), productIndex.get(u.product), u.amount]),
    nR: RESOURCES,
    nP: PRODUCTS,
    repeats: REPEATS,
  }),
);
const peerCode = `
import json, sys, time
import numpy as np
from scipy.optimize import linprog
m = json.load(open(sys.argv[1]))
A = np.zeros((m['nR'], m['nP']))
for r, j, a in m['entries']:
    A[r, j] += a
times = []
for _ in range(m['repeats']):
    t0 = time.perf_counter()
    res = linprog(m['c'], A_ub=A, b_ub=m['b'], bounds=m['bounds'], method='highs')
    times.append((time.perf_counter() - t0) * 1000)
import scipy
print(json.dumps({'status': res.status, 'profit': -res.fun, 'ms': sorted(times)[len(times)//2], 'duals': (-res.ineqlin.marginals).tolist(), 'scipy': scipy.__version__}))
`;
const peer = spawnSync('/usr/bin/python3', ['-c', peerCode, modelFile], { encoding: 'utf8' });
let peerResult = null;
if (peer.status === 0) {
  peerResult = JSON.parse(peer.stdout.trim().split('\n').pop());
  const dualGap = Math.max(...peerResult.duals.map((d, i) => Math.abs(d - outcome.shadowPrices[i])));
  console.log(`peer scipy ${peerResult.scipy} linprog(method='highs', native): profit ${peerResult.profit.toFixed(2)}; median ${peerResult.ms.toFixed(1)} ms`);
  console.log(`ratio (planner / peer): ${(median(times) / peerResult.ms).toFixed(2)}x; |profit difference| ${Math.abs(peerResult.profit - outcome.profit).toExponential(2)}; max |shadow price difference| ${dualGap.toExponential(2)}`);
  peerResult.maxDualDifference = dualGap;
  delete peerResult.duals;
} else console.log(`peer unavailable: ${peer.stderr.trim().split('\n').pop()}`);

mkdirSync(resultsDir, { recursive: true });
const out = join(resultsDir, `scenarios-${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '' , node: process.version },
      planner: { products: PRODUCTS, resources: RESOURCES, usageEntries: plan.usage.length, status: outcome.status, profit: outcome.profit, bindingResources: binding, medianMs: median(times), repeats: REPEATS },
      whatIf: { medianMs: median(whatIfTimes), solves: 20 },
      peer: peerResult,
      ratio: peerResult ? median(times) / peerResult.ms : null,
    },
    null,
    2,
  ),
);
console.log(`written ${out}`);
rmSync(scratch, { recursive: true, force: true });
