/** PII detection: pure recognisers, check digits, masking and span finding over sampled values. */
export { detectColumn, detectColumns, suggestSensitivity, ROLE_OF_KIND, type ColumnInput } from './detect.js';
export { findSpans } from './spans.js';
export { maskValue, maskSpans } from './mask.js';
export { isBankCard, isCnResidentId, isLuhnValid, isUscc, isIPv4, isIPv6, cnResidentIdCheckChar, usccCheckChar } from './checks.js';
export { valueMatches, isChineseName, isLatinName, isAddress, parseDate } from './values.js';
export { syntheticChineseTable, type SyntheticRow } from './synthetic.js';
