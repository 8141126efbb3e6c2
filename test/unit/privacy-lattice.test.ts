// The full-domain generalisation search: ARX's Adult setup, and property tests against an exhaustive scan
// that decides anonymity with the independent checker and computes the metrics on its own.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { repoRoot } from '../helpers.js';
import {
  checkKAnonymity,
  classifyLattice,
  encodeColumn,
  evaluateNode,
  generaliseColumn,
  Lattice,
  NODE_ANONYMOUS,
  parseHierarchyCsv,
  searchOptimal,
  validateHierarchy,
  type EncodedColumn,
  type Hierarchy,
  type LossMetric,
} from '../../src/main/core/privacy/index.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

const arxDir = path.resolve(repoRoot, '..', 'shared', 'datasets', 'adult', 'arx-hierarchies');
const ADULT_QIS = ['age', 'education', 'marital-status', 'native-country', 'race', 'sex', 'workclass', 'occupation'];

function generalisedRows(columns: readonly EncodedColumn[], levels: readonly number[]): string[][] {
  const cols = columns.map((c, d) => generaliseColumn(c, levels[d] as number));
  const n = columns[0]?.ids.length ?? 0;
  return Array.from({ length: n }, (_, r) => cols.map((c) => c[r] as string));
}

describe('hierarchies', () => {
  it('parses ARX CSV and rejects ragged rows, duplicate leaves and two parents', () => {
    const h = parseHierarchyCsv('a;x;*\nb;x;*\nc;y;*\n');
    expect(h.levels).toBe(3);
    const col = encodeColumn('c', ['b', 'c', 'b'], h);
    expect(generaliseColumn(col, 1)).toEqual(['x', 'y', 'x']);
    expect(col.leafCount[1]).toEqual(Int32Array.from([2, 1]));
    expect(() => parseHierarchyCsv('a;x;*\nb;*')).toThrow(XinzhiError);
    expect(() => parseHierarchyCsv('a;x;*\na;x;*')).toThrow(/twice/);
    expect(() => validateHierarchy([['a', 'x', '*'], ['b', 'x', 'z']])).toThrow(/two parents/);
    expect(() => encodeColumn('c', ['q'], h)).toThrow(/not in its hierarchy/);
  });
});

describe('search edge cases', () => {
  it('reports the top node as unsatisfied when no node reaches k, and handles an empty table', () => {
    const h = parseHierarchyCsv('a;x;*\nb;x;*\nc;y;*');
    const columns = [encodeColumn('c', ['a', 'b', 'c'], h), encodeColumn('d', ['a', 'a', 'b'], h)];
    const none = searchOptimal(columns, { k: 4 });
    expect(none).toMatchObject({ node: [2, 2], satisfied: false, classes: 1, smallestClass: 3, suppressedRows: 3 });
    expect(none.loss).toBeCloseTo(1, 12);
    expect(none.minimalNodes).toEqual([]);
    const some = searchOptimal(columns, { k: 2, suppressionLimit: 0.34 });
    expect(some.satisfied).toBe(true);
    expect(some.suppressedRows).toBeLessThanOrEqual(1);
    const empty = searchOptimal([encodeColumn('c', [], h)], { k: 2 });
    expect(empty).toMatchObject({ node: [0], satisfied: true, loss: 0, classes: 0 });
    expect(() => searchOptimal(columns, { k: 0 })).toThrow(XinzhiError);
    expect(() => searchOptimal(columns, { k: 2, suppressionLimit: 2 })).toThrow(XinzhiError);
  });
});

describe('ARX Adult setup (a): 8 quasi-identifiers, 5-anonymity, 0% suppression', () => {
  it('chooses ARX’s levels [4,3,2,2,0,0,2,1] with ARX’s Loss 0.5916, verified by the independent checker', () => {
    const lines = readFileSync(path.join(arxDir, 'adult.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
    const header = (lines[0] as string).split(';');
    const rows = lines.slice(1).map((l) => l.split(';'));
    expect(rows.length).toBe(30162);
    const columns = ADULT_QIS.map((q) => {
      const h = parseHierarchyCsv(readFileSync(path.join(arxDir, `adult_hierarchy_${q}.csv`), 'utf8'));
      return encodeColumn(q, rows.map((r) => r[header.indexOf(q)] as string), h);
    });
    const result = searchOptimal(columns, { k: 5 });
    expect(result.satisfied).toBe(true);
    expect(result.node).toEqual([4, 3, 2, 2, 0, 0, 2, 1]);
    expect(result.loss).toBeCloseTo(0.5916, 4);
    expect(result.classes).toBe(30);
    expect(result.smallestClass).toBe(16);
    expect(result.suppressedRows).toBe(0);
    expect(result.nodesChecked).toBeLessThan(6480 / 10);

    const qi = ADULT_QIS.map((_, i) => i);
    const check = checkKAnonymity(generalisedRows(columns, result.node), qi, 5);
    expect(check.kAnonymous).toBe(true);
    expect(check.classes).toBe(30);
    expect(check.smallestClass).toBe(16);
    // The chosen node is minimal: lowering any level breaks 5-anonymity.
    result.node.forEach((level, d) => {
      if (level === 0) return;
      const lower = result.node.map((l, i) => (i === d ? l - 1 : l));
      expect(checkKAnonymity(generalisedRows(columns, lower), qi, 5).kAnonymous).toBe(false);
    });
    expect(result.minimalNodes).toContainEqual(result.node);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property tests: random small tables and hierarchies against an exhaustive scan.

interface Case {
  hierarchies: Hierarchy[];
  columns: EncodedColumn[];
  rows: number;
  k: number;
  limit: number;
  metric: LossMetric;
}

/** A hierarchy of `depth` levels over `leaves` leaves; level l+1 groups level-l labels by `groups[l]`. */
function buildHierarchy(name: string, leaves: number, groupSizes: number[]): Hierarchy {
  const rows: string[][] = [];
  for (let i = 0; i < leaves; i++) {
    const row = [`${name}${i}`];
    let index = i;
    groupSizes.forEach((g, l) => {
      index = Math.floor(index / g);
      row.push(`${name}${l + 1}_${index}`);
    });
    row.push('*');
    rows.push(row);
  }
  return validateHierarchy(rows);
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    qis: fc.array(
      fc.record({
        leaves: fc.integer({ min: 2, max: 7 }),
        groups: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
        skew: fc.integer({ min: 1, max: 3 }),
      }),
      { minLength: 2, maxLength: 4 },
    ),
    rows: fc.integer({ min: 30, max: 200 }),
    seed: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 200 * 4, maxLength: 200 * 4 }),
    k: fc.integer({ min: 2, max: 6 }),
    limit: fc.constantFrom(0, 0, 0.02, 0.05, 0.1),
    metric: fc.constantFrom<LossMetric>('loss', 'loss', 'discernibility', 'avgClassSize'),
  })
  .map(({ qis, rows, seed, k, limit, metric }) => {
    const hierarchies = qis.map((q, d) => buildHierarchy(`q${d}v`, q.leaves, q.groups));
    const columns = qis.map((q, d) => {
      const h = hierarchies[d] as Hierarchy;
      // Skewed choice of leaves (u^skew) so some values are rare and some leaves never occur.
      const values = Array.from({ length: rows }, (_, r) => {
        const u = seed[r * 4 + d] as number;
        return h.rows[Math.floor(Math.pow(u, q.skew) * q.leaves)]![0] as string;
      });
      return encodeColumn(`q${d}`, values, h);
    });
    return { hierarchies, columns, rows, k, limit, metric };
  });

/** Everything about one node computed from the generalised labels, independently of the engine. */
function exhaustiveNode(c: Case, levels: number[]): { anonymous: boolean; value: number } {
  const qi = c.columns.map((_, i) => i);
  const rows = generalisedRows(c.columns, levels);
  const check = checkKAnonymity(rows, qi, c.k);
  const anonymous = check.rowsBelowK <= Math.floor(c.limit * c.rows);
  const suppressed = check.classSizeOfRow.map((s) => s < c.k);
  let value: number;
  if (c.metric === 'loss') {
    let product = 1;
    c.hierarchies.forEach((h, d) => {
      const D = h.rows.length;
      const level = levels[d] as number;
      const leavesUnder = new Map<string, number>();
      for (const hr of h.rows) leavesUnder.set(hr[level] as string, (leavesUnder.get(hr[level] as string) ?? 0) + 1);
      let sum = 0;
      rows.forEach((row, r) => {
        const under = leavesUnder.get(row[d] as string) ?? 0;
        sum += suppressed[r] ? 1 : D > 1 ? (under - 1) / (D - 1) : 0;
      });
      product *= Math.pow(sum / c.rows + 1, 1 / c.hierarchies.length);
    });
    value = product - 1;
  } else {
    const kept = check.histogram.filter(([size]) => size >= c.k);
    if (c.metric === 'discernibility') {
      value = kept.reduce((s, [size, count]) => s + size * size * count, 0) + check.rowsBelowK * c.rows;
    } else {
      value = c.rows / (kept.reduce((s, [, count]) => s + count, 0) + (check.rowsBelowK > 0 ? 1 : 0));
    }
  }
  return { anonymous, value };
}

describe('optimal search = exhaustive search (property)', () => {
  it('finds the exhaustive optimum, tags every node correctly and reports the minimal anonymous nodes', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const options = { k: c.k, suppressionLimit: c.limit, metric: c.metric };
        const lattice = new Lattice(c.columns.map((col) => col.height));
        const truth = Array.from({ length: lattice.size }, (_, i) => exhaustiveNode(c, lattice.levels(i)));

        // Every node, checked or pruned by monotonicity, has the status the exhaustive scan gives it.
        const { status, checked, nodesChecked } = classifyLattice(c.columns, options);
        truth.forEach((t, i) => expect(status[i] === NODE_ANONYMOUS, `node ${lattice.levels(i)}`).toBe(t.anonymous));
        expect(checked.reduce((a, b) => a + b, 0)).toBe(nodesChecked);

        const result = searchOptimal(c.columns, options);
        const anonymous = truth.flatMap((t, i) => (t.anonymous ? [{ ...t, i }] : []));
        expect(result.satisfied).toBe(anonymous.length > 0);
        if (anonymous.length > 0) {
          const best = Math.min(...anonymous.map((t) => t.value));
          expect(result.loss).toBeCloseTo(best, 9);
          const chosen = truth[lattice.index(result.node)] as { anonymous: boolean; value: number };
          expect(chosen.anonymous).toBe(true);
          expect(chosen.value).toBeCloseTo(best, 9);
        }
        const minimal = anonymous
          .filter(({ i }) => lattice.levels(i).every((l, d) => l === 0 || !truth[i - (lattice.strides[d] as number)]!.anonymous))
          .map(({ i }) => lattice.levels(i));
        expect(result.minimalNodes).toEqual(minimal);
      }),
      { numRuns: 300 },
    );
  });
});

describe('wide keys', () => {
  // 4 columns of ~260 values exceed 2^31 combinations (double keys); 7 exceed 2^53 (string keys).
  it.each([
    [4, 2 ** 31],
    [7, 2 ** 53],
  ])('groups %i high-cardinality columns exactly like the checker', (q, beyond) => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const hierarchies = Array.from({ length: q }, (_, d) => buildHierarchy(`w${d}v`, 1000, q === 4 && d % 2 === 0 ? [100] : []));
    const leaf = (d: number) => hierarchies[d]!.rows[Math.floor(random() * 1000)]![0] as string;
    // 300 random rows, 150 exact copies, and 100 copies that differ in one column: classes of 1, 2 and near misses.
    const base = Array.from({ length: 300 }, () => Array.from({ length: q }, (_, d) => leaf(d)));
    const table = [
      ...base,
      ...base.slice(0, 150),
      ...base.slice(150, 250).map((row, i) => row.map((v, d) => (d === i % q ? leaf(d) : v))),
    ];
    const rows = table.length;
    const columns = hierarchies.map((h, d) => encodeColumn(`w${d}`, table.map((row) => row[d] as string), h));
    expect(columns.reduce((p, col) => p * (col.cardinality[0] as number), 1)).toBeGreaterThan(beyond);
    const c: Case = { hierarchies, columns, rows, k: 2, limit: 0.1, metric: 'loss' };
    const lattice = new Lattice(columns.map((col) => col.height));
    const truth = Array.from({ length: lattice.size }, (_, i) => exhaustiveNode(c, lattice.levels(i)));
    const { status } = classifyLattice(columns, { k: 2, suppressionLimit: 0.1 });
    truth.forEach((t, i) => expect(status[i] === NODE_ANONYMOUS).toBe(t.anonymous));
    // Class counts of every node (the wide keys are used near the bottom) against the checker.
    const qi = columns.map((_, i) => i);
    for (let i = 0; i < lattice.size; i++) {
      const levels = lattice.levels(i);
      const check = checkKAnonymity(generalisedRows(columns, levels), qi, 2);
      const stats = evaluateNode(columns, levels, { k: 2 });
      expect([stats.classes, stats.smallestClass, stats.suppressedRows]).toEqual([check.classes, check.smallestClass, check.rowsBelowK]);
    }
    const result = searchOptimal(columns, { k: 2, suppressionLimit: 0.1 });
    const best = Math.min(...truth.filter((t) => t.anonymous).map((t) => t.value));
    expect(result.loss).toBeCloseTo(best, 9);
  });
});
