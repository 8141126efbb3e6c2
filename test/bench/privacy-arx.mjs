#!/usr/bin/env node
// Privacy search benchmark on ARX's own Adult setups, Loss metric, 0% suppression: (a) 8 quasi-identifiers,
// 5-anonymity; (b) quasi-identifiers age, education, marital-status, native-country, race, salary-class, sex,
// workclass with occupation sensitive: recursive-(4,3)-diversity and 0.2-closeness (hierarchical distance over
// ARX's occupation hierarchy, as ARX's published time; equal distance too). Prints encoding and search times beside ARX 3.9.2's published numbers and
// writes test/bench/results/privacy-<date>.json. Not a test: nothing here asserts a time.
//   XINZHI_BENCH_RUNS (default 5): timed searches after one cold run; the median is reported.
import { mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus, totalmem, tmpdir } from 'node:os';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arxDir = resolve(process.env.XINZHI_DATASETS ?? resolve(root, '..', 'shared', 'datasets'), 'adult', 'arx-hierarchies');
const resultsDir = join(root, 'test', 'bench', 'results');
const runs = Number(process.env.XINZHI_BENCH_RUNS ?? 5);
const QIS = ['age', 'education', 'marital-status', 'native-country', 'race', 'sex', 'workclass', 'occupation'];
const ARX = { levels: [4, 3, 2, 2, 0, 0, 2, 1], loss: 0.5916, nodesChecked: 142, searchMs: [23, 35], wallMs: [55, 60] };
const QIS_B = ['age', 'education', 'marital-status', 'native-country', 'race', 'salary-class', 'sex', 'workclass'];
const SETTINGS_B = [
  { name: 'recursive-(4,3)-diversity', spec: { model: 'l-diversity', variant: 'recursive', c: 4, l: 3, column: 0 }, arxMs: [46, 100] },
  { name: '0.2-closeness (hierarchical distance)', spec: { model: 't-closeness', t: 0.2, distance: 'hierarchical', column: 0 }, arxMs: [30, 50] },
  { name: '0.2-closeness (equal distance; ARX: hierarchical)', spec: { model: 't-closeness', t: 0.2, distance: 'equal', column: 0 }, arxMs: [30, 50] },
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The engine is TypeScript: bundle it to a temporary module, as run.mjs does for the parsers.
const scratch = mkdtempSync(join(tmpdir(), 'xinzhi-bench-privacy-'));
const bundle = join(scratch, 'privacy.mjs');
await build({ entryPoints: [join(root, 'src/main/core/privacy/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning' });
const { parseHierarchyCsv, encodeColumn, searchOptimal } = await import(pathToFileURL(bundle).href);
rmSync(scratch, { recursive: true, force: true });

// File reading is outside the timed encoding, as ARX's Data.create / hierarchy loading is outside its search.
const lines = readFileSync(join(arxDir, 'adult.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
const header = lines[0].split(';');
const rows = lines.slice(1).map((l) => l.split(';'));
const hierarchyText = Object.fromEntries([...new Set([...QIS, ...QIS_B, 'occupation'])].map((q) => [q, readFileSync(join(arxDir, `adult_hierarchy_${q}.csv`), 'utf8')]));

let t = performance.now();
const columns = QIS.map((q) => {
  const index = header.indexOf(q);
  return encodeColumn(q, rows.map((r) => r[index]), parseHierarchyCsv(hierarchyText[q]));
});
const encodeMs = performance.now() - t;

t = performance.now();
const cold = searchOptimal(columns, { k: 5 });
const coldWallMs = performance.now() - t;
const results = Array.from({ length: runs }, () => searchOptimal(columns, { k: 5 }));
const searchMs = median(results.map((r) => r.searchMs));
const r = results[0] ?? cold;
const sameLevels = JSON.stringify(r.node) === JSON.stringify(ARX.levels);

const f = (ms) => `${ms.toFixed(1)} ms`;
console.log(`ARX Adult (a): ${rows.length} rows, QIs ${QIS.join(', ')}, k=5, 0% suppression, Loss`);
console.log(`encode         ${f(encodeMs)}   (hierarchies parsed + 8 columns encoded)`);
console.log(`search         ${f(searchMs)} median of ${runs}   cold first run ${f(cold.searchMs)}   encode+cold search ${f(encodeMs + coldWallMs)}`);
console.log(`ARX 3.9.2      search ${ARX.searchMs.join('–')} ms, wall ${ARX.wallMs.join('–')} ms, ${ARX.nodesChecked} nodes checked`);
console.log(`nodes checked  ${r.nodesChecked} of 6480   minimal anonymous nodes ${r.minimalNodes.length}`);
console.log(`levels         [${r.node}]  ARX [${ARX.levels}]  ${sameLevels ? 'same' : 'DIFFERENT'}`);
console.log(`loss           ${r.loss.toFixed(4)}  ARX ${ARX.loss}   classes ${r.classes}, smallest ${r.smallestClass}, suppressed ${r.suppressedRows}`);

// Setting (b): the sensitive column encoded as ids (not timed as search, like the quasi-identifiers).
t = performance.now();
const columnsB = QIS_B.map((q) => {
  const index = header.indexOf(q);
  return encodeColumn(q, rows.map((row) => row[index]), parseHierarchyCsv(hierarchyText[q]));
});
const occupationIndex = header.indexOf('occupation');
// Encoded against its hierarchy: the ids, and the levels the hierarchical distance needs.
const occupation = encodeColumn('occupation', rows.map((row) => row[occupationIndex]), parseHierarchyCsv(hierarchyText.occupation));
const sensitive = [{ name: 'occupation', ids: occupation.ids, generalised: occupation.generalised, cardinality: occupation.leaves.length }];
const encodeBMs = performance.now() - t;
const latticeB = columnsB.reduce((size, c) => size * (c.height + 1), 1);
console.log(`\nARX Adult (b): QIs ${QIS_B.join(', ')}, occupation sensitive, k=1, 0% suppression, Loss; encode ${f(encodeBMs)}`);
const settingB = SETTINGS_B.map(({ name, spec, arxMs }) => {
  const options = { k: 1, models: [spec], sensitive };
  const coldB = searchOptimal(columnsB, options);
  const timed = Array.from({ length: runs }, () => searchOptimal(columnsB, options));
  const med = median(timed.map((x) => x.searchMs));
  console.log(
    `${name.padEnd(50)} search ${f(med)} median of ${runs}, cold ${f(coldB.searchMs)}   ARX ${arxMs.join('–')} ms   ` +
      `levels [${coldB.node}]  loss ${coldB.loss.toFixed(4)}  ${coldB.classes} classes  ${coldB.nodesChecked} nodes checked of ${latticeB}  satisfied ${coldB.satisfied}`,
  );
  return {
    name,
    model: spec,
    searchMedianMs: Number(med.toFixed(2)),
    searchRunsMs: timed.map((x) => Number(x.searchMs.toFixed(2))),
    coldSearchMs: Number(coldB.searchMs.toFixed(2)),
    levels: coldB.node,
    loss: coldB.loss,
    classes: coldB.classes,
    nodesChecked: coldB.nodesChecked,
    satisfied: coldB.satisfied,
    arxSearchMs: arxMs,
  };
});

mkdirSync(resultsDir, { recursive: true });
const out = join(resultsDir, `privacy-${new Date().toISOString().slice(0, 10)}.json`);
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version };
writeFileSync(
  out,
  JSON.stringify(
    {
      benchmark: 'privacy-arx-adult-k5',
      machine,
      rows: rows.length,
      quasiIdentifiers: QIS,
      encodeMs: Number(encodeMs.toFixed(2)),
      searchMedianMs: Number(searchMs.toFixed(2)),
      searchRunsMs: results.map((x) => Number(x.searchMs.toFixed(2))),
      coldSearchMs: Number(cold.searchMs.toFixed(2)),
      encodePlusColdSearchMs: Number((encodeMs + coldWallMs).toFixed(2)),
      nodesChecked: r.nodesChecked,
      minimalNodes: r.minimalNodes.length,
      levels: r.node,
      loss: r.loss,
      classes: r.classes,
      smallestClass: r.smallestClass,
      sameLevelsAsArx: sameLevels,
      arx: ARX,
      settingB: { quasiIdentifiers: QIS_B, sensitive: 'occupation', latticeNodes: latticeB, encodeMs: Number(encodeBMs.toFixed(2)), results: settingB },
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${out}`);
