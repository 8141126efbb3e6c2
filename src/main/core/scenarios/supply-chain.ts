/**
 * Supply-chain network: suppliers → parts → products → plants as a graph (graphology). Single points of failure
 * are the articulation points of the undirected network (Tarjan's low-link, below) and the nodes of highest
 * betweenness (graphology-metrics); the what-if "these suppliers fail" propagates: a part with no remaining
 * supplier is lost, a product missing any part is lost, with its revenue.
 */
import Graph from 'graphology';
import betweenness from 'graphology-metrics/centrality/betweenness.js';
import { mulberry32 } from '../random.js';
import type { Dashboard, WhatIf } from '../../../shared/model/scenarios.js';

export interface SupplyInput {
  /** Which supplier can deliver which part. */
  supplies: { supplier: string; part: string }[];
  /** Which parts each product needs (bill of materials). */
  bom: { product: string; part: string }[];
  /** Where each product is made and the revenue it brings. */
  products: { product: string; plant: string; revenue: number }[];
}

export type NodeKind = 'supplier' | 'part' | 'product' | 'plant';
const nodeId = (kind: NodeKind, name: string) => `${kind}:${name}`;

export function buildGraph(input: SupplyInput): Graph {
  const graph = new Graph({ type: 'undirected', multi: false });
  const add = (kind: NodeKind, name: string) => {
    const id = nodeId(kind, name);
    if (!graph.hasNode(id)) graph.addNode(id, { kind, name });
    return id;
  };
  const link = (a: string, b: string) => {
    if (!graph.hasEdge(a, b)) graph.addEdge(a, b);
  };
  for (const s of input.supplies) link(add('supplier', s.supplier), add('part', s.part));
  for (const b of input.bom) link(add('part', b.part), add('product', b.product));
  for (const p of input.products) link(add('product', p.product), add('plant', p.plant));
  return graph;
}

/** Articulation points of an undirected graph: Tarjan's depth-first low-link, iterative (no recursion limit). */
export function articulationPoints(graph: Graph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const points = new Set<string>();
  let counter = 0;
  for (const root of graph.nodes()) {
    if (index.has(root)) continue;
    index.set(root, counter);
    low.set(root, counter++);
    let rootChildren = 0;
    // Stack frames: node, its parent, and its neighbours still to visit.
    const stack: { node: string; parent: string | null; rest: string[] }[] = [{ node: root, parent: null, rest: graph.neighbors(root) }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as (typeof stack)[number];
      const next = frame.rest.pop();
      if (next !== undefined) {
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          if (frame.node === root) rootChildren++;
          stack.push({ node: next, parent: frame.node, rest: graph.neighbors(next) });
        } else if (next !== frame.parent) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(next) as number));
        continue;
      }
      stack.pop();
      const parent = frame.parent;
      if (parent === null) continue;
      low.set(parent, Math.min(low.get(parent) as number, low.get(frame.node) as number));
      // A non-root parent cuts its child's subtree off when nothing below reaches above it.
      if (parent !== root && (low.get(frame.node) as number) >= (index.get(parent) as number)) points.add(parent);
    }
    if (rootChildren > 1) points.add(root);
  }
  return [...points].sort();
}

/** Which parts and products are lost, and the revenue at risk, when the given suppliers fail. */
export function propagateFailure(input: SupplyInput, failed: ReadonlySet<string>): { lostParts: string[]; lostProducts: string[]; revenueAtRisk: number } {
  const suppliersOf = new Map<string, Set<string>>();
  for (const s of input.supplies) {
    const set = suppliersOf.get(s.part) ?? new Set<string>();
    set.add(s.supplier);
    suppliersOf.set(s.part, set);
  }
  const lostParts = new Set<string>();
  for (const [part, suppliers] of suppliersOf) if ([...suppliers].every((s) => failed.has(s))) lostParts.add(part);
  const lostProducts = new Set<string>();
  for (const b of input.bom) if (lostParts.has(b.part) || !suppliersOf.has(b.part)) lostProducts.add(b.product);
  const revenueAtRisk = input.products.filter((p) => lostProducts.has(p.product)).reduce((s, p) => s + p.revenue, 0);
  return { lostParts: [...lostParts].sort(), lostProducts: [...lostProducts].sort(), revenueAtRisk };
}

const KIND_ORDER: NodeKind[] = ['supplier', 'part', 'product', 'plant'];

export function supplyDashboard(input: SupplyInput, whatIf: WhatIf): Dashboard {
  const suppliers = [...new Set(input.supplies.map((s) => s.supplier))].sort();
  const settings: WhatIf = { ...Object.fromEntries(suppliers.map((s) => [`fail:${s}`, 0])), ...whatIf };
  const failed = new Set(suppliers.filter((s) => (settings[`fail:${s}`] ?? 0) >= 1));
  const graph = buildGraph(input);
  const cut = new Set(articulationPoints(graph));
  const central = betweenness(graph, { normalized: true });
  const impact = propagateFailure(input, failed);
  const totalRevenue = input.products.reduce((s, p) => s + p.revenue, 0);
  const singleSourced = new Set(input.supplies.map((s) => s.part).filter((p, _, all) => all.filter((x) => x === p).length === 1));
  // A deterministic layered layout (suppliers, parts, products, plants left to right), the same on screen and paper.
  const layers = KIND_ORDER.map((k) => graph.filterNodes((_, a) => a.kind === k).sort());
  const nodes = layers.flatMap((ids, col) =>
    ids.map((id, row) => {
      const a = graph.getNodeAttributes(id) as { kind: NodeKind; name: string };
      const lost = (a.kind === 'supplier' && failed.has(a.name)) || (a.kind === 'part' && impact.lostParts.includes(a.name)) || (a.kind === 'product' && impact.lostProducts.includes(a.name));
      return { id, name: a.name, category: col, x: col * 300, y: ((row + 0.5) / ids.length) * 600, size: 10 + 30 * (central[id] ?? 0), flag: lost ? 'lost' : cut.has(id) ? 'cut' : '' };
    }),
  );
  const topCentral = Object.entries(central)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    kpis: [
      { key: 'suppliers', value: suppliers.length, format: 'count' },
      { key: 'singleSourcedParts', value: singleSourced.size, format: 'count' },
      { key: 'articulationPoints', value: cut.size, format: 'count' },
      { key: 'productsLost', value: impact.lostProducts.length, format: 'count' },
      { key: 'revenueAtRisk', value: impact.revenueAtRisk, format: 'money' },
      { key: 'revenueAtRiskShare', value: totalRevenue > 0 ? impact.revenueAtRisk / totalRevenue : null, format: 'percent' },
    ],
    charts: [
      { key: 'network', kind: 'graph', x: [], series: [], nodes, links: graph.mapEdges((_, __, s, t) => ({ source: s, target: t })) },
      { key: 'betweenness', kind: 'hbar', x: topCentral.map(([id]) => id.replace(/^[a-z]+:/, '')), series: [{ name: 'betweenness', values: topCentral.map(([, v]) => round(v)) }] },
    ],
    tables: [
      {
        key: 'singlePoints',
        columns: ['node', 'kind', 'betweenness'],
        rows: [...cut].map((id) => [String(graph.getNodeAttribute(id, 'name')), String(graph.getNodeAttribute(id, 'kind')), round(central[id] ?? 0)]).sort((a, b) => (b[2] as number) - (a[2] as number)),
      },
      {
        key: 'impact',
        columns: ['product', 'plant', 'revenue', 'lost'],
        rows: input.products.map((p) => [p.product, p.plant, p.revenue, impact.lostProducts.includes(p.product) ? 1 : 0]),
      },
    ],
    controls: suppliers.map((s) => ({ key: `fail:${s}`, label: s, min: 0, max: 1, step: 1, format: 'number' as const })),
    whatIf: settings,
    notes: failed.size > 0 ? [{ key: 'supplyImpact', params: { suppliers: [...failed].join(', '), parts: impact.lostParts.join(', ') || '—', products: impact.lostProducts.length } }] : [{ key: 'supplyNoFailure', params: {} }],
  };
}

/** A seeded synthetic network: 12 suppliers, 24 parts (a third single-sourced), 10 products at 3 plants. */
export function generateSupplySample(seed = 11): SupplyInput {
  const random = mulberry32(seed);
  const suppliers = Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
  const parts = Array.from({ length: 24 }, (_, i) => `PT${String(i + 1).padStart(2, '0')}`);
  const products = Array.from({ length: 10 }, (_, i) => `PR${String(i + 1).padStart(2, '0')}`);
  const plants = ['Suzhou', 'Wuxi', 'Hefei'];
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const supplies: SupplyInput['supplies'] = [];
  for (const part of parts) {
    // Big suppliers carry more parts: a skewed pick makes hubs, as real supply bases have.
    const count = random() < 0.35 ? 1 : random() < 0.7 ? 2 : 3;
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(suppliers[Math.floor(suppliers.length * random() ** 1.6)] as string);
    for (const s of chosen) supplies.push({ supplier: s, part });
  }
  const bom: SupplyInput['bom'] = [];
  for (const product of products) {
    const chosen = new Set<string>();
    const count = 3 + Math.floor(random() * 4);
    while (chosen.size < count) chosen.add(pick(parts));
    for (const part of chosen) bom.push({ product, part });
  }
  return { supplies, bom, products: products.map((product) => ({ product, plant: pick(plants), revenue: Math.round(200 + random() * 1800) * 1000 })) };
}

export function supplyTablesCsv(input: SupplyInput): Record<'supplies' | 'bom' | 'products', string> {
  return {
    supplies: ['supplier,part', ...input.supplies.map((s) => `${s.supplier},${s.part}`)].join('\n') + '\n',
    bom: ['product,part', ...input.bom.map((b) => `${b.product},${b.part}`)].join('\n') + '\n',
    products: ['product,plant,revenue', ...input.products.map((p) => `${p.product},${p.plant},${p.revenue}`)].join('\n') + '\n',
  };
}
