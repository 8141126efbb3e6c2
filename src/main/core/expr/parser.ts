/**
 * Tokenizer and recursive-descent parser of the row expression language (see index.ts for the grammar).
 * Every failure is an XinzhiError with an E_EXPR_* code and a 1-based character position, so hosts can show it
 * in zh-CN or en; nothing here evaluates JavaScript.
 */
import { XinzhiError } from '../../../shared/model/errors.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  | { kind: 'literal'; value: number | string | boolean | null; pos: number }
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'negate'; operand: Expr; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'isNull'; operand: Expr; negated: boolean; pos: number }
  | { kind: 'in'; operand: Expr; items: Expr[]; negated: boolean; pos: number }
  | { kind: 'call'; name: string; args: Expr[]; pos: number };

type TokenKind = 'number' | 'string' | 'ident' | 'quoted' | 'keyword' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  /** Source text of the token (for errors). */
  text: string;
  /** Value: the number, the unescaped string or name, the lower-case keyword or the operator. */
  value: string | number;
  /** 0-based offset in the source. */
  start: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false']);
/** Longest first, so `<=` wins over `<`. */
const OPERATORS = ['==', '!=', '<>', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '=', '<', '>', '(', ')', '[', ']', ',', '!'];
export const MAX_EXPRESSION_LENGTH = 10_000;
/** Bounds the parser's recursion so a hostile `((((…` gets an error, not a stack overflow. */
export const MAX_NESTING = 64;
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_\p{M}]/u;
/** What may start an operand, named with symbols so the text reads the same in every language. */
const OPERAND = 'column, number, \'text\', true/false/null, (';

function syntaxError(source: string, offset: number, found: string, expected: string): XinzhiError {
  if (offset >= source.length || found === '') {
    return new XinzhiError('E_EXPR_END', `The expression ends too early: expected ${expected}.`, { position: source.length + 1, expected });
  }
  return new XinzhiError('E_EXPR_SYNTAX', `Expression error at character ${offset + 1}: expected ${expected} but found “${found}”.`, {
    position: offset + 1,
    found,
    expected,
  });
}

export function tokenize(source: string): Token[] {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new XinzhiError('E_EXPR_SYNTAX', `The expression is longer than ${MAX_EXPRESSION_LENGTH} characters.`, {
      position: MAX_EXPRESSION_LENGTH + 1,
      found: source.slice(MAX_EXPRESSION_LENGTH, MAX_EXPRESSION_LENGTH + 10),
      expected: `≤ ${MAX_EXPRESSION_LENGTH}`,
    });
  }
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(source.slice(i, i + 400))!;
      i += m[0].length;
      if (i < n && IDENT_PART.test(source[i]!)) throw syntaxError(source, i, source[i]!, 'operator');
      tokens.push({ kind: 'number', text: m[0], value: Number(m[0]), start });
      continue;
    }
    if (c === '\'' || c === '"' || c === '`') {
      let out = '';
      i++;
      let closed = false;
      while (i < n) {
        const ch = source[i]!;
        if (ch === c) {
          if (source[i + 1] === c) {
            out += c; // doubled quote, as in SQL
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (ch === '\\' && c !== '`' && i + 1 < n) {
          const next = source[i + 1]!;
          out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
          continue;
        }
        out += ch;
        i++;
      }
      if (!closed) throw new XinzhiError('E_EXPR_END', `The quote ${c} opened at character ${start + 1} is never closed.`, { position: start + 1, expected: c });
      if (c === '`' && out === '') throw syntaxError(source, start, '``', 'column name');
      tokens.push({ kind: c === '`' ? 'quoted' : 'string', text: source.slice(start, i), value: out, start });
      continue;
    }
    if (IDENT_START.test(c)) {
      i++;
      while (i < n && IDENT_PART.test(source[i]!)) i++;
      const word = source.slice(start, i);
      const lower = word.toLowerCase();
      tokens.push(KEYWORDS.has(lower) ? { kind: 'keyword', text: word, value: lower, start } : { kind: 'ident', text: word, value: word, start });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw syntaxError(source, i, String.fromCodePoint(source.codePointAt(i)!), OPERAND);
    i += op.length;
    const canonical = op === '==' ? '=' : op === '<>' ? '!=' : op === '&&' ? 'and' : op === '||' ? 'or' : op === '!' ? 'not' : op;
    tokens.push({ kind: canonical === 'and' || canonical === 'or' || canonical === 'not' ? 'keyword' : 'op', text: op, value: canonical, start });
  }
  tokens.push({ kind: 'end', text: '', value: '', start: n });
  return tokens;
}

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }
  private isKeyword(value: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.value === value;
  }
  private expectOp(value: string): Token {
    if (!this.isOp(value)) throw this.unexpected(value);
    return this.next();
  }
  private unexpected(expected: string): XinzhiError {
    const t = this.peek();
    return syntaxError(this.source, t.start, t.text, expected);
  }
  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      const t = this.peek();
      throw new XinzhiError('E_EXPR_SYNTAX', `The expression nests deeper than ${MAX_NESTING} levels.`, {
        position: t.start + 1,
        found: t.text,
        expected: `≤ ${MAX_NESTING} levels`,
      });
    }
  }

  parseAll(): Expr {
    if (this.peek().kind === 'end') throw syntaxError(this.source, 0, '', OPERAND);
    const expr = this.parseOr();
    if (this.peek().kind !== 'end') throw this.unexpected('operator, and, or');
    return expr;
  }

  private parseOr(): Expr {
    this.enter();
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      const pos = this.next().start;
      left = { kind: 'binary', op: 'or', left, right: this.parseAnd(), pos };
    }
    this.depth--;
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKeyword('and')) {
      const pos = this.next().start;
      left = { kind: 'binary', op: 'and', left, right: this.parseNot(), pos };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isKeyword('not')) {
      const pos = this.next().start;
      this.enter();
      const operand = this.parseNot();
      this.depth--;
      return { kind: 'not', operand, pos };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.value as string)) {
      this.next();
      return { kind: 'binary', op: t.value as BinaryOp, left, right: this.parseAdditive(), pos: t.start };
    }
    if (this.isKeyword('is')) {
      this.next();
      const negated = this.isKeyword('not');
      if (negated) this.next();
      if (!this.isKeyword('null')) throw this.unexpected('null');
      this.next();
      return { kind: 'isNull', operand: left, negated, pos: t.start };
    }
    const negatedIn = this.isKeyword('not') && this.tokens[this.i + 1]?.kind === 'keyword' && this.tokens[this.i + 1]?.value === 'in';
    if (negatedIn || this.isKeyword('in')) {
      if (negatedIn) this.next();
      this.next();
      this.expectOp('[');
      const items: Expr[] = [];
      if (!this.isOp(']')) {
        items.push(this.parseOr());
        while (this.isOp(',')) {
          this.next();
          items.push(this.parseOr());
        }
      }
      this.expectOp(']');
      return { kind: 'in', operand: left, items, negated: negatedIn, pos: t.start };
    }
    return left;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.value as BinaryOp, left, right: this.parseMultiplicative(), pos: t.start };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.next();
      left = { kind: 'binary', op: t.value as BinaryOp, left, right: this.parseUnary(), pos: t.start };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      this.enter();
      const operand = this.parseUnary();
      this.depth--;
      if (t.value === '+') return operand;
      if (operand.kind === 'literal' && typeof operand.value === 'number') return { kind: 'literal', value: -operand.value, pos: t.start };
      return { kind: 'negate', operand, pos: t.start };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'literal', value: t.value as number, pos: t.start };
      case 'string':
        this.next();
        return { kind: 'literal', value: t.value as string, pos: t.start };
      case 'quoted':
        this.next();
        return { kind: 'column', name: t.value as string, pos: t.start };
      case 'ident': {
        this.next();
        if (!this.isOp('(')) return { kind: 'column', name: t.value as string, pos: t.start };
        this.next();
        this.enter();
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          args.push(this.parseOr());
          while (this.isOp(',')) {
            this.next();
            args.push(this.parseOr());
          }
        }
        this.expectOp(')');
        this.depth--;
        return { kind: 'call', name: (t.value as string).toLowerCase(), args, pos: t.start };
      }
      case 'keyword':
        if (t.value === 'null' || t.value === 'true' || t.value === 'false') {
          this.next();
          return { kind: 'literal', value: t.value === 'null' ? null : t.value === 'true', pos: t.start };
        }
        throw this.unexpected(OPERAND);
      case 'op':
        if (t.value === '(') {
          this.next();
          const inner = this.parseOr();
          this.expectOp(')');
          return inner;
        }
        throw this.unexpected(OPERAND);
      default:
        throw this.unexpected(OPERAND);
    }
  }
}

/** Parses `source` to an AST; throws XinzhiError E_EXPR_SYNTAX / E_EXPR_END with the character position. */
export function parseExpression(source: string): Expr {
  return new Parser(source, tokenize(source)).parseAll();
}
