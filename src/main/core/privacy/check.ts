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

/**
 * Result of an independent l-diversity or t-closeness check: the models are decided per equivalence class of the
 * kept (not suppressed) rows.
 */
export interface ClassModelCheck {
  /** Every class of kept rows satisfies the model. */
  satisfied: boolean;
  classes: number;
  failingClasses: number;
  /** Row → true when its class fails (false for suppressed rows). */
  failingRow: boolean[];
  /** Rows in failing classes. */
  rowsInFailingClasses: number;
  /** Per class (in first-row order): the measured value (distinct count, entropy, EMD; recursive: r1 / Σ r_l…r_m). */
  values: number[];
}

/** Same tolerance as the engine's on the real-valued thresholds (entropy ≥ log l, EMD ≤ t). */
const CHECK_EPSILON = 1e-9;

/** Rows grouped by their quasi-identifier values (plain Map of JSON keys), suppressed rows left out. */
function groupRows(rows: readonly (readonly string[])[], qi: readonly number[], suppressed?: ArrayLike<boolean | number>): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  rows.forEach((row, r) => {
    if (suppressed && suppressed[r]) return;
    const key = JSON.stringify(qi.map((c) => row[c] ?? null));
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  });
  return groups;
}

function decide(rows: readonly (readonly string[])[], groups: Map<string, number[]>, measure: (members: number[]) => { ok: boolean; value: number }): ClassModelCheck {
  const failingRow = rows.map(() => false);
  const values: number[] = [];
  let failingClasses = 0;
  let rowsInFailingClasses = 0;
  for (const members of groups.values()) {
    const { ok, value } = measure(members);
    values.push(value);
    if (ok) continue;
    failingClasses++;
    rowsInFailingClasses += members.length;
    for (const r of members) failingRow[r] = true;
  }
  return { satisfied: failingClasses === 0, classes: groups.size, failingClasses, failingRow, rowsInFailingClasses, values };
}

/** Distinct, entropy or recursive-(c,l) diversity of the column `sensitiveIndex` in every class of kept rows. */
export function checkLDiversity(
  rows: readonly (readonly string[])[],
  qi: readonly number[],
  sensitiveIndex: number,
  spec: { variant: 'distinct' | 'entropy' | 'recursive'; l: number; c?: number },
  suppressed?: ArrayLike<boolean | number>,
): ClassModelCheck {
  return decide(rows, groupRows(rows, qi, suppressed), (members) => {
    const counts = new Map<string, number>();
    for (const r of members) {
      const v = rows[r]![sensitiveIndex] ?? '';
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const freq = [...counts.values()].sort((a, b) => b - a);
    if (spec.variant === 'distinct') return { ok: freq.length >= spec.l, value: freq.length };
    if (spec.variant === 'entropy') {
      const entropy = -freq.reduce((s, f) => s + (f / members.length) * Math.log(f / members.length), 0);
      return { ok: entropy >= Math.log(spec.l) - CHECK_EPSILON, value: entropy };
    }
    // Recursive (c,l): r1 < c (r_l + … + r_m), with r_1 ≥ r_2 ≥ … the counts; fewer than l values fail.
    if (freq.length < spec.l) return { ok: false, value: Infinity };
    const tail = freq.slice(spec.l - 1).reduce((s, f) => s + f, 0);
    return { ok: (freq[0] as number) < (spec.c ?? 1) * tail, value: (freq[0] as number) / tail };
  });
}

/**
 * Hierarchical EMD over a hierarchy given as ARX's rows (leaf; level 1; …; top), after Li et al.: walking up level
 * by level, each label of level l ≥ 1 moves min(positive, negative extra of its children) at cost l / H.
 */
function hierarchicalEmd(hierarchy: readonly (readonly string[])[], p: Map<string, number>, q: Map<string, number>): number {
  const H = (hierarchy[0]?.length ?? 1) - 1;
  if (H <= 0) return 0;
  let extra = new Map<string, number>();
  for (const row of hierarchy) {
    const leaf = row[0] as string;
    extra.set(leaf, (p.get(leaf) ?? 0) - (q.get(leaf) ?? 0));
  }
  let cost = 0;
  for (let l = 1; l <= H; l++) {
    const children = new Map<string, Set<string>>();
    for (const row of hierarchy) {
      const label = row[l] as string;
      const set = children.get(label) ?? new Set<string>();
      set.add(row[l - 1] as string);
      children.set(label, set);
    }
    const next = new Map<string, number>();
    for (const [label, kids] of children) {
      let positive = 0;
      let negative = 0;
      for (const kid of kids) {
        const e = extra.get(kid) ?? 0;
        if (e > 0) positive += e;
        else negative -= e;
      }
      cost += (l / H) * Math.min(positive, negative);
      next.set(label, positive - negative);
    }
    extra = next;
  }
  return cost;
}

/**
 * t-closeness of the column `sensitiveIndex` against its distribution over all rows (suppressed ones included):
 * `equal` EMD = ½ Σ |p − q| over the values; `ordered` EMD = Σ_i |Σ_{j ≤ i} (p_j − q_j)| / (m − 1) over the m distinct
 * values sorted numerically; `hierarchical` EMD over `hierarchy` (ARX's rows: leaf; …; top), which it requires.
 */
export function checkTCloseness(
  rows: readonly (readonly string[])[],
  qi: readonly number[],
  sensitiveIndex: number,
  t: number,
  distance: 'equal' | 'ordered' | 'hierarchical',
  suppressed?: ArrayLike<boolean | number>,
  hierarchy?: readonly (readonly string[])[],
): ClassModelCheck {
  if (distance === 'hierarchical' && !hierarchy) throw new Error('The hierarchical distance needs the hierarchy');
  const total = new Map<string, number>();
  for (const row of rows) {
    const v = row[sensitiveIndex] ?? '';
    total.set(v, (total.get(v) ?? 0) + 1);
  }
  const domain = [...total.keys()];
  if (distance === 'ordered') domain.sort((a, b) => Number(a) - Number(b));
  const q = domain.map((v) => (total.get(v) as number) / rows.length);
  return decide(rows, groupRows(rows, qi, suppressed), (members) => {
    const counts = new Map<string, number>();
    for (const r of members) {
      const v = rows[r]![sensitiveIndex] ?? '';
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const p = domain.map((v) => (counts.get(v) ?? 0) / members.length);
    let emd: number;
    if (distance === 'hierarchical') {
      emd = hierarchicalEmd(
        hierarchy ?? [],
        new Map(domain.map((v, i) => [v, p[i] as number])),
        new Map(domain.map((v, i) => [v, q[i] as number])),
      );
    } else if (distance === 'equal') emd = p.reduce((s, pi, i) => s + Math.abs(pi - (q[i] as number)), 0) / 2;
    else if (domain.length <= 1) emd = 0;
    else {
      let cum = 0;
      let sum = 0;
      p.forEach((pi, i) => {
        cum += pi - (q[i] as number);
        sum += Math.abs(cum);
      });
      emd = sum / (domain.length - 1);
    }
    return { ok: emd <= t + CHECK_EPSILON, value: emd };
  });
}
