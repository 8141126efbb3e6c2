/** Data quality: the 0–100 score by dimension, and quality rules (expectations) checked over columns in memory. */
export { qualityDimensions, qualityScore, validityOf } from './score.js';
export { checkRule, checkRules, shortValue, compileRegex, MAX_SAMPLES } from './rules.js';
export type { RuleToCheck, RowPredicate, PredicateCompiler } from './rules.js';
export { compileRowPredicate } from './predicate.js';
