/**
 * Confusion-matrix rates per group and Fairlearn's between-group disparities, on flat typed arrays so that the
 * same code serves the point estimate and every bootstrap resample.
 */
import { GROUP_METRICS } from '../../../shared/model/fairness.js';

/** Cell layout of a group's counts: index = label·2 + prediction. */
export const TN = 0;
export const FP = 1;
export const FN = 2;
export const TP = 3;

export const METRIC_COUNT = GROUP_METRICS.length;
const M = Object.fromEntries(GROUP_METRICS.map((m, i) => [m, i])) as Record<(typeof GROUP_METRICS)[number], number>;
export const METRIC_INDEX = M;

/** Writes the 11 rates of each group (counts: G×4) into out (G×11); 0/0 gives NaN. */
export function ratesOf(counts: Float64Array, groups: number, out: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const tn = counts[g * 4 + TN]!;
    const fp = counts[g * 4 + FP]!;
    const fn = counts[g * 4 + FN]!;
    const tp = counts[g * 4 + TP]!;
    const n = tn + fp + fn + tp;
    const pos = tp + fn;
    const neg = tn + fp;
    const predPos = tp + fp;
    const predNeg = tn + fn;
    const o = g * METRIC_COUNT;
    out[o + M.baseRate] = pos / n;
    out[o + M.selectionRate] = predPos / n;
    out[o + M.accuracy] = (tp + tn) / n;
    out[o + M.tpr] = tp / pos;
    out[o + M.fpr] = fp / neg;
    out[o + M.fnr] = fn / pos;
    out[o + M.tnr] = tn / neg;
    out[o + M.ppv] = tp / predPos;
    out[o + M.npv] = tn / predNeg;
    out[o + M.fdr] = fp / predPos;
    out[o + M.for] = fn / predNeg;
  }
}

/** Indices into the disparity vector. */
export const D_DP_DIFF = 0;
export const D_DP_RATIO = 1;
export const D_EO_DIFF = 2;
export const D_EO_RATIO = 3;
export const D_EOPP_DIFF = 4;
export const DISPARITY_COUNT = 5;

/** max − min and min / max of one metric over the compared groups, skipping undefined values (as pandas does). */
function spread(rates: Float64Array, compared: Int32Array, metric: number): [difference: number, ratio: number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < compared.length; k++) {
    const v = rates[compared[k]! * METRIC_COUNT + metric]!;
    if (v !== v) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [NaN, NaN];
  return [hi - lo, lo / hi];
}

/** The worse of two values for a "max" aggregate, ignoring an undefined one. */
function worse(a: number, b: number, pick: (x: number, y: number) => number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return pick(a, b);
}

/**
 * Fairlearn's definitions (method='between_groups'): demographic parity on selection rate; equalized odds is the
 * larger of the TPR and FPR differences and the smaller of their ratios; equal opportunity is the TPR difference.
 */
export function disparitiesOf(rates: Float64Array, compared: Int32Array, out: Float64Array): void {
  const [dpDiff, dpRatio] = spread(rates, compared, M.selectionRate);
  const [tprDiff, tprRatio] = spread(rates, compared, M.tpr);
  const [fprDiff, fprRatio] = spread(rates, compared, M.fpr);
  out[D_DP_DIFF] = dpDiff;
  out[D_DP_RATIO] = dpRatio;
  out[D_EO_DIFF] = worse(tprDiff, fprDiff, Math.max);
  out[D_EO_RATIO] = worse(tprRatio, fprRatio, Math.min);
  out[D_EOPP_DIFF] = tprDiff;
}

/** JSON-friendly number: undefined rates (NaN, ±Infinity) become null. */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
