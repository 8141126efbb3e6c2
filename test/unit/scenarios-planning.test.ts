import { describe, expect, it } from 'vitest';
import { explainInfeasible, solveLp } from '../../src/main/core/optimise/lp.js';
import { generatePlanSample, planDashboard, solvePlan, type PlanInput } from '../../src/main/core/scenarios/planning.js';

/** Hillier & Lieberman's Wyndor Glass LP: max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 → (2, 6), 36; duals 0, 1.5, 1. */
const wyndor: PlanInput = {
  products: [
    { id: 'doors', price: 3, unitCost: 0, minDemand: 0, maxDemand: Infinity },
    { id: 'windows', price: 5, unitCost: 0, minDemand: 0, maxDemand: Infinity },
  ],
  resources: [
    { id: 'plant1', capacity: 4 },
    { id: 'plant2', capacity: 12 },
    { id: 'plant3', capacity: 18 },
  ],
  usage: [
    { product: 'doors', resource: 'plant1', amount: 1 },
    { product: 'windows', resource: 'plant2', amount: 2 },
    { product: 'doors', resource: 'plant3', amount: 3 },
    { product: 'windows', resource: 'plant3', amount: 2 },
  ],
};

describe('production planner (HiGHS)', () => {
  it('finds the textbook optimum and shadow prices of the Wyndor Glass LP', async () => {
    const plan = await solvePlan(wyndor);
    expect(plan.status).toBe('optimal');
    expect(plan.profit).toBeCloseTo(36, 9);
    expect(plan.quantities[0]).toBeCloseTo(2, 9);
    expect(plan.quantities[1]).toBeCloseTo(6, 9);
    expect(plan.shadowPrices[0]).toBeCloseTo(0, 9);
    expect(plan.shadowPrices[1]).toBeCloseTo(1.5, 9);
    expect(plan.shadowPrices[2]).toBeCloseTo(1, 9);
    expect(plan.used).toEqual([2, 12, 18]);
  });

  it('a shadow price is the profit of one more unit of capacity', async () => {
    const more = await solvePlan({ ...wyndor, resources: wyndor.resources.map((r) => (r.id === 'plant3' ? { ...r, capacity: 19 } : r)) });
    expect((more.profit as number) - 36).toBeCloseTo(1, 9);
  });

  it('explains an infeasible plan by the cheapest bounds to relax', async () => {
    // doors need 2 hours of plant1 each: at most 2 doors, but 3 are demanded; the demand must give 1 (the capacity would have to give 2).
    const conflict: PlanInput = {
      ...wyndor,
      products: wyndor.products.map((p) => (p.id === 'doors' ? { ...p, minDemand: 3 } : p)),
      usage: wyndor.usage.map((u) => (u.product === 'doors' && u.resource === 'plant1' ? { ...u, amount: 2 } : u)),
    };
    const plan = await solvePlan(conflict);
    expect(plan.status).toBe('infeasible');
    expect(plan.profit).toBeNull();
    expect(plan.violations).toHaveLength(1);
    expect(plan.violations[0]).toMatchObject({ kind: 'minDemand', id: 'doors' });
    expect(plan.violations[0]?.amount).toBeCloseTo(1, 9);
  });

  it('names a capacity when relaxing it is cheaper than the demand', async () => {
    // doors use 0.5 h of plant1 each and plant1 has 1 h: at most 2 doors, 3 demanded. Half an hour more of plant1 (cost 0.5) beats one door less (cost 1).
    const conflict: PlanInput = {
      ...wyndor,
      products: wyndor.products.map((p) => (p.id === 'doors' ? { ...p, minDemand: 3 } : p)),
      resources: wyndor.resources.map((r) => (r.id === 'plant1' ? { ...r, capacity: 1 } : r)),
      usage: wyndor.usage.map((u) => (u.product === 'doors' && u.resource === 'plant1' ? { ...u, amount: 0.5 } : u)),
    };
    const plan = await solvePlan(conflict);
    expect(plan.status).toBe('infeasible');
    expect(plan.violations).toEqual([{ kind: 'capacity', id: 'plant1', amount: expect.closeTo(0.5, 9) as number }]);
    const direct = await explainInfeasible(
      { sense: 'maximize', objective: [3, 5], lower: [3, 0], rows: [{ coefficients: [[0, 0.5]], upper: 1 }] },
      { rows: [0], lowerBounds: [0, 1], upperBounds: [] },
    );
    expect(direct).toEqual([{ kind: 'row', index: 0, amount: expect.closeTo(0.5, 9) as number }]);
  });

  it('solves an LP given as arrays with equality and ranged rows', async () => {
    const s = await solveLp({ sense: 'minimize', objective: [1, 1], rows: [{ coefficients: [[0, 1], [1, 1]], lower: 2, upper: 2 }, { coefficients: [[0, 1]], lower: 0.5, upper: 1.5 }] });
    expect(s.status).toBe('optimal');
    expect(s.objective).toBeCloseTo(2, 9);
    expect((s.primal[0] as number) + (s.primal[1] as number)).toBeCloseTo(2, 9);
  });

  it('the sample factory is seeded, feasible, and binds at least one resource', async () => {
    expect(generatePlanSample()).toEqual(generatePlanSample());
    const { dashboard, outcome } = await planDashboard(generatePlanSample(), {});
    expect(outcome.status).toBe('optimal');
    expect(outcome.profit).toBeGreaterThan(0);
    expect(dashboard.kpis.find((k) => k.key === 'bindingConstraints')?.value).toBeGreaterThan(0);
    expect(outcome.shadowPrices.some((d) => d > 0)).toBe(true);
  });

  it('what-if: more capacity on a binding resource never lowers profit, raising minimum demand far makes it infeasible', async () => {
    const sample = generatePlanSample();
    const base = await planDashboard(sample, {});
    const binding = base.outcome.shadowPrices.findIndex((d) => d > 0);
    const id = sample.resources[binding]?.id as string;
    const more = await planDashboard(sample, { [`cap:${id}`]: 150 });
    expect(more.outcome.profit as number).toBeGreaterThan(base.outcome.profit as number);
    const tooMuch = await planDashboard(sample, { demandMin: 300, [`cap:${id}`]: 20 });
    expect(tooMuch.outcome.status).toBe('infeasible');
    expect(tooMuch.dashboard.notes.some((n) => n.key === 'conflictCapacity' || n.key === 'conflictMinDemand')).toBe(true);
    expect(tooMuch.dashboard.kpis.find((k) => k.key === 'profit')?.value).toBeNull();
  });
});
