#!/usr/bin/env node
// Profiling benchmark: a 1M-row table (generate-csv.mjs's generator, imported with `xinzhi import`) profiled by
// `xinzhi profile` and, in the same run, the same statistics computed by pandas (describe with the profile's
// quantiles, value_counts, nunique, isna().sum(), duplicated().sum()) from Debian's /usr/bin/python3.
// Compared twice: compute only (data already in memory: our typed columns read from the version table, pandas'
// DataFrame), and load + compute (our read of the version table, pandas' read_csv). Prints ratios and writes
// test/bench/results/quality-<date>.json. Not a test: nothing here asserts a time.
//   XINZHI_BENCH_RUNS (default 3): timed runs of each side; medians are reported.   XINZHI_BENCH_ROWS (default 1e6)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem, tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { generateCsv } from './generate-csv.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = join(root, 'test', 'bench', 'data');
const resultsDir = join(root, 'test', 'bench', 'results');
const runs = Number(process.env.XINZHI_BENCH_RUNS ?? 3);
const rows = Number(process.env.XINZHI_BENCH_ROWS ?? 1_000_000);
mkdirSync(dataDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

function run(cmd, args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms: performance.now() - t0, stdout: r.stdout };
}

const csv = join(dataDir, rows === 1_000_000 ? 'bench-1m.csv' : `bench-${rows}.csv`);
if (!existsSync(csv)) {
  console.error(`bench: generating ${csv} (${rows.toLocaleString('en')} rows)…`);
  await generateCsv(csv, rows);
}

const workspace = mkdtempSync(join(tmpdir(), 'xinzhi-bench-quality-'));
const xinzhi = (...args) => run(process.execPath, [join(root, 'bin', 'xinzhi.mjs'), '--workspace', workspace, ...args]);
try {
  console.error('bench: importing…');
  const imported = JSON.parse(xinzhi('import', csv, '--json').stdout);
  const versionId = imported.versionId;

  // Ours: the profile job end to end through the CLI; the job records its read and compute times.
  const ours = [];
  for (let i = 0; i < runs + 1; i++) {
    const wall = xinzhi('profile', versionId, '--refresh', '--json');
    const db = new Database(join(workspace, 'catalog.db'), { readonly: true });
    const profile = JSON.parse(db.prepare('SELECT profile FROM profiles WHERE version_id = ?').pluck().get(versionId));
    db.close();
    if (i > 0) ours.push({ wallMs: wall.ms, readMs: profile.timings.readMs, computeMs: profile.timings.computeMs, summary: JSON.parse(wall.stdout) });
    console.error(`bench: xinzhi profile run ${i}${i === 0 ? ' (warm-up)' : ''}: read ${s(profile.timings.readMs)}, compute ${s(profile.timings.computeMs)}, CLI wall ${s(wall.ms)}`);
  }

  // pandas: read_csv, then the same statistics, each phase timed inside Python.
  const py = `
import json, sys, time
import pandas as pd
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t1 = time.perf_counter()
desc = df.describe(percentiles=[.01, .05, .25, .5, .75, .95, .99])
counts = {c: df[c].value_counts() for c in df.columns}
nunique = df.nunique()
missing = df.isna().sum()
dups = int(df.duplicated().sum())
t2 = time.perf_counter()
print(json.dumps({'loadMs': (t1 - t0) * 1000, 'computeMs': (t2 - t1) * 1000, 'rows': len(df), 'duplicateRows': dups,
  'nunique': {k: int(v) for k, v in nunique.items()}, 'meanPrice': float(desc.loc['mean', 'price']), 'p99Price': float(desc.loc['99%', 'price'])}))
`;
  const pandas = [];
  for (let i = 0; i < runs; i++) {
    const out = JSON.parse(run('/usr/bin/python3', ['-c', py, csv]).stdout);
    pandas.push(out);
    console.error(`bench: pandas run ${i + 1}: read_csv ${s(out.loadMs)}, compute ${s(out.computeMs)}`);
  }

  // The two sides must agree on what they computed.
  const last = ours.at(-1).summary;
  const p = pandas[0];
  const price = last.columns.find((c) => c.name === 'price');
  const agree = {
    duplicateRows: last.duplicateRows === p.duplicateRows,
    distinct: last.columns.every((c) => c.distinct === p.nunique[c.name]),
    meanPrice: Math.abs(price.mean - p.meanPrice) < 1e-6 * Math.abs(p.meanPrice),
    p99Price: Math.abs(price.quantiles.p99 - p.p99Price) < 1e-9 * Math.abs(p.p99Price) + 1e-9,
  };

  const oursCompute = median(ours.map((o) => o.computeMs));
  const oursLoadCompute = median(ours.map((o) => o.readMs + o.computeMs));
  const pandasCompute = median(pandas.map((o) => o.computeMs));
  const pandasLoadCompute = median(pandas.map((o) => o.loadMs + o.computeMs));
  const result = {
    benchmark: 'quality-profile',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30) },
    rows: imported.rowCount,
    columns: imported.columns.length,
    runs,
    xinzhi: { computeMs: oursCompute, readMs: median(ours.map((o) => o.readMs)), loadComputeMs: oursLoadCompute, cliWallMs: median(ours.map((o) => o.wallMs)), qualityScore: last.qualityScore, alerts: last.alerts.length },
    pandas: { version: run('/usr/bin/python3', ['-c', 'import pandas; print(pandas.__version__)']).stdout.trim(), computeMs: pandasCompute, loadMs: median(pandas.map((o) => o.loadMs)), loadComputeMs: pandasLoadCompute },
    ratio: { compute: oursCompute / pandasCompute, loadCompute: oursLoadCompute / pandasLoadCompute },
    target: 'compute ratio ≤ 0.5',
    agree,
  };
  console.log(`\nProfile of ${result.rows.toLocaleString('en')} rows × ${result.columns} columns (median of ${runs})`);
  console.log(`  compute only     xinzhi ${s(oursCompute)}   pandas ${s(pandasCompute)}   ratio ${result.ratio.compute.toFixed(2)}x (target ≤ 0.5x)`);
  console.log(`  load + compute   xinzhi ${s(oursLoadCompute)}   pandas ${s(pandasLoadCompute)}   ratio ${result.ratio.loadCompute.toFixed(2)}x`);
  console.log(`  xinzhi CLI wall (app start, worker, store) ${s(result.xinzhi.cliWallMs)}`);
  console.log(`  agree with pandas: ${JSON.stringify(agree)}`);
  const out = join(resultsDir, `quality-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  → ${out}`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
