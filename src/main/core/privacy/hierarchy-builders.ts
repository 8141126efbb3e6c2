/**
 * Generalisation hierarchies built from a column's data: numeric intervals, dates (month → quarter → year) and string
 * prefixes (postcodes, ID-number region codes). Each returns one row per distinct value, validated by
 * `validateHierarchy`, with `*` as the most general level. Categorical hierarchies come from `parseHierarchyCsv`.
 */
import { XinzhiError } from '../../../shared/model/errors.js';
import { validateHierarchy, type Hierarchy } from './hierarchy.js';

function invalid(message: string, params?: Record<string, string | number | null>): XinzhiError {
  return new XinzhiError('E_INVALID_INPUT', message, params);
}

function nonEmpty(count: number): void {
  if (count === 0) throw invalid('A hierarchy needs at least one value');
}

/** Rounds away binary noise (0.1 + 0.2) so interval bounds print as people write them. */
function tidy(x: number): number {
  const r = Number(x.toPrecision(12));
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Numeric intervals, one level per width, aligned to multiples of the width: widths [5, 10, 20] take 23 to
 * "20-24" → "20-29" → "20-39" → "*" (levels = widths.length + 2). Each width must be a whole multiple of the one
 * before, so every interval lies inside exactly one interval of the next level. Labels are `lo-hi` inclusive when
 * all values and widths are integers, otherwise half-open `[lo, hi)`. Leaves are `String(value)`, sorted ascending.
 */
export function intervalHierarchy(values: readonly number[], widths: readonly number[]): Hierarchy {
  widths.forEach((w, i) => {
    if (!Number.isFinite(w) || w <= 0) throw invalid(`Interval width ${w} must be a positive number`, { width: w });
    const prev = widths[i - 1];
    if (prev !== undefined) {
      const ratio = w / prev;
      if (ratio < 1.5 || Math.abs(ratio - Math.round(ratio)) > 1e-9) {
        throw invalid(`Interval width ${w} must be a whole multiple (≥ 2) of the previous width ${prev}`, { width: w, previous: prev });
      }
    }
  });
  const distinct = new Map<string, number>();
  for (const v of values) {
    if (!Number.isFinite(v)) throw invalid(`Interval hierarchies need finite numbers, got ${v}`, { value: String(v) });
    const key = String(v);
    if (!distinct.has(key)) distinct.set(key, v);
  }
  nonEmpty(distinct.size);
  const sorted = [...distinct.entries()].sort((a, b) => a[1] - b[1]);
  const integral = widths.every(Number.isInteger) && sorted.every(([, v]) => Number.isInteger(v));
  const first = widths[0];
  // Interval index at each level from the first level's index by integer division, so parents are consistent.
  const ratios = widths.map((w) => (first === undefined ? 1 : Math.round(w / first)));

  const rows = sorted.map(([leaf, v]) => {
    const row = [leaf];
    if (first !== undefined) {
      const q = v / first;
      const r = Math.round(q);
      const base = Math.abs(q - r) <= 1e-9 * Math.max(1, Math.abs(q)) ? r : Math.floor(q);
      widths.forEach((w, i) => {
        const index = Math.floor(base / (ratios[i] as number));
        const lo = tidy(index * w);
        const hi = tidy((index + 1) * w);
        row.push(integral ? `${lo}-${hi - 1}` : `[${lo}, ${hi})`);
      });
    }
    row.push('*');
    return row;
  });
  return validateHierarchy(rows);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Dates: `YYYY-MM-DD` (optionally followed by a time) → `YYYY-MM` → `YYYY-Qn` → `YYYY` → `*` (5 levels). Leaves are
 * the values as given, sorted; an invalid date is an E_INVALID_INPUT.
 */
export function dateHierarchy(values: readonly string[]): Hierarchy {
  const distinct = [...new Set(values)].sort();
  nonEmpty(distinct.length);
  const rows = distinct.map((v) => {
    const m = ISO_DATE.exec(v);
    const year = m ? Number(m[1]) : NaN;
    const month = m ? Number(m[2]) : NaN;
    const day = m ? Number(m[3]) : NaN;
    if (!m || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw invalid(`"${v}" is not an ISO date (YYYY-MM-DD)`, { value: v });
    }
    const y = m[1] as string;
    return [v, `${y}-${m[2] as string}`, `${y}-Q${Math.ceil(month / 3)}`, y, '*'];
  });
  return validateHierarchy(rows);
}

/**
 * Prefixes: one level per entry of `keep` (strictly decreasing), keeping the first n characters and replacing each
 * other character with `*`, so labels keep the value's length: keep [4, 2] takes '100086' to '1000**' → '10****' →
 * '*'. A value no longer than n stays whole at that level. Characters are Unicode code points. Leaves are sorted.
 */
export function prefixHierarchy(values: readonly string[], keep: readonly number[]): Hierarchy {
  keep.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 0) throw invalid(`Prefix length ${n} must be a non-negative integer`, { keep: n });
    const prev = keep[i - 1];
    if (prev !== undefined && n >= prev) throw invalid(`Prefix lengths must decrease: ${n} follows ${prev}`, { keep: n, previous: prev });
  });
  const distinct = [...new Set(values)].sort();
  nonEmpty(distinct.length);
  const rows = distinct.map((v) => {
    const chars = Array.from(v);
    const row = [v];
    for (const n of keep) row.push(chars.length <= n ? v : chars.slice(0, n).join('') + '*'.repeat(chars.length - n));
    row.push('*');
    return row;
  });
  return validateHierarchy(rows);
}
