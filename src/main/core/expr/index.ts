/**
 * A small, safe expression language over one row of a dataset, used by filter and derive steps in cleaning and by
 * row-predicate quality rules. It is parsed by hand to an AST and evaluated by closures: never eval / Function.
 *
 * Grammar (lowest precedence first; keywords are case-insensitive):
 *   expr       := or
 *   or         := and ('or' | '||') and …
 *   and        := not ('and' | '&&') not …
 *   not        := ('not' | '!') not | comparison
 *   comparison := additive [ ('=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>=') additive
 *                          | 'is' ['not'] 'null' | ['not'] 'in' '[' expr, … ']' ]
 *   additive   := multiplicative (('+' | '-') multiplicative) …
 *   multiplicative := unary (('*' | '/' | '%') unary) …
 *   unary      := ('-' | '+') unary | primary
 *   primary    := number | 'text' | "text" | true | false | null | name | `any name` | name '(' args ')' | '(' expr ')'
 * Semantics follow SQL: null propagates through operators and functions, x / 0 is null, comparisons with null are
 * null, and/or use three-valued logic, a filter keeps rows whose value is true.
 */
export { parseExpression, tokenize, MAX_EXPRESSION_LENGTH, MAX_NESTING } from './parser.js';
export type { Expr, BinaryOp } from './parser.js';
export { compileExpression, FUNCTIONS, toNumber, toText } from './evaluate.js';
export type { CompiledExpression, ExpressionColumn, Value, Row } from './evaluate.js';
