// Precision and recall of the PII detector on labelled public data: FakeNameGenerator columns (column level),
// the labelled spans of presidio-research's synth_dataset_v2.json (span level) and person names from MSRA NER.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { detectColumn, findSpans, isChineseName } from '../../src/main/core/pii/index.js';
import type { PiiKind } from '../../src/shared/model/pii.js';
import { dataset } from '../helpers.js';

interface Figures {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}
const figures = (tp: number, fp: number, fn: number): Figures => ({ tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) });
const show = (title: string, rows: Record<string, Figures>) => {
  console.log(`\n${title}`);
  for (const [k, f] of Object.entries(rows)) console.log(`  ${k.padEnd(14)} P=${f.precision.toFixed(3)} R=${f.recall.toFixed(3)} (tp ${f.tp}, fp ${f.fp}, fn ${f.fn})`);
};

describe('FakeNameGenerator: column-level kinds', () => {
  // Each column's true kind, mapped by hand from its header. CCNumber was saved in scientific notation
  // (5.54563E+15): its digits are lost, so it must NOT be found as a card; NationalID mixes lost digits and
  // foreign formats (no kind we detect). City/State/Country are quasi-identifiers, not a PII kind.
  const truth: Record<string, PiiKind | null> = {
    Number: null, Gender: null, NameSet: null, Title: null, GivenName: 'personName', MiddleInitial: null, Surname: 'personName',
    StreetAddress: 'address', City: null, State: null, StateFull: null, ZipCode: 'postalCode', Country: null, CountryFull: null,
    EmailAddress: 'email', Username: null, Password: null, TelephoneNumber: 'phone', TelephoneCountryCode: null, MothersMaiden: 'personName',
    Birthday: 'dateOfBirth', Age: null, CCType: null, CCNumber: null, CVV2: null, CCExpires: null, NationalID: null, Occupation: null,
    Company: null, Domain: 'url',
  };
  const parsed = Papa.parse<Record<string, string>>(readFileSync(dataset('pii_synthetic', 'FakeNameGenerator.com_3000.csv'), 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });

  it('finds every PII column and no other (P = R = 1 over 30 columns), CCNumber not a card', () => {
    const predicted: Record<string, PiiKind | null> = {};
    for (const name of parsed.meta.fields!) {
      const values = parsed.data.map((r) => r[name]!).filter((v) => v !== '');
      predicted[name] = detectColumn({ name, values: values.slice(0, 2000) }).kind;
    }
    expect(Object.keys(predicted).sort()).toEqual(Object.keys(truth).sort());
    let tp = 0, fp = 0, fn = 0;
    for (const [name, kind] of Object.entries(truth)) {
      if (kind !== null && predicted[name] === kind) tp++;
      else {
        if (predicted[name] !== null) fp++;
        if (kind !== null) fn++;
      }
    }
    show('FakeNameGenerator columns', { columns: figures(tp, fp, fn) });
    expect(predicted).toEqual(truth);
    expect(predicted.CCNumber).toBeNull();
  });

  it('recognises each value of the structured columns (value level, name known)', () => {
    const rows: Record<string, Figures> = {};
    for (const [name, kind] of [['EmailAddress', 'email'], ['TelephoneNumber', 'phone'], ['GivenName', 'personName'], ['Surname', 'personName'], ['StreetAddress', 'address'], ['Birthday', 'dateOfBirth']] as const) {
      const finding = detectColumn({ name, values: parsed.data.map((r) => r[name]!) });
      rows[name] = figures(Math.round(finding.matchedShare * finding.sampled), 0, finding.sampled - Math.round(finding.matchedShare * finding.sampled));
      expect(finding.kind).toBe(kind);
    }
    show('FakeNameGenerator values (share of values recognised)', rows);
    expect(rows.EmailAddress!.recall).toBeGreaterThanOrEqual(0.95);
    expect(rows.TelephoneNumber!.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('synth_dataset_v2.json: spans in free text', () => {
  // Its 17 entity types mapped to ours; the others (ORGANIZATION, GPE, DATE_TIME, TITLE, AGE, NRP, IBAN_CODE,
  // US_SSN, US_DRIVER_LICENSE) are not kinds we detect: a span of ours on one of them counts as a false positive.
  const MAP: Record<string, string> = {
    PERSON: 'personName', STREET_ADDRESS: 'address', CREDIT_CARD: 'bankCard', PHONE_NUMBER: 'phone', EMAIL_ADDRESS: 'email',
    IP_ADDRESS: 'ip', DOMAIN_NAME: 'url', ZIP_CODE: 'postalCode',
  };
  const group = (k: PiiKind): string => (k === 'cnMobile' || k === 'cnLandline' ? 'phone' : k === 'ipv4' || k === 'ipv6' ? 'ip' : k);
  const data = JSON.parse(readFileSync(dataset('pii_synthetic', 'synth_dataset_v2.json'), 'utf8')) as { full_text: string; spans: { entity_type: string; start_position: number; end_position: number }[] }[];

  it('meets the targets for e-mails, phones and cards; reports the rest', () => {
    // A predicted span is right when it overlaps a gold span of the same kind; each gold span is found at most once.
    const counts: Record<string, { tp: number; fp: number; fn: number }> = {};
    const c = (k: string) => (counts[k] ??= { tp: 0, fp: 0, fn: 0 });
    for (const doc of data) {
      const gold = doc.spans.filter((s) => MAP[s.entity_type]).map((s) => ({ kind: MAP[s.entity_type]!, start: s.start_position, end: s.end_position, found: false }));
      for (const p of findSpans(doc.full_text)) {
        const kind = group(p.kind);
        const hit = gold.find((g) => g.kind === kind && !g.found && p.start < g.end && g.start < p.end);
        if (hit) {
          hit.found = true;
          c(kind).tp++;
        } else if (!gold.some((g) => g.kind === kind && p.start < g.end && g.start < p.end)) c(kind).fp++;
      }
      for (const g of gold) if (!g.found) c(g.kind).fn++;
    }
    const rows = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, figures(v.tp, v.fp, v.fn)]));
    show('synth_dataset_v2 spans', rows);
    for (const kind of ['email', 'phone', 'bankCard']) {
      expect(rows[kind]!.precision, kind).toBeGreaterThanOrEqual(0.95);
      expect(rows[kind]!.recall, kind).toBeGreaterThanOrEqual(0.95);
    }
    expect(rows.ip!.recall).toBeGreaterThanOrEqual(0.95);
  });
});

/** Reads the one text file of a zip archive (deflate) with node:zlib: no unzip tool needed. */
function readZipText(path: string): string {
  const zip = readFileSync(path);
  if (zip.readUInt32LE(0) !== 0x04034b50) throw new Error('not a zip');
  const method = zip.readUInt16LE(8);
  // Sizes may be in a data descriptor (flag bit 3): take them from the central directory instead.
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const central = zip.readUInt32LE(eocd + 16);
  const compressedSize = zip.readUInt32LE(central + 20);
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  const body = zip.subarray(start, start + compressedSize);
  return (method === 8 ? inflateRawSync(body) : body).toString('utf8');
}

describe('MSRA NER: Chinese person names as values', () => {
  it('tells PER entities from place, organisation and other words (P, R ≥ 0.85)', () => {
    const text = readZipText(dataset('chinese_ner_msra', 'dh_msra.zip'));
    const entities: Record<string, Set<string>> = { PER: new Set(), LOC: new Set(), ORG: new Set(), O: new Set() };
    let current = '';
    let type = '';
    let outside = '';
    const flush = () => {
      if (current) entities[type]!.add(current);
      current = '';
    };
    const flushOutside = () => {
      // Words outside any entity, as negatives: 2- and 3-character runs of Chinese characters from the O stretches.
      for (let i = 0; i + 3 <= outside.length; i += 5) {
        const w = outside.slice(i, i + 2 + (i % 2));
        if (/^[\u4e00-\u9fff]+$/.test(w)) entities.O!.add(w);
      }
      outside = '';
    };
    for (const line of text.split('\n')) {
      const [ch, tag] = line.split('\t');
      if (!ch || !tag) {
        flush();
        flushOutside();
        continue;
      }
      if (tag.startsWith('B-')) {
        flush();
        flushOutside();
        type = tag.slice(2);
        current = ch;
      } else if (tag.startsWith('I-') && current) current += ch;
      else {
        flush();
        outside += ch;
      }
    }
    flush();
    flushOutside();
    // Distinct strings; negatives: every LOC and ORG entity of name length (2–4 characters) and an equal number of outside words.
    // Single-character PER entities (老马's 马, a bare surname) are no name value a column would hold: left out.
    const positives = [...entities.PER!].filter((v) => v.length >= 2);
    const negativeEntities = [...entities.LOC!, ...entities.ORG!].filter((v) => v.length >= 2 && v.length <= 4 && !entities.PER!.has(v));
    const negativeWords = [...entities.O!].filter((v) => !entities.PER!.has(v)).slice(0, negativeEntities.length);
    const negatives = [...negativeEntities, ...negativeWords];
    const tp = positives.filter(isChineseName).length;
    const fp = negatives.filter(isChineseName).length;
    const perType = {
      names: figures(tp, fp, positives.length - tp),
      'LOC/ORG only': figures(tp, negativeEntities.filter(isChineseName).length, positives.length - tp),
    };
    show(`MSRA names (${positives.length} PER, ${negativeEntities.length} LOC/ORG, ${negativeWords.length} other words; distinct strings)`, perType);
    expect(perType.names.precision).toBeGreaterThanOrEqual(0.85);
    expect(perType.names.recall).toBeGreaterThanOrEqual(0.85);
  });
});
