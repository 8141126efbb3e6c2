// The safe row expression language: parsing, SQL-like evaluation, errors with positions, and fuzzing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileExpression, parseExpression, FUNCTIONS, type ExpressionColumn } from '../../src/main/core/expr/index.js';
import { XinzhiError } from '../../src/shared/model/errors.js';
import { translate } from '../../src/shared/i18n/index.js';

const columns: ExpressionColumn[] = [
  { name: 'age', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'education-num', type: 'integer' },
  { name: '年龄', type: 'integer' },
  { name: 'born', type: 'date' },
  { name: 'vip', type: 'boolean' },
  { name: 'income', type: 'real' },
];
const row = [39, '  Alice ', 13, 40, '1987-06-05', 1, 1234.5];
const nulls = [null, null, null, null, null, null, null];

function ev(source: string, r: unknown[] = row): unknown {
  return compileExpression(source, columns).evaluate(r);
}

function errorOf(fn: () => unknown): XinzhiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof XinzhiError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('expression evaluation', () => {
  it('reads columns by name, backquoted names and Chinese names', () => {
    expect(ev('age')).toBe(39);
    expect(ev('`education-num` + 1')).toBe(14);
    expect(ev('年龄 * 2')).toBe(80);
    expect(ev('`年龄` >= 40')).toBe(true);
    expect(compileExpression('`education-num` > age and 年龄 > 1', columns).columns).toEqual(['education-num', 'age', '年龄']);
  });

  it('follows arithmetic precedence and SQL null rules', () => {
    expect(ev('1 + 2 * 3 - 4 / 2')).toBe(5);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('-age + 1')).toBe(-38);
    expect(ev('7 % 3')).toBe(1);
    expect(ev('-7 % 3')).toBe(-1);
    expect(ev('1 / 0')).toBeNull();
    expect(ev('age + null')).toBeNull();
    expect(ev('age > 30', nulls)).toBeNull();
    expect(ev('1.5e2 + .5')).toBe(150.5);
    expect(ev('\'12\' + 1')).toBe(13);
    expect(ev('\'abc\' + 1')).toBeNull();
  });

  it('compares numbers numerically and text as text; = and == and <> work', () => {
    expect(ev('age = 39')).toBe(true);
    expect(ev('age == 39.0')).toBe(true);
    expect(ev('age <> 39')).toBe(false);
    expect(ev('age != 40')).toBe(true);
    expect(ev('\'b\' > \'a\'')).toBe(true);
    expect(ev('\'10\' > \'9\'')).toBe(false);
    expect(ev('income >= 1234.5 and income < 1234.6')).toBe(true);
  });

  it('uses three-valued logic for and / or / not', () => {
    expect(ev('null and false')).toBe(false);
    expect(ev('null and true')).toBeNull();
    expect(ev('null or true')).toBe(true);
    expect(ev('null or false')).toBeNull();
    expect(ev('not null')).toBeNull();
    expect(ev('not (age > 50)')).toBe(true);
    expect(ev('!(age > 50) && age > 1 || false')).toBe(true);
    expect(ev('vip')).toBe(true);
    expect(ev('vip = true')).toBe(true);
    expect(ev('not vip')).toBe(false);
  });

  it('supports in [...] and is (not) null', () => {
    expect(ev('age in [1, 39, 40]')).toBe(true);
    expect(ev('age not in [1, 39]')).toBe(false);
    expect(ev('trim(name) in [\'Alice\', \'Bob\']')).toBe(true);
    expect(ev('age in []')).toBe(false);
    expect(ev('age in [1]', nulls)).toBeNull();
    expect(ev('age is null', nulls)).toBe(true);
    expect(ev('age IS NOT NULL', nulls)).toBe(false);
    expect(ev('name is not null')).toBe(true);
  });

  it('has the documented functions', () => {
    expect(ev('abs(-3)')).toBe(3);
    expect(ev('round(2.5)')).toBe(3);
    expect(ev('round(-2.5)')).toBe(-3);
    expect(ev('round(income / 7, 2)')).toBe(176.36);
    expect(ev('lower(\'ABC\')')).toBe('abc');
    expect(ev('upper(trim(name))')).toBe('ALICE');
    expect(ev('length(\'数据治理\')')).toBe(4);
    expect(ev('length(name)')).toBe(8);
    expect(ev('coalesce(null, age, 1)')).toBe(39);
    expect(ev('coalesce(age, 0)', nulls)).toBe(0);
    expect(ev('concat(trim(name), \'-\', age, null)')).toBe('Alice-39');
    expect(ev('substr(\'新质工作台\', 3, 2)')).toBe('工作');
    expect(ev('substr(\'abcdef\', 2)')).toBe('bcdef');
    expect(ev('year(born) * 10000 + month(born) * 100 + day(born)')).toBe(19870605);
    expect(ev('year(\'not a date\')')).toBeNull();
    expect(ev('if(age > 30, \'old\', \'young\')')).toBe('old');
    expect(ev('if(age > 30, \'old\', \'young\')', nulls)).toBe('young');
    expect(ev('contains(name, \'lic\')')).toBe(true);
    expect(ev('number(\' 42 \') + 1')).toBe(43);
    expect(ev('text(age)')).toBe('39');
    expect(ev('floor(2.7) + ceil(2.1) + sqrt(16)')).toBe(9);
    expect(ev('IF(true, 1, 2)')).toBe(1);
  });

  it('reads strings with both quote kinds, doubled quotes and escapes', () => {
    expect(ev('"it\'s"')).toBe('it\'s');
    expect(ev('\'it\'\'s\'')).toBe('it\'s');
    expect(ev('\'a\\\'b\'')).toBe('a\'b');
    expect(ev('\'中文\' = "中文"')).toBe(true);
  });

  it('test() keeps only rows whose value is true', () => {
    const f = compileExpression('age > 30', columns);
    expect(f.test(row)).toBe(true);
    expect(f.test(nulls)).toBe(false);
  });
});

describe('expression errors', () => {
  it('names the position and what was expected', () => {
    const e = errorOf(() => parseExpression('age > > 3'));
    expect(e.code).toBe('E_EXPR_SYNTAX');
    expect(e.params).toMatchObject({ position: 7, found: '>' });
    const end = errorOf(() => parseExpression('(age + 1'));
    expect(end.code).toBe('E_EXPR_END');
    expect(end.params).toMatchObject({ position: 9, expected: ')' });
    expect(errorOf(() => parseExpression('')).code).toBe('E_EXPR_END');
    expect(errorOf(() => parseExpression('\'open')).code).toBe('E_EXPR_END');
    expect(errorOf(() => parseExpression('age # 2')).params).toMatchObject({ position: 5, found: '#' });
    expect(errorOf(() => parseExpression('age is 3')).params).toMatchObject({ expected: 'null' });
    expect(errorOf(() => parseExpression('1abc')).code).toBe('E_EXPR_SYNTAX');
  });

  it('checks column names, functions and argument counts at compile time', () => {
    const col = errorOf(() => compileExpression('education-num > 3', columns));
    expect(col.code).toBe('E_EXPR_UNKNOWN_COLUMN');
    expect(col.params).toMatchObject({ column: 'education', position: 1 });
    const fn = errorOf(() => compileExpression('age + exec(1)', columns));
    expect(fn.code).toBe('E_EXPR_UNKNOWN_FUNCTION');
    expect(fn.params).toMatchObject({ name: 'exec', position: 7 });
    const arity = errorOf(() => compileExpression('if(age > 1, 2)', columns));
    expect(arity.code).toBe('E_EXPR_ARGUMENTS');
    expect(arity.params).toMatchObject({ name: 'if', expected: '3', found: 2 });
    // Object.prototype members are not functions of the language.
    expect(errorOf(() => compileExpression('constructor(1)', columns)).code).toBe('E_EXPR_UNKNOWN_FUNCTION');
    expect(errorOf(() => compileExpression('toString()', columns)).code).toBe('E_EXPR_UNKNOWN_FUNCTION');
  });

  it('has zh-CN and en texts for every expression error', () => {
    for (const source of ['age > > 3', '(age', 'nope + 1', 'foo(1)', 'abs(1, 2)']) {
      const e = errorOf(() => compileExpression(source, columns));
      const zh = translate('zh-CN', `errors.${e.code}`, e.params ?? {});
      const en = translate('en', `errors.${e.code}`, e.params ?? {});
      expect(zh).not.toMatch(/\{\{/);
      expect(en).not.toMatch(/\{\{/);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(en).toContain(String(e.params!.position));
    }
  });

  it('refuses deep nesting with its own error instead of overflowing the stack', () => {
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
    expect(errorOf(() => parseExpression(deep)).code).toBe('E_EXPR_SYNTAX');
    expect(errorOf(() => parseExpression('-'.repeat(5000) + '1')).code).toBe('E_EXPR_SYNTAX');
    expect(errorOf(() => parseExpression('not '.repeat(5000) + 'true')).code).toBe('E_EXPR_SYNTAX');
  });
});

describe('expression fuzzing', () => {
  // Cells as a version stores them: a REAL column never holds NaN or an infinity (the importer reads them as text).
  const cellArb = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(null), fc.boolean(), fc.constant('1987-06-05'));
  const rowArb = fc.array(cellArb, { minLength: columns.length, maxLength: columns.length });
  const tokens = [
    'age', '`education-num`', '年龄', 'born', 'vip', 'income', 'name', '1', '0', '2.5', '\'x\'', '"中"', 'null', 'true', 'false',
    '+', '-', '*', '/', '%', '=', '!=', '<', '>=', 'and', 'or', 'not', 'in', 'is', '(', ')', '[', ']', ',',
    ...Object.keys(FUNCTIONS).map((f) => `${f}(`),
  ];

  it('never throws anything but its own errors, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.constantFrom(...tokens), { maxLength: 25 }).map((t) => t.join(' '))), rowArb, (source, r) => {
        let compiled;
        try {
          compiled = compileExpression(source, columns);
        } catch (err) {
          expect(err).toBeInstanceOf(XinzhiError);
          expect((err as XinzhiError).code).toMatch(/^E_EXPR_/);
          return;
        }
        const v = compiled.evaluate(r);
        expect(v === null || ['number', 'string', 'boolean'].includes(typeof v)).toBe(true);
        if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never evaluates JavaScript', () => {
    const g = globalThis as Record<string, unknown>;
    const attacks = [
      'process.exit(1)',
      'globalThis.__pwned = 1',
      '`constructor`',
      'constructor.constructor(\'return process\')()',
      '__proto__',
      'eval(\'1\')',
      'Function(\'g.__pwned=1\')()',
      '\'a\' + require(\'fs\')',
      '${1}',
      '`a` + `b`',
    ];
    for (const source of attacks) {
      try {
        const f = compileExpression(source, [{ name: 'a' }, { name: 'b' }]);
        f.evaluate(['x', 'y']);
      } catch (err) {
        expect(err).toBeInstanceOf(XinzhiError);
      }
    }
    expect(g.__pwned).toBeUndefined();
    // Well-formed numeric expressions agree with arithmetic done here.
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 50 }), (a, b, c) => {
        const f = compileExpression('(a + b) * c - a % c', [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
        expect(f.evaluate([a, b, c])).toBe((a + b) * c - (a % c));
      }),
    );
  });
});
