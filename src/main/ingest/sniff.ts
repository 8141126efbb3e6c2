/** Guesses the delimiter and whether the first record is a header, from a sample of decoded text. */
import { DelimitedParser } from './csv-parser.js';
import { classify, DEFAULT_NA_VALUES } from './column-types.js';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type ConcreteDelimiter = (typeof DELIMITERS)[number];

function sampleRecords(sample: string, delimiter: string, maxRecords: number): string[][] {
  const records: string[][] = [];
  // Only whole lines: the last line of a sample may be cut.
  const cut = sample.lastIndexOf('\n');
  const text = cut > 0 ? sample.slice(0, cut + 1) : sample;
  try {
    new DelimitedParser(delimiter, 'sample', Number.MAX_SAFE_INTEGER).push(text, true, (fields) => {
      if (records.length < maxRecords) records.push(fields);
    });
  } catch {
    // An unclosed quote in a cut sample says nothing about the delimiter.
  }
  return records;
}

/** Picks the delimiter whose field count is most consistent (and > 1) across the sample's records. */
export function sniffDelimiter(sample: string): ConcreteDelimiter {
  let best: { delimiter: ConcreteDelimiter; score: number } = { delimiter: ',', score: -1 };
  for (const delimiter of DELIMITERS) {
    const records = sampleRecords(sample, delimiter, 200);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let modeCount = 0;
    let modeFields = 1;
    for (const [fields, count] of counts) {
      if (count > modeCount || (count === modeCount && fields > modeFields)) {
        modeCount = count;
        modeFields = fields;
      }
    }
    if (modeFields < 2) continue;
    const consistency = modeCount / records.length;
    const score = consistency * 1000 + Math.min(modeFields, 999) / 1000;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/**
 * A first record is data rather than a header when one of its cells has the same non-text type as the
 * column below it (e.g. a number above numbers), or recurs below it. Otherwise, as with most business files,
 * it is a header.
 */
export function sniffHeader(records: string[][]): boolean {
  const [first, ...rest] = records;
  if (!first || rest.length === 0) return true;
  const na = new Set(DEFAULT_NA_VALUES);
  for (let c = 0; c < first.length; c++) {
    const head = first[c]!.trim();
    if (na.has(head)) continue;
    const headType = classify(head);
    if (headType === 'text') continue;
    const below = rest.map((r) => r[c]).filter((v): v is string => v !== undefined && !na.has(v));
    if (below.length > 0 && below.every((v) => classify(v) === headType || (headType === 'integer' && classify(v) === 'real'))) return false;
  }
  // A header names its column; a label such as "ham" that recurs in the rows below is data.
  for (let c = 0; c < first.length; c++) {
    const head = first[c]!;
    if (head.trim() !== '' && !na.has(head) && rest.some((r) => r[c] === head)) return false;
  }
  return true;
}

/** Makes header names non-empty and unique (SQLite compares column names case-insensitively). */
export function uniqueColumnNames(raw: readonly string[], reserved: readonly string[] = []): string[] {
  const seen = new Set<string>(reserved.map((r) => r.toLowerCase()));
  return raw.map((name, i) => {
    const base = name.trim() || `column_${i + 1}`;
    let candidate = base;
    for (let n = 2; seen.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}`;
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}

/**
 * Whether `"` quotes fields. Comma, semicolon and pipe files follow RFC 4180. Tab files often do not quote at
 * all (a message may simply begin with a quote, as in the SMS spam collection): when the sample holds a quoted
 * field followed by more text before the delimiter, the file's quotes are ordinary characters.
 */
export function sniffQuoting(sample: string, delimiter: string): boolean {
  if (delimiter !== '\t') return true;
  const cut = sample.lastIndexOf('\n');
  const parser = new DelimitedParser(delimiter, 'sample', Number.MAX_SAFE_INTEGER);
  try {
    parser.push(cut > 0 ? sample.slice(0, cut + 1) : sample, true, () => {});
  } catch {
    // An unclosed quote in the sample: RFC quoting does not fit either.
    return false;
  }
  return parser.malformedQuotes === 0;
}
