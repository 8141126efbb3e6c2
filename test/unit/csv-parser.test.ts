// DelimitedParser: RFC 4180 records, physical line numbers, errors with lines, and chunk-split independence.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DelimitedParser } from '../../src/main/ingest/csv-parser.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

interface Rec {
  fields: string[];
  line: number;
}

/** Parses `chunks` in order (the last one final) and returns every record with its line. */
function parseChunks(chunks: readonly string[], delimiter = ',', maxFieldChars = 1 << 20): Rec[] {
  const parser = new DelimitedParser(delimiter, 'test.csv', maxFieldChars);
  const out: Rec[] = [];
  const sink = (fields: string[], line: number) => out.push({ fields: [...fields], line });
  chunks.forEach((chunk, i) => parser.push(chunk, i === chunks.length - 1, sink));
  return out;
}

const parse = (text: string, delimiter = ',', maxFieldChars = 1 << 20) => parseChunks([text], delimiter, maxFieldChars);

/** Every split of `text` into two chunks plus a final empty push, and one char at a time. */
function allSplits(text: string): string[][] {
  const splits: string[][] = [];
  for (let i = 0; i <= text.length; i++) splits.push([text.slice(0, i), text.slice(i), '']);
  splits.push([...text].map((c) => c).concat(''));
  // Code unit by code unit too (splits surrogate pairs).
  splits.push(Array.from({ length: text.length }, (_, i) => text[i]!).concat(''));
  return splits;
}

function catchError(fn: () => unknown): XinzhiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(XinzhiError);
    return err as XinzhiError;
  }
  throw new Error('expected an error');
}

describe('DelimitedParser: records', () => {
  it('splits plain records and reports 1-based lines', () => {
    expect(parse('a,b,c\n1,2,3\n4,5,6\n')).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '2', '3'], line: 2 },
      { fields: ['4', '5', '6'], line: 3 },
    ]);
  });

  it('parses the last record without a trailing newline', () => {
    expect(parse('a,b\n1,2')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parse(',\na,,\n,,b\n').map((r) => r.fields)).toEqual([['', ''], ['a', '', ''], ['', '', 'b']]);
    expect(parse('"x",\n').map((r) => r.fields)).toEqual([['x', '']]);
    expect(parse('"x",').map((r) => r.fields)).toEqual([['x', '']]);
  });

  it('strips CRLF line endings but keeps a CR inside a field', () => {
    expect(parse('a,b\r\n1,2\r\n')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
    expect(parse('a,b\r\n1,2\r')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
    expect(parse('a\rb,c\r\n').map((r) => r.fields)).toEqual([['a\rb', 'c']]);
    // A CR ending the file ends the record, after a quoted field as after a plain one.
    expect(parse('a,"b"\r').map((r) => r.fields)).toEqual([['a', 'b']]);
    expect(parse('x\n"a"\r').map((r) => r.fields)).toEqual([['x'], ['a']]);
    for (const chunks of allSplits('a,"b"\r')) expect(parseChunks(chunks).map((r) => r.fields)).toEqual([['a', 'b']]);
  });

  it('reads quoted fields with embedded delimiters and doubled quotes', () => {
    expect(parse('"a,b","say ""hi""",c\n').map((r) => r.fields)).toEqual([['a,b', 'say "hi"', 'c']]);
    expect(parse('"","""",""""""\n').map((r) => r.fields)).toEqual([['', '"', '""']]);
    expect(parse('x,"a;b"\n', ';').map((r) => r.fields)).toEqual([['x,"a', 'b"']]);
    expect(parse('x;"a;b"\n', ';').map((r) => r.fields)).toEqual([['x', 'a;b']]);
  });

  it('reads quoted fields with embedded LF and CRLF, and counts their lines', () => {
    const text = 'id,note\n1,"line one\nline two"\n2,"crlf\r\ninside"\r\n3,"a\n\nb\n"\n4,end\n';
    expect(parse(text)).toEqual([
      { fields: ['id', 'note'], line: 1 },
      { fields: ['1', 'line one\nline two'], line: 2 },
      { fields: ['2', 'crlf\r\ninside'], line: 4 },
      { fields: ['3', 'a\n\nb\n'], line: 6 },
      { fields: ['4', 'end'], line: 10 },
    ]);
  });

  it('skips blank lines (LF and CRLF) but still counts them', () => {
    expect(parse('a,b\n\n1,2\r\n\r\n\n3,4\n\n')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 3 },
      { fields: ['3', '4'], line: 6 },
    ]);
  });

  it('uses the given delimiter (tab, pipe, semicolon)', () => {
    expect(parse('a\tb,c\n', '\t').map((r) => r.fields)).toEqual([['a', 'b,c']]);
    expect(parse('a|"b|c"|d\n', '|').map((r) => r.fields)).toEqual([['a', 'b|c', 'd']]);
    expect(parse('1;2,5\n', ';').map((r) => r.fields)).toEqual([['1', '2,5']]);
  });

  it('keeps text between a closing quote and the delimiter (lenient)', () => {
    expect(parse('"ab"c,d\n').map((r) => r.fields)).toEqual([['abc', 'd']]);
  });

  it('gives the same records for every two-chunk split and char-by-char feeding', () => {
    const text = 'h1,h2\r\n"a,""b""\r\nc",d\r\n\r\n"",x\n"end"\r\n';
    const expected = parse(text);
    expect(expected).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      { fields: ['a,"b"\r\nc', 'd'], line: 2 },
      { fields: ['', 'x'], line: 5 },
      { fields: ['end'], line: 6 },
    ]);
    for (const chunks of allSplits(text)) expect(parseChunks(chunks)).toEqual(expected);
  });

  it('exposes the line where the next record starts', () => {
    const parser = new DelimitedParser(',', 't', 100);
    parser.push('a\n"b\nc"\n', false, () => {});
    expect(parser.currentLine).toBe(4);
  });
});

describe('DelimitedParser: errors', () => {
  it('reports an unclosed quote with the line where the quote opened', () => {
    const err = catchError(() => parse('a,b\n1,2\n3,"never closed\n4,5\n6,7\n'));
    expect(err.code).toBe('E_CSV_UNCLOSED_QUOTE');
    expect(err.params).toMatchObject({ file: 'test.csv', line: 3 });
  });

  it('reports an unclosed quote opened on a later line of a multi-line record', () => {
    // The record starts on line 2; its first field spans lines 2–3; the unclosed quote opens on line 3.
    const err = catchError(() => parse('a,b,c\n"x\ny","open\nmore\n'));
    expect(err.code).toBe('E_CSV_UNCLOSED_QUOTE');
    expect(err.params?.line).toBe(3);
  });

  it('reports an unclosed quote however the text is chunked', () => {
    const text = 'a,b\n1,2\n\n3,"open\n4,5\n';
    for (const chunks of allSplits(text)) {
      const err = catchError(() => parseChunks(chunks));
      expect(err.code).toBe('E_CSV_UNCLOSED_QUOTE');
      expect(err.params?.line).toBe(4);
    }
  });

  it('reports a NUL byte with its line, also when it arrives in a later chunk', () => {
    const err = catchError(() => parse('a,b\n1,2\n3,x\0y\n'));
    expect(err.code).toBe('E_CSV_NUL_BYTE');
    expect(err.params?.line).toBe(3);
    const text = 'a,b\n"multi\nline",2\n\n3,\0\n';
    for (const chunks of allSplits(text)) {
      const e = catchError(() => parseChunks(chunks));
      expect(e.code).toBe('E_CSV_NUL_BYTE');
      expect(e.params?.line).toBe(5);
    }
  });

  it('reports a field larger than the limit with line and column', () => {
    const big = 'x'.repeat(11);
    const unquoted = catchError(() => parse(`a,b\n1,2\n3,${big}\n`, ',', 10));
    expect(unquoted.code).toBe('E_FIELD_TOO_LARGE');
    expect(unquoted.params).toMatchObject({ line: 3, column: 2 });
    const quoted = catchError(() => parse(`a,b\n"1\n",2\n3,"${big}"\n`, ',', 10));
    expect(quoted.code).toBe('E_FIELD_TOO_LARGE');
    expect(quoted.params).toMatchObject({ line: 4, column: 2 });
  });

  it('accepts a field exactly at the limit', () => {
    const ten = 'y'.repeat(10);
    expect(parse(`${ten},"${ten}"\n`, ',', 10).map((r) => r.fields)).toEqual([[ten, ten]]);
  });

  it('stops an oversized field that is still incomplete (bounded memory)', () => {
    const parser = new DelimitedParser(',', 't', 100);
    const sink = () => {};
    parser.push('a,b\n1,"', false, sink);
    const err = catchError(() => {
      for (let i = 0; i < 50; i++) parser.push('z'.repeat(10), false, sink);
    });
    expect(err.code).toBe('E_FIELD_TOO_LARGE');
    expect(err.params).toMatchObject({ line: 2, column: 2 });
  });

  it('does not mistake a long record of small fields for one large field, however it is chunked', () => {
    // Each field fits the limit of 10; the record (13 chars) does not: no error, whatever the chunking.
    const text = 'aaaaaa,bbbbbb\n"cccccc","dddddd"\n';
    const expected = [
      { fields: ['aaaaaa', 'bbbbbb'], line: 1 },
      { fields: ['cccccc', 'dddddd'], line: 2 },
    ];
    for (const chunks of allSplits(text)) expect(parseChunks(chunks, ',', 10)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property: any table written as CSV parses back to the same table, in any chunking.

const cellChars = fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\r', '\n', ';', '\t', 'é', '中', '😀', '\\', "'");
const cell = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: cellChars, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant('') },
).filter((s) => !s.includes('\0'));

const table = fc
  .integer({ min: 1, max: 4 })
  .chain((cols) =>
    fc.array(fc.array(cols === 1 ? cell.filter((s) => s !== '') : cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 }),
  );

function toCsv(rows: string[][], eol: string, trailing: boolean): { text: string; lines: number[] } {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  let text = '';
  const lines: number[] = [];
  rows.forEach((row, i) => {
    lines.push(1 + (text.match(/\n/g)?.length ?? 0));
    text += row.map(quote).join(',');
    if (i < rows.length - 1 || trailing) text += eol;
  });
  return { text, lines };
}

/** Cut points: random, plus ones placed inside every "\r\n" and every '""'. */
function chunksOf(text: string, cuts: number[]): string[] {
  const points = new Set(cuts.map((c) => c % (text.length + 1)));
  for (let i = text.indexOf('\r\n'); i !== -1; i = text.indexOf('\r\n', i + 1)) if (i % 2 === 0) points.add(i + 1);
  for (let i = text.indexOf('""'); i !== -1; i = text.indexOf('""', i + 1)) if (i % 3 !== 1) points.add(i + 1);
  const sorted = [...points].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of sorted) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe('DelimitedParser: property', () => {
  it('parses any quoted-as-needed table back, with its lines, in any chunk split', () => {
    fc.assert(
      fc.property(
        table,
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat({ max: 10_000 }), { maxLength: 12 }),
        fc.boolean(),
        (rows, eol, trailing, cuts, emptyFinal) => {
          const { text, lines } = toCsv(rows, eol, trailing);
          const chunks = chunksOf(text, cuts);
          if (emptyFinal) chunks.push('');
          const records = parseChunks(chunks);
          expect(records.map((r) => r.fields)).toEqual(rows);
          expect(records.map((r) => r.line)).toEqual(lines);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('options: trimming spaces and files that never quote', () => {
  const parseWith = (text: string, quoting: boolean, trimSpaces: boolean, delimiter = ',') => {
    const records: string[][] = [];
    const parser = new DelimitedParser(delimiter, 't.csv', 1 << 20, quoting, trimSpaces);
    parser.push(text, true, (fields) => records.push(fields));
    return { records, malformed: parser.malformedQuotes };
  };

  it('trims spaces around unquoted fields only, and before an opening quote', () => {
    expect(parseWith('a , b ," c ", d\n39, State-gov\n', true, true).records).toEqual([
      ['a', 'b', ' c ', 'd'],
      ['39', 'State-gov'],
    ]);
    expect(parseWith('a , b\n', true, false).records).toEqual([['a ', ' b']]);
  });

  it('reads quotes as ordinary characters when quoting is off, and counts RFC-breaking quotes when on', () => {
    const sms = 'ham\t"Happy valentines day" I know its early\nspam\tFree "prize"\n';
    expect(parseWith(sms, false, false, '\t').records).toEqual([
      ['ham', '"Happy valentines day" I know its early'],
      ['spam', 'Free "prize"'],
    ]);
    expect(parseWith(sms, true, false, '\t').malformed).toBe(1);
    expect(parseWith('a,"b",c\n', true, false).malformed).toBe(0);
  });
});
