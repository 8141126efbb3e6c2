// Encoding detection (BOMs, UTF-16 without BOM, UTF-8, GB18030, binaries) and delimiter/header sniffing.
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { bomLengthFor, detectEncoding } from '../../src/main/ingest/encoding.js';
import { sniffDelimiter, sniffHeader, uniqueColumnNames } from '../../src/main/ingest/sniff.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

const CSV_ZH = '姓名,城市,年龄,备注\n张三,北京,30,工程师\n李四,上海,25,“设计师”\n王五,广州,41,经理\n';
const CSV_EN = 'name,city,age\nAnn,Paris,30\nBob,Oslo,25\n';

const bytes = (text: string, encoding: string) => new Uint8Array(iconv.encode(text, encoding));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function detectError(sample: Uint8Array, complete = true): XinzhiError {
  try {
    detectEncoding(sample, complete, 'data.bin');
  } catch (err) {
    expect(err).toBeInstanceOf(XinzhiError);
    return err as XinzhiError;
  }
  throw new Error('expected an error');
}

describe('detectEncoding', () => {
  it('recognises byte-order marks and their lengths', () => {
    expect(detectEncoding(concat(new Uint8Array([0xef, 0xbb, 0xbf]), bytes(CSV_ZH, 'utf-8')), true, 'f')).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(concat(new Uint8Array([0xff, 0xfe]), bytes(CSV_ZH, 'utf-16le')), true, 'f')).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(concat(new Uint8Array([0xfe, 0xff]), bytes(CSV_ZH, 'utf-16be')), true, 'f')).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    // A BOM alone (an "empty" UTF-8 file saved by Excel) is still UTF-8.
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf]), true, 'f')).toEqual({ encoding: 'utf-8', bomLength: 3 });
  });

  it('recognises UTF-16 LE and BE without a BOM', () => {
    for (const text of [CSV_EN, CSV_ZH]) {
      expect(detectEncoding(bytes(text, 'utf-16le'), true, 'f')).toEqual({ encoding: 'utf-16le', bomLength: 0 });
      expect(detectEncoding(bytes(text, 'utf-16be'), true, 'f')).toEqual({ encoding: 'utf-16be', bomLength: 0 });
    }
    // Tiny files too.
    expect(detectEncoding(bytes('a\n', 'utf-16le'), true, 'f').encoding).toBe('utf-16le');
    expect(detectEncoding(bytes('a\n', 'utf-16be'), true, 'f').encoding).toBe('utf-16be');
  });

  it('reads plain ASCII and UTF-8 as UTF-8', () => {
    expect(detectEncoding(bytes(CSV_EN, 'utf-8'), true, 'f')).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(bytes(CSV_ZH, 'utf-8'), true, 'f')).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(new Uint8Array(0), true, 'f').encoding).toBe('utf-8');
  });

  it('accepts a UTF-8 sample cut inside a character when the file goes on', () => {
    const utf8 = bytes(CSV_ZH, 'utf-8');
    // '姓' is 3 bytes: cut after 1 and 2 of them.
    for (const cut of [1, 2, 4, 5]) expect(detectEncoding(utf8.subarray(0, cut), false, 'f').encoding).toBe('utf-8');
  });

  it('reads GBK bytes as GB18030', () => {
    const gbk = bytes(CSV_ZH, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(detectEncoding(gbk, true, 'f')).toEqual({ encoding: 'gb18030', bomLength: 0 });
    // And the detected decoder gives back the text.
    expect(new TextDecoder('gb18030').decode(gbk)).toBe(CSV_ZH);
    // A sample cut inside a two-byte character, more to come.
    expect(detectEncoding(gbk.subarray(0, 3), false, 'f').encoding).toBe('gb18030');
    expect(detectEncoding(bytes('id,name\n1,中文名称\n', 'gb18030'), true, 'f').encoding).toBe('gb18030');
  });

  it('refuses binary files with E_FILE_BINARY', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    const sqlite = concat(Buffer.from('SQLite format 3\0'), new Uint8Array(200));
    const ramp = new Uint8Array(1024).map((_, i) => i % 256);
    const controls = new Uint8Array(400).map((_, i) => (i % 10 === 0 ? 0x02 : 0x41));
    for (const sample of [png, sqlite, ramp, controls]) {
      const err = detectError(sample);
      expect(err.code).toBe('E_FILE_BINARY');
      expect(err.params).toMatchObject({ file: 'data.bin' });
    }
  });

  it('does not call a long text with one stray NUL binary (the parser reports its line)', () => {
    const text = bytes(`${'a,b\n'.repeat(300)}c,\0\n`, 'utf-8');
    expect(detectEncoding(text, true, 'f').encoding).toBe('utf-8');
    // Short files too.
    expect(detectEncoding(bytes('a,b\n1,2\n3,4\0\n', 'utf-8'), true, 'f').encoding).toBe('utf-8');
  });

  it('bomLengthFor skips a BOM only of the named encoding', () => {
    const utf8Bom = concat(new Uint8Array([0xef, 0xbb, 0xbf]), bytes('a', 'utf-8'));
    expect(bomLengthFor(utf8Bom, 'utf-8')).toBe(3);
    expect(bomLengthFor(utf8Bom, 'gb18030')).toBe(0);
    expect(bomLengthFor(new Uint8Array([0xff, 0xfe, 0x61, 0]), 'utf-16le')).toBe(2);
    expect(bomLengthFor(new Uint8Array([0xff, 0xfe, 0x61, 0]), 'utf-16be')).toBe(0);
    expect(bomLengthFor(bytes('abc', 'utf-8'), 'utf-8')).toBe(0);
  });
});

describe('sniffDelimiter', () => {
  it('picks the delimiter that splits every record the same way', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n4,5,6\n')).toBe(',');
    expect(sniffDelimiter('a;b;c\n1;2;3\n4;5;6\n')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(sniffDelimiter('a|b|c\n1|2|3\n')).toBe('|');
  });

  it('is not fooled by a delimiter that appears inside values', () => {
    // Semicolon files with decimal commas (European Excel).
    expect(sniffDelimiter('name;price;qty\nA;1,5;2\nB;2,25;3\nC;3;4\n')).toBe(';');
    // Commas in quoted fields of a semicolon file.
    expect(sniffDelimiter('"Doe, John";30\n"Roe, Jane";40\n"Poe, Edgar";50\n')).toBe(';');
    // Tabs in a comma file where only one row has a tab.
    expect(sniffDelimiter('a,b,c\n1,x\ty,3\n4,5,6\n7,8,9\n')).toBe(',');
    // Pipes with free text holding commas.
    expect(sniffDelimiter('id|note\n1|hello, world\n2|a, b, c\n3|none\n')).toBe('|');
  });

  it('ignores a last line cut in the middle of the sample', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3\n4;5;6\n7;8,9,1,2,3,4')).toBe(';');
  });

  it('falls back to a comma for a single-column file', () => {
    expect(sniffDelimiter('name\nAnn\nBob\n')).toBe(',');
    expect(sniffDelimiter('')).toBe(',');
  });
});

describe('sniffHeader', () => {
  it('sees a header above typed data', () => {
    expect(sniffHeader([['id', 'amount'], ['1', '2.5'], ['2', '3']])).toBe(true);
    expect(sniffHeader([['date', 'value'], ['2024-01-01', '5']])).toBe(true);
    // A numeric-looking name above text is still a header.
    expect(sniffHeader([['2023', 'name'], ['abc', 'x'], ['def', 'y']])).toBe(true);
  });

  it('sees data when a first-row cell has the type of its column', () => {
    expect(sniffHeader([['1', '2'], ['3', '4'], ['5', '6']])).toBe(false);
    expect(sniffHeader([['1', '2.5'], ['3', '4.5']])).toBe(false);
    expect(sniffHeader([['x', '7'], ['y', '8.5']])).toBe(false);
    expect(sniffHeader([['2024-01-01', 'a'], ['2024-01-02', 'b']])).toBe(false);
    expect(sniffHeader([['true', 'a'], ['false', 'b']])).toBe(false);
  });

  it('treats an all-text table, or a single record, as having a header', () => {
    expect(sniffHeader([['name', 'city'], ['Ann', 'Paris']])).toBe(true);
    expect(sniffHeader([['1', '2']])).toBe(true);
    expect(sniffHeader([])).toBe(true);
  });

  it('ignores missing values when comparing types', () => {
    expect(sniffHeader([['NA', '1'], ['x', 'NA'], ['y', '3']])).toBe(false);
    expect(sniffHeader([['id', 'v'], ['NA', ''], ['2', '3']])).toBe(true);
  });
});

describe('uniqueColumnNames', () => {
  it('names empty columns column_<i> (1-based position)', () => {
    expect(uniqueColumnNames(['', 'b', '  '])).toEqual(['column_1', 'b', 'column_3']);
  });

  it('trims names and makes duplicates unique case-insensitively', () => {
    expect(uniqueColumnNames([' a ', 'A', 'a', 'B', 'b'])).toEqual(['a', 'A_2', 'a_3', 'B', 'b_2']);
    expect(uniqueColumnNames(['x_2', 'x', 'x'])).toEqual(['x_2', 'x', 'x_3']);
    expect(uniqueColumnNames(['column_2', ''])).toEqual(['column_2', 'column_2_2']);
  });

  it('keeps reserved names free', () => {
    expect(uniqueColumnNames(['__row', '__ROW', 'id'], ['__row'])).toEqual(['__row_2', '__ROW_3', 'id']);
    expect(uniqueColumnNames(['', ''], ['__row'])).toEqual(['column_1', 'column_2']);
  });

  it('always returns distinct names, case-insensitively, in the same order', () => {
    const input = ['Name', 'name', '', 'NAME_2', 'name', ' ', 'column_3', 'Column_3'];
    const out = uniqueColumnNames(input);
    expect(out).toHaveLength(input.length);
    expect(new Set(out.map((n) => n.toLowerCase())).size).toBe(out.length);
    expect(out.every((n) => n.trim() === n && n !== '')).toBe(true);
  });
});
