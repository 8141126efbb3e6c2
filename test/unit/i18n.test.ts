// The message catalogues: every key in both languages, every error code translated, placeholders kept, interpolation.
import { describe, expect, it } from 'vitest';
import { isLanguage, LANGUAGES, messages, translate } from '../../src/shared/i18n/index.js';
import { ErrorCodeSchema } from '../../src/shared/model/error-schemas.js';

type Tree = { [key: string]: string | Tree };

/** Every leaf as `a.b.c` → text. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

/** i18next plural suffixes: English has `_one` and `_other`; Chinese has only `_other`. */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, '');
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();

const en = leaves(messages.en);
const zh = leaves(messages['zh-CN']);

describe('message catalogues', () => {
  it('have every section in both languages', () => {
    for (const lang of LANGUAGES) {
      expect(Object.keys(messages[lang]).sort()).toEqual(['cli', 'doctor', 'errors', 'privacy', 'ui']);
    }
    expect(en.size).toBeGreaterThan(50);
  });

  it('have the same keys in en and zh-CN (plural forms aside)', () => {
    const enBases = new Set([...en.keys()].map(base));
    const zhBases = new Set([...zh.keys()].map(base));
    expect([...enBases].filter((k) => !zhBases.has(k)), 'missing in zh-CN').toEqual([]);
    expect([...zhBases].filter((k) => !enBases.has(k)), 'missing in en').toEqual([]);
  });

  it('have non-plural keys identical in both languages', () => {
    const enPlain = [...en.keys()].filter((k) => !PLURAL.test(k)).sort();
    const zhPlain = [...zh.keys()].filter((k) => !PLURAL.test(k)).sort();
    expect(zhPlain).toEqual(enPlain);
  });

  it('give every plural key an _other form, and English an _one form', () => {
    for (const [lang, map] of [['en', en], ['zh-CN', zh]] as const) {
      for (const key of map.keys()) {
        if (!PLURAL.test(key)) continue;
        expect(map.has(`${base(key)}_other`), `${lang}: ${key} without ${base(key)}_other`).toBe(true);
        if (lang === 'en') expect(map.has(`${base(key)}_one`), `en: ${key} without ${base(key)}_one`).toBe(true);
      }
    }
  });

  it('have no empty texts', () => {
    for (const [lang, map] of [['en', en], ['zh-CN', zh]] as const) {
      for (const [key, text] of map) expect(text.trim(), `${lang}: ${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of zh) {
      const counterpart = en.get(key) ?? en.get(`${base(key)}_other`);
      expect(counterpart, key).toBeDefined();
      expect(placeholders(text), key).toEqual(placeholders(counterpart!));
    }
    for (const [key, text] of en) {
      if (PLURAL.test(key)) continue;
      expect(placeholders(zh.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('translate every error code in both languages', () => {
    for (const code of ErrorCodeSchema.options) {
      expect(en.get(`errors.${code}`), `en: ${code}`).toBeTruthy();
      expect(zh.get(`errors.${code}`), `zh-CN: ${code}`).toBeTruthy();
      expect(translate('en', `errors.${code}`)).not.toBe(`errors.${code}`);
      expect(translate('zh-CN', `errors.${code}`)).not.toBe(`errors.${code}`);
    }
    // And nothing else lives under errors.
    const codes = new Set<string>(ErrorCodeSchema.options);
    for (const key of en.keys()) if (key.startsWith('errors.')) expect(codes.has(key.slice('errors.'.length)), key).toBe(true);
  });

  it('write Chinese in the zh-CN error texts', () => {
    for (const code of ErrorCodeSchema.options) expect(zh.get(`errors.${code}`), code).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('translate', () => {
  it('interpolates {{x}} placeholders, with or without spaces, every occurrence', () => {
    expect(translate('en', 'errors.E_CSV_RAGGED_ROW', { file: 'a.csv', line: 7, expected: 3, found: 2 })).toBe(
      'a.csv, line 7: expected 3 fields but found 2. Fix the row, choose another delimiter, or import with “skip bad rows”.',
    );
    expect(translate('zh-CN', 'errors.E_CSV_RAGGED_ROW', { file: 'a.csv', line: 7, expected: 3, found: 2 })).toBe(
      'a.csv 第 7 行：应有 3 个字段，实际为 2 个。请修正该行、换用其他分隔符，或选择“跳过错误行”导入。',
    );
    expect(translate('en', 'errors.E_CONFLICT', { reason: '{{x}} $& $1' })).toBe('Conflict: {{x}} $& $1');
  });

  it('leaves unknown placeholders visible and converts values to text', () => {
    expect(translate('en', 'errors.E_INTERNAL')).toBe('Internal error: {{message}}');
    expect(translate('en', 'errors.E_INTERNAL', { message: 0 })).toBe('Internal error: 0');
    expect(translate('en', 'errors.E_INTERNAL', { message: null })).toBe('Internal error: null');
  });

  it('falls back to English, then to the key', () => {
    expect(translate('zh-CN', 'no.such.key')).toBe('no.such.key');
    expect(translate('en', 'errors')).toBe('errors');
    expect(translate('en', 'errors.E_INTERNAL.deeper')).toBe('errors.E_INTERNAL.deeper');
  });

  it('recognises the two languages', () => {
    expect(isLanguage('en')).toBe(true);
    expect(isLanguage('zh-CN')).toBe(true);
    expect(isLanguage('zh')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});
