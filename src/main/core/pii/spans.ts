/**
 * PII spans inside free text: each candidate pattern is validated (check digits, Luhn, calendar, name lists) and
 * spans never overlap — the more specific kind wins (an ID number is not also a phone number).
 */
import type { PiiKind, PiiSpan } from '../../../shared/model/pii.js';
import { isBankCard, isCnResidentId, isIPv4, isIPv6, isLuhnValid, isUscc } from './checks.js';
import { isChineseName, isPhoneLike } from './values.js';
import { EN_GIVEN_NAMES, EN_SURNAMES } from './names.js';

/** Words that say a number nearby is a telephone number. */
const PHONE_BEFORE = /phone|tel\b|call|mobile|cell|fax|contact|reach|answer|message|registered|desk|dial|text me|sms|whatsapp|电话|手机|联系|致电|回拨/i;
/** …or a label after it, as in address blocks (`416 60 039 office`). */
const PHONE_AFTER = /^[\s,-]*(?:office|fax|mobile|cell|home|work|desk|tel)/i;

interface Pattern {
  kind: PiiKind;
  regex: RegExp;
  accept?: (match: string, text: string, start: number) => boolean;
  /** The capture group that holds the span (0: the whole match). */
  group?: number;
}

const LATIN_WORD = '[A-Z\\u00C0-\\u024F][a-z\\u00C0-\\u024F\'’-]+';
const STREET_WORDS =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Square|Sq|Terrace|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Crescent|Close|Grove|Row|Alley|Trail';
const EURO_STREET_WORD = `${LATIN_WORD}(?:stra(?:ss|ß)e|gasse|weg|platz|allee|vej|gade|gatan|vägen|katu|tie|utca|straat|laan)`;
/** Chinese place words that end an address part. */
const CN_ADDR =
  /(?:[\u4e00-\u9fff]{2,6}(?:省|自治区))?(?:[\u4e00-\u9fff]{2,6}市)?(?:[\u4e00-\u9fff]{1,6}(?:区|县))?(?:[\u4e00-\u9fff]{1,8}(?:镇|乡|街道))?[\u4e00-\u9fff\d]{1,12}(?:路|街|大道|巷|弄|胡同)(?:\d+号)?(?:[\d\-]+(?:栋|幢|号楼|单元|室))*/g;

// Order = priority: earlier kinds claim their characters first.
const PATTERNS: Pattern[] = [
  {
    // A number right after a word for card: shorter (12-digit Maestro) and 15-digit numbers count too, when Luhn-valid.
    kind: 'bankCard',
    regex: /(?:card|cc|卡号?|银行卡)[^\d\n]{0,24}?(?<![\dA-Za-z])(\d(?:[ -]?\d){11,18})(?![\dA-Za-z])/gi,
    group: 1,
    accept: (m) => isLuhnValid(m.replace(/[ -]/g, '')) && !/^(\d)\1+$/.test(m.replace(/[ -]/g, '')),
  },
  { kind: 'email', regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'url', regex: /\b(?:https?:\/\/|www\.)[^\s<>"'，。]+[^\s<>"'，。.,;:!?)]/gi },
  { kind: 'uscc', regex: /(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Z])/g, accept: (m) => isUscc(m) },
  { kind: 'cnResidentId', regex: /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])|(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])/g, accept: (m) => isCnResidentId(m) },
  { kind: 'bankCard', regex: /(?<![\dA-Za-z-])\d{4}(?:[ -]?\d{2,4}){2,4}(?:[ -]?\d{1,3})?(?![\dA-Za-z-])/g, accept: (m) => isBankCard(m) },
  { kind: 'ipv4', regex: /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g, accept: (m) => isIPv4(m) },
  { kind: 'ipv6', regex: /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g, accept: (m) => m.length > 6 && isIPv6(m) },
  { kind: 'cnMobile', regex: /(?<![\d])(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g },
  { kind: 'cnLandline', regex: /(?<![\d])\(?0\d{2,3}\)?[- ]?[2-9]\d{6,7}(?!\d)/g },
  {
    kind: 'cnLicensePlate',
    regex: /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])/g,
    accept: (m) => /\d/.test(m),
  },
  {
    kind: 'passport',
    regex: /(?:passport|护照)[^A-Z\d]{0,20}([A-Z]{1,2}\d{6,9})\b/gi,
    group: 1,
  },
  {
    kind: 'phone',
    regex: /(?<![\w.\-/+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\) ?)?(?:\(0\) ?)?\d{2,12}(?:[ .-]\d{2,8}){0,4}(?: ?(?:x|ext\.?) ?\d{1,6})?(?![\w/]|[-.]\d)/gi,
    accept: (m, text, start) => {
      if (!isPhoneLike(m, false)) return false;
      // A US social security number (3-2-4) or a date is not a phone.
      if (/^\d{3}-\d{2}-\d{4}$/.test(m) || /^\d{4}[-.]\d{2}[-.]\d{2}/.test(m)) return false;
      // Numbers with a +, brackets or the 3-3-4 pattern stand alone; others need a word nearby that says phone.
      if (/^\+|\(|^\d{3}[\s.-]\d{3}[\s.-]\d{4}/.test(m)) return true;
      return PHONE_BEFORE.test(text.slice(Math.max(0, start - 40), start)) || PHONE_AFTER.test(text.slice(start + m.length, start + m.length + 12));
    },
  },
  {
    kind: 'address',
    regex: new RegExp(
      `\\b\\d{1,6}[A-Za-z]?\\s+(?:${LATIN_WORD}\\s+){1,4}(?:${STREET_WORDS})\\b(?:(?<=\\b(?:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Sq|Pkwy|Hwy|Cir))\\.)?(?:,?\\s+(?:Apt|Suite|Unit)\\.?\\s+\\d+)?|\\b(?:${EURO_STREET_WORD})\\s+\\d{1,5}[A-Za-z]?\\b|\\b(?:Rue|Via|Viale|Calle|Avenida|Rua|Carrer|Chemin|Piazza)\\s+(?:${LATIN_WORD}\\s+){0,3}${LATIN_WORD}\\s+\\d{1,5}\\b|\\b(?:P\\.?\\s?O\\.?\\s?Box)\\s+\\d+`,
      'gu',
    ),
  },
  { kind: 'address', regex: CN_ADDR, accept: (m) => m.length >= 6 && /[省市区县]/.test(m) },
  {
    kind: 'personName',
    regex: new RegExp(`\\b${LATIN_WORD}(?:\\s+[A-Z]\\.?)?(?:\\s+${LATIN_WORD}){1,2}\\b`, 'gu'),
    accept: (m) => {
      const tokens = m.split(/\s+/).filter((t) => t.length > 2);
      const first = tokens[0]!.toLowerCase();
      const last = tokens[tokens.length - 1]!.toLowerCase();
      return EN_GIVEN_NAMES.has(first) || (EN_SURNAMES.has(last) && !EN_SURNAMES.has(first));
    },
  },
  {
    // Chinese names next to a title or a role word (张伟先生, 联系人：李娜); a bare 2–3 character run is too ambiguous.
    kind: 'personName',
    regex: /(?:联系人|姓名|客户|经理|患者|收件人|先生|女士)[：:\s]*([\u4e00-\u9fff]{2,4}?)(?=先生|女士|[，。,；;\s]|$)|([\u4e00-\u9fff]{2,3})(?=先生|女士|同志|老师|医生)/g,
    accept: (m) => isChineseName(m),
  },
];

/** Non-overlapping PII spans in `text`, in order of position. */
export function findSpans(text: string): PiiSpan[] {
  const taken: PiiSpan[] = [];
  const overlaps = (s: number, e: number) => taken.some((t) => s < t.end && t.start < e);
  for (const p of PATTERNS) {
    p.regex.lastIndex = 0;
    for (const m of text.matchAll(p.regex)) {
      let value = m[0];
      let start = m.index;
      // Patterns with alternative groups: the span is the first group that matched (or the whole match).
      const groupValue = p.group !== undefined ? m[p.group] : m.length > 1 ? m.slice(1).find((g) => g !== undefined) : undefined;
      if (groupValue !== undefined && (p.group !== undefined || m.length > 1)) {
        start = m.index + m[0].indexOf(groupValue);
        value = groupValue;
      }
      const end = start + value.length;
      if (value.length === 0 || overlaps(start, end)) continue;
      if (p.accept && !p.accept(value, text, start)) continue;
      taken.push({ kind: p.kind, start, end });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}
