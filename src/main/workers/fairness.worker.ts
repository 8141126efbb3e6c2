/**
 * Fairness job: reads a version's label, prediction/score and sensitive columns (or scores the version with a saved
 * model on the fly), then runs the pure audit engine; in threshold mode it fits group thresholds and re-audits.
 */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog } from '../catalog/connection.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { AuditRequest, Mitigation } from '../../shared/model/fairness.js';
import {
  applyGroupThresholds,
  auditFairness,
  encodeCategorical,
  quickDisparities,
  reweighingWeights,
  thresholdOptimizer,
  tradeoffCurve,
  type FairnessInput,
} from '../core/fairness/index.js';
import type { CellValue } from '../core/ml/logistic.js';
import type { JobContext } from '../jobs/protocol.js';
import type { FairnessJobParams, FairnessJobResult, ReweighJobResult } from '../jobs/fairness-job.js';
import { quoteIdent } from '../catalog/connection.js';
import { StagingTable } from '../catalog/staging-table.js';
import type { ColumnType } from '../../shared/model/catalog.js';
import { mulberry32 } from '../core/random.js';
import { inputColumns, loadModel, prepareRows, readColumns, readSavedPipeline } from './ml/prepare.js';
import { fitFamily, subset } from './ml/families.js';
import { fitPipeline } from '../core/ml/pipeline.js';
import { seededPermutation } from '../core/ml/logistic.js';
import type { PrivacyComparison } from '../../shared/model/fairness.js';
import { startBestBackend } from './tf-backend.js';

type Cell = CellValue;

const POSITIVE_LOOKING = new Set(['1', 'true', 'yes', 'y', 'positive', 'pos', '是']);

const invalid = (issue: string) => new XinzhiError('E_INVALID_INPUT', issue, { issue });

const text = (v: Cell): string | null => (v === null || v === undefined || v === '' ? null : typeof v === 'number' ? String(v) : String(v));

/** The positive label: the one asked for, else a 1/true/yes-like value of a two-valued label, else the rarer value. */
function resolvePositive(labels: readonly Cell[], asked: string | undefined): string {
  const counts = new Map<string, number>();
  for (const v of labels) {
    const s = text(v);
    if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (asked !== undefined) {
    if (!counts.has(asked)) throw invalid(`the label column has no value “${asked}”`);
    return asked;
  }
  if (counts.size !== 2) throw invalid(`the label has ${counts.size} distinct values: choose the positive one`);
  const [a, b] = [...counts.entries()];
  const looking = [a![0], b![0]].filter((v) => POSITIVE_LOOKING.has(v.toLowerCase()));
  if (looking.length === 1) return looking[0]!;
  return a![1] <= b![1] ? a![0] : b![0];
}

interface Columns {
  label: Cell[];
  prediction: Cell[] | null;
  score: number[] | null;
  sensitive: Cell[][];
}

async function readInputs(p: FairnessJobParams, ctx: JobContext): Promise<Columns> {
  const r = p.request;
  const names = new Set(p.columns.map((c) => c.name));
  for (const c of [r.label, ...(r.prediction ? [r.prediction] : []), ...(r.score ? [r.score] : []), ...r.sensitive]) {
    if (!names.has(c)) throw invalid(`the version has no column “${c}”`);
  }
  if (!p.model && !r.prediction && !r.score) throw invalid('give a prediction column, a score column or a model');
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  try {
    const wanted = [...new Set([r.label, ...(r.prediction ? [r.prediction] : []), ...(r.score ? [r.score] : []), ...r.sensitive])];
    if (!p.model) {
      const table = readColumns(db, p.sourceTable, wanted);
      const col = (name: string) => table.columns.find((c) => c.name === name)!.values as Cell[];
      return {
        label: col(r.label),
        prediction: r.prediction ? col(r.prediction) : null,
        score: r.score ? col(r.score).map((v) => (v === null ? NaN : Number(v))) : null,
        sensitive: r.sensitive.map(col),
      };
    }
    // On the fly: the model's prediction (as a class label) and its P(second class) for binary models.
    ctx.onProgress(0.02, 'Loading the model');
    const spec = readSavedPipeline(p.model.modelDir, p.model.family);
    if (spec.modelTask !== 'binary' && spec.modelTask !== 'multiclass') throw invalid('the model is not a classifier');
    const features = inputColumns(spec).filter((n) => n !== spec.target);
    const missing = features.filter((n) => !names.has(n));
    if (missing.length) throw invalid(`the version lacks the model's columns ${missing.join(', ')}`);
    await startBestBackend(undefined, (name, why) => ctx.log(`Backend ${name} ${why}`, 'warn'));
    const table = readColumns(db, p.sourceTable, [...new Set([...wanted, ...features])]);
    const col = (name: string) => table.columns.find((c) => c.name === name)!.values as Cell[];
    const model = await loadModel(p.model.modelDir, spec);
    try {
      ctx.onProgress(0.05, 'Scoring');
      const out = await model.predict(prepareRows({ ...spec, target: '' }, { columns: features.map((name) => ({ name, values: col(name) })) }));
      const label = col(r.label);
      const prediction = Array.from(out.pred, (k) => spec.classes[k] ?? null);
      let score: number[] | null = null;
      if (spec.modelTask === 'binary') {
        const positive = resolvePositive(label, r.positive);
        const flip = String(spec.classes[1]) !== positive;
        score = Array.from(out.score, (s) => (flip ? 1 - s : s));
      }
      return { label, prediction, score, sensitive: r.sensitive.map(col) };
    } finally {
      model.dispose();
    }
  } finally {
    db.close();
  }
}

/** Typed arrays for the engine; rows missing the label, the prediction (or the score it comes from) are left out. */
function toInput(cols: Columns, r: AuditRequest, positive: string): { input: FairnessInput; excluded: number } {
  const n = cols.label.length;
  const keep: number[] = [];
  const labelIsBinary01 = positive === '1';
  // A 0/1 prediction column audited against a label like ">50K": 1 means "predicted positive".
  const predIs01 = cols.prediction !== null && cols.prediction.every((v) => v === null || text(v) === '0' || text(v) === '1');
  for (let i = 0; i < n; i++) {
    if (text(cols.label[i]!) === null) continue;
    if (cols.prediction ? text(cols.prediction[i]!) === null : !Number.isFinite(cols.score![i]!)) continue;
    if (cols.score && !Number.isFinite(cols.score[i]!)) continue;
    keep.push(i);
  }
  if (keep.length === 0) throw invalid('no row has both a label and a prediction');
  const isPositive = (v: Cell) => text(v) === positive;
  const predicted = (v: Cell) => (predIs01 && !labelIsBinary01 ? text(v) === '1' : isPositive(v));
  const label = Uint8Array.from(keep, (i) => (isPositive(cols.label[i]!) ? 1 : 0));
  const prediction = cols.prediction ? Uint8Array.from(keep, (i) => (predicted(cols.prediction![i]!) ? 1 : 0)) : Uint8Array.from(keep, (i) => (cols.score![i]! >= r.threshold ? 1 : 0));
  const score = cols.score ? Float64Array.from(keep, (i) => cols.score![i]!) : null;
  const sensitive = r.sensitive.map((name, c) => encodeCategorical(name, keep.map((i) => cols.sensitive[c]![i]!)));
  return { input: { label, prediction, score, sensitive }, excluded: n - keep.length };
}

async function run(p: FairnessJobParams, ctx: JobContext): Promise<FairnessJobResult> {
  const r = p.request;
  ctx.onProgress(0, 'Reading the version');
  const cols = await readInputs(p, ctx);
  const positive = resolvePositive(cols.label, r.positive);
  const { input, excluded } = toInput(cols, r, positive);
  const settings = { minGroupSize: r.minGroupSize, bootstrap: r.bootstrap, seed: r.seed, marginal: r.marginal, ...(r.reference ? { reference: r.reference } : {}) };
  const progress = (from: number, span: number, message: string) => (f: number) => ctx.onProgress(from + span * f, message);

  let mitigation: Mitigation | null = null;
  let audited = input;
  if (p.mode === 'threshold') {
    if (!input.score) throw invalid('the threshold optimiser needs a score column (or a binary model)');
    const constraint = p.threshold?.constraint ?? 'demographic_parity';
    const tolerance = p.threshold?.tolerance ?? 0.02;
    ctx.onProgress(0.1, 'Fitting group thresholds');
    const fitted = thresholdOptimizer(input, { constraint, tolerance, minGroupSize: r.minGroupSize, defaultThreshold: r.threshold, signal: ctx.signal });
    const before = quickDisparities(input, r.minGroupSize);
    audited = { ...input, prediction: applyGroupThresholds(input.score, input.sensitive, fitted) };
    const after = quickDisparities(audited, r.minGroupSize);
    const pickD = (d: Float64Array) => (constraint === 'demographic_parity' ? d[0]! : d[2]!);
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    mitigation = {
      method: 'threshold',
      constraint,
      tolerance,
      thresholds: fitted.thresholds,
      defaultThreshold: fitted.defaultThreshold,
      scoreColumn: r.score ?? 'score',
      before: { accuracy: finite(before.accuracy), disparity: finite(pickD(before.disparities)) },
      after: { accuracy: finite(after.accuracy), disparity: finite(pickD(after.disparities)) },
    };
  }
  ctx.onProgress(0.2, 'Auditing');
  const result = auditFairness(audited, { ...settings, signal: ctx.signal, onProgress: progress(0.2, 0.7, 'Bootstrapping') });
  const tradeoff = input.score ? tradeoffCurve(input, r.constraint, 51, r.minGroupSize) : null;
  ctx.onProgress(1, `Audited ${input.label.length} rows`, { rows: input.label.length });
  return { positive, rows: input.label.length, excludedRows: excluded, result, tradeoff, mitigation };
}

/**
 * Reweighing as resampling: N rows drawn with probability ∝ w(group, label) by systematic resampling (one seeded
 * offset, then evenly spaced picks over the cumulative weights), so each row appears ≈ w times and the resampled
 * table has group and label independent. Rows keep their order; missing labels keep weight 1.
 */
async function reweigh(p: FairnessJobParams, ctx: JobContext): Promise<ReweighJobResult> {
  const r = p.request;
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  let staging: StagingTable | null = null;
  try {
    ctx.onProgress(0, 'Reading the version');
    const names = [r.label, ...r.sensitive];
    const rows = db.prepare(`SELECT __row, ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(p.sourceTable)} ORDER BY __row`).raw(true).all() as unknown[][];
    const labels = rows.map((row) => row[1] as Cell);
    const positive = resolvePositive(labels, r.positive);
    const labelled = rows.map((row) => text(row[1] as Cell) !== null);
    const label = Uint8Array.from(labels, (v) => (text(v) === positive ? 1 : 0));
    const sensitive = r.sensitive.map((name, c) => encodeCategorical(name, rows.map((row) => row[c + 2])));
    const { weights, table } = reweighingWeights(label, sensitive);
    for (let i = 0; i < rows.length; i++) if (!labelled[i]) weights[i] = 1;
    const n = rows.length;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    const random = mulberry32(p.seed ?? 42);
    const step = total / n;
    let target = random() * step;
    let cumulative = 0;
    const picks: number[] = [];
    for (let i = 0; i < n && picks.length < n; i++) {
      cumulative += weights[i]!;
      while (target < cumulative && picks.length < n) {
        picks.push(Number(rows[i]![0]));
        target += step;
      }
    }
    ctx.onProgress(0.4, 'Writing the resampled rows');
    staging = new StagingTable(db, p.stagingTable!, p.columns.map((c) => c.name), p.columns.map((c) => c.type as ColumnType));
    db.exec('CREATE TEMP TABLE fairness_picks (seq INTEGER PRIMARY KEY, src INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO fairness_picks (src) VALUES (?)');
    db.transaction(() => {
      for (const src of picks) insert.run(src);
    })();
    const cols = p.columns.map((c) => quoteIdent(c.name)).join(', ');
    const fromCols = p.columns.map((c) => `s.${quoteIdent(c.name)}`).join(', ');
    db.exec(`INSERT INTO ${quoteIdent(p.stagingTable!)} (__row, ${cols}) SELECT k.seq, ${fromCols} FROM fairness_picks k JOIN ${quoteIdent(p.sourceTable)} s ON s.__row = k.src ORDER BY k.seq`);
    db.exec('DROP TABLE fairness_picks');
    ctx.onProgress(1, `Resampled ${picks.length} rows`, { rows: picks.length });
    return { rows: picks.length, weights: table.map((t) => ({ key: t.key, label: t.label === 1 ? positive : `not ${positive}`, n: t.n, weight: t.weight })) };
  } catch (err) {
    staging?.drop();
    throw err;
  } finally {
    db.close();
  }
}

/**
 * Privacy × utility × fairness: on each version (the original and its anonymised versions) the same Model studio
 * family and pipeline is fitted on a seeded 70% and scored on the other 30%, where accuracy and the chosen
 * disparity (with its bootstrap interval) are measured over the sensitive columns as that version holds them.
 */
async function comparePrivacy(p: FairnessJobParams, ctx: JobContext): Promise<PrivacyComparison> {
  const spec = p.privacy!;
  const r = p.request;
  const { backend } = await startBestBackend(undefined, (name, why) => ctx.log(`Backend ${name} ${why}`, 'warn'));
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  const out: PrivacyComparison['rows'] = [];
  let positive = r.positive ?? '';
  try {
    for (const [k, v] of spec.versions.entries()) {
      if (ctx.signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
      ctx.onProgress(k / spec.versions.length, `Version ${v.number}: training`);
      const names = new Set(v.columns.map((c) => c.name));
      for (const c of [spec.target, ...r.sensitive]) if (!names.has(c)) throw invalid(`version ${v.number} has no column “${c}”`);
      const features = (spec.features.length ? spec.features : v.columns.map((c) => c.name).filter((c) => c !== spec.target && !r.sensitive.includes(c))).filter((c) => names.has(c));
      const all = readColumns(db, v.sourceTable, [...new Set([spec.target, ...features, ...r.sensitive])]);
      const col = (name: string) => all.columns.find((c) => c.name === name)!.values;
      const labelled = col(spec.target).flatMap((x, i) => (text(x) === null ? [] : [i]));
      const table = { columns: all.columns.map((c) => ({ name: c.name, values: labelled.map((i) => c.values[i]!) })) };
      const targets = table.columns.find((c) => c.name === spec.target)!.values;
      if (k === 0) positive = resolvePositive(targets, r.positive);
      const order = seededPermutation(labelled.length, r.seed);
      const cut = Math.floor(labelled.length * 0.7);
      const train = order.subarray(0, cut);
      const test = order.subarray(cut);
      const pipeline = fitPipeline(table, v.columns, spec.target, features, train, { task: 'binary' });
      const saved = { ...pipeline, family: spec.family, modelTask: 'binary' as const, meta: {} };
      const data = prepareRows(saved, table);
      const trained = await fitFamily(spec.family, subset(data, train), null, {
        task: 'binary', classes: 2, hyper: {}, epochs: spec.epochs, batchSize: 256, seed: r.seed, signal: ctx.signal, tfBackend: backend, onEpoch: () => undefined,
      });
      ctx.onProgress((k + 0.7) / spec.versions.length, `Version ${v.number}: auditing`);
      const testData = subset(data, test);
      const predicted = await trained.predict(testData);
      trained.dispose();
      const classes = pipeline.classes;
      const input: FairnessInput = {
        label: Uint8Array.from(test, (i) => (text(targets[i]!) === positive ? 1 : 0)),
        prediction: Uint8Array.from(predicted.pred, (c) => (classes[c] === positive ? 1 : 0)),
        sensitive: r.sensitive.map((name) => {
          const values = table.columns.find((c) => c.name === name)!.values;
          return encodeCategorical(name, Array.from(test, (i) => values[i]));
        }),
      };
      const audit = auditFairness(input, { bootstrap: r.bootstrap, minGroupSize: r.minGroupSize, seed: r.seed, signal: ctx.signal });
      const name = r.constraint === 'demographic_parity' ? 'demographicParityDifference' : 'equalizedOddsDifference';
      out.push({
        versionId: v.versionId,
        number: v.number,
        operation: v.operation,
        trainRows: train.length,
        testRows: test.length,
        accuracy: audit.overall.accuracy,
        disparity: audit.disparities[name],
        disparityCi: audit.disparities.ci?.[name] ?? null,
        groups: audit.groups.length,
        smallGroups: audit.disparities.excludedSmallGroups.length,
      });
    }
  } finally {
    db.close();
  }
  ctx.onProgress(1, `Compared ${out.length} versions`);
  return { constraint: r.constraint, positive, rows: out };
}

runWorker((params, ctx) => {
  const p = params as FairnessJobParams;
  if (p.mode === 'reweigh') return reweigh(p, ctx);
  if (p.mode === 'privacy') return comparePrivacy(p, ctx);
  return run(p, ctx);
});
