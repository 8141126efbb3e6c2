#!/usr/bin/env node
// Fairness benchmark: 1,000,000 scored rows with two sensitive columns (sex: 2 levels, race: 5 levels, skewed), a
// label and a prediction from a score with group-dependent shifts. The point metrics (per intersection group the
// 12 metrics, Fairlearn disparities, disparate impact, ratios to the reference) are timed against a numpy
// implementation of the same metrics over the same coded arrays (test/bench/peers/fairness_numpy.py, Debian's
// /usr/bin/python3) in the same run; then 1,000 bootstrap resamples, reported separately. Best of 5 runs each.
// Target: point metrics ≤ 1.0× numpy's time. Results: test/bench/results/fairness-<date>.json. Not a test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus, tmpdir } from 'node:os';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'xinzhi-bench-fairness-'));
const ROWS = Number(process.env.XINZHI_BENCH_FAIRNESS_ROWS ?? 1_000_000);
const RESAMPLES = 1000;

const bundle = join(scratch, 'fairness.mjs');
await build({ entryPoints: [join(root, 'src/main/core/fairness/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'silent' });
const engine = await import(pathToFileURL(bundle).href);

// Seeded synthetic population (mulberry32), written as raw arrays for the peer.
let seed = 12345;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const raceShares = [0.62, 0.18, 0.12, 0.06, 0.02];
const a = new Int32Array(ROWS);
const b = new Int32Array(ROWS);
const y = new Uint8Array(ROWS);
const p = new Uint8Array(ROWS);
const score = new Float64Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  a[i] = random() < 0.55 ? 1 : 0;
  let u = random();
  let r = 0;
  while (r < raceShares.length - 1 && u >= raceShares[r]) u -= raceShares[r++];
  b[i] = r;
  const base = 0.15 + 0.1 * a[i] + 0.03 * r;
  y[i] = random() < base ? 1 : 0;
  const s = Math.min(1, Math.max(0, 0.3 * y[i] + 0.5 * random() + 0.05 * a[i] - 0.02 * r));
  score[i] = s;
  p[i] = s >= 0.5 ? 1 : 0;
}
writeFileSync(join(scratch, 'a.i32'), Buffer.from(a.buffer));
writeFileSync(join(scratch, 'b.i32'), Buffer.from(b.buffer));
writeFileSync(join(scratch, 'y.u8'), Buffer.from(y.buffer));
writeFileSync(join(scratch, 'p.u8'), Buffer.from(p.buffer));

const input = {
  label: y,
  prediction: p,
  sensitive: [
    { name: 'sex', codes: a, levels: ['F', 'M'] },
    { name: 'race', codes: b, levels: ['r0', 'r1', 'r2', 'r3', 'r4'] },
  ],
};
const timeBest = (fn, k) => {
  const times = [];
  let out;
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    out = fn();
    times.push(performance.now() - t0);
  }
  times.sort((x, z) => x - z);
  return { min: times[0], median: times[Math.floor(k / 2)], out };
};
const ours = timeBest(() => engine.auditFairness(input, { bootstrap: 0 }), 7);
const oursBoot = timeBest(() => engine.auditFairness(input, { bootstrap: RESAMPLES }), 1);
const withScore = timeBest(() => engine.auditFairness({ ...input, score }, { bootstrap: 0 }), 3);

const peer = spawnSync('/usr/bin/python3', [join(root, 'test/bench/peers/fairness_numpy.py'), scratch, String(RESAMPLES)], { encoding: 'utf8' });
if (peer.status !== 0) throw new Error(`numpy peer failed: ${peer.stderr}`);
const np = JSON.parse(peer.stdout.trim().split('\n').pop());

const d = ours.out.disparities;
const oursDisp = [d.demographicParityDifference, d.demographicParityRatio, d.equalizedOddsDifference, d.equalizedOddsRatio, d.equalOpportunityDifference];
const maxAbsDiff = Math.max(...oursDisp.map((v, k) => Math.abs(v - np.disparities[k])));
const pointRatio = ours.min / np.pointMs;
const bootRatio = oursBoot.min / np.bootstrapMs;
const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`Fairness audit, ${ROWS.toLocaleString('en')} rows, ${ours.out.groups.length} intersection groups (sex × race)`);
console.log(`  point metrics   xinzhi ${fmt(ours.min)} (median ${fmt(ours.median)})   numpy ${fmt(np.pointMs)} (median ${fmt(np.pointMedianMs)})   ratio ${pointRatio.toFixed(2)}x  target ≤ 1.0x: ${pointRatio <= 1 ? 'met' : 'NOT met'}`);
console.log(`  disparities agree with numpy to ${maxAbsDiff.toExponential(1)}`);
console.log(`  + calibration (score column, 10 bins per group): xinzhi ${fmt(withScore.min)}`);
console.log(`  bootstrap ×${RESAMPLES}  xinzhi ${fmt(oursBoot.min)}   numpy ${fmt(np.bootstrapMs)}   ratio ${bootRatio.toFixed(2)}x`);
console.log(`  DP difference 95% CI  xinzhi [${oursBoot.out.disparities.ci.demographicParityDifference.low.toFixed(4)}, ${oursBoot.out.disparities.ci.demographicParityDifference.high.toFixed(4)}]   numpy [${np.dpDiffCi.map((v) => v.toFixed(4)).join(', ')}]`);

const date = new Date().toISOString().slice(0, 10);
mkdirSync(join(root, 'test/bench/results'), { recursive: true });
const out = join(root, 'test/bench/results', `fairness-${date}.json`);
writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version, numpy: np.numpy },
      rows: ROWS,
      groups: ours.out.groups.length,
      point: { xinzhiMs: ours.min, xinzhiMedianMs: ours.median, numpyMs: np.pointMs, numpyMedianMs: np.pointMedianMs, ratio: pointRatio, targetMet: pointRatio <= 1 },
      withCalibrationMs: withScore.min,
      bootstrap: { resamples: RESAMPLES, xinzhiMs: oursBoot.min, numpyMs: np.bootstrapMs, ratio: bootRatio },
      disparitiesMaxAbsDiff: maxAbsDiff,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
rmSync(scratch, { recursive: true, force: true });
