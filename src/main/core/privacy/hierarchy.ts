/** Generalisation hierarchies: ARX's CSV format, validation, and integer encoding of a column against one. */
import { XinzhiError } from '../../../shared/model/errors.js';

/** One row per leaf: `rows[i][0]` is the leaf, `rows[i][levels - 1]` its most general label (usually `*`). */
export interface Hierarchy {
  readonly rows: readonly (readonly string[])[];
  /** Number of levels including level 0 (the leaves); the column's lattice height is `levels - 1`. */
  readonly levels: number;
}

/**
 * A column encoded for the search. Leaf ids are the column's distinct values (first-occurrence order), so
 * generalising row r to level L is `generalised[L][ids[r]]`, a dense id in `0 .. cardinality[L] - 1`.
 */
export interface EncodedColumn {
  readonly name: string;
  /** Row → leaf id. */
  readonly ids: Int32Array;
  /** Leaf id → original value. */
  readonly leaves: readonly string[];
  /** Level → leaf id → generalised id (dense per level). */
  readonly generalised: readonly Int32Array[];
  /** Level → generalised id → label. */
  readonly labels: readonly (readonly string[])[];
  /** Level → number of distinct generalised ids among the column's values. */
  readonly cardinality: Int32Array;
  /** Level → generalised id → number of hierarchy leaves under that label (ARX's domain share × domain size). */
  readonly leafCount: readonly Int32Array[];
  /** Number of leaves in the hierarchy (ARX's domain size, not just the values present in the data). */
  readonly domainSize: number;
  /** Lattice height: the highest level. */
  readonly height: number;
}

function invalid(message: string, params?: Record<string, string | number | null>): XinzhiError {
  // E_INVALID_INPUT's text names a place and the problem: the column's hierarchy, and this message.
  return new XinzhiError('E_INVALID_INPUT', message, { path: params?.column !== undefined ? `columns.${params.column}.hierarchy` : 'hierarchy', issue: message, ...params });
}

/** Parses ARX's hierarchy CSV (`;`-separated, no header, no quoting) and validates it. */
export function parseHierarchyCsv(text: string, delimiter = ';'): Hierarchy {
  const rows: string[][] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    rows.push(raw.split(delimiter));
  }
  return validateHierarchy(rows);
}

/** Checks that every row has the same depth, leaves are unique, and each label has one parent per level. */
export function validateHierarchy(rows: readonly (readonly string[])[]): Hierarchy {
  const first = rows[0];
  if (!first || first.length === 0) throw invalid('Hierarchy is empty');
  const levels = first.length;
  const leaves = new Set<string>();
  // parent[l]: label at level l → label at level l + 1; a functional mapping keeps full-domain generalisation well defined.
  const parent: Map<string, string>[] = Array.from({ length: Math.max(levels - 1, 0) }, () => new Map());
  rows.forEach((row, i) => {
    if (row.length !== levels) throw invalid(`Hierarchy row ${i + 1} has ${row.length} levels, expected ${levels}`, { row: i + 1 });
    const leaf = row[0] as string;
    if (leaves.has(leaf)) throw invalid(`Hierarchy leaf "${leaf}" appears twice`, { value: leaf });
    leaves.add(leaf);
    for (let l = 0; l < levels - 1; l++) {
      const value = row[l] as string;
      const up = row[l + 1] as string;
      const seen = parent[l]!.get(value);
      if (seen === undefined) parent[l]!.set(value, up);
      else if (seen !== up) {
        throw invalid(`Hierarchy value "${value}" at level ${l} has two parents ("${seen}", "${up}")`, { value, level: l });
      }
    }
  });
  return { rows, levels };
}

/** Encodes a column's values against a hierarchy; every value must be a leaf of the hierarchy. */
export function encodeColumn(name: string, values: readonly string[], hierarchy: Hierarchy): EncodedColumn {
  const { rows, levels } = hierarchy;
  const rowOfLeaf = new Map<string, number>();
  rows.forEach((row, i) => rowOfLeaf.set(row[0] as string, i));

  // Leaves under each label, per level, over the whole hierarchy (ARX's domain shares).
  const countPerLevel: Map<string, number>[] = Array.from({ length: levels }, () => new Map());
  for (const row of rows) {
    for (let l = 0; l < levels; l++) {
      const m = countPerLevel[l]!;
      const label = row[l] as string;
      m.set(label, (m.get(label) ?? 0) + 1);
    }
  }

  const ids = new Int32Array(values.length);
  const leafIndex = new Map<string, number>();
  const leaves: string[] = [];
  const hierarchyRow: number[] = [];
  for (let r = 0; r < values.length; r++) {
    const v = values[r] as string;
    let id = leafIndex.get(v);
    if (id === undefined) {
      const hr = rowOfLeaf.get(v);
      if (hr === undefined) {
        throw invalid(`value “${v === '' ? '(missing)' : v}” of column “${name}” is not in its hierarchy: add a row for it (an empty first field stands for missing values)`, { column: name, value: v });
      }
      id = leaves.length;
      leafIndex.set(v, id);
      leaves.push(v);
      hierarchyRow.push(hr);
    }
    ids[r] = id;
  }

  const generalised: Int32Array[] = [];
  const labels: string[][] = [];
  const leafCount: Int32Array[] = [];
  const cardinality = new Int32Array(levels);
  for (let l = 0; l < levels; l++) {
    const map = new Int32Array(leaves.length);
    const idOf = new Map<string, number>();
    const levelLabels: string[] = [];
    for (let leaf = 0; leaf < leaves.length; leaf++) {
      const label = rows[hierarchyRow[leaf] as number]![l] as string;
      let g = idOf.get(label);
      if (g === undefined) {
        g = levelLabels.length;
        idOf.set(label, g);
        levelLabels.push(label);
      }
      map[leaf] = g;
    }
    const counts = new Int32Array(levelLabels.length);
    levelLabels.forEach((label, g) => (counts[g] = countPerLevel[l]!.get(label) ?? 0));
    generalised.push(map);
    labels.push(levelLabels);
    leafCount.push(counts);
    cardinality[l] = levelLabels.length;
  }
  return { name, ids, leaves, generalised, labels, cardinality, leafCount, domainSize: rows.length, height: levels - 1 };
}

/** The column's values generalised to `level`, as labels. */
export function generaliseColumn(column: EncodedColumn, level: number): string[] {
  const map = column.generalised[level];
  const labels = column.labels[level];
  if (!map || !labels) throw invalid(`Level ${level} is outside column "${column.name}" (height ${column.height})`);
  const out = new Array<string>(column.ids.length);
  for (let r = 0; r < column.ids.length; r++) out[r] = labels[map[column.ids[r] as number] as number] as string;
  return out;
}
