/**
 * Mitigations: reweighing (Kamiran & Calders 2012) before training, and group-specific thresholds on scores
 * (Hardt, Price & Srebro 2016) after it, plus the fairness–accuracy trade-off across one global threshold.
 */
import { XinzhiError } from '../../../shared/model/errors.js';
import type { FairnessConstraint, TradeoffPoint } from '../../../shared/model/fairness.js';
import { DEFAULT_AUDIT_SETTINGS, intersectionGroups, quickDisparities } from './audit.js';
import type { FairnessInput, SensitiveColumn } from './audit.js';
import { D_DP_DIFF, D_EO_DIFF, finiteOrNull } from './metrics.js';

export interface ReweighingResult {
  /** One weight per row: P(group)·P(label) / P(group, label). */
  weights: Float64Array;
  /** The weight of each (group, label) pair, for display. */
  table: { key: string; attributes: Record<string, string>; label: 0 | 1; n: number; weight: number }[];
}

/** Kamiran & Calders reweighing over the intersection of the sensitive columns; weights average to 1. */
export function reweighingWeights(label: Uint8Array, sensitive: SensitiveColumn[]): ReweighingResult {
  const groups = intersectionGroups({ label, prediction: label, sensitive });
  const G = groups.keys.length;
  const rows = label.length;
  const joint = new Float64Array(G * 2);
  const byLabel = [0, 0];
  for (let i = 0; i < rows; i++) {
    joint[groups.groupOfRow[i]! * 2 + label[i]!]!++;
    byLabel[label[i]!]!++;
  }
  const weightOf = new Float64Array(G * 2);
  const table: ReweighingResult['table'] = [];
  for (let g = 0; g < G; g++) {
    for (const y of [0, 1] as const) {
      const n = joint[g * 2 + y]!;
      const w = n > 0 ? (groups.sizes[g]! * byLabel[y]!) / (rows * n) : 0;
      weightOf[g * 2 + y] = w;
      if (n > 0) table.push({ key: groups.keys[g]!, attributes: groups.attributes[g]!, label: y, n, weight: w });
    }
  }
  const weights = new Float64Array(rows);
  for (let i = 0; i < rows; i++) weights[i] = weightOf[groups.groupOfRow[i]! * 2 + label[i]!]!;
  return { weights, table };
}

export interface GroupThreshold {
  key: string;
  attributes: Record<string, string>;
  /** Predict positive when score ≥ threshold. */
  threshold: number;
}

export interface ThresholdOptimizerResult {
  constraint: FairnessConstraint;
  columns: string[];
  thresholds: GroupThreshold[];
  /** For a group not seen while fitting. */
  defaultThreshold: number;
  tolerance: number;
  /** On the data it was fitted on. */
  accuracy: number;
  disparity: number | null;
}

export interface ThresholdOptimizerOptions {
  constraint: FairnessConstraint;
  /** Largest disparity accepted; the most accurate thresholds within it win (default 0.02). */
  tolerance?: number;
  /** Threshold for unseen groups (default 0.5). */
  defaultThreshold?: number;
  minGroupSize?: number;
  /** Cut points considered per group (default 201, spread over its sorted scores). */
  candidates?: number;
  signal?: AbortSignal;
}

/** A group's candidate cuts: cumulative true/false positives when the top j scores are selected. */
interface GroupCuts {
  thresholds: number[];
  tp: number[];
  fp: number[];
  positives: number;
  negatives: number;
  n: number;
}

function cutsOf(scores: Float64Array, labels: Uint8Array, rows: number[], maxCuts: number): GroupCuts {
  const order = rows.slice().sort((a, b) => scores[b]! - scores[a]!);
  const positives = order.reduce((s, i) => s + labels[i]!, 0);
  const n = order.length;
  // Cut after every run of tied scores (a threshold cannot split ties), then thin to at most maxCuts.
  const ends: number[] = [0];
  for (let j = 1; j <= n; j++) if (j === n || scores[order[j]!]! !== scores[order[j - 1]!]!) ends.push(j);
  const step = Math.max(1, Math.ceil(ends.length / maxCuts));
  const kept = ends.filter((_, k) => k % step === 0 || k === ends.length - 1);
  const cumTp = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) cumTp[j + 1] = cumTp[j]! + labels[order[j]!]!;
  return {
    thresholds: kept.map((j) => (j === 0 ? Number.MAX_VALUE : scores[order[j - 1]!]!)),
    tp: kept.map((j) => cumTp[j]!),
    fp: kept.map((j) => j - cumTp[j]!),
    positives,
    negatives: n - positives,
    n,
  };
}

/**
 * A deterministic variant of Fairlearn's ThresholdOptimizer: one threshold per intersection group (no randomised
 * mixing of two thresholds, so the constraint holds within `tolerance` rather than exactly in expectation).
 * Demographic parity: every group gets the cut closest to a common selection rate. Equalized odds: the cut closest
 * (in the larger of the TPR and FPR gaps) to a common (TPR, FPR) point. The common target is searched on a grid,
 * keeping the most accurate one whose disparity is within tolerance, else the least disparate.
 */
export function thresholdOptimizer(input: FairnessInput, options: ThresholdOptimizerOptions): ThresholdOptimizerResult {
  const score = input.score;
  if (!score) throw new XinzhiError('E_INVALID_INPUT', 'the threshold optimiser needs a score column', { issue: 'the threshold optimiser needs a score column' });
  const tolerance = options.tolerance ?? 0.02;
  const minGroupSize = options.minGroupSize ?? DEFAULT_AUDIT_SETTINGS.minGroupSize;
  const groups = intersectionGroups(input);
  const G = groups.keys.length;
  const rowsOf: number[][] = Array.from({ length: G }, () => []);
  for (let i = 0; i < input.label.length; i++) rowsOf[groups.groupOfRow[i]!]!.push(i);
  const cuts = rowsOf.map((rows) => cutsOf(score, input.label, rows, options.candidates ?? 201));
  const compared = cuts.flatMap((c, g) => (c.n >= minGroupSize ? [g] : []));
  const N = input.label.length;

  const pick = new Int32Array(G);
  let best: { pick: Int32Array; accuracy: number; disparity: number } | null = null;
  const consider = (): void => {
    let correct = 0;
    for (let g = 0; g < G; g++) {
      const c = cuts[g]!;
      const j = pick[g]!;
      correct += c.tp[j]! + (c.negatives - c.fp[j]!);
    }
    const accuracy = correct / N;
    const disparity = disparityOfPick(cuts, pick, compared, options.constraint);
    const ok = disparity <= tolerance + 1e-12;
    if (
      best === null ||
      (ok && (best.disparity > tolerance + 1e-12 || accuracy > best.accuracy)) ||
      (!ok && best.disparity > tolerance + 1e-12 && disparity < best.disparity)
    ) {
      best = { pick: pick.slice(), accuracy, disparity };
    }
  };

  const grid = Array.from({ length: 101 }, (_, k) => k / 100);
  if (options.constraint === 'demographic_parity') {
    for (const s of grid) {
      for (let g = 0; g < G; g++) pick[g] = closest(cuts[g]!, (c, j) => Math.abs((c.tp[j]! + c.fp[j]!) / c.n - s));
      consider();
    }
  } else {
    for (const t of grid) {
      if (options.signal?.aborted) throw new XinzhiError('E_CANCELLED', 'cancelled');
      for (const f of grid) {
        if (f > t + 0.5) break; // far worse than chance for every group: never the most accurate
        for (let g = 0; g < G; g++) {
          pick[g] = closest(cuts[g]!, (c, j) => Math.max(Math.abs(rate(c.tp[j]!, c.positives) - t), Math.abs(rate(c.fp[j]!, c.negatives) - f)));
        }
        consider();
      }
    }
  }
  const chosen = best as unknown as { pick: Int32Array; accuracy: number; disparity: number };
  return {
    constraint: options.constraint,
    columns: input.sensitive.map((s) => s.name),
    thresholds: groups.keys.map((key, g) => ({ key, attributes: groups.attributes[g]!, threshold: cuts[g]!.thresholds[chosen.pick[g]!]! })),
    defaultThreshold: options.defaultThreshold ?? 0.5,
    tolerance,
    accuracy: chosen.accuracy,
    disparity: finiteOrNull(chosen.disparity),
  };
}

function rate(k: number, n: number): number {
  return n > 0 ? k / n : 0;
}

function closest(c: GroupCuts, distance: (c: GroupCuts, j: number) => number): number {
  let bestJ = 0;
  let bestD = Infinity;
  for (let j = 0; j < c.thresholds.length; j++) {
    const d = distance(c, j);
    if (d < bestD) {
      bestD = d;
      bestJ = j;
    }
  }
  return bestJ;
}

function disparityOfPick(cuts: GroupCuts[], pick: Int32Array, compared: number[], constraint: FairnessConstraint): number {
  const spread = (value: (c: GroupCuts, j: number) => number, defined: (c: GroupCuts) => boolean): number => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const g of compared) {
      const c = cuts[g]!;
      if (!defined(c)) continue;
      const v = value(c, pick[g]!);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return lo === Infinity ? 0 : hi - lo;
  };
  if (constraint === 'demographic_parity') return spread((c, j) => (c.tp[j]! + c.fp[j]!) / c.n, () => true);
  return Math.max(
    spread((c, j) => c.tp[j]! / c.positives, (c) => c.positives > 0),
    spread((c, j) => c.fp[j]! / c.negatives, (c) => c.negatives > 0),
  );
}

/** Predictions from group thresholds; rows of groups not in the table use the default threshold. */
export function applyGroupThresholds(score: Float64Array, sensitive: SensitiveColumn[], optimizer: Pick<ThresholdOptimizerResult, 'thresholds' | 'defaultThreshold' | 'columns'>): Uint8Array {
  const byKey = new Map(optimizer.thresholds.map((t) => [t.key, t.threshold]));
  const columns = optimizer.columns.map((name) => {
    const col = sensitive.find((s) => s.name === name);
    if (!col) throw new XinzhiError('E_INVALID_INPUT', `sensitive column ${name} is missing`, { issue: `sensitive column ${name} is missing` });
    return col;
  });
  // Threshold per combination of level codes, resolved once per distinct combination.
  const cache = new Map<string, number>();
  const out = new Uint8Array(score.length);
  for (let i = 0; i < score.length; i++) {
    const codeKey = columns.map((c) => c.codes[i]).join(',');
    let threshold = cache.get(codeKey);
    if (threshold === undefined) {
      const key = columns.map((c) => `${c.name}=${c.levels[c.codes[i]!]}`).join(', ');
      threshold = byKey.get(key) ?? optimizer.defaultThreshold;
      cache.set(codeKey, threshold);
    }
    out[i] = score[i]! >= threshold ? 1 : 0;
  }
  return out;
}

/** Accuracy and the constraint's disparity when one global threshold is moved across the scores' range. */
export function tradeoffCurve(input: FairnessInput, constraint: FairnessConstraint, points = 51, minGroupSize = DEFAULT_AUDIT_SETTINGS.minGroupSize): TradeoffPoint[] {
  const score = input.score;
  if (!score) throw new XinzhiError('E_INVALID_INPUT', 'the trade-off curve needs a score column', { issue: 'the trade-off curve needs a score column' });
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < score.length; i++) {
    if (score[i]! < lo) lo = score[i]!;
    if (score[i]! > hi) hi = score[i]!;
  }
  if (lo >= 0 && hi <= 1) {
    lo = 0;
    hi = 1;
  }
  const prediction = new Uint8Array(score.length);
  const out: TradeoffPoint[] = [];
  for (let k = 0; k < points; k++) {
    const threshold = lo + ((hi - lo) * k) / (points - 1);
    for (let i = 0; i < score.length; i++) prediction[i] = score[i]! >= threshold ? 1 : 0;
    const q = quickDisparities({ ...input, prediction }, minGroupSize);
    out.push({
      threshold,
      accuracy: finiteOrNull(q.accuracy),
      selectionRate: finiteOrNull(q.selectionRate),
      disparity: finiteOrNull(q.disparities[constraint === 'demographic_parity' ? D_DP_DIFF : D_EO_DIFF]!),
    });
  }
  return out;
}
