import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { costSaved, countsAt, creditAt, scoreHistogram } from '../../src/main/core/scenarios/kpis.js';
import { maintenanceDashboard, type MaintenanceBase } from '../../src/main/core/scenarios/maintenance.js';
import { ageBand, approvalFairness, creditDashboard, sexOf } from '../../src/main/core/scenarios/credit.js';

describe('scenario KPI arithmetic (hand-computed)', () => {
  const scores = [0.9, 0.8, 0.6, 0.4, 0.3, 0.1];
  const labels = [1, 0, 1, 1, 0, 0];

  it('counts at a threshold and the cost saved', () => {
    const c = countsAt(scores, labels, 0.5);
    expect(c).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
    // 2 caught failures × (10 000 − 500) − 1 false alarm × 500 = 18 500.
    expect(costSaved(c, 10000, 500)).toBe(18500);
    expect(costSaved(countsAt(scores, labels, 0.95), 10000, 500)).toBe(0);
    // Flag everything: 3 × 9 500 − 3 × 500 = 27 000.
    expect(costSaved(countsAt(scores, labels, 0), 10000, 500)).toBe(27000);
  });

  it('approval rate, bad rate and bads caught at a cut-off', () => {
    // Approve scores < 0.5: 0.4 (bad), 0.3, 0.1 → 3 of 6 approved, 1 of 3 approved is bad, 2 of 3 bads rejected.
    const at = creditAt(scores, labels, 0.5);
    expect(at.approved).toBe(3);
    expect(at.approvalRate).toBeCloseTo(0.5, 12);
    expect(at.badRate).toBeCloseTo(1 / 3, 12);
    expect(at.badsCaught).toBeCloseTo(2 / 3, 12);
    expect(creditAt(scores, labels, 0).badRate).toBeNull();
  });

  it('group approval rates, disparate impact and parity difference from the fairness engine', () => {
    // 30 f (10 approved) and 40 m (30 approved): m is the reference (the larger group); DI = (1/3) / (3/4) = 4/9.
    const groups = [...Array<string>(30).fill('f'), ...Array<string>(40).fill('m')];
    const approved = groups.map((g, i) => (g === 'f' ? i < 10 : i < 60));
    const bad = groups.map((_, i) => i % 2);
    const g = approvalFairness('sex', groups, bad, approved);
    expect(g.rates.map((r) => [r.group, r.n, r.rate])).toEqual([
      ['f', 30, 1 / 3],
      ['m', 40, 3 / 4],
    ]);
    expect(g.parityDifference).toBeCloseTo(3 / 4 - 1 / 3, 12);
    expect(g.disparateImpact).toBeCloseTo(4 / 9, 12);
    expect(g.rates.map((r) => r.verdict)).toEqual(['fail', 'reference']);
    // Groups under the minimum size are shown but not compared.
    expect(approvalFairness('sex', ['f', 'm', 'm'], [0, 0, 1], [true, false, true]).parityDifference).toBeNull();
  });

  it('property: the histogram counts every row once; approval rate falls as the cut-off falls', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (rows, a, b) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const h = scoreHistogram(s, y);
        expect(h.negative.reduce((p, v) => p + v, 0) + h.positive.reduce((p, v) => p + v, 0)).toBe(rows.length);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(creditAt(s, y, lo).approved).toBeLessThanOrEqual(creditAt(s, y, hi).approved);
      }),
    );
  });

  it('German Credit codes: sex from personal_status and age bands', () => {
    expect(['A91', 'A92', 'A93', 'A94', 'A95'].map(sexOf)).toEqual(['male', 'female', 'male', 'male', 'female']);
    expect([19, 25, 34, 35, 49, 50, null].map(ageBand)).toEqual(['<25', '25-34', '25-34', '35-49', '35-49', '50+', 'unknown']);
  });

  it('dashboards recompute from the what-if settings', () => {
    const base: MaintenanceBase = {
      heldOut: { score: scores, label: labels, anomaly: [0.7, 0.2, 0.5, 0.6, 0.1, 0.2], machine: ['a', 'b', 'c', 'd', 'e', 'f'], group: ['L', 'L', 'M', 'M', 'H', 'H'] },
      failureTypes: [{ name: 'TWF', count: 3 }],
      drivers: [{ feature: 'Torque', importance: 0.2 }],
      rocAuc: 0.8,
      anomalyAuc: 0.7,
    };
    const d = maintenanceDashboard(base, { threshold: 0.5 });
    expect(d.kpis.find((k) => k.key === 'costSaved')?.value).toBe(18500);
    expect(d.tables[0]?.rows.map((r) => r[0])).toEqual(['a', 'b', 'c']);
    const stricter = maintenanceDashboard(base, { threshold: 0.85, costInspection: 1000 });
    expect(stricter.kpis.find((k) => k.key === 'costSaved')?.value).toBe(9000);
    expect(stricter.whatIf.threshold).toBe(0.85);
    const credit = creditDashboard({ heldOut: { score: scores, bad: labels, sex: ['female', 'male', 'female', 'male', 'female', 'male'], ageBand: ['<25', '<25', '25-34', '25-34', '50+', '50+'] }, reasons: [], rocAuc: 0.75 }, { cutoff: 0.5 });
    expect(credit.kpis.find((k) => k.key === 'approvalRate')?.value).toBeCloseTo(0.5, 12);
    expect(credit.kpis.find((k) => k.key === 'gini')?.value).toBeCloseTo(0.5, 12);
  });
});
