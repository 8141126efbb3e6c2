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
  thresholdOptimizer,
  tradeoffCurve,
  type FairnessInput,
} from '../core/fairness/index.js';
import type { CellValue } from '../core/ml/logistic.js';
import type { JobContext } from '../jobs/protocol.js';
import type { FairnessJobParams, FairnessJobResult } from '../jobs/fairness-job.js';
import { inputColumns, loadModel, prepareRows, readColumns, readSavedPipeline } from './ml/prepare.js';
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

runWorker((params, ctx) => run(params as FairnessJobParams, ctx));
