/** Independent k-anonymity checker over already generalised rows, deliberately sharing no code with the search. */

export interface KAnonymityCheck {
  /** Every equivalence class has at least k rows. */
  kAnonymous: boolean;
  classes: number;
  smallestClass: number;
  /** [class size, number of classes of that size], by increasing size. */
  histogram: [number, number][];
  /** Rows in classes smaller than k (what suppression would have to remove). */
  rowsBelowK: number;
  /** Row → size of its equivalence class. */
  classSizeOfRow: number[];
}

/** Groups rows by their quasi-identifier values with a plain Map keyed by JSON, then counts. */
export function checkKAnonymity(rows: readonly (readonly string[])[], qi: readonly number[], k: number): KAnonymityCheck {
  const keys = rows.map((row) => JSON.stringify(qi.map((c) => row[c] ?? null)));
  const sizes = new Map<string, number>();
  for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  const bySize = new Map<number, number>();
  for (const size of sizes.values()) bySize.set(size, (bySize.get(size) ?? 0) + 1);
  const histogram = [...bySize.entries()].sort((a, b) => a[0] - b[0]);
  const classSizeOfRow = keys.map((key) => sizes.get(key) ?? 0);
  const rowsBelowK = classSizeOfRow.filter((s) => s < k).length;
  return {
    kAnonymous: rowsBelowK === 0,
    classes: sizes.size,
    smallestClass: histogram.length === 0 ? 0 : (histogram[0] as [number, number])[0],
    histogram,
    rowsBelowK,
    classSizeOfRow,
  };
}
