/** KPI arithmetic shared by the classifier scenarios: counts at a threshold, cost saved, approval and bad rates, histograms. */

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Confusion counts when rows scoring ≥ threshold are flagged (label 1 = the positive class: failure, bad credit). */
export function countsAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Counts {
  const c: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const flagged = (scores[i] as number) >= threshold;
    const positive = labels[i] === 1;
    if (flagged && positive) c.tp++;
    else if (flagged) c.fp++;
    else if (positive) c.fn++;
    else c.tn++;
  }
  return c;
}

/**
 * Expected cost saved by inspecting every flagged machine, against running them all to failure: each caught
 * failure saves its cost less the inspection, each false alarm costs an inspection. TP·(F − I) − FP·I.
 */
export function costSaved(c: Counts, costOfFailure: number, costOfInspection: number): number {
  return c.tp * (costOfFailure - costOfInspection) - c.fp * costOfInspection;
}

export const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/**
 * A credit decision at a cut-off on P(bad): applicants below it are approved. Approval rate = approved / all;
 * bad rate = bads among the approved / approved; bads caught = bads rejected / all bads.
 */
export function creditAt(scores: ArrayLike<number>, bad: ArrayLike<number>, cutoff: number): { approved: number; approvalRate: number | null; badRate: number | null; badsCaught: number | null } {
  let approved = 0;
  let approvedBad = 0;
  let bads = 0;
  for (let i = 0; i < scores.length; i++) {
    const isBad = bad[i] === 1;
    if (isBad) bads++;
    if ((scores[i] as number) < cutoff) {
      approved++;
      if (isBad) approvedBad++;
    }
  }
  return { approved, approvalRate: ratio(approved, scores.length), badRate: ratio(approvedBad, approved), badsCaught: ratio(bads - approvedBad, bads) };
}

/** Counts of scores in `bins` equal bins over [0, 1], split by label (0 and 1). */
export function scoreHistogram(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 20): { starts: number[]; negative: number[]; positive: number[] } {
  const negative = new Array<number>(bins).fill(0);
  const positive = new Array<number>(bins).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((scores[i] as number) * bins)));
    (labels[i] === 1 ? positive : negative)[b]!++;
  }
  return { starts: Array.from({ length: bins }, (_, b) => Math.round((b / bins) * 1000) / 1000), negative, positive };
}

/** Thresholds 0.02, 0.04 … 0.98: the grid of the trade-off curves. */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 49 }, (_, i) => Math.round((i + 1) * 2) / 100);
