/**
 * Proposes a privacy setup from the PII detector's findings (column names and value shapes): which columns
 * identify a person directly, which are quasi-identifiers (and a hierarchy for each), which are sensitive. A
 * starting point the analyst edits.
 */
import type { ColumnType } from '../../../shared/model/catalog.js';
import type { ColumnRole, HierarchySpec } from '../../../shared/model/privacy.js';
import { detectColumn } from '../pii/index.js';

export interface ColumnSample {
  name: string;
  type: ColumnType;
  /** Non-missing values, as stored (a few thousand are enough). */
  values: readonly (string | number)[];
  distinct: number;
  rows: number;
}

export interface RoleSuggestion {
  role: ColumnRole;
  hierarchy?: HierarchySpec;
  reason: { key: string; params: Record<string, string> };
}

const DIGIT_CODE = /^\d{4,10}$/;

function share(values: readonly (string | number)[], test: (v: string) => boolean): number {
  if (values.length === 0) return 0;
  let hits = 0;
  for (const v of values) if (test(String(v))) hits++;
  return hits / values.length;
}

/** A round width near `range / target` (1, 2 or 5 × 10^n), so intervals read naturally. */
function niceWidth(range: number, target: number): number {
  const raw = Math.max(range / target, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

function hierarchyFor(sample: ColumnSample): HierarchySpec {
  if (sample.type === 'integer' || sample.type === 'real') {
    const numbers = sample.values.map(Number).filter(Number.isFinite);
    const range = numbers.length ? Math.max(...numbers) - Math.min(...numbers) : 1;
    const base = niceWidth(range, 20);
    // Each width a multiple of the one before, as interval hierarchies need.
    return { interval: { widths: [base, base * 2, base * 4] } };
  }
  if (sample.type === 'date' || sample.type === 'datetime') return { date: true };
  const strings = sample.values.map(String);
  if (share(strings, (v) => DIGIT_CODE.test(v)) > 0.9) {
    const length = Math.max(...strings.map((v) => v.length));
    const keep = [length - 2, length - 4].filter((k) => k > 0);
    return { prefix: { keep: keep.length ? keep : [1] } };
  }
  // A flat categorical hierarchy: each value, then *. The analyst can add levels in the editor.
  const distinct = [...new Set(strings)].sort();
  return { rows: distinct.map((v) => [v, '*']) };
}

export function suggestRole(sample: ColumnSample): RoleSuggestion {
  // One detector for PII everywhere: the roles here are the ones the PII tab shows.
  const finding = detectColumn({ name: sample.name, type: sample.type, values: sample.values, distinct: sample.distinct, rows: sample.rows });
  if (finding.role === 'quasi') return { role: 'quasi', hierarchy: hierarchyFor(sample), reason: finding.reason };
  return { role: finding.role, reason: finding.reason };
}
