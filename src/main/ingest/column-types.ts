/**
 * Column type inference and value conversion. A column's type is the narrowest of
 * integer ⊂ real ⊂ text, boolean, date ⊂ datetime that fits every non-missing value.
 * Digit strings with a leading zero or more than 15 digits (postcodes, phone and ID numbers) stay text.
 */
import type { ColumnType } from '../../shared/model/catalog.js';

/** pandas' default NA tokens (read_csv na_values), read as missing in every column. */
export const DEFAULT_NA_VALUES: readonly string[] = [
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA',
  'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
];

export type Cell = string | number | null;

/**
 * A fast membership test for missing-value tokens: most values are rejected by length or first character
 * before the Set is consulted (hashing every field showed up as the import's hottest line).
 */
export function naMatcher(tokens: Iterable<string>): (value: string) => boolean {
  const set = new Set(tokens);
  let maxLength = 0;
  const firstChars = new Set<number>();
  for (const t of set) {
    maxLength = Math.max(maxLength, t.length);
    if (t.length > 0) firstChars.add(t.charCodeAt(0));
  }
  const hasEmpty = set.has('');
  return (value) => {
    const n = value.length;
    if (n === 0) return hasEmpty;
    if (n > maxLength || !firstChars.has(value.charCodeAt(0))) return false;
    return set.has(value);
  };
}

/** Same language as /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/, scanned by hand (twice as fast here). */
function isPlainDecimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45 || c === 43) i++;
  let digits = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
  }
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < n && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
    i++;
    if (i < n && ((c = s.charCodeAt(i)) === 45 || c === 43)) i++;
    const start = i;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
    if (i === start) return false;
  }
  return i === n;
}
const DATE_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const DATETIME_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO']);

/** Parses a plain decimal integer of at most 15 digits without a leading zero; NaN otherwise. */
export function parseInteger(s: string): number {
  return parseIntegerSpan(s, 0, s.length);
}

/** parseInteger of s[start, end), read in place: the import converts numbers without slicing them out. */
export function parseIntegerSpan(s: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = s.charCodeAt(i);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  const digits = end - i;
  if (digits <= 0 || digits > 15) return NaN;
  if (digits > 1 && s.charCodeAt(i) === 48) return NaN;
  let value = 0;
  for (; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return negative ? -value : value;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * parseReal of s[start, end), read in place. Plain decimals of at most 15 significant digits are computed as
 * mantissa / 10^k — both exact doubles, so the one division is correctly rounded and equals Number(text);
 * anything else (exponents, long mantissas) goes through parseReal.
 */
export function parseRealSpan(s: string, start: number, end: number): number {
  let i = start;
  if (i >= end) return NaN;
  let negative = false;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  const intStart = i;
  let mantissa = 0;
  while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    i++;
  }
  const intDigits = i - intStart;
  // Digits only: an integer, or a code that must stay text — never a real.
  if (i === end) return NaN;
  if (c !== 46) return parseReal(s.slice(start, end));
  if (intDigits > 1 && s.charCodeAt(intStart) === 48) return NaN;
  i++;
  const fracStart = i;
  while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    i++;
  }
  const fracDigits = i - fracStart;
  if (i !== end || intDigits + fracDigits > 15) return parseReal(s.slice(start, end));
  if (intDigits + fracDigits === 0) return NaN;
  const v = mantissa / POW10[fracDigits]!;
  return negative ? -v : v;
}

export function parseReal(s: string): number {
  const f = s.charCodeAt(0);
  // Cheap rejection before the regex: a number starts with a digit, a sign or a point.
  if (!(isDigit(f) || f === 45 || f === 43 || f === 46)) return NaN;
  if (!isPlainDecimal(s)) return NaN;
  // Digit strings that are not integers (leading zeros, more than 15 digits: codes, IDs, card numbers) stay text.
  if (/^[-+]?\d+$/.test(s)) return NaN;
  // "007.5" keeps its leading zeros as text, like an integer would.
  const c0 = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
  if (s.charCodeAt(c0) === 48 && s.length > c0 + 1 && s.charCodeAt(c0 + 1) !== 46 && s.charCodeAt(c0 + 1) !== 101 && s.charCodeAt(c0 + 1) !== 69) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= DAYS_IN_MONTH[m - 1]!;
}

const pad2 = (v: string) => (v.length === 1 ? `0${v}` : v);

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Canonical ISO date (YYYY-MM-DD) or null. */
export function parseDate(s: string): string | null {
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    // Fast path for values already in ISO form: no regex, no new string.
    const c = (i: number) => s.charCodeAt(i) - 48;
    if (isDigit(s.charCodeAt(0)) && isDigit(s.charCodeAt(1)) && isDigit(s.charCodeAt(2)) && isDigit(s.charCodeAt(3)) &&
        isDigit(s.charCodeAt(5)) && isDigit(s.charCodeAt(6)) && isDigit(s.charCodeAt(8)) && isDigit(s.charCodeAt(9))) {
      const y = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3);
      return validDate(y, c(5) * 10 + c(6), c(8) * 10 + c(9)) ? s : null;
    }
    return null;
  }
  const m = DATE_RE.exec(s);
  if (!m) return null;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${pad2(m[2]!)}-${pad2(m[3]!)}`;
}

/** ISO-like datetime, normalised to `YYYY-MM-DD HH:MM[:SS…]` (SQLite's date functions read it), or null. */
export function parseDatetime(s: string): string | null {
  const m = DATETIME_RE.exec(s);
  if (!m) return null;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 60) return null;
  // SQLite reads only two-digit hours and ±HH:MM offsets.
  const rest = s.slice(s.search(/[T ]/) + 1).replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return `${m[1]}-${pad2(m[2]!)}-${pad2(m[3]!)} ${m[4]!.length === 1 ? `0${rest}` : rest}`;
}

export function parseBoolean(s: string): number | null {
  if (TRUE_WORDS.has(s)) return 1;
  if (FALSE_WORDS.has(s)) return 0;
  return null;
}

/** Converts a raw, non-missing field to the stored value of `type`; `undefined` when it does not fit. */
export function convert(raw: string, type: ColumnType): Cell | undefined {
  switch (type) {
    case 'integer': {
      const v = parseInteger(raw);
      return Number.isNaN(v) ? undefined : v;
    }
    case 'real': {
      const v = parseInteger(raw);
      if (!Number.isNaN(v)) return v;
      const r = parseReal(raw);
      return Number.isNaN(r) ? undefined : r;
    }
    case 'boolean': {
      const v = parseBoolean(raw);
      return v === null ? undefined : v;
    }
    case 'date':
      return parseDate(raw) ?? undefined;
    case 'datetime':
      return parseDatetime(raw) ?? parseDate(raw) ?? undefined;
    case 'text':
      return raw;
  }
}

/** The narrowest type that fits `raw`. */
export function classify(raw: string): ColumnType {
  if (!Number.isNaN(parseInteger(raw))) return 'integer';
  if (!Number.isNaN(parseReal(raw))) return 'real';
  if (parseBoolean(raw) !== null) return 'boolean';
  if (parseDate(raw) !== null) return 'date';
  if (parseDatetime(raw) !== null) return 'datetime';
  return 'text';
}

/** The narrowest type that fits values of both types. `null` stands for "no value seen yet". */
export function widen(a: ColumnType | null, b: ColumnType): ColumnType {
  if (a === null || a === b) return b;
  if ((a === 'integer' && b === 'real') || (a === 'real' && b === 'integer')) return 'real';
  if ((a === 'date' && b === 'datetime') || (a === 'datetime' && b === 'date')) return 'datetime';
  return 'text';
}

/** SQLite column type of a STRICT table for each column type. */
export function sqliteType(type: ColumnType): 'INTEGER' | 'REAL' | 'TEXT' {
  if (type === 'integer' || type === 'boolean') return 'INTEGER';
  if (type === 'real') return 'REAL';
  return 'TEXT';
}
