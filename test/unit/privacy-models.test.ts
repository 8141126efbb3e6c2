// l-diversity and t-closeness in the lattice search, applying a node, and re-identification risk: property tests
// against an exhaustive scan decided by the independent checkers, hand-computed examples, and ARX's Adult setting (b).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { datasetsDir } from '../helpers.js';
import {
  applyNode,
  checkKAnonymity,
  checkLDiversity,
  checkTCloseness,
  classifyLattice,
  classSizesOf,
  encodeColumn,
  generaliseColumn,
  Lattice,
  NODE_ANONYMOUS,
  parseHierarchyCsv,
  reidentificationRisk,
  searchOptimal,
  validateHierarchy,
  type ClassModelCheck,
  type EncodedColumn,
  type Hierarchy,
  type LossMetric,
  type PrivacyModelSpec,
  type SearchOptions,
  type SensitiveColumn,
} from '../../src/main/core/privacy/index.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

/** Generalised QI labels per row, with the sensitive value appended as the last column. */
function rowsAt(columns: readonly EncodedColumn[], levels: readonly number[], sensitive: readonly string[]): string[][] {
  const cols = columns.map((c, d) => generaliseColumn(c, levels[d] as number));
  return sensitive.map((s, r) => [...cols.map((c) => c[r] as string), s]);
}

/** The independent checker for one model spec, on rows whose last column is the sensitive value. */
function checkModel(
  rows: string[][],
  q: number,
  spec: PrivacyModelSpec,
  suppressed?: ArrayLike<boolean | number>,
  hierarchy?: readonly (readonly string[])[],
): ClassModelCheck {
  const qi = Array.from({ length: q }, (_, i) => i);
  if (spec.model === 'l-diversity') return checkLDiversity(rows, qi, q, { variant: spec.variant, l: spec.l, ...(spec.c !== undefined ? { c: spec.c } : {}) }, suppressed);
  return checkTCloseness(rows, qi, q, spec.t, spec.distance, suppressed, hierarchy);
}

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

// ---------------------------------------------------------------------------------------------------------
// Property: search optimum = exhaustive optimum, with every node's status checked.

interface Case {
  hierarchies: Hierarchy[];
  columns: EncodedColumn[];
  sensitive: SensitiveColumn;
  /** Sensitive value per row as the checkers see it (the numeric value for `ordered`). */
  sensitiveText: string[];
  /** The sensitive column's hierarchy as ARX rows over `sensitiveText`'s values (for the hierarchical distance). */
  sensitiveHierarchy: string[][];
  rows: number;
  k: number;
  limit: number;
  metric: LossMetric;
  /** One or two models, all on sensitive column 0. */
  specs: PrivacyModelSpec[];
}

const SPEC_ARBS: Record<string, fc.Arbitrary<PrivacyModelSpec>> = {
  distinct: fc.record({ model: fc.constant('l-diversity' as const), variant: fc.constant('distinct' as const), l: fc.integer({ min: 2, max: 3 }), column: fc.constant(0) }),
  entropy: fc.record({ model: fc.constant('l-diversity' as const), variant: fc.constant('entropy' as const), l: fc.constantFrom(1.5, 2, 2.5, 3), column: fc.constant(0) }),
  recursive: fc.record({
    model: fc.constant('l-diversity' as const),
    variant: fc.constant('recursive' as const),
    l: fc.integer({ min: 2, max: 3 }),
    c: fc.constantFrom(0.5, 1, 2, 3, 4),
    column: fc.constant(0),
  }),
  'equal t-closeness': fc.record({ model: fc.constant('t-closeness' as const), t: fc.constantFrom(0.05, 0.1, 0.2, 0.3), distance: fc.constant('equal' as const), column: fc.constant(0) }),
  'ordered t-closeness': fc.record({ model: fc.constant('t-closeness' as const), t: fc.constantFrom(0.05, 0.1, 0.2, 0.3), distance: fc.constant('ordered' as const), column: fc.constant(0) }),
  'hierarchical t-closeness': fc.record({
    model: fc.constant('t-closeness' as const),
    t: fc.constantFrom(0.05, 0.1, 0.2, 0.3),
    distance: fc.constant('hierarchical' as const),
    column: fc.constant(0),
  }),
};

const caseArb = (specs: fc.Arbitrary<PrivacyModelSpec[]>, limit: number): fc.Arbitrary<Case> => fc
  .record({
    qis: fc.array(
      fc.record({
        leaves: fc.integer({ min: 2, max: 6 }),
        groups: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
        skew: fc.integer({ min: 1, max: 3 }),
      }),
      { minLength: 2, maxLength: 3 },
    ),
    rows: fc.integer({ min: 30, max: 150 }),
    seed: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 150 * 4, maxLength: 150 * 4 }),
    sensitiveValues: fc.integer({ min: 2, max: 6 }),
    sensitiveSkew: fc.integer({ min: 1, max: 3 }),
    sensitiveGroups: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
    /** Numeric value per sensitive id: a shuffled set so the id order differs from the value order. */
    numeric: fc.shuffledSubarray([-3, 0, 1.5, 2, 7, 10, 11, 40], { minLength: 8, maxLength: 8 }),
    k: fc.constantFrom(1, 1, 2, 3),
    metric: fc.constantFrom<LossMetric>('loss', 'loss', 'discernibility', 'avgClassSize'),
    specs,
  })
  .map(({ qis, rows, seed, sensitiveValues, sensitiveSkew, sensitiveGroups, numeric, k, metric, specs }) => {
    const hierarchies = qis.map((q, d) => buildHierarchy(`q${d}v`, q.leaves, q.groups));
    const columns = qis.map((q, d) => {
      const h = hierarchies[d] as Hierarchy;
      const values = Array.from({ length: rows }, (_, r) => h.rows[Math.floor(Math.pow(seed[r * 4 + d] as number, q.skew) * q.leaves)]![0] as string);
      return encodeColumn(`q${d}`, values, h);
    });
    const ids = Int32Array.from({ length: rows }, (_, r) => Math.floor(Math.pow(seed[r * 4 + 3] as number, sensitiveSkew) * sensitiveValues));
    const values = Float64Array.from(numeric.slice(0, sensitiveValues));
    // Hierarchy over the ids: level l groups ids by Π groups[0..l); top is one label. Built here as ARX rows for the
    // checker and as dense level maps for the engine.
    const divisors = [1, ...sensitiveGroups.map((_, l) => sensitiveGroups.slice(0, l + 1).reduce((a, b) => a * b, 1))];
    const generalised = [
      ...divisors.map((d) => Int32Array.from({ length: sensitiveValues }, (_, id) => Math.floor(id / d))),
      new Int32Array(sensitiveValues),
    ];
    const sensitiveHierarchy = Array.from({ length: sensitiveValues }, (_, id) => [
      String(values[id]),
      ...divisors.slice(1).map((d, l) => `s${l + 1}_${Math.floor(id / d)}`),
      '*',
    ]);
    const sensitive: SensitiveColumn = { name: 's', ids, values, generalised, cardinality: sensitiveValues };
    const sensitiveText = Array.from(ids, (id) => String(values[id]));
    return { hierarchies, columns, sensitive, sensitiveText, sensitiveHierarchy, rows, k, limit, metric, specs };
  });

function optionsOf(c: Case): SearchOptions {
  return { k: c.k, suppressionLimit: c.limit, metric: c.metric, models: c.specs, sensitive: [c.sensitive] };
}

/** One node decided and measured from the generalised labels with the independent checkers only. */
function exhaustiveNode(c: Case, levels: number[]): { anonymous: boolean; value: number } {
  const q = c.columns.length;
  const qi = c.columns.map((_, i) => i);
  const rows = rowsAt(c.columns, levels, c.sensitiveText);
  const kCheck = checkKAnonymity(rows, qi, c.k);
  const models = c.specs.map((spec) => checkModel(rows, q, spec, undefined, c.sensitiveHierarchy));
  const suppressed = rows.map((_, r) => (kCheck.classSizeOfRow[r] as number) < c.k || models.some((m) => m.failingRow[r] as boolean));
  const suppressedCount = suppressed.filter(Boolean).length;
  const anonymous = suppressedCount <= Math.floor(c.limit * c.rows);
  let value: number;
  if (c.metric === 'loss') {
    let product = 1;
    c.hierarchies.forEach((h, d) => {
      const D = h.rows.length;
      const level = levels[d] as number;
      const under = new Map<string, number>();
      for (const hr of h.rows) under.set(hr[level] as string, (under.get(hr[level] as string) ?? 0) + 1);
      let sum = 0;
      rows.forEach((row, r) => {
        sum += suppressed[r] ? 1 : D > 1 ? ((under.get(row[d] as string) ?? 0) - 1) / (D - 1) : 0;
      });
      product *= Math.pow(sum / c.rows + 1, 1 / q);
    });
    value = product - 1;
  } else {
    const kept = classSizesOf(rows, qi, Uint8Array.from(suppressed, (s) => (s ? 1 : 0)));
    if (c.metric === 'discernibility') value = kept.reduce((s, size) => s + size * size, 0) + suppressedCount * c.rows;
    else value = c.rows / (kept.length + (suppressedCount > 0 ? 1 : 0));
  }
  return { anonymous, value };
}

const PROPERTY_CASES: [string, number, fc.Arbitrary<PrivacyModelSpec[]>][] = [
  ...Object.entries(SPEC_ARBS).flatMap(([name, arb]) => [0, 0.05].map((limit): [string, number, fc.Arbitrary<PrivacyModelSpec[]>] => [name, limit, arb.map((s) => [s])])),
  ...[0, 0.05].map((limit): [string, number, fc.Arbitrary<PrivacyModelSpec[]>] => [
    'two models (distinct or recursive l-diversity with ordered, equal or hierarchical t-closeness)',
    limit,
    fc.tuple(
      fc.oneof(SPEC_ARBS.distinct!, SPEC_ARBS.recursive!),
      fc.oneof(SPEC_ARBS['ordered t-closeness']!, SPEC_ARBS['equal t-closeness']!, SPEC_ARBS['hierarchical t-closeness']!),
    ),
  ]),
];

describe('l-diversity and t-closeness search = exhaustive search (property)', () => {
  it.each(PROPERTY_CASES)('%s, suppression limit %d: every node decided like the checkers, exhaustive optimum, applyNode passes', (_name, limit, specs) => {
    fc.assert(
      fc.property(caseArb(specs, limit), (c) => {
        const options = optionsOf(c);
        const lattice = new Lattice(c.columns.map((col) => col.height));
        const truth = Array.from({ length: lattice.size }, (_, i) => exhaustiveNode(c, lattice.levels(i)));

        const { status } = classifyLattice(c.columns, options);
        truth.forEach((t, i) => expect(status[i] === NODE_ANONYMOUS, `node ${lattice.levels(i)}`).toBe(t.anonymous));

        const result = searchOptimal(c.columns, options);
        const anonymous = truth.filter((t) => t.anonymous);
        expect(result.satisfied).toBe(anonymous.length > 0);
        if (anonymous.length === 0) return;
        const best = Math.min(...anonymous.map((t) => t.value));
        expect(result.loss).toBeCloseTo(best, 9);
        const chosen = truth[lattice.index(result.node)] as { anonymous: boolean; value: number };
        expect(chosen.anonymous).toBe(true);
        expect(chosen.value).toBeCloseTo(best, 9);

        // The applied node: suppressed records within the limit, `*` labels, and every kept class passes k and the model.
        const applied = applyNode(c.columns, result.node, options);
        expect(applied.suppressedRows).toBe(result.suppressedRows);
        expect(applied.suppressedRows).toBeLessThanOrEqual(Math.floor(c.limit * c.rows));
        const q = c.columns.length;
        const rows = c.sensitiveText.map((s, r) => [...applied.labels.map((l) => l[r] as string), s]);
        rows.forEach((row, r) => {
          if (applied.suppressed[r]) expect(row.slice(0, q).every((v) => v === '*')).toBe(true);
        });
        const qi = c.columns.map((_, i) => i);
        const kept = rows.filter((_, r) => !applied.suppressed[r]);
        expect(checkKAnonymity(kept, qi, c.k).kAnonymous).toBe(true);
        for (const spec of c.specs) expect(checkModel(rows, q, spec, applied.suppressed, c.sensitiveHierarchy).satisfied).toBe(true);
        expect(applied.classes).toBe(classSizesOf(rows, qi, applied.suppressed).length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('no pruning where a model is not monotone with suppression', () => {
  // Class a = {x, y} passes, class b = {x, x, x, x} fails (one value) and fits the limit (4 of 6 records);
  // merged at * = {x: 5, y: 1}: entropy 0.45 < ln 2 and 5 ≥ 2·1, so the more general node is NOT anonymous.
  const h = parseHierarchyCsv('a;*\nb;*');
  const col = encodeColumn('g', ['a', 'a', 'b', 'b', 'b', 'b'], h);
  const sensitive: SensitiveColumn[] = [{ name: 's', ids: Int32Array.from([0, 1, 0, 0, 0, 0]), cardinality: 2 }];
  it.each<PrivacyModelSpec>([
    { model: 'l-diversity', variant: 'entropy', l: 2, column: 0 },
    { model: 'l-diversity', variant: 'recursive', l: 2, c: 2, column: 0 },
  ])('%o: bottom anonymous with suppression, top not', (spec) => {
    const options: SearchOptions = { suppressionLimit: 4 / 6, models: [spec], sensitive };
    const { status, nodesChecked } = classifyLattice([col], options);
    expect(Array.from(status)).toEqual([NODE_ANONYMOUS, 2]);
    expect(nodesChecked).toBe(2);
    expect(searchOptimal([col], options)).toMatchObject({ node: [0], satisfied: true, suppressedRows: 4 });
    expect(searchOptimal([col], { ...options, suppressionLimit: 0 }).satisfied).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Hand-computed examples.

describe('checkers and models on hand-computed classes', () => {
  // Two classes on QI "a"/"b"; sensitive counts: class a = {x:3, y:2, z:1}, class b = {x:1, y:1}. Whole table
  // {x:4, y:3, z:1}/8.
  const rows = [
    ...['x', 'x', 'x', 'y', 'y', 'z'].map((s) => ['a', s]),
    ['b', 'x'],
    ['b', 'y'],
  ];
  it('recursive (c,l): a: 3 < c·(2+1), b: 1 < c·1; class b has only 2 values for l = 3', () => {
    expect(checkLDiversity(rows, [0], 1, { variant: 'recursive', l: 2, c: 1.2 }).satisfied).toBe(true);
    const c1 = checkLDiversity(rows, [0], 1, { variant: 'recursive', l: 2, c: 1 });
    expect(c1).toMatchObject({ satisfied: false, failingClasses: 2, rowsInFailingClasses: 8, values: [1, 1] });
    // The comparison is strict: 3 < 1.01·3 and 1 < 1.01·1 hold.
    expect(checkLDiversity(rows, [0], 1, { variant: 'recursive', l: 2, c: 1.01 }).failingClasses).toBe(0);
    // l = 3 needs 3 values: class b fails whatever c.
    expect(checkLDiversity(rows, [0], 1, { variant: 'recursive', l: 3, c: 9 }).failingRow).toEqual([false, false, false, false, false, false, true, true]);
    expect(checkLDiversity(rows, [0], 1, { variant: 'distinct', l: 3 }).failingClasses).toBe(1);
    const entropy = checkLDiversity(rows, [0], 1, { variant: 'entropy', l: 2 });
    expect(entropy.values[1]).toBeCloseTo(Math.log(2), 12);
    expect(entropy.satisfied).toBe(true);
  });
  it('equal EMD: class a = ½(|3/6−4/8| + |2/6−3/8| + |1/6−1/8|) = 1/24, class b = ½(0 + 1/8 + 1/8) = 1/8', () => {
    const check = checkTCloseness(rows, [0], 1, 0.1, 'equal');
    expect(check.values[0]).toBeCloseTo(1 / 24, 12);
    expect(check.values[1]).toBeCloseTo(1 / 8, 12);
    expect(check.failingClasses).toBe(1);
  });
  it('ordered EMD over sorted numbers: cumulative differences / (m − 1)', () => {
    // Values 1, 2, 3; table {1:2, 2:1, 3:1}/4; class a = {1:2} → cum (1−½, 1−¾, 0) → (½ + ¼ + 0)/2 = 3/8.
    const numeric = [
      ['a', '1'],
      ['a', '1'],
      ['b', '3'],
      ['b', '2'],
    ];
    const check = checkTCloseness(numeric, [0], 1, 0.375, 'ordered');
    expect(check.values[0]).toBeCloseTo(3 / 8, 12);
    expect(check.values[1]).toBeCloseTo(3 / 8, 12);
    expect(check.satisfied).toBe(true);
    // The engine agrees: with one QI whose only levels are {a, b} and *, t = 0.3 fails at level 0, passes at *.
    const h = parseHierarchyCsv('a;*\nb;*');
    const col = encodeColumn('g', ['a', 'a', 'b', 'b'], h);
    const sensitive: SensitiveColumn = { name: 's', ids: Int32Array.from([0, 0, 2, 1]), values: Float64Array.from([1, 2, 3]), cardinality: 3 };
    const spec: PrivacyModelSpec = { model: 't-closeness', t: 0.3, distance: 'ordered', column: 0 };
    const result = searchOptimal([col], { models: [spec], sensitive: [sensitive] });
    expect(result).toMatchObject({ node: [1], satisfied: true, suppressedRows: 0 });
    const atBottom = applyNode([col], [0], { models: [{ ...spec, t: 0.375 }], sensitive: [sensitive] });
    expect(atBottom).toMatchObject({ suppressedRows: 0, classes: 2, smallestClass: 2 });
    expect(atBottom.labels).toEqual([['a', 'a', 'b', 'b']]);
    const suppressedAll = applyNode([col], [0], { models: [spec], sensitive: [sensitive] });
    expect(Array.from(suppressedAll.suppressed)).toEqual([1, 1, 1, 1]);
    expect(suppressedAll).toMatchObject({ classes: 0, smallestClass: 0, labels: [['*', '*', '*', '*']] });
  });
  it('hierarchical EMD: moving mass between siblings costs 1/H per unit, across the top 1', () => {
    // Hierarchy x, y under A; z under B; top *. Classes a = {x}, b = {y} against q = {x: ½, y: ½}: each moves ½
    // between siblings at level 1 of H = 2 → EMD ¼ (the equal distance would be ½).
    const hierarchy = [
      ['x', 'A', '*'],
      ['y', 'A', '*'],
      ['z', 'B', '*'],
    ];
    const two = [
      ['a', 'x'],
      ['b', 'y'],
    ];
    expect(checkTCloseness(two, [0], 1, 0.25, 'hierarchical', undefined, hierarchy).values).toEqual([0.25, 0.25]);
    expect(checkTCloseness(two, [0], 1, 0.25, 'equal').values).toEqual([0.5, 0.5]);
    // The earlier table {x: 4, y: 3, z: 1}: class a = {x: 3, y: 2, z: 1} moves 1/24 across the top → 1/24.
    expect(checkTCloseness(rows, [0], 1, 0.1, 'hierarchical', undefined, hierarchy).values[0]).toBeCloseTo(1 / 24, 12);
    expect(() => checkTCloseness(two, [0], 1, 0.25, 'hierarchical')).toThrow(/hierarchy/);
    // The engine: generalised levels of ids x = 0, y = 1, z = 2.
    const col = encodeColumn('g', ['a', 'b'], parseHierarchyCsv('a;*\nb;*'));
    const sensitive: SensitiveColumn[] = [
      { name: 's', ids: Int32Array.from([0, 1]), generalised: [Int32Array.from([0, 1, 2]), Int32Array.from([0, 0, 1]), Int32Array.from([0, 0, 0])], cardinality: 3 },
    ];
    const spec = (t: number): PrivacyModelSpec => ({ model: 't-closeness', t, distance: 'hierarchical', column: 0 });
    expect(searchOptimal([col], { models: [spec(0.25)], sensitive }).node).toEqual([0]);
    expect(searchOptimal([col], { models: [spec(0.24)], sensitive }).node).toEqual([1]);
    expect(() => searchOptimal([col], { models: [spec(0.2)], sensitive: [{ name: 's', ids: Int32Array.from([0, 1]), cardinality: 3 }] })).toThrow(/hierarchy/);
  });
  it('rejects invalid models', () => {
    const h = parseHierarchyCsv('a;*\nb;*');
    const col = encodeColumn('g', ['a', 'b'], h);
    const sensitive: SensitiveColumn = { name: 's', ids: Int32Array.from([0, 1]), cardinality: 2 };
    const run = (spec: PrivacyModelSpec, s: SensitiveColumn[] = [sensitive]) => () => searchOptimal([col], { models: [spec], sensitive: s });
    expect(run({ model: 'l-diversity', variant: 'recursive', l: 2, column: 0 })).toThrow(XinzhiError);
    expect(run({ model: 'l-diversity', variant: 'distinct', l: 0, column: 0 })).toThrow(XinzhiError);
    expect(run({ model: 'l-diversity', variant: 'distinct', l: 2, column: 1 })).toThrow(/sensitive column 1/);
    expect(run({ model: 't-closeness', t: 0.2, distance: 'ordered', column: 0 })).toThrow(/numeric value/);
    expect(run({ model: 't-closeness', t: 0.2, distance: 'ordered', column: 0 }, [{ ...sensitive, values: Float64Array.from([1, NaN]) }])).toThrow(/numeric value/);
    expect(run({ model: 't-closeness', t: 0.2, distance: 'equal', column: 0 }, [{ ...sensitive, ids: Int32Array.from([0, 5]) }])).toThrow(XinzhiError);
    expect(() => applyNode([col], [2], {})).toThrow(XinzhiError);
  });
});

describe('re-identification risk', () => {
  it('computes the prosecutor, journalist and marketer risk, records at risk, uniques and the histogram by hand', () => {
    const risk = reidentificationRisk([1, 2, 2, 5, 10, 60, 0]);
    expect(risk).toEqual({
      records: 80,
      classes: 6,
      prosecutorMax: 1,
      prosecutorAvg: 6 / 80,
      journalistMax: 1,
      journalistAvg: 6 / 80,
      marketer: 6 / 80,
      threshold: 0.2,
      // Risk above 0.2 means classes smaller than 5: 1 + 2 + 2 records.
      recordsAtRisk: 5 / 80,
      recordsAtRiskCount: 5,
      uniques: 1,
      histogram: { '1': 1, '2': 2, '3-4': 0, '5-9': 1, '10-19': 1, '20-49': 0, '50+': 1 },
    });
    expect(reidentificationRisk(Int32Array.from([4, 4]), 0.3)).toMatchObject({ prosecutorMax: 0.25, recordsAtRisk: 0, histogram: { '3-4': 2 } });
    expect(reidentificationRisk([])).toMatchObject({ records: 0, prosecutorMax: 0, prosecutorAvg: 0, recordsAtRisk: 0 });
  });
  it('classSizesOf groups by the QI columns and leaves excluded rows out', () => {
    const rows = [
      ['a', '1', 'x'],
      ['a', '1', 'y'],
      ['a', '2', 'x'],
      ['b', '1', 'x'],
    ];
    expect(Array.from(classSizesOf(rows, [0, 1])).sort()).toEqual([1, 1, 2]);
    expect(Array.from(classSizesOf(rows, [0])).sort()).toEqual([1, 3]);
    expect(Array.from(classSizesOf(rows, [0, 1], Uint8Array.from([0, 0, 1, 1])))).toEqual([2]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// ARX's Adult setting (b).

const arxDir = path.join(datasetsDir, 'adult', 'arx-hierarchies');
const QIS_B = ['age', 'education', 'marital-status', 'native-country', 'race', 'salary-class', 'sex', 'workclass'];

describe('ARX Adult setting (b): 8 quasi-identifiers, occupation sensitive, 0% suppression', () => {
  const lines = readFileSync(path.join(arxDir, 'adult.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const header = (lines[0] as string).split(';');
  const table = lines.slice(1).map((l) => l.split(';'));
  const columns = QIS_B.map((q) => {
    const h = parseHierarchyCsv(readFileSync(path.join(arxDir, `adult_hierarchy_${q}.csv`), 'utf8'));
    return encodeColumn(q, table.map((r) => r[header.indexOf(q)] as string), h);
  });
  const occupation = table.map((r) => r[header.indexOf('occupation')] as string);
  // Encoded against its hierarchy so the hierarchical distance has the levels; ids are the values in first-seen order.
  const occupationHierarchy = parseHierarchyCsv(readFileSync(path.join(arxDir, 'adult_hierarchy_occupation.csv'), 'utf8'));
  const encoded = encodeColumn('occupation', occupation, occupationHierarchy);
  const sensitive: SensitiveColumn[] = [{ name: 'occupation', ids: encoded.ids, generalised: encoded.generalised, cardinality: encoded.leaves.length }];

  it.each<[string, PrivacyModelSpec]>([
    ['recursive-(4,3)-diversity', { model: 'l-diversity', variant: 'recursive', c: 4, l: 3, column: 0 }],
    ['0.2-closeness (equal distance)', { model: 't-closeness', t: 0.2, distance: 'equal', column: 0 }],
    ['0.2-closeness (hierarchical distance, as ARX)', { model: 't-closeness', t: 0.2, distance: 'hierarchical', column: 0 }],
  ])('%s: satisfied by the independent checker at a minimal node', (label, spec) => {
    const options: SearchOptions = { k: 1, models: [spec], sensitive };
    const result = searchOptimal(columns, options);
    expect(result.satisfied).toBe(true);
    expect(result.suppressedRows).toBe(0);
    const q = columns.length;
    const rows = rowsAt(columns, result.node, occupation);
    const hierarchy = occupationHierarchy.rows;
    expect(checkModel(rows, q, spec, undefined, hierarchy).satisfied).toBe(true);
    // Minimal: lowering any level breaks the model (it is monotone with 0% suppression).
    result.node.forEach((level, d) => {
      if (level === 0) return;
      const lower = result.node.map((l, i) => (i === d ? l - 1 : l));
      expect(checkModel(rowsAt(columns, lower, occupation), q, spec, undefined, hierarchy).satisfied).toBe(false);
    });
    const applied = applyNode(columns, result.node, options);
    expect(applied.suppressedRows).toBe(0);
    console.log(
      `Adult (b) ${label}: levels [${result.node}] (${QIS_B.join(', ')}), loss ${result.loss.toFixed(4)}, ${result.classes} classes, ` +
        `${result.nodesChecked} nodes checked, search ${result.searchMs.toFixed(1)} ms`,
    );
  });
});
