/**
 * Production planning: how many of each product to make for the most profit, within machine-hours, materials
 * and demand bounds. A linear programme solved by HiGHS; shadow prices are the capacity rows' duals, and an
 * infeasible plan is explained by the elastic programme (which demand minimums or capacities must give).
 */
import { mulberry32 } from '../random.js';
import { explainInfeasible, solveLp, type LpModel } from '../optimise/lp.js';
import type { Dashboard, WhatIf, WhatIfControl } from '../../../shared/model/scenarios.js';

export interface PlanProduct {
  id: string;
  price: number;
  /** Cost per unit other than the modelled resources (labour, energy…); unit profit = price − unitCost. */
  unitCost: number;
  minDemand: number;
  maxDemand: number;
}

export interface PlanResource {
  id: string;
  capacity: number;
}

export interface PlanInput {
  products: PlanProduct[];
  resources: PlanResource[];
  /** How much of a resource one unit of a product uses (pairs not listed use none). */
  usage: { product: string; resource: string; amount: number }[];
}

export interface PlanOutcome {
  status: 'optimal' | 'infeasible' | 'unbounded' | 'other';
  profit: number | null;
  revenue: number | null;
  quantities: number[];
  /** Per resource: used amount, utilisation (used / capacity) and shadow price (profit per extra unit of capacity). */
  used: number[];
  shadowPrices: number[];
  reducedCosts: number[];
  /** Infeasible plans: the bounds that conflict and by how much each must give. */
  violations: { kind: 'capacity' | 'minDemand'; id: string; amount: number }[];
}

/** What-if keys: `price` and `demandMin`/`demandMax` (percent of the data's values), `cap:<resource>` (percent of its capacity). */
export const PLAN_WHAT_IF_DEFAULTS = { price: 100, demandMin: 100, demandMax: 100 } as const;

export function planControls(input: PlanInput): WhatIfControl[] {
  return [
    { key: 'price', min: 50, max: 150, step: 5, format: 'percent' },
    { key: 'demandMin', min: 0, max: 300, step: 10, format: 'percent' },
    { key: 'demandMax', min: 50, max: 200, step: 10, format: 'percent' },
    ...input.resources.map((r) => ({ key: `cap:${r.id}`, label: r.id, min: 0, max: 200, step: 5, format: 'percent' as const })),
  ];
}

export function defaultPlanWhatIf(input: PlanInput): WhatIf {
  return { ...PLAN_WHAT_IF_DEFAULTS, ...Object.fromEntries(input.resources.map((r) => [`cap:${r.id}`, 100])) };
}

/** The plan's inputs with the what-if percentages applied. */
export function applyPlanWhatIf(input: PlanInput, whatIf: WhatIf): PlanInput {
  const pct = (key: string, fallback = 100) => (whatIf[key] ?? fallback) / 100;
  return {
    products: input.products.map((p) => ({ ...p, price: p.price * pct('price'), minDemand: p.minDemand * pct('demandMin'), maxDemand: p.maxDemand * pct('demandMax') })),
    resources: input.resources.map((r) => ({ ...r, capacity: r.capacity * pct(`cap:${r.id}`) })),
    usage: input.usage,
  };
}

/** maximise Σ (price − unitCost)·x  s.t.  Σ usage·x ≤ capacity (per resource),  minDemand ≤ x ≤ maxDemand. */
export function planModel(input: PlanInput): LpModel {
  const productIndex = new Map(input.products.map((p, j) => [p.id, j]));
  const resourceIndex = new Map(input.resources.map((r, i) => [r.id, i]));
  const rows = input.resources.map((r) => ({ coefficients: [] as [number, number][], upper: r.capacity }));
  for (const u of input.usage) {
    const j = productIndex.get(u.product);
    const i = resourceIndex.get(u.resource);
    if (j === undefined || i === undefined || u.amount === 0) continue;
    (rows[i] as { coefficients: [number, number][] }).coefficients.push([j, u.amount]);
  }
  return {
    sense: 'maximize',
    objective: input.products.map((p) => p.price - p.unitCost),
    lower: input.products.map((p) => p.minDemand),
    upper: input.products.map((p) => (Number.isFinite(p.maxDemand) ? p.maxDemand : Infinity)),
    rows,
  };
}

export async function solvePlan(input: PlanInput): Promise<PlanOutcome> {
  const model = planModel(input);
  const solved = await solveLp(model);
  const nP = input.products.length;
  const nR = input.resources.length;
  if (solved.status !== 'optimal') {
    const violations =
      solved.status === 'infeasible'
        ? (await explainInfeasible(model, { rows: input.resources.map((_, i) => i), lowerBounds: input.products.map((_, j) => j), upperBounds: [] })).map((v) =>
            v.kind === 'row'
              ? { kind: 'capacity' as const, id: (input.resources[v.index] as PlanResource).id, amount: v.amount }
              : { kind: 'minDemand' as const, id: (input.products[v.index] as PlanProduct).id, amount: v.amount },
          )
        : [];
    return { status: solved.status, profit: null, revenue: null, quantities: new Array<number>(nP).fill(0), used: new Array<number>(nR).fill(0), shadowPrices: new Array<number>(nR).fill(0), reducedCosts: new Array<number>(nP).fill(0), violations };
  }
  // HiGHS reports tiny negative zeros and 1e-12 residues; round them to what a planner reads.
  const clean = (v: number) => (Math.abs(v) < 1e-9 ? 0 : v);
  const quantities = solved.primal.map(clean);
  return {
    status: 'optimal',
    profit: solved.objective,
    revenue: quantities.reduce((s, x, j) => s + x * (input.products[j] as PlanProduct).price, 0),
    quantities,
    used: solved.rowActivity.map(clean),
    shadowPrices: solved.rowDuals.map((d) => clean(Math.abs(d))),
    reducedCosts: solved.reducedCosts.map(clean),
    violations: [],
  };
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The dashboard of a plan at the given what-if settings: KPIs, charts, the plan and resource tables, notes. */
export async function planDashboard(base: PlanInput, whatIf: WhatIf): Promise<{ dashboard: Dashboard; outcome: PlanOutcome }> {
  const settings = { ...defaultPlanWhatIf(base), ...whatIf };
  const input = applyPlanWhatIf(base, settings);
  const outcome = await solvePlan(input);
  const utilisation = input.resources.map((r, i) => (r.capacity > 0 ? (outcome.used[i] as number) / r.capacity : 0));
  const binding = outcome.status === 'optimal' ? input.resources.filter((r, i) => r.capacity - (outcome.used[i] as number) <= 1e-6 * Math.max(1, r.capacity)).length : 0;
  const meanUtil = utilisation.length > 0 ? utilisation.reduce((s, u) => s + u, 0) / utilisation.length : 0;
  const optimal = outcome.status === 'optimal';
  const dashboard: Dashboard = {
    kpis: [
      { key: 'profit', value: outcome.profit, format: 'money' },
      { key: 'revenue', value: outcome.revenue, format: 'money' },
      { key: 'unitsPlanned', value: optimal ? outcome.quantities.reduce((s, x) => s + x, 0) : null, format: 'number' },
      { key: 'bindingConstraints', value: optimal ? binding : null, format: 'count' },
      { key: 'meanUtilisation', value: optimal ? meanUtil : null, format: 'percent' },
    ],
    charts: [
      {
        key: 'planQuantities',
        kind: 'bar',
        x: input.products.map((p) => p.id),
        series: [
          { name: 'planned', values: outcome.quantities.map((q) => round(q)) },
          { name: 'maxDemand', values: input.products.map((p) => (Number.isFinite(p.maxDemand) ? round(p.maxDemand) : null)) },
          { name: 'minDemand', values: input.products.map((p) => round(p.minDemand)) },
        ],
      },
      { key: 'utilisation', kind: 'hbar', x: input.resources.map((r) => r.id), series: [{ name: 'utilisation', values: utilisation.map((u) => round(u * 100, 1)) }] },
      { key: 'shadowPrices', kind: 'bar', x: input.resources.map((r) => r.id), series: [{ name: 'shadowPrice', values: outcome.shadowPrices.map((d) => round(d, 3)) }] },
    ],
    tables: [
      {
        key: 'plan',
        columns: ['product', 'quantity', 'minDemand', 'maxDemand', 'unitProfit', 'profit', 'reducedCost'],
        rows: input.products.map((p, j) => {
          const q = outcome.quantities[j] as number;
          return [p.id, round(q), round(p.minDemand), Number.isFinite(p.maxDemand) ? round(p.maxDemand) : null, round(p.price - p.unitCost), round(q * (p.price - p.unitCost)), round(outcome.reducedCosts[j] as number, 3)];
        }),
      },
      {
        key: 'resources',
        columns: ['resource', 'used', 'capacity', 'utilisation', 'shadowPrice'],
        rows: input.resources.map((r, i) => [r.id, round(outcome.used[i] as number), round(r.capacity), round((utilisation[i] as number) * 100, 1), round(outcome.shadowPrices[i] as number, 3)]),
      },
    ],
    controls: planControls(base),
    whatIf: settings,
    notes: [
      { key: outcome.status === 'optimal' ? 'planOptimal' : outcome.status === 'infeasible' ? 'planInfeasible' : 'planUnsolved', params: { status: outcome.status } },
      ...outcome.violations.map((v) => ({ key: v.kind === 'capacity' ? 'conflictCapacity' : 'conflictMinDemand', params: { id: v.id, amount: round(v.amount) } })),
    ],
  };
  return { dashboard, outcome };
}

// ------------------------------------------------------------------ the sample factory

/** The three tables of a plan as CSV texts (the sample is imported like a user's files). */
export interface PlanTables {
  products: string;
  resources: string;
  usage: string;
}

/**
 * A small metal-parts factory, seeded: 6 products, 4 machines (hours per week) and 3 materials (kg per week).
 * Usage and prices are drawn so that several machines bind and some products are not worth making at the margin.
 */
export function generatePlanSample(seed = 7): PlanInput {
  const random = mulberry32(seed);
  const between = (lo: number, hi: number, digits = 1) => round(lo + random() * (hi - lo), digits);
  const productIds = ['Bracket', 'Gear', 'Shaft', 'Housing', 'Flange', 'Valve'];
  const machines = ['Lathe', 'Mill', 'Drill', 'Assembly'];
  const materials = ['Steel', 'Aluminium', 'Polymer'];
  const usage: PlanInput['usage'] = [];
  const products: PlanProduct[] = productIds.map((id) => {
    let hours = 0;
    for (const m of machines) {
      // Not every product visits every machine.
      if (random() < 0.25) continue;
      const amount = between(0.2, 1.6, 2);
      hours += amount;
      usage.push({ product: id, resource: m, amount });
    }
    let kg = 0;
    for (const m of materials) {
      if (random() < 0.45) continue;
      const amount = between(0.5, 4, 2);
      kg += amount;
      usage.push({ product: id, resource: m, amount });
    }
    const unitCost = round(8 + hours * 18 + kg * 3.5);
    const price = round(unitCost * between(1.15, 1.7, 2));
    const maxDemand = Math.round(between(120, 600, 0) / 10) * 10;
    return { id, price, unitCost, minDemand: Math.round((maxDemand * between(0.05, 0.2, 2)) / 5) * 5, maxDemand };
  });
  // Capacities between what the minimum demands need and a fraction of what the maximum demands would: the
  // minimums always fit, and the bottlenecks bind.
  const need = (resource: string, of: 'minDemand' | 'maxDemand') =>
    usage.filter((u) => u.resource === resource).reduce((s, u) => s + u.amount * ((products.find((p) => p.id === u.product) as PlanProduct)[of]), 0);
  const capacity = (id: string, unit: number) => {
    const lo = need(id, 'minDemand') * 1.5;
    const hi = need(id, 'maxDemand');
    return Math.max(unit, Math.ceil(Math.max(lo, hi * between(0.35, 0.8, 2)) / unit) * unit);
  };
  const resources: PlanResource[] = [...machines.map((id) => ({ id, capacity: capacity(id, 8) })), ...materials.map((id) => ({ id, capacity: capacity(id, 50) }))];
  return { products, resources, usage };
}

export function planTablesCsv(input: PlanInput): PlanTables {
  return {
    products: ['product,price,unit_cost,min_demand,max_demand', ...input.products.map((p) => `${p.id},${p.price},${p.unitCost},${p.minDemand},${p.maxDemand}`)].join('\n') + '\n',
    resources: ['resource,capacity', ...input.resources.map((r) => `${r.id},${r.capacity}`)].join('\n') + '\n',
    usage: ['product,resource,amount', ...input.usage.map((u) => `${u.product},${u.resource},${u.amount}`)].join('\n') + '\n',
  };
}
