// The catalog search's text rules: CJK indexed per character and queried as phrases, latin words by prefix,
// highlights that mark what the index matched.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highlight, indexText, matchExpression, queryPieces } from '../../src/main/catalog/search-text.js';

describe('search text', () => {
  it('spaces CJK characters apart and leaves latin words whole', () => {
    expect(indexText('家庭收入 income_2024')).toBe(' 家  庭  收  入  income_2024');
  });

  it('splits a query into CJK runs and latin words, and builds an FTS5 expression', () => {
    expect(queryPieces('客户ID 月度-spend')).toEqual([
      { text: '客户', cjk: true }, { text: 'ID', cjk: false }, { text: '月度', cjk: true }, { text: 'spend', cjk: false },
    ]);
    expect(matchExpression('客户ID "drop')).toBe('"客 户" "ID"* "drop"*');
    expect(matchExpression(' -- ')).toBeNull();
  });

  it('marks latin matches at word starts only, CJK anywhere', () => {
    expect(highlight('hours-per-week', queryPieces('per'))).toEqual([{ text: 'hours-', hit: false }, { text: 'per', hit: true }, { text: '-week', hit: false }]);
    expect(highlight('upper', queryPieces('per'))).toEqual([{ text: 'upper', hit: false }]);
    expect(highlight('零售客户', queryPieces('客户'))).toEqual([{ text: '零售', hit: false }, { text: '客户', hit: true }]);
  });

  it('never loses or reorders text, whatever the query (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, query) => {
        const segments = highlight(text, queryPieces(query));
        expect(segments.map((s) => s.text).join('')).toBe(text);
        for (let i = 1; i < segments.length; i++) expect(segments[i]!.hit).not.toBe(segments[i - 1]!.hit);
      }),
    );
  });
});
