/** Masks a value of a known kind for display and storage: enough is kept to recognise the shape, never the person. */
import type { PiiKind } from '../../../shared/model/pii.js';
import { parseDate } from './values.js';

const star = (n: number) => '*'.repeat(Math.max(1, Math.min(n, 12)));

/** Keeps `head` and `tail` characters, stars in between (at least one star, however short the value). */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return chars.length <= 1 ? '*' : `${chars[0]}${star(chars.length - 1)}`;
  return `${chars.slice(0, head).join('')}${star(chars.length - head - tail)}${chars.slice(chars.length - tail).join('')}`;
}

/** Replaces the digits of a number between the first `head` and last `tail` digits, keeping its separators. */
function maskDigits(value: string, head: number, tail: number): string {
  const total = (value.match(/\d/g) ?? []).length;
  if (total <= head + tail) return value.replace(/\d/g, '*');
  let seen = 0;
  return value.replace(/\d/g, (d) => {
    seen++;
    return seen <= head || seen > total - tail ? d : '*';
  });
}

export function maskValue(kind: PiiKind | null, raw: string): string {
  const value = raw.trim();
  const masked = maskByKind(kind, value);
  // A value that does not have its kind's shape (no digits in a "phone") still must not come back as it was.
  if (masked !== value || value.length <= 1) return masked;
  // Keeping the first character is not enough when the rest is already stars (`:*`): then hide all of it.
  const firstKept = keepEnds(value, 1, 0);
  return firstKept === value ? star([...value].length) : firstKept;
}

function maskByKind(kind: PiiKind | null, value: string): string {
  switch (kind) {
    case 'cnMobile':
    case 'cnLandline':
    case 'phone':
      return maskDigits(value, 3, 4);
    case 'cnResidentId':
      return keepEnds(value, 6, 4);
    case 'bankCard':
      return maskDigits(value, 4, 4);
    case 'email': {
      const at = value.lastIndexOf('@');
      return at > 0 ? `${value[0]}***${value.slice(at)}` : keepEnds(value, 1, 0);
    }
    case 'personName': {
      if (/^[\u3400-\u9fff·]+$/.test(value)) return `${[...value][0]}${star([...value].length - 1)}`;
      return value
        .split(/\s+/)
        .map((t) => (t.length <= 2 ? `${t[0]}.` : `${t[0]}${star(t.length - 1)}`))
        .join(' ');
    }
    case 'address':
      // The first few characters (a province and city, or a house number) say where roughly, not who.
      return keepEnds(value, Math.min(6, Math.floor([...value].length / 3)), 0);
    case 'ipv4':
      return value.split('.').map((p, i) => (i < 2 ? p : '*')).join('.');
    case 'ipv6':
      return `${value.split(':')[0]}:****`;
    case 'url': {
      const m = /^((?:[a-z]+:\/\/)?(?:www\.)?)([^/]*)(.*)$/i.exec(value);
      return m ? `${m[1]}${keepEnds(m[2]!, 2, 0)}${m[3] ? '/***' : ''}` : keepEnds(value, 3, 0);
    }
    case 'cnLicensePlate':
      return keepEnds(value, 2, 2);
    case 'uscc':
      return keepEnds(value, 2, 4);
    case 'passport':
      return keepEnds(value, 1, 2);
    case 'dateOfBirth': {
      const d = parseDate(value);
      return d ? `${d.year}-**-**` : keepEnds(value, 4, 0);
    }
    case 'postalCode':
      return keepEnds(value, 2, 0);
    default:
      // An unknown kind: keep only the first character.
      return keepEnds(value, 1, 0);
  }
}

/** Masks the spans of a free-text value in place, leaving the text around them readable. */
export function maskSpans(text: string, spans: readonly { kind: PiiKind; start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + maskValue(s.kind, text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}
