/**
 * Quality rules (expectations) checked over a version's columns in memory. Column rules ignore missing cells
 * (as Great Expectations does), except not-null; a failing rule names its first failing rows with shortened values.
 */
import type { RuleResult, RuleSpec } from '../../../shared/model/quality.js';
import { cellOf, type DataColumn } from '../profile/columns.js';
import { textKind } from '../profile/text.js';

export const MAX_SAMPLES = 5;

/** A compiled row predicate: true keeps the row; anything else fails it. */
export type RowPredicate = (row: number) => unknown;
/** Compiles a predicate expression over the version's columns (the safe expression language; never eval). */
export type PredicateCompiler = (expression: string, columns: readonly DataColumn[]) => RowPredicate;

export interface RuleToCheck {
  id: string;
  spec: RuleSpec;
}

/** Values stored with results are short: up to 12 characters whole, longer ones as their ends around `…`. */
export function shortValue(value: string | number | null): string | null {
  if (value === null) return null;
  const s = String(value);
  const chars = [...s];
  return chars.length <= 12 ? s : `${chars.slice(0, 6).join('')}…${chars.slice(-2).join('')}`;
}

export function compileRegex(pattern: string): RegExp {
  return new RegExp(pattern, 'u');
}

const TYPE_CHECKS = {
  integer: (v: string | number) => (typeof v === 'number' ? Number.isInteger(v) : /^[+-]?\d+$/.test(v.trim())),
  number: (v: string | number) => typeof v === 'number' || textKind(v) === 'number',
  boolean: (v: string | number) => (typeof v === 'number' ? v === 0 || v === 1 : textKind(v) === 'boolean'),
  date: (v: string | number) => typeof v === 'string' && textKind(v) === 'date',
  text: (v: string | number) => typeof v === 'string' && textKind(v) === 'text',
} as const;

function rowCheck(spec: Exclude<RuleSpec, { kind: 'row-count' | 'predicate' }>, column: DataColumn): (v: string | number) => boolean {
  switch (spec.kind) {
    case 'not-null':
      return () => true;
    case 'unique':
      return () => true;
    case 'in-set': {
      const numeric = column.kind === 'number';
      const set = new Set<string | number>(spec.values.map((v) => (numeric ? Number(v) : String(v))));
      return (v) => set.has(v);
    }
    case 'between': {
      const lo = spec.min ?? Number.NEGATIVE_INFINITY;
      const hi = spec.max ?? Number.POSITIVE_INFINITY;
      return (v) => {
        const x = typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v);
        return x >= lo && x <= hi;
      };
    }
    case 'matches': {
      const re = compileRegex(spec.pattern);
      return (v) => re.test(String(v));
    }
    case 'type':
      return TYPE_CHECKS[spec.type];
  }
}

export function checkRule(rule: RuleToCheck, columns: readonly DataColumn[], rowCount: number, compilePredicate?: PredicateCompiler): RuleResult {
  const spec = rule.spec;
  const base = { ruleId: rule.id, spec };
  const failed = (error: string): RuleResult => ({ ...base, passed: false, checkedRows: 0, failingRows: 0, passRate: 0, samples: [], error });
  if (spec.kind === 'row-count') {
    const ok = (spec.min === null || rowCount >= spec.min) && (spec.max === null || rowCount <= spec.max);
    return { ...base, passed: ok, checkedRows: rowCount, failingRows: 0, passRate: ok ? 1 : 0, samples: [], error: null };
  }
  const samples: RuleResult['samples'] = [];
  let failing = 0;
  let checked = 0;
  const fail = (row: number, value: string | number | null) => {
    failing++;
    if (samples.length < MAX_SAMPLES) samples.push({ row: row + 1, value: shortValue(value) });
  };
  if (spec.kind === 'predicate') {
    if (!compilePredicate) return failed('row predicates are not available');
    let predicate: RowPredicate;
    try {
      predicate = compilePredicate(spec.expression, columns);
    } catch (err) {
      return failed(err instanceof Error ? err.message : String(err));
    }
    for (let r = 0; r < rowCount; r++) {
      checked++;
      let ok: unknown;
      try {
        ok = predicate(r);
      } catch {
        ok = false;
      }
      if (ok !== true) fail(r, null);
    }
  } else {
    const column = columns.find((c) => c.name === spec.column);
    if (!column) return failed(`no column “${spec.column}” in this version`);
    if (spec.kind === 'unique') {
      // Every row whose value occurs more than once fails (GE's expect_column_values_to_be_unique).
      const counts = new Map<string | number, number>();
      for (let r = 0; r < rowCount; r++) {
        const v = cellOf(column, r);
        if (v === null) continue;
        checked++;
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      for (let r = 0; r < rowCount; r++) {
        const v = cellOf(column, r);
        if (v !== null && counts.get(v)! > 1) fail(r, v);
      }
    } else {
      const test = rowCheck(spec, column);
      for (let r = 0; r < rowCount; r++) {
        const v = cellOf(column, r);
        if (v === null) {
          if (spec.kind === 'not-null') {
            checked++;
            fail(r, null);
          }
          continue;
        }
        checked++;
        if (!test(v)) fail(r, v);
      }
    }
  }
  return { ...base, passed: failing === 0, checkedRows: checked, failingRows: failing, passRate: checked === 0 ? 1 : 1 - failing / checked, samples, error: null };
}

export function checkRules(rules: readonly RuleToCheck[], columns: readonly DataColumn[], rowCount: number, compilePredicate?: PredicateCompiler): RuleResult[] {
  return rules.map((rule) => checkRule(rule, columns, rowCount, compilePredicate));
}
