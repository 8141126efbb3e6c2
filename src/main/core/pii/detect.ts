/**
 * The one PII detector (used by `pii.detect` and by `privacy.suggestSetup`): per column, from its name and a sample
 * of its values, the PII kind with a confidence, masked examples and a proposed privacy role; per dataset a
 * suggested sensitivity class.
 *
 * Confidence: a value shape that stands on its own (check digit, e-mail) gives `share × strength`; a column whose
 * name says what it holds gives `0.5 + 0.5 × share` with looser shapes. A kind is reported from 0.6 up.
 */
import type { ColumnRole } from '../../../shared/model/privacy.js';
import type { PiiColumnFinding, PiiKind, SensitivityClass } from '../../../shared/model/pii.js';
import { PII_KINDS } from '../../../shared/model/pii.js';
import { maskSpans, maskValue } from './mask.js';
import { findSpans } from './spans.js';
import { valueMatches } from './values.js';

export interface ColumnInput {
  name: string;
  /** The column's type in the catalog, when known ('text', 'integer', …). */
  type?: string;
  /** A sample of non-missing values. */
  values: readonly (string | number)[];
  /** Distinct values and rows over the whole column, when known (else taken from the sample). */
  distinct?: number;
  rows?: number;
}

/** What the column's name says it holds, in English or Chinese. Checked in this order. */
const NAME_HINTS: [PiiKind, RegExp][] = [
  ['email', /e-?mail|邮箱|电子邮件/i],
  ['ipv4', /(^|[^a-z])ip($|[^a-z])|ip.?addr|ipv4|IP地址/i],
  ['ipv6', /ipv6/i],
  ['cnResidentId', /身份证|id.?card|resident.?id|公民身份|证件号/i],
  ['uscc', /uscc|credit.?code|信用代码|统一社会/i],
  ['passport', /passport|护照/i],
  ['cnLicensePlate', /plate|车牌/i],
  ['bankCard', /card.?(no|num)|cc.?num|credit.?card|bank.?card|银行卡|卡号/i],
  ['cnMobile', /mobile|cell|手机/i],
  ['phone', /phone|(^|[^a-z])tel|fax|电话|座机|联系方式/i],
  ['url', /url|website|web.?site|homepage|domain|网址|链接|网站|主页/i],
  ['dateOfBirth', /birth|(^|[^a-z])dob($|[^a-z])|bday|出生|生日/i],
  ['postalCode', /zip|postal|post.?code|邮编|邮政编码/i],
  ['address', /address|addr|street|住址|地址|居住地|户籍/i],
  ['personName', /name|surname|maiden|姓名|名字|联系人|收件人|持卡人|患者/i],
];
/** Columns whose name contains "name" but which hold no person's name. */
const NOT_A_PERSON_NAME = /user|company|file|product|domain|host|org|brand|dataset|column|table|city|country|state|street|nameset|公司|单位|产品|文件|城市/i;

/** Kinds that stand on their own, with how much one match says (a check digit says more than a shape). */
const STRENGTH: Partial<Record<PiiKind, number>> = {
  cnResidentId: 1,
  uscc: 1,
  bankCard: 0.97,
  email: 0.99,
  ipv4: 0.97,
  ipv6: 0.99,
  url: 0.95,
  cnMobile: 0.97,
  cnLandline: 0.85,
  cnLicensePlate: 0.97,
  passport: 0.8,
  phone: 0.75,
  personName: 0.85,
  address: 0.9,
};

/** The role each kind proposes: direct identifiers, quasi-identifiers (they identify in combination). */
export const ROLE_OF_KIND: Record<PiiKind, ColumnRole> = {
  cnResidentId: 'identifying',
  cnMobile: 'identifying',
  cnLandline: 'identifying',
  phone: 'identifying',
  email: 'identifying',
  bankCard: 'identifying',
  ipv4: 'identifying',
  ipv6: 'identifying',
  url: 'quasi',
  passport: 'identifying',
  cnLicensePlate: 'identifying',
  uscc: 'identifying',
  dateOfBirth: 'quasi',
  postalCode: 'quasi',
  personName: 'identifying',
  address: 'identifying',
};

const IDENTIFYING_NAME =
  /(^|[^a-z])(name|first.?name|last.?name|surname|given.?name|e-?mail|phone|tel|mobile|id.?number|ssn|passport|national.?id|address|street|username|user.?name|password|card.?number|cc.?number|iban|account)([^a-z]|$)|姓名|名字|邮箱|电话|手机|身份证|护照|地址|住址|账号|银行卡/i;
const QUASI_NAME =
  /(^|[^a-z])(age|sex|gender|zip|zip.?code|post.?code|postal|birth|birthday|dob|race|ethnic|ethnicity|marital|education|occupation|job|country|native|city|state|province|region|workclass|nationality)([^a-z]|$)|年龄|性别|邮编|出生|生日|民族|种族|婚姻|学历|教育|职业|国家|城市|省|地区/i;
const SENSITIVE_NAME =
  /(^|[^a-z])(income|salary|wage|disease|diagnosis|health|religion|credit|debt|loan|grade|score|label|class|target)([^a-z]|$)|收入|工资|薪|疾病|诊断|健康|宗教|信用|贷款|成绩/i;

/** Column names are often camelCase (GivenName): split them so the word rules above see words. */
function words(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.]/g, ' ');
}

function hintedKinds(name: string): Set<PiiKind> {
  const hinted = new Set<PiiKind>();
  const spaced = words(name);
  for (const [kind, regex] of NAME_HINTS) {
    if (!regex.test(name) && !regex.test(spaced)) continue;
    if (kind === 'personName' && NOT_A_PERSON_NAME.test(name)) continue;
    hinted.add(kind);
    // Phone columns hold Chinese mobiles and landlines as well as other numbers.
    if (kind === 'phone' || kind === 'cnMobile') for (const k of ['cnMobile', 'cnLandline', 'phone'] as const) hinted.add(k);
    if (kind === 'ipv4') hinted.add('ipv6');
    if (kind === 'cnResidentId') hinted.add('passport');
  }
  return hinted;
}

/** Free text: long values with spaces or sentence punctuation, where PII hides as spans. */
function isFreeText(values: readonly string[]): boolean {
  if (values.length === 0) return false;
  const lengths = values.map((v) => v.length).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)]!;
  const wordy = values.filter((v) => /\s\S+\s|[，。；！？]/.test(v)).length / values.length;
  return median >= 24 && wordy >= 0.3;
}

interface Scored {
  kind: PiiKind;
  confidence: number;
  share: number;
}

function scoreKinds(values: readonly string[], hinted: Set<PiiKind>, distinctShare: number): Scored[] {
  const scored: Scored[] = [];
  for (const kind of PII_KINDS) {
    const loose = hinted.has(kind);
    const strength = STRENGTH[kind];
    // Kinds without a strength (dates of birth) are only ever reported when the column's name says so.
    if (!loose && strength === undefined) continue;
    let hits = 0;
    for (const v of values) if (valueMatches(kind, v, loose)) hits++;
    const share = hits / values.length;
    let confidence = loose ? (share >= 0.5 ? 0.5 + 0.5 * share : share) : share >= 0.8 ? share * strength! : 0;
    // Names and postal codes repeat little: a column of a handful of words (White, Black…) is a category, not people.
    if ((kind === 'personName' || kind === 'postalCode') && values.length >= 50 && distinctShare < 0.05) confidence = 0;
    if (confidence > 0) scored.push({ kind, confidence, share });
  }
  // The more specific kind first on ties (a Chinese mobile is also a phone number).
  return scored.sort((a, b) => b.confidence - a.confidence || PII_KINDS.indexOf(a.kind) - PII_KINDS.indexOf(b.kind));
}

function roleByName(input: ColumnInput): Pick<PiiColumnFinding, 'role' | 'reason'> {
  const { name } = input;
  if (IDENTIFYING_NAME.test(name) || IDENTIFYING_NAME.test(words(name))) return { role: 'identifying', reason: { key: 'nameIdentifying', params: { name } } };
  if (QUASI_NAME.test(name) || QUASI_NAME.test(words(name))) return { role: 'quasi', reason: { key: 'nameQuasi', params: { name } } };
  if (SENSITIVE_NAME.test(name) || SENSITIVE_NAME.test(words(name))) return { role: 'sensitive', reason: { key: 'nameSensitive', params: { name } } };
  const rows = input.rows ?? input.values.length;
  const distinct = input.distinct ?? new Set(input.values).size;
  // Nearly every value different, in a text column: it singles people out like an identifier does.
  const type = input.type ?? (input.values.every((v) => typeof v === 'number') ? 'real' : 'text');
  if (type === 'text' && rows >= 20 && distinct / rows > 0.9) {
    return { role: 'identifying', reason: { key: 'unique', params: { percent: String(Math.round((100 * distinct) / rows)) } } };
  }
  return { role: 'insensitive', reason: { key: 'default', params: {} } };
}

const MIN_CONFIDENCE = 0.6;
const EXAMPLES = 5;

export function detectColumn(input: ColumnInput): PiiColumnFinding {
  const values = input.values.map((v) => String(v).trim()).filter((v) => v !== '');
  const base = { name: input.name, sampled: values.length, spanCounts: {} as Record<string, number> };
  const byName = roleByName(input);
  if (values.length === 0) return { ...base, kind: null, confidence: 0, matchedShare: 0, freeText: false, maskedExamples: [], ...byName };
  const distinctShare = new Set(values).size / values.length;

  if (isFreeText(values)) {
    const counts: Record<string, number> = {};
    let withSpan = 0;
    const examples: string[] = [];
    for (const v of values) {
      const spans = findSpans(v);
      if (spans.length === 0) continue;
      withSpan++;
      for (const s of spans) counts[s.kind] = (counts[s.kind] ?? 0) + 1;
      if (examples.length < EXAMPLES) examples.push(maskSpans(v, spans).slice(0, 160));
    }
    const share = withSpan / values.length;
    const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
    if (top && share >= 0.02) {
      const kind = top[0] as PiiKind;
      return {
        ...base,
        kind,
        confidence: Math.min(0.95, 0.6 + share),
        matchedShare: share,
        freeText: true,
        spanCounts: counts,
        maskedExamples: examples,
        role: 'identifying',
        reason: { key: 'spans', params: { shape: kind, percent: String(Math.round(100 * share)) } },
      };
    }
    return { ...base, kind: null, confidence: 0, matchedShare: 0, freeText: true, maskedExamples: [], ...byName };
  }

  const best = scoreKinds(values, hintedKinds(input.name), distinctShare)[0];
  if (!best || best.confidence < MIN_CONFIDENCE) {
    return { ...base, kind: null, confidence: 0, matchedShare: 0, freeText: false, maskedExamples: [], ...byName };
  }
  const maskedExamples = [...new Set(values.filter((v) => valueMatches(best.kind, v, true)).slice(0, 50))].slice(0, EXAMPLES).map((v) => maskValue(best.kind, v));
  return {
    ...base,
    kind: best.kind,
    confidence: Math.round(best.confidence * 1000) / 1000,
    matchedShare: best.share,
    freeText: false,
    maskedExamples,
    role: ROLE_OF_KIND[best.kind],
    reason: { key: 'shape', params: { shape: best.kind } },
  };
}

const RESTRICTED_KINDS: ReadonlySet<PiiKind> = new Set(['cnResidentId', 'bankCard', 'passport']);

/**
 * The dataset's sensitivity class: restricted with government IDs or card numbers (or direct identifiers next to
 * sensitive attributes), confidential with other direct identifiers, internal with quasi-identifiers or sensitive
 * columns only, public with none.
 */
export function suggestSensitivity(findings: readonly Pick<PiiColumnFinding, 'kind' | 'role'>[]): SensitivityClass {
  const identifying = findings.some((f) => f.role === 'identifying');
  if (findings.some((f) => f.kind !== null && RESTRICTED_KINDS.has(f.kind))) return 'restricted';
  if (identifying && findings.some((f) => f.role === 'sensitive')) return 'restricted';
  if (identifying) return 'confidential';
  if (findings.some((f) => f.role === 'quasi' || f.role === 'sensitive')) return 'internal';
  return 'public';
}

export function detectColumns(columns: readonly ColumnInput[]): { columns: PiiColumnFinding[]; suggestedSensitivity: SensitivityClass } {
  const findings = columns.map(detectColumn);
  return { columns: findings, suggestedSensitivity: suggestSensitivity(findings) };
}
