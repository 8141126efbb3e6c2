/** Number formats and text lookup shared by the report builders (fixed formats, so a report reads the same anywhere). */
import { translate, type Language } from '../../shared/i18n/index.js';

/** `t(key)` over `ui.reports.pdf.<area>.` in the report's language. */
export function reportText(lang: Language, area: string): (key: string, params?: Record<string, unknown>) => string {
  return (key, params) => translate(lang, `ui.reports.pdf.${area}.${key}`, params);
}

export function fmtInt(value: number, _lang: Language): string {
  return Math.round(value).toLocaleString('en-US');
}

export function fmtNum(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** A share 0 … 1 as a percentage with two decimals. */
export function fmtPct(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** A metric: fractions with 4 digits, larger values with fewer (as the model page shows them). */
export function fmtMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(2);
  return value.toFixed(4);
}
