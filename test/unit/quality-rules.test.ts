// Each kind of quality rule passes on good data and fails on bad data, naming its failing rows with short values.
import { describe, expect, it } from 'vitest';
import { checkRule, compileRowPredicate, shortValue } from '../../src/main/core/quality/index.js';
import { columnFromCells } from '../../src/main/core/profile/index.js';
import { RuleSpecSchema, type RuleSpecInput } from '../../src/shared/model/quality.js';

const columns = [
  columnFromCells('age', 'integer', [25, 40, null, 17, 99]),
  columnFromCells('email', 'text', ['a@x.cn', 'b@x.cn', 'not-an-email', 'c@x.cn', 'a@x.cn']),
  columnFromCells('city', 'text', ['北京', '上海', '北京', 'Paris', null]),
  columnFromCells('score', 'text', ['1.5', '2', 'three', '4', '5']),
];
const n = 5;
const check = (spec: RuleSpecInput) => checkRule({ id: 'r', spec: RuleSpecSchema.parse(spec) }, columns, n, compileRowPredicate);

describe('quality rules', () => {
  it('not-null', () => {
    expect(check({ kind: 'not-null', column: 'email' })).toMatchObject({ passed: true, failingRows: 0, passRate: 1 });
    expect(check({ kind: 'not-null', column: 'age' })).toMatchObject({ passed: false, failingRows: 1, checkedRows: 5, samples: [{ row: 3, value: null }], passRate: 0.8 });
  });

  it('unique fails every row of a repeated value, ignoring missing cells', () => {
    expect(check({ kind: 'unique', column: 'age' })).toMatchObject({ passed: true, checkedRows: 4 });
    const r = check({ kind: 'unique', column: 'email' });
    expect(r).toMatchObject({ passed: false, failingRows: 2, samples: [{ row: 1, value: 'a@x.cn' }, { row: 5, value: 'a@x.cn' }] });
  });

  it('in-set, on texts and on numbers', () => {
    expect(check({ kind: 'in-set', column: 'city', values: ['北京', '上海', 'Paris'] })).toMatchObject({ passed: true });
    expect(check({ kind: 'in-set', column: 'city', values: ['北京', '上海'] })).toMatchObject({ passed: false, failingRows: 1, samples: [{ row: 4, value: 'Paris' }] });
    expect(check({ kind: 'in-set', column: 'age', values: ['25', 40, 17, 99] })).toMatchObject({ passed: true });
  });

  it('between, with one or both bounds, and texts that are not numbers fail', () => {
    expect(check({ kind: 'between', column: 'age', min: 0, max: 120 })).toMatchObject({ passed: true });
    expect(check({ kind: 'between', column: 'age', min: 18 })).toMatchObject({ passed: false, failingRows: 1, samples: [{ row: 4, value: '17' }] });
    expect(check({ kind: 'between', column: 'score', max: 10 })).toMatchObject({ passed: false, failingRows: 1, samples: [{ row: 3, value: 'three' }] });
    expect(() => RuleSpecSchema.parse({ kind: 'between', column: 'age' })).toThrow();
  });

  it('matches a regular expression', () => {
    expect(check({ kind: 'matches', column: 'email', pattern: '^[^@]+@[^@]+$' })).toMatchObject({ passed: false, failingRows: 1, samples: [{ row: 3, value: 'not-an-email' }] });
    expect(check({ kind: 'matches', column: 'city', pattern: '\\p{L}+' })).toMatchObject({ passed: true });
  });

  it('type', () => {
    expect(check({ kind: 'type', column: 'age', type: 'integer' })).toMatchObject({ passed: true });
    expect(check({ kind: 'type', column: 'score', type: 'number' })).toMatchObject({ passed: false, failingRows: 1 });
    expect(check({ kind: 'type', column: 'score', type: 'integer' })).toMatchObject({ failingRows: 2 });
    expect(check({ kind: 'type', column: 'city', type: 'text' })).toMatchObject({ passed: true });
  });

  it('row count between', () => {
    expect(check({ kind: 'row-count', min: 5, max: 5 })).toMatchObject({ passed: true, passRate: 1 });
    expect(check({ kind: 'row-count', min: 10 })).toMatchObject({ passed: false, passRate: 0 });
  });

  it('row predicate in the safe expression language (null fails, as SQL WHERE)', () => {
    expect(check({ kind: 'predicate', expression: 'age >= 18 or age is null' })).toMatchObject({ passed: false, failingRows: 1, samples: [{ row: 4 }] });
    expect(check({ kind: 'predicate', expression: 'age < 100' })).toMatchObject({ passed: false, failingRows: 1, samples: [{ row: 3 }] });
    expect(check({ kind: 'predicate', expression: 'length(email) > 3' })).toMatchObject({ passed: true });
    // A bad expression fails the rule with the language's message instead of throwing.
    const bad = check({ kind: 'predicate', expression: 'nope > 1' });
    expect(bad.passed).toBe(false);
    expect(bad.error).toMatch(/nope/);
  });

  it('a rule on a column the version lacks fails with a reason', () => {
    expect(check({ kind: 'not-null', column: 'gone' })).toMatchObject({ passed: false, passRate: 0, error: expect.stringContaining('gone') });
  });

  it('keeps at most five samples and shortens long values', () => {
    const many = [columnFromCells('x', 'text', Array.from({ length: 50 }, (_, i) => `value-number-${i}-of-a-long-text`))];
    const r = checkRule({ id: 'r', spec: { kind: 'matches', column: 'x', pattern: '^short$' } }, many, 50);
    expect(r.failingRows).toBe(50);
    expect(r.samples).toHaveLength(5);
    expect(r.samples[0]).toEqual({ row: 1, value: 'value-…xt' });
    expect(shortValue('短文本')).toBe('短文本');
  });
});
