/** Applies one lattice node: generalised labels per quasi-identifier and record suppression of the failing classes. */
import { XinzhiError } from '../../../shared/model/errors.js';
import type { EncodedColumn } from './hierarchy.js';
import { nodeClasses } from './lattice.js';
import type { SearchOptions } from './lattice.js';

/** Label given to every quasi-identifier of a suppressed record. */
export const SUPPRESSED_LABEL = '*';

export interface AppliedNode {
  /** Per quasi-identifier (in the order given), per row: the generalised label, `*` for suppressed records. */
  labels: string[][];
  /** Row → 1 when the record is suppressed (its class fails k or a model). */
  suppressed: Uint8Array;
  /** Equivalence classes among the records kept. */
  classes: number;
  /** Size of the smallest kept class (0 when every record is suppressed or the table is empty). */
  smallestClass: number;
  /** Number of suppressed records. */
  suppressedRows: number;
}

/**
 * Generalises every quasi-identifier to `levels` and suppresses the records of classes that fail k-anonymity or
 * one of `options.models`. Suppression is applied whatever the limit (the search decides whether the node is within
 * it); `suppressedRows` says how many records it took.
 */
export function applyNode(columns: readonly EncodedColumn[], levels: readonly number[], options: SearchOptions): AppliedNode {
  if (levels.length !== columns.length) throw new XinzhiError('E_INVALID_INPUT', `Expected ${columns.length} levels, got ${levels.length}`);
  columns.forEach((c, d) => {
    const l = levels[d] as number;
    if (!Number.isInteger(l) || l < 0 || l > c.height) throw new XinzhiError('E_INVALID_INPUT', `Level ${l} is outside column "${c.name}" (height ${c.height})`);
  });
  const { rowClass, counts, passing } = nodeClasses(columns, levels, options);
  const n = rowClass.length;
  const suppressed = new Uint8Array(n);
  let suppressedRows = 0;
  for (let r = 0; r < n; r++) {
    if (passing[rowClass[r] as number] === 0) {
      suppressed[r] = 1;
      suppressedRows++;
    }
  }
  let classes = 0;
  let smallest = Infinity;
  for (let i = 0; i < counts.length; i++) {
    if (passing[i] === 0) continue;
    classes++;
    smallest = Math.min(smallest, counts[i] as number);
  }
  const labels = columns.map((c, d) => {
    const level = levels[d] as number;
    const map = c.generalised[level] as Int32Array;
    const names = c.labels[level] as readonly string[];
    const out = new Array<string>(n);
    for (let r = 0; r < n; r++) out[r] = suppressed[r] === 1 ? SUPPRESSED_LABEL : (names[map[c.ids[r] as number] as number] as string);
    return out;
  });
  return { labels, suppressed, classes, smallestClass: classes === 0 ? 0 : smallest, suppressedRows };
}
