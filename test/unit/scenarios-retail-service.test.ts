// KPI arithmetic of the retail and customer-service scenarios against hand-computed values, and their seeded samples.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalogueCoverage, cosineRows, generateShopSample, holdOutByTime, implicitTrainingRows, popularityPercentiles, precisionRecallAtK, retailDashboard, timeOf, type RetailBase } from '../../src/main/core/scenarios/retail.js';
import { complaintTerms, generateServiceSample, routingAt, serviceDashboard, teamOf, type ServiceBase } from '../../src/main/core/scenarios/service-desk.js';

describe('retail KPIs (hand-computed)', () => {
  it('precision@k and recall@k', () => {
    // Top 3 = a, b, c; relevant = b, d: 1 hit → precision 1/3, recall 1/2. At k = 1: 0 hits.
    const r = precisionRecallAtK(['a', 'b', 'c', 'd'], new Set(['b', 'd']), 3);
    expect(r).toEqual({ hits: 1, precision: 1 / 3, recall: 1 / 2 });
    expect(precisionRecallAtK(['a', 'b', 'c', 'd'], new Set(['b', 'd']), 1)).toEqual({ hits: 0, precision: 0, recall: 0 });
    expect(precisionRecallAtK(['a', 'b', 'c', 'd'], new Set(['b', 'd']), 4).recall).toBe(1);
  });

  it('catalogue coverage', () => {
    // Lists {a, b}, {b, c}: 3 distinct of 10 items.
    expect(catalogueCoverage([['a', 'b'], ['b', 'c']], 10)).toBeCloseTo(0.3, 12);
    expect(catalogueCoverage([], 0)).toBe(0);
  });

  it('popularity percentiles as pandas rank(pct) with average ties, from 0 to 1', () => {
    // counts 5, 1, 3, 3: ranks 4, 1, 2.5, 2.5 → (rank − 1) / 3.
    expect(popularityPercentiles([5, 1, 3, 3])).toEqual([1, 0, 0.5, 0.5]);
  });

  it('the time-based hold-out keeps each customer’s latest 20 % (rounded up), customers with < 5 rows untouched', () => {
    const customers = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b'];
    const times = [6, 1, 5, 2, 3, 4, 1, 2];
    // a has 6 rows: ⌈1.2⌉ = 2 held out, the two latest (times 6 and 5); b has only 2.
    expect(holdOutByTime(customers, times)).toEqual([true, false, true, false, false, false, false, false]);
    expect(timeOf('2025-01-02 10:00')).toBe(Date.UTC(2025, 0, 2, 10));
    expect(Number.isNaN(timeOf('yesterday'))).toBe(true);
    expect(timeOf(1_735_776_000)).toBe(Date.UTC(2025, 0, 2));
    expect(timeOf(1_735_776_000_000)).toBe(Date.UTC(2025, 0, 2));
  });

  it('implicit training rows: liked purchases are positives, as many untouched items per customer are negatives', () => {
    // Ratings 1…5: liked from 3. a liked x (5) and disliked y (1); b liked x (4); b's z is held out (not training).
    const rows = implicitTrainingRows(['a', 'a', 'b', 'b'], ['x', 'y', 'x', 'z'], [5, 1, 4, 3], [true, true, true, false], ['x', 'y', 'z', 'w'], 1);
    expect(rows.filter((r) => r.preference > 0).map((r) => [r.customer, r.item])).toEqual([
      ['a', 'x'],
      ['b', 'x'],
    ]);
    const negatives = rows.filter((r) => r.preference === 0);
    expect(negatives).toHaveLength(2);
    // Never an item the customer touched in training (a's y is disliked, not a negative).
    expect(negatives.find((r) => r.customer === 'a')?.item).toMatch(/^[zw]$/);
    expect(negatives.find((r) => r.customer === 'b')?.item).toMatch(/^[yzw]$/);
    // Without ratings every interaction is a positive.
    expect(implicitTrainingRows(['a', 'a'], ['x', 'y'], [null, null], [true, true], ['x', 'y', 'z'], 1).filter((r) => r.preference === 1)).toHaveLength(2);
  });

  it('held-out rows are never training rows: a property', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 60 }), (pairs) => {
        const held = holdOutByTime(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        for (const c of ['a', 'b', 'c']) {
          const rows = pairs.map((p, i) => ({ ...p, i })).filter((p) => p[0] === c);
          const h = rows.filter((r) => held[r.i]);
          if (rows.length < 5) expect(h).toHaveLength(0);
          else expect(h).toHaveLength(Math.ceil(rows.length * 0.2));
          // Every held-out row is at least as late as every kept one.
          const kept = rows.filter((r) => !held[r.i]);
          for (const x of h) for (const y of kept) expect(x[1]).toBeGreaterThanOrEqual(y[1]);
        }
      }),
    );
  });

  it('cosine of factor rows', () => {
    const Q = [1, 0, 0, 1, 1, 1];
    expect(cosineRows(Q, 2, 0, 1)).toBeCloseTo(0, 12);
    expect(cosineRows(Q, 2, 0, 2)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('dashboard: a two-customer shop by hand', () => {
    // One factor; items A (popular), B, C. Customer u likes C (q = 1, p = 1) but A has a large bias.
    const base: RetailBase = {
      items: [
        { id: 'A', name: 'A', category: 'x' },
        { id: 'B', name: 'B', category: 'x' },
        { id: 'C', name: 'C', category: 'y' },
      ],
      popularity: [10, 1, 2],
      model: { factors: 1, globalMean: 0, userIds: ['u', 'v'], itemIds: ['A', 'B', 'C'], userBias: [0, 0], itemBias: [0.5, 0, 0], P: [0.6, -1], Q: [0, -1, 1] },
      seen: [[], [0]],
      heldOut: [[2], [1]],
      rmse: null,
    };
    const at1 = retailDashboard(base, { k: 1, penalty: 0 });
    // u: A 0.5, B −0.6, C 0.6 → C (hit). v: seen A; B 1, C −1 → B (hit). precision@1 = recall@1 = 1.
    expect(at1.kpis.find((k) => k.key === 'precisionAtK')?.value).toBe(1);
    expect(at1.kpis.find((k) => k.key === 'coverage')?.value).toBeCloseTo(2 / 3, 12);
    // Baseline: u gets A (miss), v gets C (miss, the most popular unseen).
    expect(at1.kpis.find((k) => k.key === 'baselinePrecisionAtK')?.value).toBe(0);
    const at2 = retailDashboard(base, { k: 2, penalty: 0 });
    // u: C, A → 1 hit / 2; v: B, C → 1 hit / 2. precision 0.5, recall 1.
    expect(at2.kpis.find((k) => k.key === 'precisionAtK')?.value).toBe(0.5);
    expect(at2.kpis.find((k) => k.key === 'recallAtK')?.value).toBe(1);
    expect(at2.kpis.find((k) => k.key === 'coverage')?.value).toBe(1);
  });

  it('the seeded shop: Zipf-skewed popularity, every customer with ≥ 5 interactions, same output for the same seed', () => {
    const s = generateShopSample();
    expect(generateShopSample()).toEqual(s);
    expect(s.items).toHaveLength(160);
    const counts = new Map<string, number>();
    for (const r of s.interactions) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    // The top 10 % of items take far more than 10 % of the interactions.
    expect(sorted.slice(0, 16).reduce((a, b) => a + b, 0) / s.interactions.length).toBeGreaterThan(0.3);
    const perCustomer = new Map<string, number>();
    for (const r of s.interactions) perCustomer.set(r.customer, (perCustomer.get(r.customer) ?? 0) + 1);
    expect(Math.min(...perCustomer.values())).toBeGreaterThanOrEqual(5);
    expect(s.interactions.every((r) => r.rating >= 1 && r.rating <= 5)).toBe(true);
  });
});

describe('customer-service KPIs (hand-computed)', () => {
  it('routing share and accuracy of auto-routed messages at a confidence threshold', () => {
    const confidence = [0.9, 0.8, 0.55, 0.4, 0.3];
    const correct = [true, false, true, true, false];
    // ≥ 0.5: 3 routed of 5 (60 %), 2 of them right.
    expect(routingAt(confidence, correct, 0.5)).toEqual({ routed: 3, routedShare: 0.6, accuracy: 2 / 3 });
    expect(routingAt(confidence, correct, 0.95)).toEqual({ routed: 0, routedShare: 0, accuracy: null });
    expect(routingAt(confidence, correct, 0)).toEqual({ routed: 5, routedShare: 1, accuracy: 0.6 });
  });

  it('teams by intent, complaint terms by smoothed log-odds', () => {
    expect(teamOf('refund')).toBe('billing');
    expect(teamOf('投诉')).toBe('customerRelations');
    expect(teamOf('warranty')).toBe('warranty');
    const terms = complaintTerms(['bad bad product', 'bad service', 'good product', 'good service'], [true, true, false, false], 5, 2);
    // "bad": 2 of 2 negative, 0 of 2 other → log(3/1) − log(1/3) = log 9; "product" and "service": 1 and 1 → 0.
    expect(terms[0]).toMatchObject({ term: 'bad', count: 2 });
    expect(terms[0]?.logOdds).toBeCloseTo(Math.log(9), 12);
    expect(terms.find((t) => t.term === 'product')?.logOdds).toBeCloseTo(0, 12);
    // Function words never count as what customers complain about, however often negative messages use them.
    expect(complaintTerms(['this is bad', 'this is so bad', '这个 很 差', 'this is fine'], [true, true, true, false], 10, 1).map((t) => t.term)).not.toContain('this');
    const sample = generateServiceSample();
    const top = complaintTerms(sample.map((m) => m.message), sample.map((m) => m.sentiment === 'negative')).map((t) => t.term);
    for (const filler of ['this', 'about', 'am', 'again', '很', '真的', 'really']) expect(top).not.toContain(filler);
    expect(top).toEqual(expect.arrayContaining(['失望', 'terrible']));
  });

  it('dashboard: urgent = predicted complaint with negative sentiment; the threshold moves the human queue', () => {
    const base: ServiceBase = {
      heldOut: { id: ['1', '2', '3'], message: ['a', 'b', 'c'], intent: ['complaint', 'refund', 'refund'], predicted: ['complaint', 'refund', 'delivery'], confidence: [0.9, 0.6, 0.3], sentiment: ['negative', 'negative', 'neutral'] },
      daily: [
        { day: '2025-03-01', negative: 1, predictedNegative: 2, total: 4 },
        { day: '2025-03-02', negative: 3, predictedNegative: 3, total: 4 },
      ],
      terms: [],
      intentAccuracy: 2 / 3,
      sentimentAccuracy: 1,
      intentMacroF1: null,
    };
    const d = serviceDashboard(base, { confidence: 0.5 });
    const kpi = (key: string) => d.kpis.find((k) => k.key === key)?.value;
    expect(kpi('routedShare')).toBeCloseTo(2 / 3, 12);
    expect(kpi('autoAccuracy')).toBe(1);
    expect(kpi('humanQueue')).toBe(1);
    expect(kpi('urgent')).toBe(1);
    expect(kpi('negativeShare')).toBe(0.5);
    // Daily 1/4 and 3/4; the 7-day pooled share on day 2 is 4/8.
    expect(d.charts[0]?.series.map((x) => x.values)).toEqual([[0.25, 0.75], [0.5, 0.75], [0.25, 0.5]]);
    expect(d.tables[0]?.rows.map((r) => r[5])).toEqual(['customerRelations', 'billing', 'humanQueue']);
    expect(serviceDashboard(base, { confidence: 0.2 }).kpis.find((k) => k.key === 'humanQueue')?.value).toBe(0);
  });

  it('the seeded messages: both languages, every intent and sentiment, 60 days', () => {
    const m = generateServiceSample();
    expect(generateServiceSample()).toEqual(m);
    expect(m).toHaveLength(1200);
    expect(new Set(m.map((x) => x.intent))).toEqual(new Set(['refund', 'delivery', 'account', 'complaint', 'inquiry']));
    expect(new Set(m.map((x) => x.sentiment))).toEqual(new Set(['positive', 'negative', 'neutral']));
    const zh = m.filter((x) => /\p{Script=Han}/u.test(x.message)).length;
    expect(zh / m.length).toBeGreaterThan(0.4);
    expect(zh / m.length).toBeLessThan(0.6);
    expect(new Set(m.map((x) => x.time.slice(0, 10))).size).toBe(60);
  });
});
