/** Shapes of text values: patterns such as `999-9999` or `Aa`, and the type a text looks like (for consistency). */

const MAX_PATTERN_LENGTH = 32;

const isCjk = (code: number): boolean =>
  (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0x20000 && code <= 0x2ffff);

/**
 * The value's shape: `A` upper-case letter, `a` lower-case letter, `9` digit, `汉` CJK ideograph, other characters
 * as they are. Runs of letters of one case and runs of CJK collapse to one symbol (`Private` → `Aa`, `北京市` → `汉`);
 * digits do not, so lengths of codes and phone numbers show (`010-6275` → `999-9999`). Capped at 32 symbols (`…`).
 */
export function valuePattern(value: string): string {
  let out = '';
  let last = '';
  let length = 0;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    let symbol: string;
    let collapse = true;
    if (code >= 48 && code <= 57) {
      symbol = '9';
      collapse = false;
    } else if ((code >= 65 && code <= 90) || (ch !== ch.toLowerCase() && ch === ch.toUpperCase())) symbol = 'A';
    else if ((code >= 97 && code <= 122) || (ch !== ch.toUpperCase() && ch === ch.toLowerCase())) symbol = 'a';
    else if (isCjk(code)) symbol = '汉';
    else {
      symbol = ch;
      collapse = false;
    }
    if (collapse && symbol === last) continue;
    last = symbol;
    if (length === MAX_PATTERN_LENGTH) return `${out}…`;
    out += symbol;
    length++;
  }
  return out;
}

export type TextKind = 'number' | 'date' | 'boolean' | 'text';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const DATE = /^\d{4}([-/.])\d{1,2}\1\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$|^\d{4}年\d{1,2}月\d{1,2}日$/;
const BOOLEAN = /^(true|false|yes|no|是|否)$/i;

/** The type a text cell looks like, as type inference would read it alone. */
export function textKind(value: string): TextKind {
  const v = value.trim();
  if (NUMBER.test(v) || THOUSANDS.test(v)) return 'number';
  if (DATE.test(v)) return 'date';
  if (BOOLEAN.test(v)) return 'boolean';
  return 'text';
}
