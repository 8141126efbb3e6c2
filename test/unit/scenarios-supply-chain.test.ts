import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Graph from 'graphology';
import { articulationPoints, buildGraph, generateSupplySample, propagateFailure, supplyDashboard, type SupplyInput } from '../../src/main/core/scenarios/supply-chain.js';

/** Removing v disconnects the graph's component of v: the brute-force definition of an articulation point. */
function bruteForce(graph: Graph): string[] {
  const components = (g: Graph, without: string | null) => {
    const seen = new Set<string>();
    let count = 0;
    for (const start of g.nodes()) {
      if (start === without || seen.has(start)) continue;
      count++;
      const stack = [start];
      seen.add(start);
      while (stack.length) for (const n of g.neighbors(stack.pop() as string)) if (n !== without && !seen.has(n)) (seen.add(n), stack.push(n));
    }
    return count;
  };
  const base = components(graph, null);
  // Removing an isolated node lowers the count by one; anything else that raises it is a cut vertex.
  return graph.nodes().filter((v) => components(graph, v) > base - (graph.degree(v) === 0 ? 1 : 0)).sort();
}

describe('supply-chain network', () => {
  const input: SupplyInput = {
    supplies: [
      { supplier: 'A', part: 'bolt' },
      { supplier: 'B', part: 'bolt' },
      { supplier: 'C', part: 'chip' },
    ],
    bom: [
      { product: 'phone', part: 'bolt' },
      { product: 'phone', part: 'chip' },
      { product: 'lamp', part: 'bolt' },
    ],
    products: [
      { product: 'phone', plant: 'P1', revenue: 700 },
      { product: 'lamp', plant: 'P1', revenue: 300 },
    ],
  };

  it('finds the articulation points of a hand-drawn network', () => {
    // chip is C's only link to the rest; phone joins chip to the bolt side; bolt joins A and B; P1 holds nothing alone.
    expect(articulationPoints(buildGraph(input))).toEqual(['part:bolt', 'part:chip', 'product:phone']);
  });

  it('property: Tarjan agrees with removing each node', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 30 }), (n, edges) => {
        const g = new Graph({ type: 'undirected' });
        for (let i = 0; i < n; i++) g.addNode(String(i));
        for (const [a, b] of edges) if (a < n && b < n && a !== b && !g.hasEdge(String(a), String(b))) g.addEdge(String(a), String(b));
        expect(articulationPoints(g)).toEqual(bruteForce(g));
      }),
    );
  });

  it('a supplier failure propagates to parts, products and revenue', () => {
    expect(propagateFailure(input, new Set(['A']))).toEqual({ lostParts: [], lostProducts: [], revenueAtRisk: 0 });
    expect(propagateFailure(input, new Set(['A', 'B']))).toEqual({ lostParts: ['bolt'], lostProducts: ['lamp', 'phone'], revenueAtRisk: 1000 });
    expect(propagateFailure(input, new Set(['C']))).toEqual({ lostParts: ['chip'], lostProducts: ['phone'], revenueAtRisk: 700 });
  });

  it('the dashboard recomputes from the failed-supplier switches', () => {
    const none = supplyDashboard(input, {});
    expect(none.kpis.find((k) => k.key === 'revenueAtRisk')?.value).toBe(0);
    expect(none.kpis.find((k) => k.key === 'singleSourcedParts')?.value).toBe(1);
    const c = supplyDashboard(input, { 'fail:C': 1 });
    expect(c.kpis.find((k) => k.key === 'revenueAtRisk')?.value).toBe(700);
    expect(c.kpis.find((k) => k.key === 'revenueAtRiskShare')?.value).toBeCloseTo(0.7, 12);
    expect(c.charts[0]?.nodes?.find((n) => n.id === 'product:phone')?.flag).toBe('lost');
  });

  it('the sample is seeded and has single points of failure', () => {
    expect(generateSupplySample()).toEqual(generateSupplySample());
    const d = supplyDashboard(generateSupplySample(), {});
    expect(d.kpis.find((k) => k.key === 'articulationPoints')?.value).toBeGreaterThan(0);
    expect(d.controls).toHaveLength(new Set(generateSupplySample().supplies.map((s) => s.supplier)).size);
  });
});
