/**
 * Training job: reads the version's columns with its own connection, splits the rows (seeded, stratified for
 * classes, 70/15/15), fits the feature pipeline on the training split, then trains one family — or several for a
 * hyper-parameter search or the AutoML quick pick, keeping the best by the task's validation metric — optionally
 * cross-validates the kept setup, evaluates it on the test split with sklearn-equal metrics, and writes its files
 * (TF.js layers format or estimator.json, plus pipeline.json) into params.modelDir.
 */
import * as tf from '@tensorflow/tfjs';
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog } from '../catalog/connection.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { HistoryEntry, HyperParams, HyperValue, ModelFamily, ModelReport, ModelTask, Trial } from '../../shared/model/training.js';
import { startBestBackend } from './tf-backend.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';
import type { BackendAttempt } from '../core/ml/backends.js';
import { fitPipeline, stratifiedSplit, targetLabels, encodeTarget, targetClasses, type PipelineTask } from '../core/ml/pipeline.js';
import { autoCandidates, familyTask, targetTask, type TargetFacts } from '../core/ml/tasks.js';
import type { FeatureTable } from '../core/ml/logistic.js';
import { detectTextLanguage } from '../core/ml/text.js';
import { indexIds } from '../core/ml/mf.js';
import { mulberry32 } from '../core/random.js';
import type { JobContext } from '../jobs/protocol.js';
import type { SavedPipeline, TrainJobParams, TrainResult, TrainSamplePrediction } from '../jobs/train-job.js';
import { describeFiles, writeModelFile } from './ml/artifact.js';
import { evaluate, f1Threshold, primaryMetric } from './ml/evaluation.js';
import { fitFamily, SEARCH_SPACES, subset, usesTf, type FamilyData, type FitOptions, type Trained } from './ml/families.js';
import { prepareRows, readColumns, tokenizeColumn, withThreshold } from './ml/prepare.js';

const FAMILIES: readonly ModelFamily[] = ['logistic', 'linear', 'mlp', 'kmeans', 'dbscan', 'mf', 'embedding', 'text', 'cnn', 'anomaly'];
const NUMERIC = new Set(['integer', 'real', 'boolean']);

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}

function validate(p: TrainJobParams): void {
  if (p.family !== 'auto' && !FAMILIES.includes(p.family)) throw new XinzhiError('E_INVALID_INPUT', `Unknown model family "${String(p.family)}"`);
  for (const [name, v, min] of [['epochs', p.epochs, 1], ['batchSize', p.batchSize, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new XinzhiError('E_INVALID_INPUT', `${name} must be an integer ≥ ${min}`);
  }
  if (p.learningRate !== undefined && (!(p.learningRate > 0) || !Number.isFinite(p.learningRate))) throw new XinzhiError('E_INVALID_INPUT', 'learningRate must be a number > 0');
  if (!Number.isInteger(p.seed)) throw new XinzhiError('E_INVALID_INPUT', 'seed must be an integer');
  const known = new Set(p.columns.map((c) => c.name));
  for (const name of [p.target, ...p.features, p.userColumn ?? '', p.itemColumn ?? ''].filter((n) => n !== '')) {
    if (!known.has(name)) throw new XinzhiError('E_INVALID_INPUT', `Column "${name}" is not in the table`);
  }
}

// ------------------------------------------------------------------ what is trained, on which rows

type Kind = 'matrix' | 'text' | 'pairs';

function kindOf(family: ModelFamily): Kind {
  return family === 'text' ? 'text' : family === 'mf' || family === 'embedding' ? 'pairs' : 'matrix';
}

interface Prepared {
  data: FamilyData;
  saved: Omit<SavedPipeline, 'family' | 'modelTask' | 'meta'>;
  image?: { height: number; width: number; channels: number };
  counts?: { users: number; items: number };
}

interface Setup {
  p: TrainJobParams;
  table: FeatureTable;
  task: ModelTask;
  /** Class labels (classification; anomaly with a label column), else []. */
  classes: string[];
  /** Class index per row (for stratification and class truth) or null. */
  y: Uint8Array | null;
  split: { train: Int32Array; validation: Int32Array; test: Int32Array };
  features: string[];
}

function targetFacts(table: FeatureTable, p: TrainJobParams): TargetFacts | null {
  if (p.target === '') return null;
  const values = table.columns.find((c) => c.name === p.target)?.values ?? [];
  const distinct = new Set(values.map((v) => (v === null ? null : String(v)))).size;
  return { type: p.columns.find((c) => c.name === p.target)?.type ?? 'text', distinct };
}

function firstTextColumn(p: TrainJobParams, table: FeatureTable, features: string[]): string | null {
  const texts = features.filter((f) => p.columns.find((c) => c.name === f)?.type === 'text');
  let best: string | null = null;
  let bestLength = 0;
  for (const name of texts) {
    const values = table.columns.find((c) => c.name === name)?.values ?? [];
    let sum = 0;
    for (let i = 0; i < Math.min(values.length, 500); i++) sum += String(values[i] ?? '').length;
    const mean = sum / Math.max(1, Math.min(values.length, 500));
    if (mean > bestLength) {
      best = name;
      bestLength = mean;
    }
  }
  return best;
}

function prepare(setup: Setup, family: ModelFamily): Prepared {
  const { p, table, task, split, classes } = setup;
  const pipelineTask: PipelineTask = task === 'binary' || task === 'multiclass' ? task : task === 'regression' || task === 'recommendation' ? 'regression' : classes.length > 0 ? 'binary' : 'none';
  const kind = kindOf(family);
  const base = { version: 1 as const, target: p.target, task: pipelineTask, classes, maxLevels: 0, ...(p.target ? { targetType: p.columns.find((c) => c.name === p.target)?.type } : {}) };
  const trainTable: FeatureTable = { columns: table.columns };
  if (kind === 'text') {
    const column = firstTextColumn(p, table, setup.features);
    if (!column) throw new XinzhiError('E_INVALID_INPUT', 'Text classification needs a text column among the features');
    const values = table.columns.find((c) => c.name === column)?.values ?? [];
    const hyperLang = p.hyper?.lang;
    const lang = hyperLang === 'zh' || hyperLang === 'en' ? hyperLang : detectTextLanguage(values.slice(0, 500).map((v) => String(v ?? '')));
    const docs = tokenizeColumn(values, lang);
    return {
      data: { rows: docs.length, docs, ...(setup.y ? { y: setup.y } : {}) },
      saved: { ...base, columns: [{ name: column, type: 'text' }], features: [], featureNames: [], text: { column, lang } },
    };
  }
  if (kind === 'pairs') {
    const userColumn = p.userColumn;
    const itemColumn = p.itemColumn;
    if (!userColumn || !itemColumn) throw new XinzhiError('E_INVALID_INPUT', 'A recommender needs the user and item columns', { path: 'userColumn' });
    const col = (name: string) => table.columns.find((c) => c.name === name)?.values ?? [];
    const users = indexIds(col(userColumn));
    const items = indexIds(col(itemColumn));
    const data = prepareRows({ ...base, columns: [], features: [], featureNames: [], family, modelTask: task, meta: {}, pairs: { userColumn, itemColumn, userIds: users.ids, itemIds: items.ids } }, trainTable);
    return {
      data,
      saved: { ...base, columns: [userColumn, itemColumn].map((name) => ({ name, type: p.columns.find((c) => c.name === name)?.type ?? 'text' })), features: [], featureNames: [], pairs: { userColumn, itemColumn, userIds: users.ids, itemIds: items.ids } },
      counts: { users: users.ids.length, items: items.ids.length },
    };
  }
  const spec = fitPipeline(table, p.columns, p.target, setup.features, split.train, { task: pipelineTask, numericScaling: family === 'cnn' ? 'unit' : 'standard' });
  const data = prepareRows({ ...spec, family, modelTask: task, meta: {} }, trainTable);
  if (classes.length > 0 && !data.y && setup.y) data.y = setup.y;
  const prepared: Prepared = { data, saved: { ...spec, ...(base.targetType ? { targetType: base.targetType } : {}) } };
  if (family === 'cnn') {
    const cols = data.cols as number;
    const channels = typeof p.hyper?.channels === 'number' ? p.hyper.channels : 1;
    const side = Math.round(Math.sqrt(cols / channels));
    const height = typeof p.hyper?.height === 'number' ? p.hyper.height : side;
    const width = typeof p.hyper?.width === 'number' ? p.hyper.width : side;
    if (height * width * channels !== cols) {
      throw new XinzhiError('E_INVALID_INPUT', `The CNN needs height × width × channels = ${cols} pixel columns; give hyper.height and hyper.width`, { path: 'hyper.height' });
    }
    prepared.image = { height, width, channels };
  }
  return prepared;
}

// ------------------------------------------------------------------ search spaces

function gridPoints(space: Record<string, HyperValue[]>, limit: number): HyperParams[] {
  const keys = Object.keys(space);
  let points: HyperParams[] = [{}];
  for (const key of keys) points = points.flatMap((pt) => (space[key] as HyperValue[]).map((v) => ({ ...pt, [key]: v })));
  if (points.length <= limit) return points;
  // Evenly spaced over the full grid, so a cap still covers every axis.
  return Array.from({ length: limit }, (_, i) => points[Math.floor((i * points.length) / limit)] as HyperParams);
}

function randomPoints(space: Record<string, HyperValue[]>, count: number, seed: number): HyperParams[] {
  const random = mulberry32(seed ^ 0x5eed);
  const seen = new Set<string>();
  const out: HyperParams[] = [];
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt++) {
    const pt: HyperParams = {};
    for (const [key, values] of Object.entries(space)) pt[key] = values[Math.floor(random() * values.length)] as HyperValue;
    const id = JSON.stringify(pt);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(pt);
  }
  return out;
}

/** Fold of each row: seeded, and by class round-robin for classification so every fold keeps the balance. */
function foldsOf(rows: Int32Array, y: Uint8Array | null, k: number, seed: number): Int32Array[] {
  const random = mulberry32(seed ^ 0xf01d);
  const byClass = new Map<number, number[]>();
  for (const r of rows) {
    const c = y ? (y[r] as number) : 0;
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(r);
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(c) as number[];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j] as number, list[i] as number];
    }
    for (const r of list) (folds[next++ % k] as number[]).push(r);
  }
  return folds.map((f) => Int32Array.from(f.sort((a, b) => a - b)));
}

// ------------------------------------------------------------------ the job

async function train(p: TrainJobParams, ctx: JobContext): Promise<TrainResult> {
  validate(p);
  checkCancelled(ctx.signal);
  ctx.onProgress(0, 'Reading rows');
  const pairColumns = [p.userColumn, p.itemColumn].filter((c): c is string => Boolean(c));
  const features = p.features.length > 0 ? p.features : p.columns.map((c) => c.name).filter((c) => c !== p.target && !pairColumns.includes(c));
  if (features.includes(p.target)) throw new XinzhiError('E_INVALID_INPUT', `The target "${p.target}" cannot also be a feature`);
  const names = [...new Set([...(p.target ? [p.target] : []), ...features, ...pairColumns])];
  const db = openCatalog(ctx.workspace, { migrate: false, readonly: true });
  let table: FeatureTable;
  try {
    table = readColumns(db, p.sourceTable, names);
  } finally {
    db.close();
  }
  const rowCount = table.columns[0]?.values.length ?? 0;
  if (rowCount < 10) throw new XinzhiError('E_INVALID_INPUT', `Too few rows to train on (${rowCount}); at least 10 are needed`);

  // The task, and the class labels that stratify the split.
  const facts = targetFacts(table, p);
  const hasText = firstTextColumn(p, table, features) !== null;
  let task: ModelTask;
  if (p.family === 'auto') task = pairColumns.length === 2 ? 'recommendation' : facts ? targetTask(facts) : 'clustering';
  else task = familyTask(p.family, facts);
  if (p.family === 'auto' && task === 'regression' && facts && !NUMERIC.has(facts.type)) task = 'multiclass';
  let classes: string[] = [];
  if (task === 'binary') classes = targetClasses(table, p.target);
  else if (task === 'multiclass') classes = targetLabels(table, p.target);
  else if (task === 'anomaly' && facts) classes = targetClasses(table, p.target);
  const y = classes.length > 0 ? encodeTarget(table, p.target, classes) : null;
  const split = stratifiedSplit(y ?? new Uint8Array(rowCount), p.seed);
  if (split.train.length === 0 || split.test.length === 0) throw new XinzhiError('E_INVALID_INPUT', 'Too few rows to split into train, validation and test');
  const setup: Setup = { p, table, task, classes, y, split, features };

  // Candidates: AutoML's families, a search's points, or the one family with its hyper-parameters.
  const baseHyper = p.hyper ?? {};
  let candidates: { family: ModelFamily; hyper: HyperParams }[];
  if (p.family === 'auto') candidates = autoCandidates(task, hasText).map((family) => ({ family, hyper: baseHyper }));
  else if (p.search) {
    const space = p.searchSpace && Object.keys(p.searchSpace).length > 0 ? p.searchSpace : SEARCH_SPACES[p.family];
    const trials = p.trials ?? 8;
    const points = p.search === 'grid' ? gridPoints(space, trials) : randomPoints(space, trials, p.seed);
    candidates = points.map((pt) => ({ family: p.family as ModelFamily, hyper: { ...baseHyper, ...pt } }));
  } else candidates = [{ family: p.family, hyper: baseHyper }];

  // A backend of the ladder when a TF.js family is among them; else cpu, to build the saved Dense layer.
  let backend = 'cpu';
  let backendsTried: BackendAttempt[] = [];
  if (candidates.some((c) => usesTf(c.family, task, c.hyper))) {
    const chosen = await startBestBackend(p.forcedBackend, (name, why) => ctx.log(`Backend ${name} ${why}`, 'warn'));
    backend = chosen.backend;
    backendsTried = chosen.tried;
    if (backend === 'wasm') registerWasmTrainingKernels();
    ctx.log(`Training on ${backend} (${backendsTried.map((t) => `${t.name}: ${t.why}`).join('; ')})`);
  } else await tf.setBackend('cpu');

  const prepared = new Map<Kind, Prepared>();
  const preparedFor = (family: ModelFamily): Prepared => {
    const kind = kindOf(family);
    let got = prepared.get(kind);
    if (!got || (family === 'cnn') !== Boolean(got.image)) {
      got = prepare(setup, family);
      prepared.set(kind, got);
    }
    return got;
  };

  const folds = p.folds ?? 0;
  const fits = candidates.length + folds;
  let fitIndex = 0;
  const metricSpec = primaryMetric(task, classes.length > 0);
  const options = (family: ModelFamily, hyper: HyperParams, prep: Prepared, label: string): FitOptions => {
    const index = fitIndex;
    return {
      task,
      classes: classes.length,
      hyper,
      epochs: p.epochs,
      batchSize: p.batchSize,
      ...(p.learningRate !== undefined ? { learningRate: p.learningRate } : {}),
      seed: p.seed,
      patience: p.patience,
      signal: ctx.signal,
      tfBackend: backend,
      image: prep.image,
      counts: prep.counts,
      onEpoch: (entry: HistoryEntry, epochs: number) => {
        const counters: Record<string, number> = { epoch: entry.epoch, epochs, loss: entry.loss, fit: index + 1, fits };
        if (entry.valLoss !== undefined) counters.valLoss = entry.valLoss;
        if (entry.valMetric !== undefined) counters.valMetric = entry.valMetric;
        ctx.onProgress(Math.min(0.95, (index + entry.epoch / Math.max(epochs, 1)) / fits), `${label}: epoch ${entry.epoch}/${epochs}, loss ${entry.loss.toFixed(4)}`, counters);
      },
    };
  };

  const started = performance.now();
  const trials: Trial[] = [];
  let best: { trained: Trained; family: ModelFamily; score: number } | null = null;
  for (const c of candidates) {
    checkCancelled(ctx.signal);
    const prep = preparedFor(c.family);
    const trainSet = subset(prep.data, split.train);
    const valSet = subset(prep.data, split.validation);
    const label = candidates.length > 1 ? `${c.family} ${trials.length + 1}/${candidates.length}` : c.family;
    const t0 = performance.now();
    const trained = await fitFamily(c.family, trainSet, valSet, options(c.family, c.hyper, prep, label));
    fitIndex++;
    let score = Number.NaN;
    if (candidates.length > 1 && valSet.rows > 0) {
      const m = evaluate(task, classes.length, { ...valSet, ...(valSet.X ? { X: valSet.X, cols: valSet.cols } : {}) }, await trained.predict(valSet), { seed: p.seed }).metrics[metricSpec.name];
      score = m ?? Number.NaN;
    }
    trials.push({ family: c.family, hyper: trained.hyper, score, metric: metricSpec.name, trainMs: Math.round(performance.now() - t0), chosen: false });
    const better = !best || (Number.isFinite(score) && (!Number.isFinite(best.score) || (metricSpec.higherIsBetter ? score > best.score : score < best.score)));
    if (better) {
      best?.trained.dispose();
      best = { trained, family: c.family, score };
    } else trained.dispose();
  }
  if (!best) throw new XinzhiError('E_INVALID_INPUT', 'Nothing was trained');
  const chosenIndex = trials.findIndex((t) => t.family === best!.family && JSON.stringify(t.hyper) === JSON.stringify(best!.trained.hyper));
  if (chosenIndex >= 0) (trials[chosenIndex] as Trial).chosen = true;
  const { trained, family } = best;
  const prep = preparedFor(family);

  // k-fold cross-validation of the kept setup on train + validation rows.
  let cv: ModelReport['cv'];
  if (folds >= 2) {
    const pool = Int32Array.from([...split.train, ...split.validation].sort((a, b) => a - b));
    const foldRows = foldsOf(pool, y, folds, p.seed);
    const scores: number[] = [];
    for (let f = 0; f < folds; f++) {
      checkCancelled(ctx.signal);
      const held = foldRows[f] as Int32Array;
      const heldSet = new Set(held);
      const rest = pool.filter((r) => !heldSet.has(r));
      const fold = await fitFamily(family, subset(prep.data, rest), null, { ...options(family, trained.hyper, prep, `fold ${f + 1}/${folds}`), patience: undefined });
      fitIndex++;
      const heldData = subset(prep.data, held);
      const m = evaluate(task, classes.length, heldData, await fold.predict(heldData), { seed: p.seed }).metrics[metricSpec.name];
      fold.dispose();
      if (m !== undefined) scores.push(m);
    }
    const mean = scores.reduce((s, v) => s + v, 0) / Math.max(scores.length, 1);
    const std = Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(scores.length, 1));
    cv = { folds, metric: metricSpec.name, scores, mean, std };
  }
  const trainMs = performance.now() - started;
  checkCancelled(ctx.signal);

  ctx.onProgress(0.97, 'Evaluating on the test split');
  // A binary classifier's decision threshold: given, or the validation rows' F1-best.
  let decisionThreshold: number | undefined;
  if (task === 'binary' && p.threshold !== undefined) {
    if (p.threshold === 'f1') {
      const valSet = subset(prep.data, split.validation);
      if (valSet.rows === 0 || !valSet.y) throw new XinzhiError('E_INVALID_INPUT', 'Too few rows to tune the decision threshold on validation rows');
      decisionThreshold = f1Threshold(valSet.y, (await trained.predict(valSet)).score);
    } else decisionThreshold = p.threshold;
  }
  const testSet = subset(prep.data, split.test);
  const testOut = withThreshold(await trained.predict(testSet), decisionThreshold);
  const evaluation = evaluate(task, classes.length, testSet, testOut, { seed: p.seed, threshold: decisionThreshold });
  if (family === 'kmeans') {
    // sklearn's inertia on the test rows: the sum of squared distances to the nearest centre (the score column).
    let inertia = 0;
    for (const d of testOut.score) inertia += d * d;
    evaluation.metrics.inertia = inertia;
  }

  const saved: SavedPipeline = {
    ...prep.saved,
    family,
    modelTask: task,
    meta: { ...trained.meta, ...(prep.image ? { image: prep.image } : {}), ...(decisionThreshold !== undefined ? { decisionThreshold } : {}) },
  };
  const modelFiles = await trained.save(p.modelDir);
  writeModelFile(p.modelDir, 'pipeline.json', JSON.stringify(saved));
  const files = describeFiles(p.modelDir, [...modelFiles, 'pipeline.json']);
  const samplePredictions: TrainSamplePrediction[] = [];
  if (testSet.X && testSet.cols !== undefined) {
    for (let i = 0; i < Math.min(5, testSet.rows); i++) {
      samplePredictions.push({ testIndex: i, features: Array.from(testSet.X.subarray(i * testSet.cols, (i + 1) * testSet.cols)), probability: testOut.score[i] as number });
    }
  }
  trained.dispose();
  const report: ModelReport = {
    history: trained.history,
    validationMetric: metricSpec.name,
    ...(classes.length > 0 ? { classes } : {}),
    ...(evaluation.confusion ? { confusion: evaluation.confusion } : {}),
    ...(evaluation.roc ? { roc: evaluation.roc } : {}),
    ...(cv ? { cv } : {}),
    ...(candidates.length > 1 ? { trials } : {}),
    ...(trained.stoppedEarly ? { stoppedEarly: trained.stoppedEarly } : {}),
  };
  ctx.onProgress(1, `Trained ${family}`);
  return {
    family,
    task,
    backend: usesTf(family, task, trained.hyper) ? backend : 'typed-array',
    backendsTried,
    trainMs: Math.round(trainMs),
    metrics: evaluation.metrics,
    report,
    hyper: { ...trained.hyper, ...(decisionThreshold !== undefined ? { decisionThreshold } : {}) },
    featureSpec: saved,
    files,
    sizeBytes: files.reduce((s, f) => s + f.bytes, 0),
    rows: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    samplePredictions,
  };
}

runWorker((params, ctx) => train(params as TrainJobParams, ctx));
