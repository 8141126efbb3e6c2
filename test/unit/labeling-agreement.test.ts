// Labeling rules: kappas equal to scikit-learn / statsmodels (fixture), overlap sampling, majority vote and ties.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agreementInputs, cohenKappa, fleissKappa, inOverlap, labelsWanted, majorityLabel } from '../../src/main/core/labeling/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/labeling-kappa.json', import.meta.url), 'utf8')) as {
  cohen: { a: string[]; b: string[]; kappa: number }[];
  fleiss: { table: number[][]; kappa: number }[];
};

describe('agreement', () => {
  it("Cohen's κ equals sklearn.metrics.cohen_kappa_score", () => {
    for (const c of fixture.cohen) expect(cohenKappa(c.a, c.b)).toBeCloseTo(c.kappa, 12);
    expect(Number.isNaN(cohenKappa(['a', 'a'], ['a', 'a']))).toBe(true);
    expect(() => cohenKappa(['a'], [])).toThrow();
  });

  it("Fleiss' κ equals statsmodels' fleiss_kappa (incl. Fleiss 1971: 0.210)", () => {
    for (const f of fixture.fleiss) expect(fleissKappa(f.table)).toBeCloseTo(f.kappa, 12);
    expect(fixture.fleiss.at(-1)!.kappa).toBeCloseTo(0.21, 3);
    expect(() => fleissKappa([[1, 1], [2, 1]])).toThrow();
  });

  it("two annotators: Fleiss' table from the rows, Cohen's pairs over the shared rows", () => {
    const rows = [
      { row: 1, byAnnotator: new Map([['x', 'a'], ['y', 'a']]) },
      { row: 2, byAnnotator: new Map([['x', 'b'], ['y', 'a']]) },
      { row: 3, byAnnotator: new Map([['x', 'b']]) },
    ];
    const inputs = agreementInputs(rows, ['a', 'b']);
    expect(inputs.pairs).toEqual([{ a: 'x', b: 'y', labelsA: ['a', 'b'], labelsB: ['a', 'a'] }]);
    expect(inputs.fleiss).toEqual({ raters: 2, table: [[2, 0], [1, 1]] });
  });
});

describe('overlap sampling', () => {
  it('selects about the share asked for, the same rows every time, none at 0 and all at 1', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const picked = rows.filter((r) => inOverlap(r, 0.2, 7));
    expect(picked.length / rows.length).toBeGreaterThan(0.18);
    expect(picked.length / rows.length).toBeLessThan(0.22);
    expect(rows.filter((r) => inOverlap(r, 0.2, 7))).toEqual(picked);
    expect(rows.filter((r) => inOverlap(r, 0.2, 8))).not.toEqual(picked);
    expect(rows.some((r) => inOverlap(r, 0, 7))).toBe(false);
    expect(rows.every((r) => inOverlap(r, 1, 7))).toBe(true);
    expect(labelsWanted(picked[0]!, 0.2, 3, 7)).toBe(3);
    expect(labelsWanted(rows.find((r) => !inOverlap(r, 0.2, 7))!, 0.2, 3, 7)).toBe(1);
  });
});

describe('majority vote', () => {
  it('takes the most frequent label; ties go to the class listed first, then to the label given first', () => {
    expect(majorityLabel(['b', 'a', 'b'], ['a', 'b'])).toBe('b');
    expect(majorityLabel(['b', 'a'], ['a', 'b'])).toBe('a');
    expect(majorityLabel(['b', 'a'], ['b', 'a'])).toBe('b');
    expect(majorityLabel(['free one', 'free two'])).toBe('free one');
    expect(majorityLabel([])).toBeNull();
  });
});
