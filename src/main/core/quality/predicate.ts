/** Row predicates for the `predicate` rule, compiled by the safe expression language (core/expr; never eval). */
import { compileExpression } from '../expr/index.js';
import { cellOf } from '../profile/columns.js';
import type { PredicateCompiler } from './rules.js';

/** A row passes when the expression is true (SQL WHERE semantics: null and false fail). */
export const compileRowPredicate: PredicateCompiler = (expression, columns) => {
  const compiled = compileExpression(expression, columns.map((c) => ({ name: c.name, type: c.type })));
  // Only the columns the expression reads are filled, into one reused row.
  const used = compiled.columns.map((name) => columns.findIndex((c) => c.name === name));
  const row: unknown[] = new Array(columns.length).fill(null);
  return (r) => {
    for (const c of used) row[c] = cellOf(columns[c]!, r);
    return compiled.test(row);
  };
};
