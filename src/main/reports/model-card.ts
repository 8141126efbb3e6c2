/**
 * The model card (Mitchell et al., "Model Cards for Model Reporting", 2019): model details, intended use, factors,
 * metrics with confidence intervals, evaluation and training data with lineage, quantitative analyses (the model
 * page's charts), ethical considerations, caveats, and the compression and backend used.
 */
import { confusionOption, crossValidationOption, importanceOption, learningCurvesOption, rocOption } from '../../shared/charts/training.js';
import { translate, type Language } from '../../shared/i18n/index.js';
import type { ModelRecord } from '../../shared/model/training.js';
import type { AuditRecord } from '../../shared/model/fairness.js';
import { disparitiesTable, failingGroups, groupsTable } from './fairness.js';
import { aucInterval, bootstrapConfusion, metricFromConfusion, type ConfusionMetric } from '../core/reports/confidence.js';
import type { Block, Section } from './document.js';
import { fmtInt, fmtMetric, fmtNum, fmtPct, reportText } from './format.js';

export interface LineageStep {
  versionId: string;
  number: number;
  operation: string;
  rowCount: number;
  contentHash: string;
  createdAt: string;
}

export interface ModelCardData {
  model: ModelRecord;
  dataset: { id: string; name: string };
  /** The training version first, then its ancestors up to the imported file. */
  lineage: LineageStep[];
  parentModel: { id: string; name: string } | null;
  /** Stored fairness audits of this model, newest first (mitigations are in the audit's own report). */
  fairness: AuditRecord[];
}

/** Parameters that are internals of the pipeline (and may hold data values, e.g. category lists): never printed. */
const INTERNAL_PARAMS = new Set(['history', 'featureSpec', 'featureNames', 'backendsTried', 'rows', 'report', 'samplePredictions', 'compression', 'parentModelId', 'modelDir', 'pipeline', 'classes', 'encoders', 'vocabulary', 'scaler']);
const CONFUSION_METRICS: ConfusionMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'balanced_accuracy'];
const MAX_FEATURES_LISTED = 60;

export function modelCardSections(data: ModelCardData, lang: Language): Section[] {
  const t = reportText(lang, 'modelCard');
  const c = reportText(lang, 'common');
  const { model } = data;
  const report = model.report;
  const training = data.lineage[0];
  const rows = model.params.rows as { train?: number; validation?: number; test?: number } | undefined;
  const anonymised = data.lineage.some((s) => s.operation === 'anonymise');
  const task = translate(lang, `ui.training.tasks.${model.task}`);

  const details: [string, string][] = [
    [t('name'), model.name],
    [c('id'), model.id],
    [t('family'), translate(lang, `ui.training.families.${model.family}`)],
    [t('task'), task],
    [t('target'), model.target || '—'],
    [t('created'), model.createdAt],
    [t('backend'), model.backend],
    [t('trainTime'), `${fmtNum(model.trainMs / 1000, 1)} s`],
    [t('size'), `${fmtInt(model.sizeBytes, lang)} B`],
  ];
  if (data.parentModel) details.push([t('compressedFrom'), `${data.parentModel.name} (${data.parentModel.id})`]);
  const hyper = hyperParams(model);

  const sections: Section[] = [
    {
      title: t('details'),
      blocks: [
        { type: 'keyValue', rows: details },
        { type: 'heading', text: t('hyperParams') },
        hyper.length ? { type: 'table', columns: [t('parameter'), t('value')], rows: hyper, widths: [1, 2] } : { type: 'paragraph', text: '—' },
        { type: 'heading', text: t('files') },
        { type: 'table', columns: [t('file'), t('bytes'), 'SHA-256'], rows: model.files.map((f) => [f.name, fmtInt(f.bytes, lang), f.sha256]), align: ['left', 'right', 'left'], widths: [1.4, 0.7, 3.4] },
      ],
    },
    {
      title: t('intendedUse'),
      blocks: [
        { type: 'paragraph', text: t('primaryUse', { task, target: model.target || '—', features: model.features.length, dataset: data.dataset.name }) },
        { type: 'paragraph', text: t('users') },
        { type: 'note', tone: 'warn', text: t('outOfScope') },
      ],
    },
    {
      title: t('factors'),
      blocks: [
        { type: 'paragraph', text: t('factorsText', { n: model.features.length }) },
        {
          type: 'paragraph',
          text: model.features.slice(0, MAX_FEATURES_LISTED).join(', ') + (model.features.length > MAX_FEATURES_LISTED ? ` … (+${model.features.length - MAX_FEATURES_LISTED})` : ''),
        },
        data.fairness.length
          ? { type: 'note', tone: 'info', text: t('fairnessAudited', { n: data.fairness.length, columns: [...new Set(data.fairness.flatMap((a) => a.result.columns))].join(', ') }) }
          : { type: 'note', tone: 'info', text: t('noFairness') },
      ],
    },
    { title: t('metrics'), blocks: metricBlocks(model, lang) },
    {
      title: t('data'),
      blocks: [
        { type: 'heading', text: t('trainingData') },
        {
          type: 'keyValue',
          rows: [
            [t('dataset'), `${data.dataset.name} (${data.dataset.id})`],
            [c('version'), training ? `v${training.number} (${training.versionId})` : model.versionId],
            ['SHA-256', training?.contentHash ?? '—'],
            [t('split'), rows && typeof rows.train === 'number' ? t('splitValue', { train: fmtInt(rows.train, lang), validation: fmtInt(rows.validation ?? 0, lang), test: fmtInt(rows.test ?? 0, lang) }) : t('splitUnknown')],
          ],
        },
        { type: 'heading', text: t('evaluationData') },
        { type: 'paragraph', text: rows?.test ? t('evaluationText', { test: fmtInt(rows.test, lang) }) : t('evaluationUnknown') },
        { type: 'heading', text: t('lineage') },
        { type: 'paragraph', text: t('lineageText') },
        {
          type: 'table',
          columns: [c('version'), t('operation'), c('rows'), c('id'), 'SHA-256'],
          rows: data.lineage.map((s) => [`v${s.number}`, operationName(s.operation, lang), fmtInt(s.rowCount, lang), s.versionId, s.contentHash]),
          align: ['left', 'left', 'right', 'left', 'left'],
          widths: [0.7, 1.1, 0.8, 1.4, 3.2],
        },
      ],
    },
    { title: t('analyses'), blocks: [...analysisBlocks(model, lang), ...fairnessBlocks(data.fairness, lang)] },
    {
      title: t('compute'),
      blocks: computeBlocks(model, lang),
    },
    {
      title: t('ethics'),
      blocks: [
        { type: 'note', tone: anonymised ? 'ok' : 'warn', text: anonymised ? t('ethicsAnonymised') : t('ethicsNotAnonymised') },
        { type: 'paragraph', text: t('ethicsText') },
      ],
    },
    {
      title: t('caveats'),
      blocks: [
        { type: 'paragraph', text: t('caveatsText') },
        ...(report.stoppedEarly ? [{ type: 'note', tone: 'info', text: t('stoppedEarly', { epoch: report.stoppedEarly.epoch, best: report.stoppedEarly.bestEpoch }) } as Block] : []),
      ],
    },
  ];
  return sections;
}

function hyperParams(model: ModelRecord): string[][] {
  const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map(show).join(', ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  // The family's hyper-parameters as used override the request's settings of the same name (e.g. learningRate).
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(model.params)) {
    if (INTERNAL_PARAMS.has(key) || value === undefined || value === null || key === 'hyper') continue;
    if (typeof value === 'object' && !Array.isArray(value)) continue;
    out.set(key, show(value));
  }
  const hyper = model.params.hyper;
  if (hyper && typeof hyper === 'object' && !Array.isArray(hyper)) for (const [k, v] of Object.entries(hyper as Record<string, unknown>)) out.set(k, show(v));
  return [...out.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

/** Test metrics with a 95% interval where the stored evaluation allows one, and what it rests on. */
function metricBlocks(model: ModelRecord, lang: Language): Block[] {
  const t = reportText(lang, 'modelCard');
  const confusion = model.report.confusion;
  const intervals = confusion && confusion.length >= 2 ? bootstrapConfusion(confusion, CONFUSION_METRICS, { resamples: 1000, seed: 42 }) : null;
  const rows: string[][] = [];
  for (const [name, value] of Object.entries(model.metrics).sort(([a], [b]) => a.localeCompare(b))) {
    let interval = '—';
    let method = t('methods.stored');
    const known = CONFUSION_METRICS.find((m) => m === name);
    if (known && intervals && confusion && Math.abs(metricFromConfusion(confusion, known) - value) < 1e-6) {
      interval = `[${fmtMetric(intervals[known].low)}, ${fmtMetric(intervals[known].high)}]`;
      method = t('methods.bootstrap');
    } else if (name === 'roc_auc' && confusion?.length === 2) {
      const positives = confusion[1]!.reduce((a, b) => a + b, 0);
      const negatives = confusion[0]!.reduce((a, b) => a + b, 0);
      if (positives > 0 && negatives > 0) {
        const ci = aucInterval(value, positives, negatives);
        interval = `[${fmtMetric(ci.low)}, ${fmtMetric(ci.high)}]`;
        method = t('methods.hanley');
      }
    }
    rows.push([name, fmtMetric(value), interval, method]);
  }
  const blocks: Block[] = [
    { type: 'paragraph', text: t('metricsText') },
    { type: 'table', columns: [t('metric'), t('value'), t('ci95'), t('method')], rows, align: ['left', 'right', 'right', 'left'], widths: [1.2, 0.8, 1.4, 2.2] },
  ];
  if (!confusion) blocks.push({ type: 'note', tone: 'info', text: t('noIntervals') });
  const cv = model.report.cv;
  if (cv) blocks.push({ type: 'paragraph', text: t('cvText', { folds: cv.folds, metric: cv.metric, mean: fmtMetric(cv.mean), std: fmtMetric(cv.std) }) });
  return blocks;
}

function analysisBlocks(model: ModelRecord, lang: Language): Block[] {
  const t = reportText(lang, 'modelCard');
  const report = model.report;
  const blocks: Block[] = [];
  if (report.roc) {
    blocks.push({ type: 'heading', text: t('roc') });
    blocks.push({ type: 'chart', option: rocOption(report.roc, { fpr: t('fpr'), tpr: t('tpr'), chance: t('chance'), ...(model.metrics.roc_auc !== undefined ? { auc: model.metrics.roc_auc } : {}) }), height: 320 });
  }
  if (report.confusion) {
    blocks.push({ type: 'heading', text: t('confusion') });
    const classes = report.classes ?? [];
    blocks.push({ type: 'chart', option: confusionOption(classes, report.confusion, { actual: t('actual'), predicted: t('predicted') }), height: Math.min(380, 120 + 44 * report.confusion.length) });
  }
  if (report.history.length > 1) {
    blocks.push({ type: 'heading', text: t('curves') });
    const metric = report.validationMetric ?? '';
    blocks.push({
      type: 'chart',
      option: learningCurvesOption(report.history, { epoch: t('epoch'), loss: t('loss'), valLoss: t('valLoss'), valMetric: metric ? t('valMetricNamed', { metric }) : t('valMetric') }),
      height: 280,
    });
  } else if (report.history.length === 1) {
    blocks.push({ type: 'paragraph', text: t('onePass', { loss: fmtMetric(report.history[0]!.loss) }) });
  }
  if (report.cv) {
    blocks.push({ type: 'heading', text: t('cv') });
    blocks.push({ type: 'chart', option: crossValidationOption(report.cv, { fold: (n) => t('fold', { n }) }), height: 220 });
  }
  if (report.explanation?.importance.length) {
    blocks.push({ type: 'heading', text: t('importance') });
    const shown = Math.min(15, report.explanation.importance.length);
    blocks.push({ type: 'chart', option: importanceOption(report.explanation.importance, { metric: report.explanation.metric }), height: 60 + 22 * shown, caption: t('importanceCaption', { metric: report.explanation.metric }) });
  }
  if (blocks.length === 0) blocks.push({ type: 'paragraph', text: t('noAnalyses') });
  return blocks;
}

function computeBlocks(model: ModelRecord, lang: Language): Block[] {
  const t = reportText(lang, 'modelCard');
  const blocks: Block[] = [
    {
      type: 'keyValue',
      rows: [
        [t('backend'), model.backend],
        [t('trainTime'), `${fmtNum(model.trainMs / 1000, 1)} s`],
        [t('size'), `${fmtInt(model.sizeBytes, lang)} B`],
      ],
    },
  ];
  const comp = model.report.compression;
  if (comp) {
    blocks.push({ type: 'heading', text: t('compression') });
    blocks.push({
      type: 'keyValue',
      rows: [
        [t('quantize'), comp.quantize],
        [t('prune'), fmtPct(comp.prune)],
        [t('sparsity'), fmtPct(comp.sparsity)],
        [t('sizeBeforeAfter'), `${fmtInt(comp.originalSizeBytes, lang)} B → ${fmtInt(model.sizeBytes, lang)} B`],
        [t('latencyBeforeAfter'), `${fmtNum(comp.originalLatencyMs, 3)} ms → ${fmtNum(comp.latencyMs, 3)} ms`],
      ],
    });
    const names = Object.keys(comp.originalMetrics).filter((k) => model.metrics[k] !== undefined).sort();
    blocks.push({ type: 'table', columns: [t('metric'), t('before'), t('after')], rows: names.map((k) => [k, fmtMetric(comp.originalMetrics[k]!), fmtMetric(model.metrics[k]!)]), align: ['left', 'right', 'right'] });
  } else {
    blocks.push({ type: 'paragraph', text: t('notCompressed') });
  }
  blocks.push({ type: 'note', tone: 'info', text: t('hardwareNote') });
  return blocks;
}

/** An operation's name in the report's language (the catalog's own word when it has no translation). */
function operationName(operation: string, lang: Language): string {
  const key = `ui.reports.pdf.modelCard.operations.${operation}`;
  const text = translate(lang, key);
  return text === key ? operation : text;
}

/** Each stored fairness audit of the model: its verdict, the disparities with intervals, and per-group verdicts. */
function fairnessBlocks(audits: AuditRecord[], lang: Language): Block[] {
  const t = reportText(lang, 'modelCard');
  if (!audits.length) return [{ type: 'heading', text: t('fairnessTitle') }, { type: 'note', tone: 'warn', text: t('noFairness') }];
  return audits.flatMap((audit): Block[] => {
    const failing = failingGroups(audit);
    return [
      { type: 'heading', text: t('fairnessAudit', { name: audit.name, id: audit.id }) },
      {
        type: 'note',
        tone: failing.length ? 'warn' : 'ok',
        text: t(failing.length ? 'fairnessFail' : 'fairnessPass', { columns: audit.result.columns.join(', '), rows: fmtInt(audit.rows, lang), at: audit.createdAt, groups: failing.join('; ') }),
      },
      disparitiesTable(audit, lang),
      groupsTable(audit, lang),
    ];
  });
}
