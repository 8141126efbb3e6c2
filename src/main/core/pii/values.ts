/**
 * Value-level recognisers: does one value look like a kind? `strict` shapes stand on their own (a check digit, an
 * e-mail's shape); `loose` shapes are accepted only when the column's name already says what it holds.
 */
import type { PiiKind } from '../../../shared/model/pii.js';
import { isBankCard, isCnResidentId, isIPv4, isIPv6, isUscc } from './checks.js';
import { JP_SURNAMES, TIBETAN_NAME_SYLLABLES, CN_NOT_GIVEN_NAME, CN_NOT_GIVEN_OF_TWO, CN_SURNAMES_DOUBLE, CN_SURNAMES_SINGLE, CN_TRANSLITERATION, EN_GIVEN_NAMES, EN_SURNAMES } from './names.js';

const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const CN_MOBILE = /^(?:(?:\+|00)?86)?1[3-9]\d{9}$/;
const CN_LANDLINE = /^(?:\(?0\d{2,3}\)?[- ]?)[2-9]\d{6,7}(?:-\d{1,6})?$/;
const URL = /^(?:(?:https?|ftp):\/\/|www\.)[^\s/$.?#][^\s]*$/i;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
/** Chinese ordinary passports (E + 8 digits, or E + letter + 7 digits; older G/P/S/D series). */
const CN_PASSPORT = /^(?:[EGPSD]\d{8}|E[A-HJ-NP-Z]\d{7})$/;
const PASSPORT_LOOSE = /^[A-Z]{1,2}\d{6,9}$/;
/** Province abbreviation, city letter, then 5 (ordinary) or 6 (new-energy) characters; the last may be 挂/学/警/港/澳. */
const CN_PLATE = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][·•\s-]?(?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])$/;
const CN_POSTAL = /^[1-8]\d{5}$/;
const POSTAL_LOOSE = /^(?:\d{3,6}(?:-\d{3,4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$/i;

const CN_SURNAME_SET = new Set(CN_SURNAMES_SINGLE);
const CN_NOT_GIVEN = new Set(CN_NOT_GIVEN_NAME);
const CN_TRANSLIT = new Set(CN_TRANSLITERATION);
const CN_NOT_GIVEN_TWO = new Set(CN_NOT_GIVEN_OF_TWO);
const TIBETAN_SYLLABLES = new RegExp(`^(?:${TIBETAN_NAME_SYLLABLES.join('|')}){2,3}$`);
const HAN = /^[\u3400-\u9fff]+$/;

/** The digits of a value with its usual separators (spaces, dashes, dots, brackets) taken out. */
export function digitsOf(value: string): string {
  return value.replace(/[\s().\-+]/g, '');
}

/** A parsed calendar date from the usual written forms, or null. */
export function parseDate(value: string): { year: number; month: number; day: number } | null {
  const v = value.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(v);
  let year: number, month: number, day: number;
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v))) {
    // m/d/yyyy (US) unless the first part cannot be a month (then d/m/yyyy).
    const a = Number(m[1]);
    const b = Number(m[2]);
    [month, day] = a > 12 ? [b, a] : [a, b];
    year = Number(m[3]);
  } else if ((m = /^(19|20)(\d{2})(\d{2})(\d{2})$/.exec(v))) [year, month, day] = [Number(m[1]! + m[2]!), Number(m[3]), Number(m[4])];
  else return null;
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return { year, month, day };
}

/** A birth date: a real date of someone alive (0–120 years old, as of 2030 to leave room for test data). */
export function isBirthDate(value: string): boolean {
  const d = parseDate(value);
  return d !== null && d.year >= 1900 && d.year <= 2030;
}

/** A generic telephone number: 7–15 digits, in groups, maybe a +country code and an extension. */
export function isPhoneLike(value: string, needGroups: boolean): boolean {
  const v = value.trim();
  const m = /^(\+?[\d\s().-]*\d)(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?$/i.exec(v);
  if (!m) return false;
  const digits = m[1]!.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (parseDate(v) || isIPv4(v) || /^\d+\.\d+$/.test(v)) return false;
  return !needGroups || /[\s().-]/.test(m[1]!.trim()) || v.startsWith('+');
}

/** A Chinese person's name: a surname (single or compound), then 1–2 given-name characters; or a transliterated name. */
export function isChineseName(value: string): boolean {
  const v = value.trim();
  if (v.includes('·')) {
    // Minority and foreign names written with a middle dot: 阿沛·阿旺晋美, 约翰·史密斯.
    const parts = v.split('·');
    return parts.length <= 4 && parts.every((p) => p.length >= 1 && p.length <= 6 && HAN.test(p));
  }
  if (!HAN.test(v) || v.length < 2 || v.length > 10) return false;
  const noStop = (s: string) => ![...s].some((c) => CN_NOT_GIVEN.has(c));
  // Japanese (佐藤弘子) and Tibetan (次仁多吉) names, common in Chinese text.
  if (v.length >= 3 && JP_SURNAMES.some((s) => v.startsWith(s) && v.length - s.length <= 3) && noStop(v)) return true;
  if (v.length >= 4 && TIBETAN_SYLLABLES.test(v)) return true;
  const translit = v.length >= 2 && [...v].every((c) => CN_TRANSLIT.has(c)) && noStop(v);
  if (v.length > 4) return translit;
  const double = CN_SURNAMES_DOUBLE.some((s) => v.startsWith(s));
  const surnameLength = double ? 2 : CN_SURNAME_SET.has(v[0]!) ? 1 : 0;
  const given = v.slice(surnameLength);
  const placeLike = v.length === 2 && CN_NOT_GIVEN_TWO.has(v[1]!);
  if (surnameLength > 0 && given.length >= 1 && given.length <= 2 && !placeLike && ![...given].some((c) => CN_NOT_GIVEN.has(c))) return true;
  // Transliterated foreign names (克林顿, 叶利钦, 马丁): every character from the transliteration set.
  return translit;
}

const NAME_TOKEN = /^[A-Z\u00C0-\u024F][a-z\u00C0-\u024F'’-]+$|^[A-Z]\.?$/u;

/** A name written in Latin letters: 1–4 capitalised words, one of them a listed given name or surname (or any, when loose). */
export function isLatinName(value: string, loose: boolean): boolean {
  const tokens = value.trim().split(/\s+/);
  if (tokens.length < 1 || tokens.length > 4 || !tokens.every((t) => NAME_TOKEN.test(t))) return false;
  if (loose) return tokens.some((t) => t.length > 1);
  return tokens.some((t) => EN_GIVEN_NAMES.has(t.toLowerCase()) || EN_SURNAMES.has(t.toLowerCase()));
}

const CN_ADDRESS_MARKERS = /省|自治区|市|区|县|镇|乡|街道|路|街|巷|弄|号|村|大道|胡同|小区|楼|室|栋|单元/g;
const STREET_SUFFIX =
  /\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|square|sq|terrace|ter|parkway|pkwy|highway|hwy|circle|cir|crescent|cres|close|grove|row|alley|trail)\b\.?/i;
const EUROPEAN_STREET = /(?:stra(?:ss|ß)e|str\.|gasse|weg|platz|allee|vej|gade|gatan|vägen|katu|tie|utca|út|ulica|laan|straat|rue|via|viale|calle|avenida|avinguda|rua|chemin|place|piazza|plaza|carrer|põik|tänav|iela|gatve)\b/i;

/** An address: Chinese administrative and street keywords, or a house number with a street word, or a P.O. box. */
export function isAddress(value: string, loose: boolean): boolean {
  const v = value.trim();
  if (v.length < 4 || v.length > 200) return false;
  if (/[\u4e00-\u9fff]/.test(v)) {
    const markers = v.match(CN_ADDRESS_MARKERS)?.length ?? 0;
    return markers >= 2 || (markers >= 1 && /\d+号/.test(v)) || (loose && markers >= 1);
  }
  if (/^(?:p\.?\s?o\.?\s?box|postfach|apartado|caixa postal)\s*\d+/i.test(v)) return true;
  const hasNumber = /\d/.test(v);
  if (hasNumber && (STREET_SUFFIX.test(v) || EUROPEAN_STREET.test(v))) return /[A-Za-z\u00C0-\u024F]{3,}/.test(v);
  // Loose (the column is named address): a house number next to a word, in either order.
  return loose && hasNumber && /(?:^\d+[A-Za-z]?\s+[\p{L}])|(?:[\p{L}]{3,}\.?\s+\d+[A-Za-z]?\b)/u.test(v);
}

/** Whether one value has the shape of `kind`. */
export function valueMatches(kind: PiiKind, value: string, loose: boolean): boolean {
  const v = value.trim();
  switch (kind) {
    case 'cnResidentId':
      return isCnResidentId(v);
    case 'cnMobile':
      return CN_MOBILE.test(v.replace(/[\s-]/g, ''));
    case 'cnLandline':
      return CN_LANDLINE.test(v);
    case 'phone':
      return isPhoneLike(v, !loose);
    case 'email':
      return EMAIL.test(v);
    case 'bankCard':
      return isBankCard(v);
    case 'ipv4':
      return isIPv4(v);
    case 'ipv6':
      return isIPv6(v);
    case 'url':
      return URL.test(v) || (loose && DOMAIN.test(v));
    case 'passport':
      return CN_PASSPORT.test(v) || (loose && PASSPORT_LOOSE.test(v));
    case 'cnLicensePlate':
      return CN_PLATE.test(v);
    case 'uscc':
      return isUscc(v);
    case 'dateOfBirth':
      return isBirthDate(v);
    case 'postalCode':
      return loose ? POSTAL_LOOSE.test(v) : CN_POSTAL.test(v);
    case 'personName':
      return isChineseName(v) || isLatinName(v, loose);
    case 'address':
      return isAddress(v, loose);
  }
}
