/**
 * Compiles an expression AST to a tree of closures over a row array (no eval, no Function). Column names are
 * resolved once at compile time; evaluation never throws: values that do not fit an operator give null, as in SQL.
 */
import { XinzhiError } from '../../../shared/model/errors.js';
import type { ColumnType } from '../../../shared/model/catalog.js';
import { parseExpression, type Expr } from './parser.js';

export type Value = number | string | boolean | null;
export type Row = ReadonlyArray<unknown>;
type Fn = (row: Row) => Value;

export interface ExpressionColumn {
  name: string;
  /** Booleans are stored as 0/1; knowing the type lets `flag = true` and `not flag` read them as booleans. */
  type?: ColumnType | undefined;
}

export interface CompiledExpression {
  readonly source: string;
  readonly ast: Expr;
  /** Names of the columns the expression reads, in first-use order. */
  readonly columns: readonly string[];
  /** The expression's value on a row laid out in the order of the compile-time columns. */
  evaluate(row: Row): Value;
  /** SQL WHERE semantics: true only when the value is true (null and false both reject). */
  test(row: Row): boolean;
}

const PLAIN_NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A value read as a number, or null when it is not one (text that spells a number counts). */
export function toNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && PLAIN_NUMBER.test(v)) return Number(v);
  return null;
}

function toBool(v: Value): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const lower = v.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return v.length > 0;
}

export function toText(v: Value): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  return String(v);
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** Compares two non-null values: numbers (and text spelling numbers) numerically, otherwise as text. */
function compare(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== null && y !== null) return x - y;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function equal(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  return compare(a, b) === 0;
}

/** Rounds half away from zero, like SQLite's round(). */
function roundTo(x: number, digits: number): number {
  const d = Math.max(-15, Math.min(15, Math.trunc(digits)));
  const f = 10 ** d;
  const r = Math.round(Math.abs(x) * f + Number.EPSILON * Math.abs(x) * f) / f;
  return x < 0 ? -r : r;
}

const DATE_PARTS = /^(\d{4})-(\d{1,2})-(\d{1,2})/;
function datePart(v: Value, index: 1 | 2 | 3): Value {
  const s = toText(v);
  if (s === null) return null;
  const m = DATE_PARTS.exec(s.trim().replace(/\//g, '-'));
  return m ? Number(m[index]) : null;
}

interface FunctionSpec {
  min: number;
  max: number;
  /** Arguments arrive as closures so `if` and `coalesce` evaluate only what they need. */
  make(args: Fn[]): Fn;
}

const unary = (f: (v: Value) => Value): FunctionSpec => ({ min: 1, max: 1, make: ([a]) => (row) => f(a!(row)) });
const numeric = (f: (x: number) => number): FunctionSpec =>
  unary((v) => {
    const x = toNumber(v);
    return x === null ? null : finite(f(x));
  });
const textual = (f: (s: string) => Value): FunctionSpec =>
  unary((v) => {
    const s = toText(v);
    return s === null ? null : f(s);
  });

/** The functions the language knows, by lower-case name. */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  abs: numeric(Math.abs),
  floor: numeric(Math.floor),
  ceil: numeric(Math.ceil),
  sqrt: numeric(Math.sqrt),
  round: {
    min: 1,
    max: 2,
    make: ([a, digits]) => (row) => {
      const x = toNumber(a!(row));
      const d = digits ? toNumber(digits(row)) : 0;
      return x === null || d === null ? null : finite(roundTo(x, d));
    },
  },
  lower: textual((s) => s.toLowerCase()),
  upper: textual((s) => s.toUpperCase()),
  trim: textual((s) => s.trim()),
  length: textual((s) => [...s].length),
  number: unary(toNumber),
  text: unary(toText),
  coalesce: {
    min: 1,
    max: Infinity,
    make: (args) => (row) => {
      for (const a of args) {
        const v = a(row);
        if (v !== null) return v;
      }
      return null;
    },
  },
  concat: {
    min: 1,
    max: Infinity,
    // Skips nulls, as PostgreSQL's concat() does.
    make: (args) => (row) => args.map((a) => toText(a(row)) ?? '').join(''),
  },
  contains: {
    min: 2,
    max: 2,
    make: ([a, b]) => (row) => {
      const s = toText(a!(row));
      const t = toText(b!(row));
      return s === null || t === null ? null : s.includes(t);
    },
  },
  substr: {
    // 1-based start, optional length, in characters (code points) as SQL's substr.
    min: 2,
    max: 3,
    make: ([a, start, len]) => (row) => {
      const s = toText(a!(row));
      const from = toNumber(start!(row));
      const count = len ? toNumber(len(row)) : Infinity;
      if (s === null || from === null || count === null) return null;
      const chars = [...s];
      const begin = Math.max(0, Math.trunc(from) - 1);
      return chars.slice(begin, count === Infinity ? undefined : begin + Math.max(0, Math.trunc(count))).join('');
    },
  },
  year: unary((v) => datePart(v, 1)),
  month: unary((v) => datePart(v, 2)),
  day: unary((v) => datePart(v, 3)),
  if: {
    min: 3,
    max: 3,
    make: ([cond, then, otherwise]) => (row) => (toBool(cond!(row)) === true ? then!(row) : otherwise!(row)),
  },
};

function arith(op: string, x: number, y: number): number | null {
  switch (op) {
    case '+':
      return finite(x + y);
    case '-':
      return finite(x - y);
    case '*':
      return finite(x * y);
    case '/':
      return y === 0 ? null : finite(x / y);
    default:
      // % takes the dividend's sign, as in SQL and JavaScript.
      return y === 0 ? null : finite(x % y);
  }
}

function build(expr: Expr, resolve: (name: string, pos: number) => Fn): Fn {
  switch (expr.kind) {
    case 'literal': {
      const v = expr.value;
      return () => v;
    }
    case 'column':
      return resolve(expr.name, expr.pos);
    case 'negate': {
      const f = build(expr.operand, resolve);
      return (row) => {
        const x = toNumber(f(row));
        return x === null ? null : -x;
      };
    }
    case 'not': {
      const f = build(expr.operand, resolve);
      return (row) => {
        const b = toBool(f(row));
        return b === null ? null : !b;
      };
    }
    case 'isNull': {
      const f = build(expr.operand, resolve);
      return expr.negated ? (row) => f(row) !== null : (row) => f(row) === null;
    }
    case 'in': {
      const f = build(expr.operand, resolve);
      const items = expr.items.map((e) => build(e, resolve));
      const negated = expr.negated;
      return (row) => {
        const v = f(row);
        if (v === null) return null;
        let found = false;
        for (const item of items) {
          if (equal(v, item(row)) === true) {
            found = true;
            break;
          }
        }
        return negated ? !found : found;
      };
    }
    case 'call': {
      const spec = Object.hasOwn(FUNCTIONS, expr.name) ? FUNCTIONS[expr.name] : undefined;
      if (!spec) {
        throw new XinzhiError('E_EXPR_UNKNOWN_FUNCTION', `Unknown function “${expr.name}” at character ${expr.pos + 1}.`, {
          position: expr.pos + 1,
          name: expr.name,
          functions: Object.keys(FUNCTIONS).join(', '),
        });
      }
      if (expr.args.length < spec.min || expr.args.length > spec.max) {
        const expected = spec.max === Infinity ? `≥ ${spec.min}` : spec.min === spec.max ? String(spec.min) : `${spec.min}–${spec.max}`;
        throw new XinzhiError('E_EXPR_ARGUMENTS', `${expr.name}() at character ${expr.pos + 1} takes ${expected} arguments, not ${expr.args.length}.`, {
          position: expr.pos + 1,
          name: expr.name,
          expected,
          found: expr.args.length,
        });
      }
      return spec.make(expr.args.map((a) => build(a, resolve)));
    }
    case 'binary': {
      const l = build(expr.left, resolve);
      const r = build(expr.right, resolve);
      const op = expr.op;
      switch (op) {
        case 'and':
          // Three-valued logic: false wins over null.
          return (row) => {
            const a = toBool(l(row));
            if (a === false) return false;
            const b = toBool(r(row));
            if (b === false) return false;
            return a === null || b === null ? null : true;
          };
        case 'or':
          return (row) => {
            const a = toBool(l(row));
            if (a === true) return true;
            const b = toBool(r(row));
            if (b === true) return true;
            return a === null || b === null ? null : false;
          };
        case '=':
          return (row) => equal(l(row), r(row));
        case '!=':
          return (row) => {
            const e = equal(l(row), r(row));
            return e === null ? null : !e;
          };
        case '<':
        case '<=':
        case '>':
        case '>=':
          return (row) => {
            const a = l(row);
            const b = r(row);
            if (a === null || b === null) return null;
            const c = compare(a, b);
            return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
          };
        default:
          return (row) => {
            const x = toNumber(l(row));
            const y = toNumber(r(row));
            return x === null || y === null ? null : arith(op, x, y);
          };
      }
    }
  }
}

/** Normalises a stored cell to a language value: bigint → number, booleans stored as 0/1 → boolean. */
function cellReader(index: number, type: ColumnType | undefined): Fn {
  if (type === 'boolean') {
    return (row) => {
      const v = row[index];
      return v === null || v === undefined ? null : typeof v === 'boolean' ? v : Number(v) !== 0;
    };
  }
  return (row) => {
    const v = row[index];
    if (v === null || v === undefined) return null;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return typeof v === 'number' && Number.isNaN(v) ? null : v;
    if (typeof v === 'bigint') return Number(v);
    return String(v);
  };
}

/**
 * Parses and compiles `source` against the given columns (a row is an array in that order). Throws
 * E_EXPR_* errors for syntax, unknown columns or functions and wrong argument counts.
 */
export function compileExpression(source: string, columns: readonly ExpressionColumn[]): CompiledExpression {
  const ast = parseExpression(source);
  const indexByName = new Map<string, number>();
  columns.forEach((c, i) => {
    if (!indexByName.has(c.name)) indexByName.set(c.name, i);
  });
  const used: string[] = [];
  const resolve = (name: string, pos: number): Fn => {
    const index = indexByName.get(name);
    if (index === undefined) {
      const shown = columns.slice(0, 30).map((c) => c.name).join(', ') + (columns.length > 30 ? ', …' : '');
      throw new XinzhiError('E_EXPR_UNKNOWN_COLUMN', `Unknown column “${name}” at character ${pos + 1}. Columns: ${shown}.`, {
        position: pos + 1,
        column: name,
        columns: shown,
      });
    }
    if (!used.includes(name)) used.push(name);
    return cellReader(index, columns[index]!.type);
  };
  const fn = build(ast, resolve);
  return {
    source,
    ast,
    columns: used,
    evaluate: fn,
    test: (row) => toBool(fn(row)) === true,
  };
}
