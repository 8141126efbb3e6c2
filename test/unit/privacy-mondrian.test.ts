// Mondrian local recoding: property tests on random small tables verified by the independent checkers, and ARX's
// Adult setup (a) against the optimal full-domain node.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { datasetsDir } from '../helpers.js';
import {
  checkKAnonymity,
  checkLDiversity,
  checkTCloseness,
  encodeColumn,
  granularityOfNode,
  isNumericColumn,
  mondrian,
  parseHierarchyCsv,
  searchOptimal,
  validateHierarchy,
  type EncodedColumn,
  type Hierarchy,
  type PrivacyModelSpec,
  type SensitiveColumn,
} from '../../src/main/core/privacy/index.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

/** Rows of labels (QIs first) with extra columns appended, for the checkers. */
function labelledRows(labels: string[][], extra: string[][] = []): string[][] {
  const n = labels[0]?.length ?? 0;
  return Array.from({ length: n }, (_, r) => [...labels.map((l) => l[r] as string), ...extra.map((e) => e[r] as string)]);
}

/** Whether `label` is a correct recoding of `value`: the value lies in a numeric `lo-hi`, or the label is its ancestor. */
function covers(hierarchy: Hierarchy, numeric: boolean, value: string, label: string): boolean {
  if (numeric) {
    const m = /^(-?[\d.]+)(?:-(-?[\d.]+))?$/.exec(label);
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return Number(value) >= lo && Number(value) <= hi;
  }
  const row = hierarchy.rows.find((r) => r[0] === value);
  return label === '*' || (row?.includes(label) ?? false);
}

/** A hierarchy over `leaves` leaves grouped by `groups` per level, with numeric (`0`, `1`, …) or text leaves. */
function buildHierarchy(name: string, leaves: number, groups: number[], numeric: boolean): Hierarchy {
  return validateHierarchy(
    Array.from({ length: leaves }, (_, i) => {
      const row = [numeric ? String(i * 3) : `${name}${i}`];
      let index = i;
      groups.forEach((g, l) => {
        index = Math.floor(index / g);
        row.push(`${name}${l + 1}_${index}`);
      });
      row.push('*');
      return row;
    }),
  );
}

const caseArb = fc
  .record({
    qis: fc.array(
      fc.record({ leaves: fc.integer({ min: 1, max: 8 }), groups: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), numeric: fc.boolean() }),
      { minLength: 1, maxLength: 3 },
    ),
    rows: fc.integer({ min: 1, max: 60 }),
    seed: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 60 * 4, maxLength: 60 * 4 }),
    k: fc.integer({ min: 1, max: 6 }),
    mode: fc.constantFrom<'strict' | 'relaxed'>('strict', 'relaxed'),
    sensitiveValues: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ qis, rows, seed, k, mode, sensitiveValues }) => {
    const hierarchies = qis.map((q, d) => buildHierarchy(`q${d}v`, q.leaves, q.groups, q.numeric));
    const values = qis.map((q, d) => Array.from({ length: rows }, (_, r) => hierarchies[d]!.rows[Math.floor((seed[r * 4 + d] as number) * q.leaves)]![0] as string));
    const columns = values.map((v, d) => encodeColumn(`q${d}`, v, hierarchies[d] as Hierarchy));
    const sensitive = Array.from({ length: rows }, (_, r) => `s${Math.floor((seed[r * 4 + 3] as number) * sensitiveValues)}`);
    return { qis, hierarchies, values, columns, rows, k, mode, sensitive };
  });

describe('Mondrian on random small tables (property)', () => {
  it('labels every row with a correct recoding and is k-anonymous by the independent checker', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const result = mondrian(c.columns, { k: c.k, mode: c.mode });
        expect(result.partitions).toBeGreaterThanOrEqual(1);
        expect(result.satisfied).toBe(c.rows >= c.k);
        c.columns.forEach((col, d) => {
          expect(isNumericColumn(col)).toBe(c.qis[d]!.numeric);
          for (let r = 0; r < c.rows; r++) {
            const label = result.labels[d]![r];
            expect(typeof label).toBe('string');
            expect(covers(c.hierarchies[d] as Hierarchy, c.qis[d]!.numeric, c.values[d]![r] as string, label as string)).toBe(true);
          }
        });
        const check = checkKAnonymity(labelledRows(result.labels), c.columns.map((_, i) => i), c.k);
        expect(check.classes).toBe(result.classes);
        expect(check.smallestClass).toBe(result.smallestClass);
        expect(result.partitions).toBeGreaterThanOrEqual(result.classes);
        if (result.satisfied) expect(check.kAnonymous).toBe(true);
        else expect(result.partitions).toBe(1);
        expect(result.granularity).toBeGreaterThanOrEqual(0);
        expect(result.granularity).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('satisfies distinct l-diversity and t-closeness when asked, by the independent checkers', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 3 }), fc.constantFrom(0.2, 0.4), (c, l, t) => {
        const distinct = [...new Set(c.sensitive)];
        const sensitive: SensitiveColumn[] = [{ name: 's', ids: Int32Array.from(c.sensitive, (v) => distinct.indexOf(v)), cardinality: distinct.length }];
        const models: PrivacyModelSpec[] = [
          { model: 'l-diversity', variant: 'distinct', l, column: 0 },
          { model: 't-closeness', t, distance: 'equal', column: 0 },
        ];
        const result = mondrian(c.columns, { k: c.k, models, sensitive, mode: c.mode });
        if (!result.satisfied) return;
        const rows = labelledRows(result.labels, [c.sensitive]);
        const qi = c.columns.map((_, i) => i);
        expect(checkKAnonymity(rows, qi, c.k).kAnonymous).toBe(true);
        expect(checkLDiversity(rows, qi, qi.length, { variant: 'distinct', l }).satisfied).toBe(true);
        expect(checkTCloseness(rows, qi, qi.length, t, 'equal').satisfied).toBe(true);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('splits numbers at the median and categories along their hierarchy', () => {
    const h = parseHierarchyCsv('1;1-2;*\n2;1-2;*\n3;3-4;*\n4;3-4;*');
    const num = encodeColumn('n', ['1', '1', '2', '2', '3', '3', '4', '4'], h);
    expect(mondrian([num], { k: 2 }).labels[0]).toEqual(['1', '1', '2', '2', '3', '3', '4', '4']);
    expect(mondrian([num], { k: 3 }).labels[0]).toEqual(['1-2', '1-2', '1-2', '1-2', '3-4', '3-4', '3-4', '3-4']);
    expect(mondrian([num], { k: 5 }).labels[0]).toEqual(Array(8).fill('1-4'));
    const c = parseHierarchyCsv('a;x;*\nb;x;*\nc;y;*\nd;y;*');
    const cat = encodeColumn('c', ['a', 'b', 'a', 'b', 'c', 'd', 'c', 'd'], c);
    expect(mondrian([cat], { k: 3 }).labels[0]).toEqual(['x', 'x', 'x', 'x', 'y', 'y', 'y', 'y']);
    const relaxed = mondrian([encodeColumn('n', ['1', '1', '1', '1', '1', '2'], h)], { k: 3, mode: 'relaxed' });
    expect(relaxed.labels[0]).toEqual(['1', '1', '1', '1-2', '1-2', '1-2']);
    expect(mondrian([encodeColumn('n', ['1', '1', '1', '1', '1', '2'], h)], { k: 3 }).labels[0]).toEqual(Array(6).fill('1-2'));
    expect(() => mondrian([num], { k: 0 })).toThrow(XinzhiError);
    expect(mondrian([encodeColumn('n', [], h)], { k: 2 })).toMatchObject({ partitions: 0, classes: 0, satisfied: true });
  });
});

// ---------------------------------------------------------------------------------------------------------
// ARX Adult setup (a).

const arxDir = path.join(datasetsDir, 'adult', 'arx-hierarchies');
const ADULT_QIS = ['age', 'education', 'marital-status', 'native-country', 'race', 'sex', 'workclass', 'occupation'];

describe('ARX Adult setup (a): Mondrian vs the optimal full-domain node, k = 5', () => {
  const lines = readFileSync(path.join(arxDir, 'adult.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const header = (lines[0] as string).split(';');
  const table = lines.slice(1).map((l) => l.split(';'));
  const hierarchies = ADULT_QIS.map((q) => parseHierarchyCsv(readFileSync(path.join(arxDir, `adult_hierarchy_${q}.csv`), 'utf8')));
  const values = ADULT_QIS.map((q) => table.map((r) => r[header.indexOf(q)] as string));
  const columns: EncodedColumn[] = ADULT_QIS.map((q, d) => encodeColumn(q, values[d] as string[], hierarchies[d] as Hierarchy));

  /** The granularity recomputed from the labels alone (the definition at granularityOfNode in mondrian.ts). */
  function granularityFromLabels(labels: string[][]): number {
    let sum = 0;
    columns.forEach((col, d) => {
      const numeric = isNumericColumn(col);
      const present = col.leaves;
      const cache = new Map<string, number>();
      const h = hierarchies[d] as Hierarchy;
      for (let r = 0; r < table.length; r++) {
        const label = labels[d]![r] as string;
        let covered = cache.get(label);
        if (covered === undefined) {
          covered = present.filter((v) => covers(h, numeric, v, label)).length;
          cache.set(label, covered);
        }
        sum += (covered - 1) / (present.length - 1);
      }
    });
    return sum / (table.length * columns.length);
  }

  it('is 5-anonymous with more classes and a lower granularity than the optimal node [4,3,2,2,0,0,2,1]', () => {
    const optimal = searchOptimal(columns, { k: 5 });
    expect(optimal.node).toEqual([4, 3, 2, 2, 0, 0, 2, 1]);
    const result = mondrian(columns, { k: 5 });
    expect(result.satisfied).toBe(true);
    expect(result.ms).toBeLessThan(5000);
    const qi = ADULT_QIS.map((_, i) => i);
    const check = checkKAnonymity(labelledRows(result.labels), qi, 5);
    expect(check.kAnonymous).toBe(true);
    expect(check.classes).toBe(result.classes);
    expect(result.classes).toBeGreaterThan(optimal.classes);
    for (let d = 0; d < columns.length; d++) {
      for (let r = 0; r < table.length; r += 97) {
        expect(covers(hierarchies[d] as Hierarchy, isNumericColumn(columns[d] as EncodedColumn), values[d]![r] as string, result.labels[d]![r] as string)).toBe(true);
      }
    }
    const fullDomain = granularityOfNode(columns, optimal.node);
    expect(result.granularity).toBeCloseTo(granularityFromLabels(result.labels), 9);
    expect(result.granularity).toBeLessThan(fullDomain);
    console.log(
      `Adult k=5: full-domain ${JSON.stringify(optimal.node)} classes ${optimal.classes}, granularity ${fullDomain.toFixed(4)}; ` +
        `Mondrian classes ${result.classes} (partitions ${result.partitions}, smallest ${result.smallestClass}), granularity ${result.granularity.toFixed(4)}, ${result.ms.toFixed(0)} ms`,
    );
  });

  it('with occupation sensitive: recursive-(4,3)-diversity holds by the independent checker', () => {
    const qis = ADULT_QIS.slice(0, 7);
    const occupation = table.map((r) => r[header.indexOf('occupation')] as string);
    const distinct = [...new Set(occupation)];
    const sensitive: SensitiveColumn[] = [{ name: 'occupation', ids: Int32Array.from(occupation, (v) => distinct.indexOf(v)), cardinality: distinct.length }];
    const result = mondrian(columns.slice(0, 7), { k: 1, models: [{ model: 'l-diversity', variant: 'recursive', c: 4, l: 3, column: 0 }], sensitive });
    expect(result.satisfied).toBe(true);
    const rows = labelledRows(result.labels, [occupation]);
    const qi = qis.map((_, i) => i);
    expect(checkLDiversity(rows, qi, qi.length, { variant: 'recursive', c: 4, l: 3 }).satisfied).toBe(true);
    expect(result.classes).toBeGreaterThan(1);
  });
});
