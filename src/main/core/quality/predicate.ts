/** Row predicates for the `predicate` rule, compiled by the safe expression language (core/expr). */
import type { PredicateCompiler } from './rules.js';

export const compileRowPredicate: PredicateCompiler = () => {
  throw new Error('row predicates are not available yet');
};
