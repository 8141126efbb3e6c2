/** Text normalisation for cleaning: full-width → half-width, Unicode NFKC, whitespace. */

/**
 * Full-width ASCII (U+FF01–U+FF5E) to its half-width form and the ideographic space (U+3000) to a space: the
 * part of NFKC that Chinese input methods make necessary, for when full NFKC (which also folds ①, ㎏, ﬁ …) is off.
 */
export function fullWidthToHalfWidth(s: string): string {
  let out = '';
  let changed = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) {
      out += String.fromCharCode(c - 0xfee0);
      changed = true;
    } else if (c === 0x3000) {
      out += ' ';
      changed = true;
    } else out += s[i];
  }
  return changed ? out : s;
}

export interface TextNormalisation {
  nfkc: boolean;
  fullWidth: boolean;
  trim: boolean;
  collapseWhitespace: boolean;
  case: 'keep' | 'lower' | 'upper';
  emptyToNull: boolean;
}

const WHITESPACE_RUN = /\s+/gu;

/** One value through the chosen steps, in a fixed order: NFKC, full-width, collapse, trim, case, empty → null. */
export function normaliseText(value: string, o: TextNormalisation): string | null {
  let s = value;
  if (o.nfkc) s = s.normalize('NFKC');
  if (o.fullWidth) s = fullWidthToHalfWidth(s);
  if (o.collapseWhitespace) s = s.replace(WHITESPACE_RUN, ' ');
  if (o.trim) s = s.trim();
  if (o.case === 'lower') s = s.toLowerCase();
  else if (o.case === 'upper') s = s.toUpperCase();
  return o.emptyToNull && s === '' ? null : s;
}
