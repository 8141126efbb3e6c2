/**
 * The fairness audit: counts every row once into (intersection cell × label × prediction), derives per-group rates,
 * Fairlearn disparities, disparate impact and Aequitas ratios from those counts, and bootstraps them by resampling
 * the counts (a multinomial draw, equal in distribution to resampling rows).
 */
import { XinzhiError } from '../../../shared/model/errors.js';
import { GROUP_METRICS, DISPARITY_METRICS } from '../../../shared/model/fairness.js';
import type {
  AuditSettings,
  Calibration,
  DisparateImpact,
  FairnessAnalysis,
  FairnessResult,
  GroupResult,
  Interval,
} from '../../../shared/model/fairness.js';
import { mulberry32 } from '../random.js';
import {
  DISPARITY_COUNT,
  METRIC_COUNT,
  METRIC_INDEX,
  disparitiesOf,
  finiteOrNull,
  ratesOf,
} from './metrics.js';
import { multinomialFromCounts, quantileOfFinite } from './sampling.js';

/** A sensitive column, dictionary-encoded: codes[i] indexes levels. */
export interface SensitiveColumn {
  name: string;
  codes: Int32Array;
  levels: string[];
}

export interface FairnessInput {
  /** 1 where the actual outcome is the positive label. */
  label: Uint8Array;
  /** 1 where the model predicts the positive label. */
  prediction: Uint8Array;
  /** Predicted probability of the positive label, for calibration (optional). */
  score?: Float64Array | null;
  sensitive: SensitiveColumn[];
}

export interface AuditOptions extends Partial<AuditSettings> {
  /** Reference group as column → value; unnamed columns (or no reference at all) pick the largest group. */
  reference?: Record<string, string>;
  /** Also analyse each sensitive column on its own. */
  marginal?: boolean;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = { minGroupSize: 30, bootstrap: 1000, seed: 42, confidence: 0.95, calibrationBins: 10 };

export const MISSING_LEVEL = '(missing)';

/** Dictionary-encodes values with sorted levels; null, undefined and '' become the level `(missing)`. */
export function encodeCategorical(name: string, values: ArrayLike<unknown>): SensitiveColumn {
  const index = new Map<string, number>();
  const raw = new Int32Array(values.length);
  const seen: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const s = v === null || v === undefined || v === '' ? MISSING_LEVEL : String(v);
    let code = index.get(s);
    if (code === undefined) {
      code = seen.length;
      index.set(s, code);
      seen.push(s);
    }
    raw[i] = code;
  }
  const levels = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const remap = new Int32Array(seen.length);
  seen.forEach((s, i) => (remap[i] = levels.indexOf(s)));
  for (let i = 0; i < raw.length; i++) raw[i] = remap[raw[i]!]!;
  return { name, codes: raw, levels };
}

/** Row counts per non-empty intersection cell, in lexicographic order of the columns' level codes. */
interface Cells {
  count: number;
  /** count × 4 (TN, FP, FN, TP). */
  counts: Float64Array;
  /** Per column, each cell's level code. */
  levels: Int32Array[];
  /** Dense combined code → compact cell index (−1 when empty). */
  denseToCell: Int32Array;
  strides: number[];
}

const MAX_DENSE_CELLS = 1 << 22;

function countCells(input: FairnessInput): Cells {
  const { label, prediction, sensitive } = input;
  const rows = label.length;
  const strides: number[] = new Array(sensitive.length);
  let dense = 1;
  for (let c = sensitive.length - 1; c >= 0; c--) {
    strides[c] = dense;
    dense *= Math.max(1, sensitive[c]!.levels.length);
  }
  if (dense > MAX_DENSE_CELLS) {
    throw new XinzhiError('E_INVALID_INPUT', `the sensitive columns have too many combinations (${dense}); choose columns with fewer distinct values`);
  }
  const denseCounts = new Float64Array(dense * 4);
  if (sensitive.length === 1) {
    const codes = sensitive[0]!.codes;
    for (let i = 0; i < rows; i++) denseCounts[codes[i]! * 4 + label[i]! * 2 + prediction[i]!]!++;
  } else if (sensitive.length === 2) {
    const a = sensitive[0]!.codes;
    const b = sensitive[1]!.codes;
    const sa = strides[0]!;
    for (let i = 0; i < rows; i++) denseCounts[(a[i]! * sa + b[i]!) * 4 + label[i]! * 2 + prediction[i]!]!++;
  } else {
    for (let i = 0; i < rows; i++) {
      let code = 0;
      for (let c = 0; c < sensitive.length; c++) code += sensitive[c]!.codes[i]! * strides[c]!;
      denseCounts[code * 4 + label[i]! * 2 + prediction[i]!]!++;
    }
  }
  const denseToCell = new Int32Array(dense).fill(-1);
  let count = 0;
  for (let d = 0; d < dense; d++) {
    if (denseCounts[d * 4]! + denseCounts[d * 4 + 1]! + denseCounts[d * 4 + 2]! + denseCounts[d * 4 + 3]! > 0) denseToCell[d] = count++;
  }
  const counts = new Float64Array(count * 4);
  const levels = sensitive.map(() => new Int32Array(count));
  for (let d = 0; d < dense; d++) {
    const cell = denseToCell[d]!;
    if (cell < 0) continue;
    counts.set(denseCounts.subarray(d * 4, d * 4 + 4), cell * 4);
    for (let c = 0; c < sensitive.length; c++) levels[c]![cell] = Math.floor(d / strides[c]!) % Math.max(1, sensitive[c]!.levels.length);
  }
  return { count, counts, levels, denseToCell, strides };
}

/** One way of grouping the cells: the intersection of all columns, or one column on its own. */
interface Grouping {
  columns: number[];
  groupOfCell: Int32Array;
  groupCount: number;
  attributes: Record<string, string>[];
  keys: string[];
}

function groupingOf(input: FairnessInput, cells: Cells, columns: number[]): Grouping {
  const groupOfCell = new Int32Array(cells.count);
  const byKey = new Map<string, number>();
  const attributes: Record<string, string>[] = [];
  const keys: string[] = [];
  for (let cell = 0; cell < cells.count; cell++) {
    const attrs: Record<string, string> = {};
    for (const c of columns) attrs[input.sensitive[c]!.name] = input.sensitive[c]!.levels[cells.levels[c]![cell]!]!;
    const key = columns.map((c) => `${input.sensitive[c]!.name}=${attrs[input.sensitive[c]!.name]}`).join(', ');
    let g = byKey.get(key);
    if (g === undefined) {
      g = attributes.length;
      byKey.set(key, g);
      attributes.push(attrs);
      keys.push(key);
    }
    groupOfCell[cell] = g;
  }
  return { columns, groupOfCell, groupCount: attributes.length, attributes, keys };
}

function aggregate(cellCounts: Float64Array, grouping: Grouping, out: Float64Array): void {
  out.fill(0);
  const map = grouping.groupOfCell;
  for (let cell = 0; cell < map.length; cell++) {
    const o = map[cell]! * 4;
    const i = cell * 4;
    out[o]! += cellCounts[i]!;
    out[o + 1]! += cellCounts[i + 1]!;
    out[o + 2]! += cellCounts[i + 2]!;
    out[o + 3]! += cellCounts[i + 3]!;
  }
}

function resolveReference(input: FairnessInput, grouping: Grouping, sizes: number[], reference: Record<string, string> | undefined): number {
  const names = grouping.columns.map((c) => input.sensitive[c]!.name);
  const wanted = Object.entries(reference ?? {}).filter(([col]) => names.includes(col));
  let best = -1;
  for (let g = 0; g < grouping.groupCount; g++) {
    if (!wanted.every(([col, value]) => grouping.attributes[g]![col] === value)) continue;
    if (best < 0 || sizes[g]! > sizes[best]!) best = g;
  }
  if (best < 0) {
    const spec = wanted.map(([c, v]) => `${c}=${v}`).join(', ');
    throw new XinzhiError('E_INVALID_INPUT', `no rows in the reference group ${spec}`, { issue: `no rows in the reference group ${spec}` });
  }
  return best;
}

/** Disparate impact: within [0.8, 1.25] of the reference passes (the four-fifths rule, both ways, as Aequitas). */
function diVerdict(ratio: number, small: boolean, isReference: boolean): DisparateImpact['verdict'] {
  if (isReference) return 'reference';
  if (small || !Number.isFinite(ratio)) return 'insufficient';
  return ratio >= 0.8 - 1e-12 && ratio <= 1.25 + 1e-12 ? 'pass' : 'fail';
}

/** Everything computed for one grouping, point estimates plus room for bootstrap samples. */
interface GroupingState {
  grouping: Grouping;
  counts: Float64Array;
  rates: Float64Array;
  disparities: Float64Array;
  compared: Int32Array;
  referenceIndex: number;
  /** [(g·11 + m)·B + b] */
  rateSamples: Float64Array;
  /** [d·B + b] */
  disparitySamples: Float64Array;
  /** [g·B + b] */
  diSamples: Float64Array;
}

function pointState(input: FairnessInput, cells: Cells, columns: number[], options: AuditOptions, settings: AuditSettings): GroupingState {
  const grouping = groupingOf(input, cells, columns);
  const G = grouping.groupCount;
  const counts = new Float64Array(G * 4);
  aggregate(cells.counts, grouping, counts);
  const rates = new Float64Array(G * METRIC_COUNT);
  ratesOf(counts, G, rates);
  const sizes = Array.from({ length: G }, (_, g) => counts[g * 4]! + counts[g * 4 + 1]! + counts[g * 4 + 2]! + counts[g * 4 + 3]!);
  // Small groups are shown with their rates but never enter max/min or a verdict: their rates are too noisy.
  const compared = Int32Array.from(sizes.flatMap((n, g) => (n >= settings.minGroupSize ? [g] : [])));
  const disparities = new Float64Array(DISPARITY_COUNT);
  disparitiesOf(rates, compared, disparities);
  const referenceIndex = resolveReference(input, grouping, sizes, options.reference);
  const B = settings.bootstrap;
  return {
    grouping,
    counts,
    rates,
    disparities,
    compared,
    referenceIndex,
    rateSamples: new Float64Array(G * METRIC_COUNT * B),
    disparitySamples: new Float64Array(DISPARITY_COUNT * B),
    diSamples: new Float64Array(G * B),
  };
}

function recordSample(state: GroupingState, cellCounts: Float64Array, b: number, B: number, scratch: { counts: Float64Array; rates: Float64Array; disparities: Float64Array }): void {
  const G = state.grouping.groupCount;
  const counts = scratch.counts.subarray(0, G * 4);
  const rates = scratch.rates.subarray(0, G * METRIC_COUNT);
  aggregate(cellCounts, state.grouping, counts);
  ratesOf(counts, G, rates);
  disparitiesOf(rates, state.compared, scratch.disparities);
  for (let i = 0; i < G * METRIC_COUNT; i++) state.rateSamples[i * B + b] = rates[i]!;
  for (let d = 0; d < DISPARITY_COUNT; d++) state.disparitySamples[d * B + b] = scratch.disparities[d]!;
  const refSel = rates[state.referenceIndex * METRIC_COUNT + METRIC_INDEX.selectionRate]!;
  for (let g = 0; g < G; g++) state.diSamples[g * B + b] = rates[g * METRIC_COUNT + METRIC_INDEX.selectionRate]! / refSel;
}

/**
 * Percentile interval. The bootstrap distribution of a max − min statistic is biased away from its point estimate
 * (with identical groups every resample differs a little), so the interval is widened to include the point estimate.
 */
function interval(samples: Float64Array, point: number, confidence: number): Interval {
  const alpha = (1 - confidence) / 2;
  let low = quantileOfFinite(samples, alpha);
  let high = quantileOfFinite(samples, 1 - alpha);
  if (Number.isFinite(point)) {
    if (low !== null && point < low) low = point;
    if (high !== null && point > high) high = point;
  }
  return { low, high };
}

function calibrationFor(
  input: FairnessInput,
  cells: Cells,
  states: GroupingState[],
  bins: number,
): { perState: Calibration[][]; overall: Calibration } {
  const score = input.score!;
  const rows = score.length;
  // numpy.linspace(0, 1, bins + 1) edges and sklearn's calibration_curve binning: searchsorted(inner edges, p, 'left').
  const step = 1 / bins;
  const inner = Array.from({ length: bins - 1 }, (_, i) => (i + 1) * step);
  const binOf = (p: number): number => {
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Per cell × bin: Σ score, Σ label, count; and Σ squared error per cell.
  const C = cells.count;
  const sumScore = new Float64Array(C * bins);
  const sumLabel = new Float64Array(C * bins);
  const binCount = new Float64Array(C * bins);
  const sqErr = new Float64Array(C);
  const cellRows = new Float64Array(C);
  for (let i = 0; i < rows; i++) {
    let code = 0;
    for (let c = 0; c < input.sensitive.length; c++) code += input.sensitive[c]!.codes[i]! * cells.strides[c]!;
    const cell = cells.denseToCell[code]!;
    const p = score[i]!;
    const y = input.label[i]!;
    const k = cell * bins + binOf(p);
    sumScore[k]! += p;
    sumLabel[k]! += y;
    binCount[k]!++;
    sqErr[cell]! += (p - y) * (p - y);
    cellRows[cell]!++;
  }
  const build = (cellsOf: (cell: number) => boolean): Calibration => {
    const s = new Float64Array(bins);
    const l = new Float64Array(bins);
    const n = new Float64Array(bins);
    let err = 0;
    let total = 0;
    for (let cell = 0; cell < C; cell++) {
      if (!cellsOf(cell)) continue;
      for (let b = 0; b < bins; b++) {
        s[b]! += sumScore[cell * bins + b]!;
        l[b]! += sumLabel[cell * bins + b]!;
        n[b]! += binCount[cell * bins + b]!;
      }
      err += sqErr[cell]!;
      total += cellRows[cell]!;
    }
    const out: Calibration['bins'] = [];
    for (let b = 0; b < bins; b++) if (n[b]! > 0) out.push({ meanPredicted: s[b]! / n[b]!, fractionPositive: l[b]! / n[b]!, count: n[b]! });
    return { brier: total > 0 ? err / total : null, bins: out };
  };
  const perState = states.map((st) => Array.from({ length: st.grouping.groupCount }, (_, g) => build((cell) => st.grouping.groupOfCell[cell] === g)));
  return { perState, overall: build(() => true) };
}

function analysisOf(state: GroupingState, input: FairnessInput, settings: AuditSettings, calibration: Calibration[] | null): FairnessAnalysis {
  const { grouping, counts, rates, referenceIndex } = state;
  const B = settings.bootstrap;
  const G = grouping.groupCount;
  const compared = new Set(state.compared);
  const refSel = rates[referenceIndex * METRIC_COUNT + METRIC_INDEX.selectionRate]!;
  const groups: GroupResult[] = [];
  const disparateImpact: Record<string, DisparateImpact> = {};
  for (let g = 0; g < G; g++) {
    const o = g * METRIC_COUNT;
    const metric = (m: number): number | null => finiteOrNull(rates[o + m]!);
    const ratios: Record<string, number | null> = {};
    GROUP_METRICS.forEach((name, m) => (ratios[name] = finiteOrNull(rates[o + m]! / rates[referenceIndex * METRIC_COUNT + m]!)));
    let ci: Record<string, Interval> | null = null;
    if (B > 0) {
      ci = {};
      for (let m = 0; m < METRIC_COUNT; m++) {
        ci[GROUP_METRICS[m]!] = interval(state.rateSamples.subarray((o + m) * B, (o + m + 1) * B), rates[o + m]!, settings.confidence);
      }
    }
    const small = !compared.has(g);
    const n = counts[g * 4]! + counts[g * 4 + 1]! + counts[g * 4 + 2]! + counts[g * 4 + 3]!;
    groups.push({
      attributes: grouping.attributes[g]!,
      key: grouping.keys[g]!,
      n,
      tn: counts[g * 4]!,
      fp: counts[g * 4 + 1]!,
      fn: counts[g * 4 + 2]!,
      tp: counts[g * 4 + 3]!,
      baseRate: metric(METRIC_INDEX.baseRate),
      selectionRate: metric(METRIC_INDEX.selectionRate),
      accuracy: metric(METRIC_INDEX.accuracy),
      tpr: metric(METRIC_INDEX.tpr),
      fpr: metric(METRIC_INDEX.fpr),
      fnr: metric(METRIC_INDEX.fnr),
      tnr: metric(METRIC_INDEX.tnr),
      ppv: metric(METRIC_INDEX.ppv),
      npv: metric(METRIC_INDEX.npv),
      fdr: metric(METRIC_INDEX.fdr),
      for: metric(METRIC_INDEX.for),
      ci,
      small,
      reference: g === referenceIndex,
      ratios,
      calibration: calibration ? calibration[g]! : null,
    });
    const di = rates[o + METRIC_INDEX.selectionRate]! / refSel;
    disparateImpact[grouping.keys[g]!] = {
      ratio: finiteOrNull(di),
      ci: B > 0 ? interval(state.diSamples.subarray(g * B, (g + 1) * B), di, settings.confidence) : null,
      verdict: diVerdict(di, small, g === referenceIndex),
    };
  }
  let disparityCi: Record<string, Interval> | null = null;
  if (B > 0) {
    disparityCi = {};
    DISPARITY_METRICS.forEach((name, d) => {
      disparityCi![name] = interval(state.disparitySamples.subarray(d * B, (d + 1) * B), state.disparities[d]!, settings.confidence);
    });
  }
  const d = state.disparities;
  return {
    columns: grouping.columns.map((c) => input.sensitive[c]!.name),
    groups,
    disparities: {
      demographicParityDifference: finiteOrNull(d[0]!),
      demographicParityRatio: finiteOrNull(d[1]!),
      equalizedOddsDifference: finiteOrNull(d[2]!),
      equalizedOddsRatio: finiteOrNull(d[3]!),
      equalOpportunityDifference: finiteOrNull(d[4]!),
      ci: disparityCi,
      disparateImpact,
      comparedGroups: Array.from(state.compared, (g) => grouping.keys[g]!),
      excludedSmallGroups: groups.filter((g) => g.small).map((g) => g.key),
    },
    reference: grouping.attributes[referenceIndex]!,
  };
}

function validate(input: FairnessInput): void {
  const rows = input.label.length;
  if (rows === 0) throw new XinzhiError('E_INVALID_INPUT', 'no rows to audit', { issue: 'no rows to audit' });
  if (input.sensitive.length === 0) throw new XinzhiError('E_INVALID_INPUT', 'choose at least one sensitive column', { issue: 'choose at least one sensitive column' });
  const lengths = [input.prediction.length, ...(input.score ? [input.score.length] : []), ...input.sensitive.map((s) => s.codes.length)];
  if (lengths.some((l) => l !== rows)) throw new XinzhiError('E_INVALID_INPUT', 'columns differ in length', { issue: 'columns differ in length' });
}

/** Audits predictions against labels across the sensitive columns' intersections (and, if asked, each column alone). */
export function auditFairness(input: FairnessInput, options: AuditOptions = {}): FairnessResult {
  validate(input);
  const settings: AuditSettings = {
    minGroupSize: options.minGroupSize ?? DEFAULT_AUDIT_SETTINGS.minGroupSize,
    bootstrap: options.bootstrap ?? DEFAULT_AUDIT_SETTINGS.bootstrap,
    seed: options.seed ?? DEFAULT_AUDIT_SETTINGS.seed,
    confidence: options.confidence ?? DEFAULT_AUDIT_SETTINGS.confidence,
    calibrationBins: options.calibrationBins ?? DEFAULT_AUDIT_SETTINGS.calibrationBins,
  };
  const cells = countCells(input);
  const all = input.sensitive.map((_, c) => c);
  const states = [pointState(input, cells, all, options, settings)];
  const marginal = options.marginal === true && input.sensitive.length > 1;
  if (marginal) for (const c of all) states.push(pointState(input, cells, [c], options, settings));

  const B = settings.bootstrap;
  if (B > 0) {
    const random = mulberry32(settings.seed);
    const total = input.label.length;
    const resampled = new Float64Array(cells.count * 4);
    const maxGroups = Math.max(...states.map((s) => s.grouping.groupCount));
    const scratch = { counts: new Float64Array(maxGroups * 4), rates: new Float64Array(maxGroups * METRIC_COUNT), disparities: new Float64Array(DISPARITY_COUNT) };
    for (let b = 0; b < B; b++) {
      if (options.signal?.aborted) throw new XinzhiError('E_CANCELLED', 'cancelled');
      multinomialFromCounts(cells.counts, total, random, resampled);
      for (const state of states) recordSample(state, resampled, b, B, scratch);
      if (options.onProgress && (b + 1) % 50 === 0) options.onProgress((b + 1) / B);
    }
  }

  const calibration = input.score ? calibrationFor(input, cells, states, settings.calibrationBins) : null;
  const analyses = states.map((state, i) => analysisOf(state, input, settings, calibration ? calibration.perState[i]! : null));
  const overallCounts = new Float64Array(4);
  for (let cell = 0; cell < cells.count; cell++) for (let k = 0; k < 4; k++) overallCounts[k]! += cells.counts[cell * 4 + k]!;
  const overallRates = new Float64Array(METRIC_COUNT);
  ratesOf(overallCounts, 1, overallRates);
  options.onProgress?.(1);
  return {
    ...analyses[0]!,
    overall: {
      n: input.label.length,
      accuracy: finiteOrNull(overallRates[METRIC_INDEX.accuracy]!),
      selectionRate: finiteOrNull(overallRates[METRIC_INDEX.selectionRate]!),
      baseRate: finiteOrNull(overallRates[METRIC_INDEX.baseRate]!),
      brier: calibration ? calibration.overall.brier : null,
    },
    marginal: marginal ? analyses.slice(1) : null,
    settings,
  };
}

/** The five disparities and the accuracy of given predictions, without bootstrap (for curves and before/after). */
export function quickDisparities(input: FairnessInput, minGroupSize = DEFAULT_AUDIT_SETTINGS.minGroupSize): { accuracy: number; selectionRate: number; disparities: Float64Array } {
  const cells = countCells(input);
  const grouping = groupingOf(input, cells, input.sensitive.map((_, c) => c));
  const G = grouping.groupCount;
  const counts = new Float64Array(G * 4);
  aggregate(cells.counts, grouping, counts);
  const rates = new Float64Array(G * METRIC_COUNT);
  ratesOf(counts, G, rates);
  const compared: number[] = [];
  let correct = 0;
  let selected = 0;
  for (let g = 0; g < G; g++) {
    const n = counts[g * 4]! + counts[g * 4 + 1]! + counts[g * 4 + 2]! + counts[g * 4 + 3]!;
    if (n >= minGroupSize) compared.push(g);
    correct += counts[g * 4]! + counts[g * 4 + 3]!;
    selected += counts[g * 4 + 1]! + counts[g * 4 + 3]!;
  }
  const disparities = new Float64Array(DISPARITY_COUNT);
  disparitiesOf(rates, Int32Array.from(compared), disparities);
  return { accuracy: correct / input.label.length, selectionRate: selected / input.label.length, disparities };
}

/** Each row's intersection group (index into keys/attributes), for mitigations that work row by row. */
export interface RowGroups {
  groupOfRow: Int32Array;
  keys: string[];
  attributes: Record<string, string>[];
  sizes: number[];
}

export function intersectionGroups(input: Pick<FairnessInput, 'label' | 'prediction' | 'sensitive'>): RowGroups {
  const cells = countCells(input as FairnessInput);
  const grouping = groupingOf(input as FairnessInput, cells, input.sensitive.map((_, c) => c));
  const rows = input.label.length;
  const groupOfRow = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let code = 0;
    for (let c = 0; c < input.sensitive.length; c++) code += input.sensitive[c]!.codes[i]! * cells.strides[c]!;
    groupOfRow[i] = grouping.groupOfCell[cells.denseToCell[code]!]!;
  }
  const sizes = new Array<number>(grouping.groupCount).fill(0);
  for (let i = 0; i < rows; i++) sizes[groupOfRow[i]!]!++;
  return { groupOfRow, keys: grouping.keys, attributes: grouping.attributes, sizes };
}
