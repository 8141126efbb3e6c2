/**
 * Inter-annotator agreement. Cohen's κ as sklearn.metrics.cohen_kappa_score (unweighted): observed agreement
 * against the agreement expected from each annotator's own label shares. Fleiss' κ as statsmodels'
 * inter_rater.fleiss_kappa(method='fleiss'): items × categories counts, the same number of raters per item.
 */

/** κ for two annotators' labels of the same items, in item order. NaN when expected agreement is 1 (sklearn too). */
export function cohenKappa(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) throw new Error('cohenKappa: the two label lists must be the same length');
  const n = a.length;
  if (n === 0) return Number.NaN;
  const countA = new Map<string, number>();
  const countB = new Map<string, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    countA.set(a[i]!, (countA.get(a[i]!) ?? 0) + 1);
    countB.set(b[i]!, (countB.get(b[i]!) ?? 0) + 1);
    if (a[i] === b[i]) agree++;
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, ca] of countA) pe += (ca / n) * ((countB.get(label) ?? 0) / n);
  return (po - pe) / (1 - pe);
}

/** Fleiss' κ from an items × categories table of counts; every row must sum to the same number of raters (≥ 2). */
export function fleissKappa(table: readonly (readonly number[])[]): number {
  const items = table.length;
  if (items === 0) return Number.NaN;
  const raters = table[0]!.reduce((s, x) => s + x, 0);
  if (raters < 2 || table.some((row) => row.reduce((s, x) => s + x, 0) !== raters)) {
    throw new Error('fleissKappa: every item needs the same number of raters, at least two');
  }
  const categories = table[0]!.length;
  const pj = new Array<number>(categories).fill(0);
  let pBar = 0;
  for (const row of table) {
    let squares = 0;
    for (let j = 0; j < categories; j++) {
      pj[j]! += row[j]!;
      squares += row[j]! * row[j]!;
    }
    pBar += (squares - raters) / (raters * (raters - 1));
  }
  pBar /= items;
  const pe = pj.reduce((s, x) => s + (x / (items * raters)) ** 2, 0);
  return (pBar - pe) / (1 - pe);
}
