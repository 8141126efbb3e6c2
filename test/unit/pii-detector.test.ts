// The PII detector's parts: check digits (GB 11643, Luhn, GB 32100), recognisers, masking, spans, column findings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cnResidentIdCheckChar, detectColumn, detectColumns, findSpans, isBankCard, isCnResidentId, isIPv4, isIPv6, isLuhnValid, isUscc, maskSpans, maskValue,
  syntheticChineseTable, usccCheckChar, valueMatches,
} from '../../src/main/core/pii/index.js';

describe('check digits', () => {
  it('GB 11643 resident IDs: the standard example, X check characters, bad dates and digits', () => {
    // The example in GB 11643-1999: 11010519491231002X.
    expect(cnResidentIdCheckChar('11010519491231002')).toBe('X');
    expect(isCnResidentId('11010519491231002X')).toBe(true);
    expect(isCnResidentId('11010519491231002x')).toBe(true);
    expect(isCnResidentId('110105194912310021')).toBe(false); // wrong check character
    expect(isCnResidentId('11010519491331002X')).toBe(false); // month 13
    expect(isCnResidentId('110105194902300028')).toBe(false); // 30 February
    expect(isCnResidentId('110105491231002')).toBe(true); // 15-digit form, born 1949-12-31
    expect(isCnResidentId('110105491232002')).toBe(false);
  });

  it('every synthetic ID passes, and changing any one digit fails it', () => {
    for (const row of syntheticChineseTable(50, 3)) {
      expect(isCnResidentId(row.身份证号)).toBe(true);
      expect(isUscc(row.统一社会信用代码)).toBe(true);
      expect(isBankCard(row.银行卡号)).toBe(true);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 49 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (i, pos, delta) => {
        const id = syntheticChineseTable(50, 3)[i]!.身份证号;
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        // A single changed digit always changes the mod-11 check (weights are non-zero mod 11); the date may fail first.
        expect(isCnResidentId(changed)).toBe(false);
      }),
    );
  });

  it('Luhn: known card numbers pass, a changed digit or a run of one digit fails', () => {
    expect(isLuhnValid('4539148803436467')).toBe(true);
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(isBankCard('4539 1488 0343 6467')).toBe(true);
    expect(isBankCard('4539-1488-0343-6468')).toBe(false);
    expect(isBankCard('0000000000000000')).toBe(false);
    expect(isBankCard('5.54563E+15')).toBe(false);
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{14}$/), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const check = [...Array(10).keys()].find((d) => isLuhnValid(body + d))!;
        const card = body + check;
        expect(isLuhnValid(card)).toBe(true);
        const changed = card.slice(0, pos) + String((Number(card[pos]) + delta) % 10) + card.slice(pos + 1);
        expect(isLuhnValid(changed)).toBe(false);
      }),
    );
  });

  it('GB 32100 unified social credit codes', () => {
    // A published code (国家市场监督管理总局's format example): 91350100M000100Y43.
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(isUscc('91350100M000100Y43')).toBe(true);
    expect(isUscc('91350100M000100Y44')).toBe(false);
    expect(isUscc('91350100M000100I43')).toBe(false); // I is not in the code's alphabet
  });

  it('IP addresses', () => {
    expect(isIPv4('192.168.0.1')).toBe(true);
    expect(isIPv4('256.1.1.1')).toBe(false);
    expect(isIPv4('01.2.3.4')).toBe(false);
    expect(isIPv6('2001:db8::1')).toBe(true);
    expect(isIPv6('::ffff:192.0.2.1')).toBe(true);
    expect(isIPv6('2001:db8::1::2')).toBe(false);
    expect(isIPv6('12:30')).toBe(false);
  });
});

describe('recognisers', () => {
  it.each([
    ['cnMobile', '13812345678', true], ['cnMobile', '+86 138-1234-5678', true], ['cnMobile', '12812345678', false],
    ['cnLandline', '010-62345678', true], ['cnLandline', '0571-8765432', true],
    ['email', 'a.b@example.com.cn', true], ['email', 'a@b', false],
    ['cnLicensePlate', '京A12345', true], ['cnLicensePlate', '粤BD12345', true], ['cnLicensePlate', '京I12345', false],
    ['passport', 'E12345678', true], ['url', 'https://example.com/a?b=1', true],
    ['personName', '张伟', true], ['personName', '欧阳娜娜', true], ['personName', '北京市', false], ['personName', 'John Smith', true],
    ['address', '北京市海淀区中关村大街27号', true], ['address', '1659 Hoog St', true], ['address', 'hello world', false],
  ] as const)('%s %s → %s', (kind, value, expected) => {
    expect(valueMatches(kind, value, false)).toBe(expected);
  });
});

describe('masking', () => {
  it('masks each kind as the UI shows it', () => {
    expect(maskValue('cnMobile', '13812345678')).toBe('138****5678');
    expect(maskValue('personName', '张三')).toBe('张*');
    expect(maskValue('personName', '欧阳娜娜')).toBe('欧***');
    expect(maskValue('email', 'alice@x.com')).toBe('a***@x.com');
    expect(maskValue('cnResidentId', '11010519491231002X')).toBe('110105********002X');
    expect(maskValue('bankCard', '6222 0212 3456 7890')).toBe('6222 **** **** 7890');
    expect(maskValue('ipv4', '10.1.2.3')).toBe('10.1.*.*');
    expect(maskValue('dateOfBirth', '1982-03-29')).toBe('1982-**-**');
    expect(maskValue('personName', 'John Smith')).toBe('J*** S****');
  });

  it('never returns the value itself for a value of two or more characters (property)', () => {
    const kinds = ['cnMobile', 'phone', 'cnResidentId', 'bankCard', 'email', 'personName', 'address', 'url', 'uscc', 'passport', 'cnLicensePlate', 'postalCode', null] as const;
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.string({ minLength: 2, maxLength: 40 }).filter((s) => s.trim().length >= 2 && !/^\*+$/.test(s.trim())), (kind, value) => {
        expect(maskValue(kind, value)).not.toBe(value.trim());
      }),
    );
  });

  it('masks spans in text and leaves the rest readable', () => {
    const text = '请回拨手机13812345678，或发邮件至 bob@example.com。';
    const spans = findSpans(text);
    expect(spans.map((s) => s.kind)).toEqual(['cnMobile', 'email']);
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe('13812345678');
    expect(maskSpans(text, spans)).toBe('请回拨手机138****5678，或发邮件至 b***@example.com。');
  });
});

describe('spans in free text', () => {
  it('finds IDs, cards, IPs, phones and addresses with offsets, without overlaps', () => {
    const text = 'ID 11010519491231002X, card 4539 1488 0343 6467, from 192.168.1.20, call (555) 123-4567, at 1600 Pennsylvania Avenue.';
    const spans = findSpans(text);
    expect(spans.map((s) => [s.kind, text.slice(s.start, s.end)])).toEqual([
      ['cnResidentId', '11010519491231002X'],
      ['bankCard', '4539 1488 0343 6467'],
      ['ipv4', '192.168.1.20'],
      ['phone', '(555) 123-4567'],
      ['address', '1600 Pennsylvania Avenue'],
    ]);
  });

  it('leaves numbers that are no PII alone', () => {
    expect(findSpans('The meeting is on 2024-05-01 at 10:30; we sold 1234 units for 56.78 each.')).toEqual([]);
  });
});

describe('column findings', () => {
  it('a synthetic Chinese table: kinds, roles, confidence and the dataset class', () => {
    const rows = syntheticChineseTable(200, 9);
    const columns = Object.keys(rows[0]!).map((name) => ({ name, values: rows.map((r) => r[name as keyof typeof r]) }));
    const result = detectColumns(columns);
    const byName = Object.fromEntries(result.columns.map((c) => [c.name, c]));
    expect(byName.身份证号).toMatchObject({ kind: 'cnResidentId', role: 'identifying', matchedShare: 1 });
    expect(byName.身份证号!.confidence).toBeGreaterThan(0.95);
    expect(byName.消费金额).toMatchObject({ kind: null, confidence: 0, role: 'insensitive' });
    expect(byName.备注).toMatchObject({ kind: 'cnMobile', freeText: true });
    expect(result.suggestedSensitivity).toBe('restricted');
  });

  it('values alone identify a column whose name says nothing (c1, c2)', () => {
    const rows = syntheticChineseTable(100, 5);
    expect(detectColumn({ name: 'c1', values: rows.map((r) => r.身份证号) }).kind).toBe('cnResidentId');
    expect(detectColumn({ name: 'c2', values: rows.map((r) => r.手机号) }).kind).toBe('cnMobile');
    expect(detectColumn({ name: 'c3', values: rows.map((r) => r.姓名) }).kind).toBe('personName');
    // A date column is a date of birth only when its name says so.
    expect(detectColumn({ name: 'c4', values: rows.map((r) => r.出生日期) }).kind).toBeNull();
    // A category of a few surnames (race: White/Black) is no name column.
    expect(detectColumn({ name: 'race', values: Array.from({ length: 500 }, (_, i) => (i % 2 ? 'White' : 'Black')) }).kind).toBeNull();
  });

  it('sensitivity classes', () => {
    expect(detectColumns([{ name: 'x', values: [1, 2, 3] }]).suggestedSensitivity).toBe('public');
    expect(detectColumns([{ name: 'age', values: [31, 45] }]).suggestedSensitivity).toBe('internal');
    expect(detectColumns([{ name: 'email', values: ['a@b.com', 'c@d.org'] }]).suggestedSensitivity).toBe('confidential');
  });
});
