/** The labeling queue's rules: which rows are shown to several annotators (overlap), and the majority label of a row. */

/**
 * Whether row `row` is in the overlap sample: a stable hash of the row number and a seed against `share`, so the
 * same rows stay in the sample however many labels arrive (and a re-run picks the same ones).
 */
export function inOverlap(row: number, share: number, seed = 0): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  // splitmix32-style integer mix: consecutive rows scatter uniformly over [0, 1).
  let h = (row ^ seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296 < share;
}

/** How many annotators should label `row`: `perItem` for overlap rows, one otherwise. */
export function labelsWanted(row: number, overlap: number, perItem: number, seed = 0): number {
  return inOverlap(row, overlap, seed) ? Math.max(1, perItem) : 1;
}

/**
 * The majority label of one row. Ties go to the class listed first in the schema (then, for free text or labels
 * outside the schema, to the label given first): deterministic, and independent of who labelled last.
 */
export function majorityLabel(labels: readonly string[], classOrder: readonly string[] = []): string | null {
  if (labels.length === 0) return null;
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const rank = (l: string) => {
    const i = classOrder.indexOf(l);
    return i >= 0 ? i : classOrder.length + labels.indexOf(l);
  };
  let best: string | null = null;
  for (const [label, count] of counts) {
    if (best === null || count > counts.get(best)! || (count === counts.get(best)! && rank(label) < rank(best))) best = label;
  }
  return best;
}

export interface RowLabels {
  row: number;
  /** Labels by annotator. */
  byAnnotator: ReadonlyMap<string, string>;
}

/** Pairwise Cohen inputs and the Fleiss table, from the rows' labels. */
export function agreementInputs(rows: readonly RowLabels[], classes: readonly string[]) {
  const annotators = [...new Set(rows.flatMap((r) => [...r.byAnnotator.keys()]))].sort();
  const pairs: { a: string; b: string; labelsA: string[]; labelsB: string[] }[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const a = annotators[i]!;
      const b = annotators[j]!;
      const labelsA: string[] = [];
      const labelsB: string[] = [];
      for (const r of rows) {
        const la = r.byAnnotator.get(a);
        const lb = r.byAnnotator.get(b);
        if (la !== undefined && lb !== undefined) {
          labelsA.push(la);
          labelsB.push(lb);
        }
      }
      if (labelsA.length > 0) pairs.push({ a, b, labelsA, labelsB });
    }
  }
  // Fleiss needs the same number of raters per item: the most common count ≥ 2 among the rows.
  const raterCounts = new Map<number, number>();
  for (const r of rows) if (r.byAnnotator.size >= 2) raterCounts.set(r.byAnnotator.size, (raterCounts.get(r.byAnnotator.size) ?? 0) + 1);
  const raters = [...raterCounts.entries()].sort((x, y) => y[1] - x[1] || y[0] - x[0])[0]?.[0] ?? 0;
  const categories = [...new Set([...classes, ...rows.flatMap((r) => [...r.byAnnotator.values()])])];
  const table = rows
    .filter((r) => raters >= 2 && r.byAnnotator.size === raters)
    .map((r) => categories.map((c) => [...r.byAnnotator.values()].filter((l) => l === c).length));
  return { annotators, pairs, fleiss: { raters, table } };
}
