#!/usr/bin/env node
// `npm run bench`: measures Xinzhi against a peer in the same run and prints ratios; results go to
// test/bench/results/*.json. Not a test: nothing here asserts a time.
//   XINZHI_BENCH_RUNS (default 3)   XINZHI_BENCH_BIG_GB (default 1; 0 skips the large-file RSS run)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus, totalmem, tmpdir } from 'node:os';
import { build } from 'esbuild';
import { generateCsv, BENCH_HEADER, BENCH_SQL_TYPES } from './generate-csv.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = join(root, 'test', 'bench', 'data');
const resultsDir = join(root, 'test', 'bench', 'results');
const runs = Number(process.env.XINZHI_BENCH_RUNS ?? 3);
const bigGb = Number(process.env.XINZHI_BENCH_BIG_GB ?? 1);
mkdirSync(dataDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

function timed(cmd, args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

async function ensureCsv(name, rows) {
  const path = join(dataDir, name);
  if (!existsSync(path)) {
    console.error(`bench: generating ${name} (${rows.toLocaleString('en')} rows)…`);
    await generateCsv(path, rows);
  }
  return path;
}

function xinzhiImport(csv, workspace) {
  rmSync(workspace, { recursive: true, force: true });
  const r = timed(process.execPath, [join(root, 'bin', 'xinzhi.mjs'), '--workspace', workspace, 'import', csv, '--json'], {
    env: { ...process.env, XINZHI_REPORT_RSS: '1' },
  });
  const out = JSON.parse(r.stdout);
  const rss = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms: r.ms, rowCount: out.rowCount, columns: out.columns, maxRssMb: rss / 1024 };
}

function sqliteImport(csv, dbPath) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const cols = BENCH_HEADER.map((h, i) => `"${h}" ${BENCH_SQL_TYPES[i]}`).join(', ');
  const script = `PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\nCREATE TABLE t (${cols}) STRICT;\n.mode csv\n.import --skip 1 ${csv} t\n`;
  return timed('sqlite3', [dbPath], { input: script });
}

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version };
const sqliteVersion = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? null;
if (!sqliteVersion) {
  console.error('bench: the sqlite3 CLI is missing (apt-get install -y sqlite3): it is the peer of the import benchmark');
  process.exit(1);
}
const scratch = join(tmpdir(), `xinzhi-bench-${process.pid}`);
mkdirSync(scratch, { recursive: true });

// 1. Import of 1,000,000 rows × 10 columns: xinzhi import (type inference included) vs sqlite3 .import.
const csv1m = await ensureCsv('bench-1m.csv', 1_000_000);
const xinzhiTimes = [];
const sqliteTimes = [];
let lastImport;
for (let i = 0; i < runs; i++) {
  // Alternate the order so neither side always runs on a warm page cache.
  if (i % 2 === 0) {
    lastImport = xinzhiImport(csv1m, join(scratch, 'ws'));
    xinzhiTimes.push(lastImport.ms);
    sqliteTimes.push(sqliteImport(csv1m, join(scratch, 'peer.db')).ms);
  } else {
    sqliteTimes.push(sqliteImport(csv1m, join(scratch, 'peer.db')).ms);
    lastImport = xinzhiImport(csv1m, join(scratch, 'ws'));
    xinzhiTimes.push(lastImport.ms);
  }
}
const importResult = {
  benchmark: 'import-1m-x10',
  rows: lastImport.rowCount,
  inferredTypes: lastImport.columns.map((c) => c.type),
  xinzhiMedianMs: Math.round(median(xinzhiTimes)),
  sqliteCliMedianMs: Math.round(median(sqliteTimes)),
  ratio: Number((median(xinzhiTimes) / median(sqliteTimes)).toFixed(3)),
  target: 'ratio <= 1.0',
  xinzhiRunsMs: xinzhiTimes.map(Math.round),
  sqliteRunsMs: sqliteTimes.map(Math.round),
  peer: sqliteVersion,
};
console.log(`import 1M×10   xinzhi ${fmt(importResult.xinzhiMedianMs)}   sqlite3 CLI ${fmt(importResult.sqliteCliMedianMs)}   ratio ${importResult.ratio} (target ≤ 1.0)`);

// 2. The parser alone against papaparse, on the same decoded text (why we keep our own parser).
const parsersBundle = join(scratch, 'parsers.mjs');
await build({ entryPoints: [join(root, 'test/bench/parsers.ts')], bundle: true, platform: 'node', format: 'esm', outfile: parsersBundle, logLevel: 'warning' });
const { timeParsers } = await import(pathToFileURL(parsersBundle).href);
const text = readFileSync(csv1m, 'utf8');
const parserRuns = Array.from({ length: runs }, () => timeParsers(text));
const parserResult = {
  benchmark: 'csv-parser-1m-x10',
  records: parserRuns[0].records,
  xinzhiMedianMs: Math.round(median(parserRuns.map((r) => r.xinzhiMs))),
  papaparseMedianMs: Math.round(median(parserRuns.map((r) => r.papaparseMs))),
};
parserResult.ratio = Number((parserResult.xinzhiMedianMs / parserResult.papaparseMedianMs).toFixed(3));
console.log(`parse 1M×10    xinzhi ${fmt(parserResult.xinzhiMedianMs)}   papaparse ${fmt(parserResult.papaparseMedianMs)}   ratio ${parserResult.ratio}`);

// 3. A large file: peak RSS of the whole import process (all threads), target ≤ 400 MB.
let bigResult = null;
if (bigGb > 0) {
  const rows = Math.round((bigGb * 2 ** 30) / 67);
  const big = await ensureCsv(`bench-${bigGb}gb.csv`, rows);
  const r = xinzhiImport(big, join(scratch, 'ws-big'));
  const sizeMb = statSync(big).size / 2 ** 20;
  bigResult = { benchmark: 'import-large', fileMb: Math.round(sizeMb), rows: r.rowCount, xinzhiMs: Math.round(r.ms), mbPerSecond: Number((sizeMb / (r.ms / 1000)).toFixed(1)), peakRssMb: Math.round(r.maxRssMb), target: 'peakRssMb <= 400' };
  console.log(`import ${Math.round(sizeMb)} MB  ${fmt(r.ms)} (${bigResult.mbPerSecond} MB/s)   peak RSS ${bigResult.peakRssMb} MB (target ≤ 400 MB)`);
}

rmSync(scratch, { recursive: true, force: true });
const report = { date: new Date().toISOString(), machine, results: [importResult, parserResult, bigResult].filter(Boolean) };
const file = join(resultsDir, `import-${report.date.slice(0, 10)}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`bench: results written to ${file}`);
