/** Check digits and strict shapes of identifiers: GB 11643 resident IDs, Luhn card numbers, GB 32100 credit codes, IP addresses. */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A plausible birth date yyyymmdd (the calendar is checked, years 1900..2099). */
function validBirthDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** GB 11643-1999: 17 digits (6 area, 8 birth date, 3 sequence) and a mod-11 check character. */
export function cnResidentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export function isCnResidentId(value: string): boolean {
  const v = value.trim().toUpperCase();
  if (/^\d{17}[\dX]$/.test(v)) {
    if (!/^[1-8]\d/.test(v)) return false;
    if (!validBirthDate(Number(v.slice(6, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14)))) return false;
    return cnResidentIdCheckChar(v.slice(0, 17)) === v[17];
  }
  // The 15-digit form (before 1999): 6 area, yymmdd (19yy), 3 sequence, no check digit.
  if (/^\d{15}$/.test(v)) return /^[1-8]\d/.test(v) && validBirthDate(1900 + Number(v.slice(6, 8)), Number(v.slice(8, 10)), Number(v.slice(10, 12)));
  return false;
}

/** Luhn (ISO/IEC 7812) over the digits of a 13–19-digit card number; spaces and dashes are allowed between groups. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function isBankCard(value: string): boolean {
  const v = value.trim();
  if (!/^\d[\d -]{11,22}\d$/.test(v)) return false;
  const digits = v.replace(/[ -]/g, '');
  // A run of one digit passes Luhn (0000…) but is no card.
  return digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && isLuhnValid(digits);
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 unified social credit code: 18 characters, the last a mod-31 check over the first 17. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const code = USCC_CHARS.indexOf(first17[i]!);
    if (code < 0) return null;
    sum += code * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

export function isUscc(value: string): boolean {
  const v = value.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(v)) return false;
  return usccCheckChar(v.slice(0, 17)) === v[17];
}

export function isIPv4(value: string): boolean {
  const parts = value.trim().split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(value: string): boolean {
  const v = value.trim();
  if (!/^[0-9A-Fa-f:.]+$/.test(v) || !v.includes(':')) return false;
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...tail];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = all[all.length - 1];
  let count = all.length;
  if (last && last.includes('.')) {
    if (!isIPv4(last)) return false;
    all.pop();
    count++;
  }
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}
