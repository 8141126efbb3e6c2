// Column type inference and conversion: integers vs identifiers, reals, dates, booleans, widening, NA tokens.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import {
  classify,
  convert,
  DEFAULT_NA_VALUES,
  naMatcher,
  parseBoolean,
  parseDate,
  parseDatetime,
  parseInteger,
  parseReal,
  parseRealSpan,
  parseIntegerSpan,
  sqliteType,
  widen,
} from '../../src/main/ingest/column-types.js';
import type { ColumnType } from '../../src/shared/model/catalog.js';

const TYPES: readonly ColumnType[] = ['integer', 'real', 'boolean', 'date', 'datetime', 'text'];

describe('parseInteger', () => {
  it('parses plain decimal integers with an optional sign', () => {
    expect(parseInteger('0')).toBe(0);
    expect(parseInteger('7')).toBe(7);
    expect(parseInteger('-42')).toBe(-42);
    expect(parseInteger('+42')).toBe(42);
    expect(parseInteger('123456789012345')).toBe(123456789012345);
    expect(parseInteger('-999999999999999')).toBe(-999999999999999);
  });

  it('rejects leading zeros, so postcodes and codes stay text', () => {
    for (const s of ['00', '007', '0123', '-01', '+00', '010000']) expect(parseInteger(s), s).toBeNaN();
  });

  it('rejects more than 15 digits (ID and bank card numbers)', () => {
    expect(parseInteger('1234567890123456')).toBeNaN();
    expect(parseInteger('110101199003077777')).toBeNaN();
    expect(parseInteger('6222020200112233445')).toBeNaN();
    expect(parseInteger('-1234567890123456')).toBeNaN();
  });

  it('rejects anything that is not only digits', () => {
    for (const s of ['', '-', '+', '1.0', '1e3', ' 1', '1 ', '1,000', '0x10', '١٢', '--1', '+-1', 'NaN', 'Infinity', '1_000']) {
      expect(parseInteger(s), JSON.stringify(s)).toBeNaN();
    }
  });

  it('agrees with a reference definition on random digit strings', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 0, maxLength: 18 }), (sign, digits) => {
        const s = sign + digits;
        const ok = digits.length >= 1 && digits.length <= 15 && !(digits.length > 1 && digits[0] === '0');
        if (ok) expect(parseInteger(s)).toBe(Number(s));
        else expect(parseInteger(s)).toBeNaN();
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseReal', () => {
  it('parses decimals and exponents', () => {
    expect(parseReal('1.5')).toBe(1.5);
    expect(parseReal('-0.25')).toBe(-0.25);
    expect(parseReal('+.5')).toBe(0.5);
    expect(parseReal('.5')).toBe(0.5);
    expect(parseReal('5.')).toBe(5);
    expect(parseReal('0.0')).toBe(0);
    expect(parseReal('1e3')).toBe(1000);
    expect(parseReal('2.5E-3')).toBe(0.0025);
    expect(parseReal('0e0')).toBe(0);
  });

  it('rejects non-numbers, leading zeros and overflow', () => {
    for (const s of ['', '.', '-', 'e5', '1e', '1e+', '1.2.3', '1,5', 'NaN', 'nan', 'Infinity', '-Infinity', '0x1p3', ' 1.5', '1.5 ', '007.5', '00.5', '1e400', '--1.5', '1.5f']) {
      expect(parseReal(s), JSON.stringify(s)).toBeNaN();
    }
  });

  it('does not read long digit strings (ID numbers) as reals: they would lose digits', () => {
    expect(parseReal('110101199003077777')).toBeNaN();
    expect(parseReal('6222020200112233445')).toBeNaN();
    expect(classify('110101199003077777')).toBe('text');
    expect(classify('1234567890123456')).toBe('text');
    // Still reals when written as decimals.
    expect(parseReal('1234567890123456.5')).toBe(1234567890123456.5);
  });

  it('agrees with Number() on generated decimal strings', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom('0', '1', '2', '7', '9'), minLength: min, maxLength: max });
    fc.assert(
      fc.property(fc.constantFrom('', '-'), fc.stringMatching(/^[1-9]$/), digits(0, 6), digits(1, 6), fc.option(fc.integer({ min: -20, max: 20 })), (sign, lead, intRest, frac, exp) => {
        const s = `${sign}${lead}${intRest}.${frac}${exp === null ? '' : `e${exp}`}`;
        expect(parseReal(s)).toBe(Number(s));
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseDate / parseDatetime', () => {
  it('accepts valid dates and returns them in canonical ISO form', () => {
    expect(parseDate('2024-01-05')).toBe('2024-01-05');
    expect(parseDate('2024/1/5')).toBe('2024-01-05');
    expect(parseDate('2024-1-05')).toBe('2024-01-05');
    expect(parseDate('1999/12/31')).toBe('1999-12-31');
  });

  it('knows month lengths and leap years', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate('2000-02-29')).toBe('2000-02-29');
    expect(parseDate('2000/2/29')).toBe('2000-02-29');
    expect(parseDate('2023-02-29')).toBeNull();
    expect(parseDate('1900-02-29')).toBeNull();
    expect(parseDate('2100/2/29')).toBeNull();
    expect(parseDate('2024-02-30')).toBeNull();
    expect(parseDate('2024-04-31')).toBeNull();
    expect(parseDate('2024-04-30')).toBe('2024-04-30');
    expect(parseDate('2024-12-31')).toBe('2024-12-31');
  });

  it('rejects invalid dates and other shapes', () => {
    for (const s of ['2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32', '24-01-05', '2024-01', '20240105', '2024-01-05 ', 'x024-01-05', '2024-0a-05', '2024-01-05T10:00', '05/01/2024', '']) {
      expect(parseDate(s), JSON.stringify(s)).toBeNull();
    }
  });

  it('matches the calendar of Date for every day of random years', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 2999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d));
        const valid = real.getUTCMonth() === m - 1 && real.getUTCDate() === d;
        expect(parseDate(iso)).toBe(valid ? iso : null);
        expect(parseDate(`${y}/${m}/${d}`)).toBe(valid ? iso : null);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts datetimes and normalises them to "YYYY-MM-DD HH:MM[:SS…]"', () => {
    expect(parseDatetime('2024-01-05 10:30')).toBe('2024-01-05 10:30');
    expect(parseDatetime('2024-01-05T10:30:15')).toBe('2024-01-05 10:30:15');
    expect(parseDatetime('2024/1/5 10:30:15.250')).toBe('2024-01-05 10:30:15.250');
    expect(parseDatetime('2024-01-05T9:30')).toBe('2024-01-05 09:30');
    expect(parseDatetime('2024-01-05 23:59:59Z')).toBe('2024-01-05 23:59:59Z');
    expect(parseDatetime('2024-01-05 08:00:00+08:00')).toBe('2024-01-05 08:00:00+08:00');
  });

  it('pads a one-digit hour also when seconds follow (SQLite needs HH)', () => {
    expect(parseDatetime('2024-01-05T9:30:00')).toBe('2024-01-05 09:30:00');
    expect(parseDatetime('2024-1-5 7:05:09.5')).toBe('2024-01-05 07:05:09.5');
  });

  it('normalises a ±HHMM offset to ±HH:MM', () => {
    expect(parseDatetime('2024-01-05T08:00:00+0800')).toBe('2024-01-05 08:00:00+08:00');
    expect(parseDatetime('2024-01-05 8:00-0530')).toBe('2024-01-05 08:00-05:30');
  });

  describe('output that SQLite reads', () => {
    const db = new Database(':memory:');
    afterAll(() => db.close());
    const sqliteDatetime = db.prepare<[string], { d: string | null }>('SELECT datetime(?) AS d');

    it('every accepted datetime is read by SQLite as the same instant', () => {
      const two = (n: number) => String(n).padStart(2, '0');
      fc.assert(
        fc.property(
          fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }),
          fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom('T', ' '), fc.constantFrom('-', '/'),
          fc.constantFrom('', 'Z', '+08:00', '+0800', '-0530'),
          (date, padMonth, padHour, withSeconds, sep, dateSep, zone) => {
            const y = date.getUTCFullYear();
            const mo = date.getUTCMonth() + 1;
            const d = date.getUTCDate();
            const h = date.getUTCHours();
            const mi = date.getUTCMinutes();
            const sec = date.getUTCSeconds();
            const raw = `${y}${dateSep}${padMonth ? two(mo) : mo}${dateSep}${padMonth ? two(d) : d}${sep}${padHour ? two(h) : h}:${two(mi)}${withSeconds ? `:${two(sec)}` : ''}${zone}`;
            const out = parseDatetime(raw);
            expect(out, raw).not.toBeNull();
            const read = sqliteDatetime.get(out!)?.d ?? null;
            expect(read, `${raw} → ${out}`).not.toBeNull();
            if (zone === '' || zone === 'Z') expect(read).toBe(`${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${withSeconds ? two(sec) : '00'}`);
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  it('rejects invalid datetimes', () => {
    for (const s of ['2024-01-05', '2024-02-30 10:00', '2023-02-29T00:00', '2024-01-05 24:00', '2024-01-05 10:60', '2024-01-05 10:30:61', '2024-01-05 10', '2024-01-05 10:3', '2024-01-05  10:30', '10:30', '']) {
      expect(parseDatetime(s), JSON.stringify(s)).toBeNull();
    }
  });
});

describe('parseBoolean', () => {
  it('reads true/false and yes/no words in three casings', () => {
    for (const s of ['true', 'True', 'TRUE', 'yes', 'Yes', 'YES']) expect(parseBoolean(s), s).toBe(1);
    for (const s of ['false', 'False', 'FALSE', 'no', 'No', 'NO']) expect(parseBoolean(s), s).toBe(0);
    for (const s of ['tRUE', 'y', 'n', 't', 'f', '1', '0', '', ' true', '是', '否']) expect(parseBoolean(s), s).toBeNull();
  });
});

describe('classify / widen / convert', () => {
  it('classifies to the narrowest type', () => {
    expect(classify('42')).toBe('integer');
    expect(classify('-7')).toBe('integer');
    expect(classify('4.2')).toBe('real');
    expect(classify('1e5')).toBe('real');
    expect(classify('007')).toBe('text');
    expect(classify('13800138000')).toBe('integer');
    expect(classify('yes')).toBe('boolean');
    expect(classify('FALSE')).toBe('boolean');
    expect(classify('2024-01-05')).toBe('date');
    expect(classify('2024/1/5')).toBe('date');
    expect(classify('2024-01-05 10:00')).toBe('datetime');
    expect(classify('2024-02-30')).toBe('text');
    expect(classify('hello')).toBe('text');
    expect(classify('')).toBe('text');
  });

  it('widens to the narrowest common type', () => {
    expect(widen(null, 'integer')).toBe('integer');
    expect(widen(null, 'text')).toBe('text');
    for (const t of TYPES) expect(widen(t, t)).toBe(t);
    expect(widen('integer', 'real')).toBe('real');
    expect(widen('real', 'integer')).toBe('real');
    expect(widen('date', 'datetime')).toBe('datetime');
    expect(widen('datetime', 'date')).toBe('datetime');
    expect(widen('integer', 'boolean')).toBe('text');
    expect(widen('real', 'date')).toBe('text');
    expect(widen('boolean', 'date')).toBe('text');
    expect(widen('text', 'integer')).toBe('text');
    expect(widen('integer', 'text')).toBe('text');
  });

  it('widen is commutative and associative', () => {
    const t = fc.constantFrom(...TYPES);
    fc.assert(
      fc.property(t, t, t, (a, b, c) => {
        expect(widen(a, b)).toBe(widen(b, a));
        expect(widen(widen(a, b), c)).toBe(widen(a, widen(b, c)));
      }),
    );
  });

  it('converts values to their stored form', () => {
    expect(convert('42', 'integer')).toBe(42);
    expect(convert('4.5', 'integer')).toBeUndefined();
    expect(convert('42', 'real')).toBe(42);
    expect(convert('4.5', 'real')).toBe(4.5);
    expect(convert('abc', 'real')).toBeUndefined();
    expect(convert('Yes', 'boolean')).toBe(1);
    expect(convert('no', 'boolean')).toBe(0);
    expect(convert('1', 'boolean')).toBeUndefined();
    expect(convert('2024/2/29', 'date')).toBe('2024-02-29');
    expect(convert('2023/2/29', 'date')).toBeUndefined();
    expect(convert('2024/2/3 4:05', 'datetime')).toBe('2024-02-03 04:05');
    expect(convert('2024/2/3', 'datetime')).toBe('2024-02-03');
    expect(convert(' anything ', 'text')).toBe(' anything ');
    expect(convert('', 'text')).toBe('');
  });

  it('every value converts under its own class and under any widening of it', () => {
    const value = fc.oneof(
      fc.integer({ min: -1e9, max: 1e9 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map(String),
      fc.constantFrom('yes', 'No', 'TRUE', 'false', '007', '110101199003077777', '2024-02-29', '2023/2/28', '2024-01-05 9:30', '2024-01-05T09:30:00Z', 'N/A', ''),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(value, value, (a, b) => {
        const ta = classify(a);
        expect(convert(a, ta)).not.toBeUndefined();
        const w = widen(ta, classify(b));
        expect(convert(a, w)).not.toBeUndefined();
        expect(convert(b, w)).not.toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('maps column types to STRICT SQLite types', () => {
    expect(sqliteType('integer')).toBe('INTEGER');
    expect(sqliteType('boolean')).toBe('INTEGER');
    expect(sqliteType('real')).toBe('REAL');
    expect(sqliteType('date')).toBe('TEXT');
    expect(sqliteType('datetime')).toBe('TEXT');
    expect(sqliteType('text')).toBe('TEXT');
  });
});

describe('naMatcher', () => {
  it("matches pandas' default NA tokens", () => {
    const isNa = naMatcher(DEFAULT_NA_VALUES);
    for (const t of ['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']) {
      expect(isNa(t), t).toBe(true);
    }
    for (const v of ['na', 'Null', 'none', ' ', 'NA ', 'N', '0', '-', 'NaNa', 'n/a/', '#N/A N/A ']) expect(isNa(v), v).toBe(false);
  });

  it('adds custom tokens, and matches nothing when given none', () => {
    const isNa = naMatcher([...DEFAULT_NA_VALUES, '?', '-999', '缺失']);
    expect(isNa('?')).toBe(true);
    expect(isNa('-999')).toBe(true);
    expect(isNa('缺失')).toBe(true);
    expect(isNa('-99')).toBe(false);
    expect(isNa('NA')).toBe(true);
    const none = naMatcher([]);
    expect(none('')).toBe(false);
    expect(none('NA')).toBe(false);
  });

  it('agrees with Set membership for random tokens and values', () => {
    const chars = fc.constantFrom('a', 'A', 'N', '/', '#', '.', '-', ' ', '中', '\uD83D', '\uDE00', '😀', '');
    const str = fc.oneof(fc.string({ unit: chars, maxLength: 5 }), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(str, { maxLength: 8 }), fc.array(str, { maxLength: 12 }), fc.boolean(), (tokens, others, withDefaults) => {
        const all = withDefaults ? [...DEFAULT_NA_VALUES, ...tokens] : tokens;
        const isNa = naMatcher(all);
        const set = new Set(all);
        const wrong = [...all, ...others, ...DEFAULT_NA_VALUES].filter((v) => isNa(v) !== set.has(v));
        expect(wrong).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('in-place (span) conversion used by the import', () => {
  // Numeric-looking strings, embedded in other text, so the span bounds matter.
  const numberish = fc.oneof(
    fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '7', '9', '.', '-', '+', 'e', 'E', 'x', ' '), maxLength: 24 }),
    fc.double({ noNaN: true }).map(String),
    fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 999_999 })).map(([a, b]) => `${a}.${b}`),
    fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
  );

  it('parseRealSpan and parseIntegerSpan agree with the string functions, bit for bit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3 }), numberish, fc.string({ maxLength: 3 }), (before, s, after) => {
        const text = `${before}${s}${after}`;
        const start = before.length;
        const end = start + s.length;
        expect(Object.is(parseIntegerSpan(text, start, end), parseInteger(s))).toBe(true);
        expect(Object.is(parseRealSpan(text, start, end), parseReal(s))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('computes plain decimals exactly like Number()', () => {
    for (const s of ['0.1', '298.1', '-0.5', '.25', '5.', '123456789012.345', '0.000000000000001', '-0.0', '99999999999999.9']) {
      expect(Object.is(parseRealSpan(s, 0, s.length), Number(s)), s).toBe(true);
    }
    expect(parseRealSpan('007.5', 0, 5)).toBeNaN();
    expect(parseRealSpan('.', 0, 1)).toBeNaN();
    expect(parseRealSpan('12', 0, 2)).toBeNaN();
  });
});
