/**
 * Proposes a privacy setup from column names and value shapes: which columns identify a person directly, which
 * are quasi-identifiers (and a hierarchy for each), which are sensitive. A starting point the analyst edits;
 * PII detection will refine these guesses later.
 */
import type { ColumnType } from '../../../shared/model/catalog.js';
import type { ColumnRole, HierarchySpec } from '../../../shared/model/privacy.js';

export interface ColumnSample {
  name: string;
  type: ColumnType;
  /** Non-missing values, as stored (a few thousand are enough). */
  values: readonly (string | number)[];
  distinct: number;
  rows: number;
}

export interface RoleSuggestion {
  role: ColumnRole;
  hierarchy?: HierarchySpec;
  reason: { key: string; params: Record<string, string> };
}

const IDENTIFYING_NAME = /(^|[^a-z])(name|first.?name|last.?name|surname|given.?name|e-?mail|phone|tel|mobile|id.?number|ssn|passport|national.?id|address|street|username|user.?name|password|card.?number|cc.?number|iban|account)([^a-z]|$)|姓名|名字|邮箱|电话|手机|身份证|护照|地址|住址|账号|银行卡/i;
const QUASI_NAME = /(^|[^a-z])(age|sex|gender|zip|zip.?code|post.?code|postal|birth|birthday|dob|race|ethnic|ethnicity|marital|education|occupation|job|country|native|city|state|province|region|workclass|nationality)([^a-z]|$)|年龄|性别|邮编|出生|生日|民族|种族|婚姻|学历|教育|职业|国家|城市|省|地区/i;
const SENSITIVE_NAME = /(^|[^a-z])(income|salary|wage|disease|diagnosis|health|religion|credit|debt|loan|grade|score|label|class|target)([^a-z]|$)|收入|工资|薪|疾病|诊断|健康|宗教|信用|贷款|成绩/i;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CN_MOBILE = /^(\+?86[- ]?)?1[3-9]\d{9}$/;
const PHONE = /^\+?[\d][\d\s().-]{6,}\d$/;
const CN_ID = /^\d{17}[\dXx]$/;
const CARD = /^\d{13,19}$/;
const DIGIT_CODE = /^\d{4,10}$/;

function share(values: readonly (string | number)[], test: (v: string) => boolean): number {
  if (values.length === 0) return 0;
  let hits = 0;
  for (const v of values) if (test(String(v))) hits++;
  return hits / values.length;
}

/** A round width near `range / target` (1, 2 or 5 × 10^n), so intervals read naturally. */
function niceWidth(range: number, target: number): number {
  const raw = Math.max(range / target, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

function hierarchyFor(sample: ColumnSample): HierarchySpec {
  if (sample.type === 'integer' || sample.type === 'real') {
    const numbers = sample.values.map(Number).filter(Number.isFinite);
    const range = numbers.length ? Math.max(...numbers) - Math.min(...numbers) : 1;
    const base = niceWidth(range, 20);
    // Each width a multiple of the one before, as interval hierarchies need.
    return { interval: { widths: [base, base * 2, base * 4] } };
  }
  if (sample.type === 'date' || sample.type === 'datetime') return { date: true };
  const strings = sample.values.map(String);
  if (share(strings, (v) => DIGIT_CODE.test(v)) > 0.9) {
    const length = Math.max(...strings.map((v) => v.length));
    const keep = [length - 2, length - 4].filter((k) => k > 0);
    return { prefix: { keep: keep.length ? keep : [1] } };
  }
  // A flat categorical hierarchy: each value, then *. The analyst can add levels in the editor.
  const distinct = [...new Set(strings)].sort();
  return { rows: distinct.map((v) => [v, '*']) };
}

export function suggestRole(sample: ColumnSample): RoleSuggestion {
  const { name, values } = sample;
  const strings = values.map(String);
  const shapes: [string, (v: string) => boolean][] = [
    ['email', (v) => EMAIL.test(v)],
    ['idNumber', (v) => CN_ID.test(v)],
    ['mobile', (v) => CN_MOBILE.test(v.replace(/[\s-]/g, ''))],
    ['card', (v) => CARD.test(v.replace(/[\s-]/g, ''))],
    ['phone', (v) => PHONE.test(v) && /\d{3}/.test(v)],
  ];
  for (const [shape, test] of shapes) {
    if (sample.type === 'text' && share(strings, test) > 0.8) return { role: 'identifying', reason: { key: 'shape', params: { shape } } };
  }
  if (IDENTIFYING_NAME.test(name)) return { role: 'identifying', reason: { key: 'nameIdentifying', params: { name } } };
  if (QUASI_NAME.test(name)) return { role: 'quasi', hierarchy: hierarchyFor(sample), reason: { key: 'nameQuasi', params: { name } } };
  if (SENSITIVE_NAME.test(name)) return { role: 'sensitive', reason: { key: 'nameSensitive', params: { name } } };
  // Nearly every value different, in a text column: it singles people out like an identifier does.
  if (sample.type === 'text' && sample.rows >= 20 && sample.distinct / sample.rows > 0.9) {
    return { role: 'identifying', reason: { key: 'unique', params: { percent: String(Math.round((100 * sample.distinct) / sample.rows)) } } };
  }
  return { role: 'insensitive', reason: { key: 'default', params: {} } };
}
