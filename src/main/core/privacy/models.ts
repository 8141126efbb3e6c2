/**
 * Privacy models decided per equivalence class on a sensitive column: l-diversity (distinct, entropy, recursive-(c,l))
 * and t-closeness with the earth mover's distance (equal distance for categories, ordered distance for numbers,
 * hierarchical distance over a generalisation hierarchy), following ARX's definitions (DistinctLDiversity,
 * EntropyLDiversity, RecursiveCLDiversity, EqualDistanceTCloseness, OrderedDistanceTCloseness,
 * HierarchicalDistanceTCloseness). The t-closeness reference distribution is the whole input table's.
 */
import { XinzhiError } from '../../../shared/model/errors.js';

export type LDiversityVariant = 'distinct' | 'entropy' | 'recursive';
export type TClosenessDistance = 'equal' | 'ordered' | 'hierarchical';

export type PrivacyModelSpec =
  | { model: 'l-diversity'; variant: LDiversityVariant; l: number; c?: number; /** Index into `sensitive`. */ column: number }
  | { model: 't-closeness'; t: number; distance: TClosenessDistance; /** Index into `sensitive`. */ column: number };

/** A sensitive column encoded as integer ids per row (0 … cardinality − 1). */
export interface SensitiveColumn {
  name: string;
  ids: Int32Array;
  /** Numeric value of each id: needed for the `ordered` distance. */
  values?: Float64Array;
  /**
   * For the `hierarchical` distance: level → id → id of its label at that level (dense per level, level 0 the ids
   * themselves), as `EncodedColumn.generalised` gives when the column is encoded against its hierarchy.
   */
  generalised?: readonly Int32Array[];
  cardinality: number;
}

/**
 * Tolerance for the real-valued tests (entropy ≥ log l, EMD ≤ t), shared with the independent checkers so the two
 * agree on classes that sit exactly on the threshold.
 */
export const MODEL_EPSILON = 1e-9;

/** A model compiled against its sensitive column. */
export interface ClassModel {
  readonly column: number;
  /**
   * Decides one class from its frequency table over the column's ids: `freq[id]` is non-zero only for the
   * `touchedCount` ids listed first in `touched`; `size` is the class size.
   */
  accepts(freq: Float64Array, touched: Int32Array, touchedCount: number, size: number): boolean;
  /**
   * Whether a merged class satisfies the model as soon as one of its parts does. Then the number of records in
   * failing classes cannot grow under generalisation, so the model stays monotone with any suppression limit.
   * Only distinct l-diversity (and k-anonymity) has this property; entropy and recursive l-diversity and
   * t-closeness are monotone only with 0% suppression (a merged class satisfies them when all its parts do).
   */
  readonly monotoneWithSuppression: boolean;
}

function invalid(message: string): XinzhiError {
  return new XinzhiError('E_INVALID_INPUT', message);
}

/** Validates the specs against the sensitive columns and compiles them for a table of `n` rows. */
export function compileModels(specs: readonly PrivacyModelSpec[], sensitive: readonly SensitiveColumn[], n: number): ClassModel[] {
  sensitive.forEach((s) => {
    if (s.ids.length !== n) throw invalid(`Sensitive column "${s.name}" has ${s.ids.length} rows, expected ${n}`);
    if (!Number.isInteger(s.cardinality) || s.cardinality < 0) throw invalid(`Sensitive column "${s.name}" has an invalid cardinality`);
    for (let r = 0; r < n; r++) {
      const id = s.ids[r] as number;
      if (id < 0 || id >= s.cardinality) throw invalid(`Sensitive column "${s.name}" has id ${id} outside 0 … ${s.cardinality - 1}`);
    }
  });
  return specs.map((spec) => {
    const col = sensitive[spec.column];
    if (!Number.isInteger(spec.column) || !col) throw invalid(`Privacy model refers to sensitive column ${spec.column}, which is not given`);
    if (spec.model === 'l-diversity') return compileL(spec, col);
    if (spec.model === 't-closeness') return compileT(spec, col, n);
    throw invalid(`Unknown privacy model ${JSON.stringify((spec as { model: unknown }).model)}`);
  });
}

function compileL(spec: Extract<PrivacyModelSpec, { model: 'l-diversity' }>, col: SensitiveColumn): ClassModel {
  const { l, column } = spec;
  if (spec.variant === 'distinct') {
    if (!Number.isInteger(l) || l < 1) throw invalid('l must be a positive integer');
    return { column, monotoneWithSuppression: true, accepts: (_f, _t, touchedCount) => touchedCount >= l };
  }
  if (spec.variant === 'entropy') {
    if (!(l >= 1) || !Number.isFinite(l)) throw invalid('l must be a number ≥ 1');
    const logL = Math.log(l);
    return {
      column,
      monotoneWithSuppression: false,
      accepts: (freq, touched, touchedCount, size) => {
        let h = 0;
        for (let j = 0; j < touchedCount; j++) {
          const p = (freq[touched[j] as number] as number) / size;
          h -= p * Math.log(p);
        }
        return h >= logL - MODEL_EPSILON;
      },
    };
  }
  if (spec.variant === 'recursive') {
    const c = spec.c;
    if (!Number.isInteger(l) || l < 1) throw invalid('l must be a positive integer');
    if (c === undefined || !(c > 0) || !Number.isFinite(c)) throw invalid('Recursive (c,l)-diversity needs c > 0');
    const sorted = new Float64Array(col.cardinality);
    return {
      column,
      monotoneWithSuppression: false,
      // r1 < c · (r_l + … + r_m), r_i the i-th largest count; fewer than l values fail (ARX RecursiveCLDiversity).
      accepts: (freq, touched, touchedCount) => {
        if (touchedCount < l) return false;
        // Insertion sort, ascending (classes hold few distinct values; no allocation per class).
        for (let j = 0; j < touchedCount; j++) {
          const f = freq[touched[j] as number] as number;
          let i = j - 1;
          while (i >= 0 && (sorted[i] as number) > f) {
            sorted[i + 1] = sorted[i] as number;
            i--;
          }
          sorted[i + 1] = f;
        }
        let tail = 0;
        for (let j = touchedCount - l; j >= 0; j--) tail += sorted[j] as number;
        return (sorted[touchedCount - 1] as number) < c * tail;
      },
    };
  }
  throw invalid(`Unknown l-diversity variant ${JSON.stringify(spec.variant)}`);
}

function compileT(spec: Extract<PrivacyModelSpec, { model: 't-closeness' }>, col: SensitiveColumn, n: number): ClassModel {
  const { t, column } = spec;
  if (!(t >= 0) || !Number.isFinite(t)) throw invalid('t must be a number ≥ 0');
  const q = new Float64Array(col.cardinality);
  for (let r = 0; r < n; r++) q[col.ids[r] as number]! += 1;
  if (n > 0) for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) / n;
  if (spec.distance === 'equal') {
    return {
      column,
      monotoneWithSuppression: false,
      // ½ Σ |p_i − q_i| over all values: the values absent from the class contribute q_i each.
      accepts: (freq, touched, touchedCount, size) => {
        let diff = 0;
        let qTouched = 0;
        for (let j = 0; j < touchedCount; j++) {
          const id = touched[j] as number;
          const qi = q[id] as number;
          diff += Math.abs((freq[id] as number) / size - qi);
          qTouched += qi;
        }
        return (diff + Math.max(0, 1 - qTouched)) / 2 <= t + MODEL_EPSILON;
      },
    };
  }
  if (spec.distance === 'ordered') {
    const values = col.values;
    if (!values || values.length < col.cardinality || !values.subarray(0, col.cardinality).every((v) => Number.isFinite(v))) {
      throw invalid(`Ordered distance on "${col.name}" needs a finite numeric value for every id`);
    }
    // The distinct values present in the table, in increasing order (ties by id).
    const order = Int32Array.from(
      Array.from({ length: col.cardinality }, (_, i) => i)
        .filter((i) => (q[i] as number) > 0)
        .sort((a, b) => (values[a] as number) - (values[b] as number) || a - b),
    );
    const m = order.length;
    return {
      column,
      monotoneWithSuppression: false,
      // 1/(m − 1) Σ_i |Σ_{j ≤ i} (p_j − q_j)| over the sorted distinct values (ARX OrderedDistanceTCloseness).
      accepts: (freq, _touched, _touchedCount, size) => {
        if (m <= 1) return true;
        let cum = 0;
        let dist = 0;
        for (let i = 0; i < m; i++) {
          const id = order[i] as number;
          cum += (freq[id] as number) / size - (q[id] as number);
          dist += Math.abs(cum);
        }
        return dist / (m - 1) <= t + MODEL_EPSILON;
      },
    };
  }
  if (spec.distance === 'hierarchical') {
    const gen = col.generalised;
    if (!gen || gen.length === 0 || gen.some((g) => g.length < col.cardinality)) throw invalid(`Hierarchical distance on "${col.name}" needs its hierarchy levels`);
    const H = gen.length - 1;
    // parent[l][node at level l − 1] = its node at level l; sizes[l] = nodes at level l.
    const sizes = gen.map((g) => {
      let max = -1;
      for (let i = 0; i < col.cardinality; i++) max = Math.max(max, g[i] as number);
      return max + 1;
    });
    const parent = gen.map((g, l) => {
      const p = new Int32Array(l === 0 ? 0 : (sizes[l - 1] as number));
      if (l > 0) for (let i = 0; i < col.cardinality; i++) p[(gen[l - 1] as Int32Array)[i] as number] = g[i] as number;
      return p;
    });
    const width = Math.max(0, ...sizes);
    const extra = new Float64Array(width);
    const pos = new Float64Array(width);
    const neg = new Float64Array(width);
    return {
      column,
      monotoneWithSuppression: false,
      // Li et al.'s hierarchical EMD (ARX HierarchicalDistanceTCloseness): per node N of level l ≥ 1,
      // cost = l / H · min(Σ positive extra of its children, Σ |negative extra|), extra(N) = their difference; leaf
      // extra = p_i − q_i.
      accepts: (freq, _touched, _touchedCount, size) => {
        if (H === 0) return true;
        const leaves = sizes[0] as number;
        for (let i = 0; i < leaves; i++) extra[i] = 0;
        for (let i = 0; i < col.cardinality; i++) extra[(gen[0] as Int32Array)[i] as number]! += (freq[i] as number) / size - (q[i] as number);
        let cost = 0;
        for (let l = 1; l <= H; l++) {
          const below = sizes[l - 1] as number;
          const here = sizes[l] as number;
          const up = parent[l] as Int32Array;
          for (let j = 0; j < here; j++) {
            pos[j] = 0;
            neg[j] = 0;
          }
          for (let i = 0; i < below; i++) {
            const e = extra[i] as number;
            if (e > 0) pos[up[i] as number]! += e;
            else neg[up[i] as number]! -= e;
          }
          for (let j = 0; j < here; j++) {
            cost += (l / H) * Math.min(pos[j] as number, neg[j] as number);
            extra[j] = (pos[j] as number) - (neg[j] as number);
          }
        }
        return cost <= t + MODEL_EPSILON;
      },
    };
  }
  throw invalid(`Unknown t-closeness distance ${JSON.stringify(spec.distance)}`);
}
