/**
 * Retail recommendation: a seeded synthetic shop (customers, items in categories, timestamped ratings with
 * Zipf-like item popularity, lognormal customer activity and taste by category), the time-based hold-out (the
 * last 20 % of each customer's interactions by time), top-N lists from a Model studio matrix-factorisation
 * model's factors, and the ranking KPIs: precision@k, recall@k, catalogue coverage and popularity bias.
 * The what-if (k, popularity penalty, anchor item of the similar-items explorer) re-ranks the stored scores.
 */
import type { Dashboard, WhatIf } from '../../../shared/model/scenarios.js';
import { mulberry32 } from '../random.js';

export interface ShopSample {
  items: { item: string; name: string; category: string }[];
  interactions: { customer: string; item: string; rating: number; time: string }[];
}

const CATEGORIES = ['Electronics', 'Books', 'Home', 'Sports', 'Beauty', 'Toys', 'Grocery', 'Fashion'];
const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A shop of 400 customers and 160 items over 180 days. Item popularity ∝ 1 / rank (Zipf, s = 1) over a shuffled
 * rank; customer activity ~ lognormal (median ≈ 14 interactions); each customer prefers two categories (weight 6
 * and 3 against 1), so the factors have taste to find; ratings = 3 + affinity + item quality + noise, on 1…5.
 */
export function generateShopSample(seed = 5, customers = 400, itemCount = 160): ShopSample {
  const random = mulberry32(seed);
  const order = Array.from({ length: itemCount }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const items = Array.from({ length: itemCount }, (_, i) => ({
    item: `I${String(i + 1).padStart(3, '0')}`,
    name: `${CATEGORIES[i % CATEGORIES.length] as string} #${Math.floor(i / CATEGORIES.length) + 1}`,
    category: CATEGORIES[i % CATEGORIES.length] as string,
    popularity: 1 / ((order[i] as number) + 1),
    quality: 0.5 * normal(random),
  }));
  const interactions: ShopSample['interactions'] = [];
  for (let c = 0; c < customers; c++) {
    const customer = `C${String(c + 1).padStart(4, '0')}`;
    const first = Math.floor(random() * CATEGORIES.length);
    let second = Math.floor(random() * CATEGORIES.length);
    if (second === first) second = (second + 1) % CATEGORIES.length;
    const taste = CATEGORIES.map((_, k) => (k === first ? 12 : k === second ? 5 : 1));
    const count = Math.max(5, Math.min(60, Math.round(Math.exp(Math.log(14) + 0.6 * normal(random)))));
    const weights = items.map((it, i) => it.popularity * (taste[i % CATEGORIES.length] as number));
    const start = random() * 90;
    const span = 30 + random() * 60;
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, itemCount)) {
      let total = 0;
      for (let i = 0; i < itemCount; i++) if (!chosen.has(i)) total += weights[i] as number;
      let r = random() * total;
      let pick = -1;
      for (let i = 0; i < itemCount; i++) {
        if (chosen.has(i)) continue;
        r -= weights[i] as number;
        pick = i;
        if (r <= 0) break;
      }
      chosen.add(pick);
    }
    for (const i of chosen) {
      const it = items[i] as (typeof items)[number];
      const affinity = (taste[i % CATEGORIES.length] as number) >= 3 ? 0.8 : -0.4;
      const rating = Math.max(1, Math.min(5, Math.round(3 + affinity + it.quality + 0.7 * normal(random))));
      const at = START + (start + random() * span) * DAY_MS;
      interactions.push({ customer, item: it.item, rating, time: new Date(Math.floor(at / 60000) * 60000).toISOString().slice(0, 16).replace('T', ' ') });
    }
  }
  interactions.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { items: items.map(({ item, name, category }) => ({ item, name, category })), interactions };
}

const csvCell = (v: string | number) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));

export function shopTablesCsv(sample: ShopSample): Record<'items' | 'interactions', string> {
  return {
    items: ['item,name,category', ...sample.items.map((r) => [r.item, r.name, r.category].map(csvCell).join(','))].join('\n') + '\n',
    interactions: ['customer,item,rating,time', ...sample.interactions.map((r) => [r.customer, r.item, r.rating, r.time].map(csvCell).join(','))].join('\n') + '\n',
  };
}

/**
 * A timestamp cell as milliseconds: text through Date.parse (ISO dates and times, the catalog's date and datetime
 * columns; without a zone read as UTC), numbers as Unix time — seconds below 10¹¹ (until year 5138), else ms.
 */
export function timeOf(value: unknown): number {
  if (typeof value === 'number') return Math.abs(value) < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  return Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
}

/**
 * The time-based hold-out: per customer, the last ⌈20 %⌉ of their interactions by time (ties by row order), only for
 * customers with at least 5, so everyone keeps some history to learn from. Returns whether each row is held out.
 */
export function holdOutByTime(customers: readonly string[], times: readonly number[], share = 0.2, minInteractions = 5): boolean[] {
  const rows = new Map<string, number[]>();
  customers.forEach((c, r) => {
    let list = rows.get(c);
    if (!list) rows.set(c, (list = []));
    list.push(r);
  });
  const held = new Array<boolean>(customers.length).fill(false);
  for (const list of rows.values()) {
    if (list.length < minInteractions) continue;
    list.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
    const n = Math.ceil(list.length * share);
    for (const r of list.slice(list.length - n)) held[r] = true;
  }
  return held;
}

/** Precision@k and recall@k of one list against the relevant set: hits / k and hits / |relevant| (as in RecBole, Microsoft Recommenders). */
export function precisionRecallAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): { hits: number; precision: number; recall: number } {
  let hits = 0;
  for (const item of recommended.slice(0, k)) if (relevant.has(item)) hits++;
  return { hits, precision: hits / k, recall: relevant.size > 0 ? hits / relevant.size : 0 };
}

/** Catalogue coverage: distinct items in any list over the catalogue's size. */
export function catalogueCoverage(lists: readonly (readonly string[])[], catalogueSize: number): number {
  const seen = new Set<string>();
  for (const list of lists) for (const item of list) seen.add(item);
  return catalogueSize > 0 ? seen.size / catalogueSize : 0;
}

/**
 * Popularity percentile of each item: the share of catalogue items with fewer training interactions, ties counted
 * half (pandas' rank(pct=True) with average ties, shifted to start at 0): the most popular item is near 1.
 */
export function popularityPercentiles(counts: readonly number[]): number[] {
  const n = counts.length;
  if (n <= 1) return counts.map(() => 0.5);
  return counts.map((c) => {
    let below = 0;
    let equal = 0;
    for (const d of counts) {
      if (d < c) below++;
      else if (d === c) equal++;
    }
    return (below + (equal - 1) / 2) / (n - 1);
  });
}

/**
 * Training rows for a top-N recommender from interactions (implicit feedback with negative sampling): every
 * training interaction a customer liked — rated at least the middle of the observed rating range (3 of 1–5), or
 * any interaction when there are no ratings — is a positive (preference 1); per customer as many catalogue items
 * they never touched in training, drawn uniformly (seeded), are negatives (0). Disliked purchases are neither
 * (and, being seen, are never recommended again). Only training rows are read, so the held-out future cannot
 * shape the negatives. The Model studio's `mf` family fits these rows unchanged.
 */
export function implicitTrainingRows(
  customers: readonly string[],
  items: readonly string[],
  ratings: readonly (number | null)[],
  training: readonly boolean[],
  catalogue: readonly string[],
  seed = 42,
): { customer: string; item: string; preference: number }[] {
  const random = mulberry32(seed);
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of ratings) {
    if (typeof r !== 'number' || !Number.isFinite(r)) continue;
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
  }
  const liked = (r: number | null | undefined) => typeof r !== 'number' || !Number.isFinite(r) || !(hi > lo) || r >= (lo + hi) / 2;
  const touched = new Map<string, Set<string>>();
  const rows: { customer: string; item: string; preference: number }[] = [];
  const positives = new Map<string, number>();
  customers.forEach((c, r) => {
    if (!training[r]) return;
    let set = touched.get(c);
    if (!set) touched.set(c, (set = new Set()));
    set.add(items[r] as string);
    if (!liked(ratings[r])) return;
    rows.push({ customer: c, item: items[r] as string, preference: 1 });
    positives.set(c, (positives.get(c) ?? 0) + 1);
  });
  for (const [c, n] of positives) {
    const avoid = touched.get(c) as Set<string>;
    const free = catalogue.filter((i) => !avoid.has(i));
    for (let k = 0; k < Math.min(n, free.length); k++) {
      const j = k + Math.floor(random() * (free.length - k));
      [free[k], free[j]] = [free[j] as string, free[k] as string];
      rows.push({ customer: c, item: free[k] as string, preference: 0 });
    }
  }
  return rows;
}

export interface RetailBase {
  /** Items of the catalogue (the model knows a subset of them). */
  items: { id: string; name: string; category: string }[];
  /** Training interactions per item (catalogue order). */
  popularity: number[];
  model: { factors: number; globalMean: number; userIds: string[]; itemIds: string[]; userBias: number[]; itemBias: number[]; P: number[]; Q: number[] };
  /** Per model user: catalogue indices seen in training (never recommended again) and held out (relevant). */
  seen: number[][];
  heldOut: number[][];
  rmse: number | null;
}

export const RETAIL_WHAT_IF = { k: 10, penalty: 0, anchor: 1 } as const;
const MAX_K = 20;

/** Cosine similarity of two rows of a row-major factor matrix. */
export function cosineRows(Q: readonly number[], f: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < f; j++) {
    const x = Q[a * f + j] as number;
    const y = Q[b * f + j] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

const r3 = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000);
const mean = (v: readonly number[]) => (v.length > 0 ? v.reduce((s, x) => s + x, 0) / v.length : null);

/** Top-`k` catalogue indices for every model user: predicted preference minus penalty × popularity percentile, unseen items only. */
export function topLists(base: RetailBase, k: number, penalty: number): number[][] {
  const { model } = base;
  const f = model.factors;
  const pct = popularityPercentiles(base.popularity);
  const catalogueIndex = new Map(base.items.map((it, i) => [it.id, i]));
  const known = model.itemIds.map((id) => catalogueIndex.get(id) ?? -1);
  return model.userIds.map((_, u) => {
    const seen = new Set(base.seen[u]);
    const scored: { item: number; score: number }[] = [];
    for (let i = 0; i < model.itemIds.length; i++) {
      const c = known[i] as number;
      if (c < 0 || seen.has(c)) continue;
      let dot = 0;
      for (let j = 0; j < f; j++) dot += (model.P[u * f + j] as number) * (model.Q[i * f + j] as number);
      const preference = model.globalMean + (model.userBias[u] as number) + (model.itemBias[i] as number) + dot;
      scored.push({ item: c, score: preference - penalty * (pct[c] as number) });
    }
    scored.sort((a, b) => b.score - a.score || a.item - b.item);
    return scored.slice(0, k).map((s) => s.item);
  });
}

export function retailDashboard(base: RetailBase, whatIf: WhatIf): Dashboard {
  const settings = { ...RETAIL_WHAT_IF, ...whatIf };
  const k = Math.round(settings.k);
  const lists = topLists(base, MAX_K, settings.penalty);
  const ids = base.items.map((it) => it.id);
  const pct = popularityPercentiles(base.popularity);
  const evaluated = base.heldOut.map((h, u) => ({ u, relevant: new Set(h.map((c) => ids[c] as string)) })).filter((e) => e.relevant.size > 0);
  const atK = (kk: number) => {
    const per = evaluated.map((e) => precisionRecallAtK((lists[e.u] as number[]).map((c) => ids[c] as string), e.relevant, kk));
    return { precision: mean(per.map((p) => p.precision)), recall: mean(per.map((p) => p.recall)) };
  };
  const now = atK(k);
  // The baseline a recommender must beat: the k most popular items each customer has not bought yet.
  const byCount = base.items.map((_, c) => c).sort((a, b) => (base.popularity[b] as number) - (base.popularity[a] as number) || a - b);
  const popularLists = base.seen.map((seenItems) => {
    const seen = new Set(seenItems);
    return byCount.filter((c) => !seen.has(c)).slice(0, k);
  });
  const baseline = mean(evaluated.map((e) => precisionRecallAtK((popularLists[e.u] as number[]).map((c) => ids[c] as string), e.relevant, k).precision));
  const topK = lists.map((l) => l.slice(0, k));
  const coverage = catalogueCoverage(topK.map((l) => l.map((c) => ids[c] as string)), base.items.length);
  const recommendedPct = mean(topK.flat().map((c) => pct[c] as number));
  const heldOutPct = mean(base.heldOut.flat().map((c) => pct[c] as number));
  const curve = Array.from({ length: MAX_K }, (_, i) => atK(i + 1));

  // Popularity percentile distribution of what is recommended vs what customers went on to buy.
  const bins = 10;
  const binOf = (p: number) => Math.min(bins - 1, Math.floor(p * bins));
  const share = (values: number[]) => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of values) counts[binOf(v)]!++;
    return counts.map((c) => r3(values.length > 0 ? c / values.length : null));
  };
  const categories = [...new Set(base.items.map((it) => it.category))].sort();
  const categoryShare = (values: number[]) => categories.map((cat) => r3(values.length > 0 ? values.filter((c) => base.items[c]?.category === cat).length / values.length : null));

  // Similar-items explorer: the anchor is the n-th most popular item the model knows; neighbours by factor cosine.
  const { model } = base;
  const modelIndex = new Map(model.itemIds.map((id, i) => [id, i]));
  const byPopularity = base.items.map((_, c) => c).filter((c) => modelIndex.has(ids[c] as string)).sort((a, b) => (base.popularity[b] as number) - (base.popularity[a] as number) || a - b);
  const anchorRank = Math.max(1, Math.min(byPopularity.length, Math.round(settings.anchor)));
  const anchor = byPopularity[anchorRank - 1];
  const similar =
    anchor === undefined
      ? []
      : byPopularity
          .filter((c) => c !== anchor)
          .map((c) => ({ c, cos: cosineRows(model.Q, model.factors, modelIndex.get(ids[anchor] as string) as number, modelIndex.get(ids[c] as string) as number) }))
          .sort((a, b) => b.cos - a.cos)
          .slice(0, 10);
  const anchorItem = anchor === undefined ? null : base.items[anchor];

  return {
    kpis: [
      { key: 'precisionAtK', value: now.precision, format: 'percent' },
      { key: 'recallAtK', value: now.recall, format: 'percent' },
      { key: 'baselinePrecisionAtK', value: baseline, format: 'percent' },
      { key: 'coverage', value: coverage, format: 'percent' },
      { key: 'popularityRecommended', value: recommendedPct, format: 'percent' },
      { key: 'popularityHeldOut', value: heldOutPct, format: 'percent' },
      { key: 'customersEvaluated', value: evaluated.length, format: 'count' },
    ],
    charts: [
      {
        key: 'precisionRecallByK',
        kind: 'bar',
        x: curve.map((_, i) => i + 1),
        series: [
          { name: 'precision', values: curve.map((c) => r3(c.precision)) },
          { name: 'recall', values: curve.map((c) => r3(c.recall)) },
        ],
      },
      {
        key: 'popularityBias',
        kind: 'bar',
        x: Array.from({ length: bins }, (_, b) => `${b * 10}–${(b + 1) * 10}%`),
        series: [
          { name: 'recommended', values: share(topK.flat().map((c) => pct[c] as number)) },
          { name: 'heldOut', values: share(base.heldOut.flat().map((c) => pct[c] as number)) },
        ],
      },
      {
        key: 'categoryMix',
        kind: 'bar',
        x: categories,
        series: [
          { name: 'recommended', values: categoryShare(topK.flat()) },
          { name: 'heldOut', values: categoryShare(base.heldOut.flat()) },
        ],
      },
      {
        key: 'similarItems',
        kind: 'hbar',
        x: similar.map((s) => base.items[s.c]?.name ?? ''),
        series: [{ name: 'cosine', values: similar.map((s) => r3(s.cos)) }],
      },
    ],
    tables: [
      {
        key: 'topN',
        columns: ['customer', 'recommendations', 'hits', 'heldOutItems'],
        rows: evaluated.slice(0, 30).map((e) => {
          const list = (topK[e.u] as number[]).map((c) => ids[c] as string);
          return [model.userIds[e.u] as string, list.map((id) => base.items[ids.indexOf(id)]?.name ?? id).join(', '), list.filter((id) => e.relevant.has(id)).length, e.relevant.size];
        }),
      },
      {
        key: 'similar',
        columns: ['item', 'category', 'popularity', 'cosine'],
        rows: similar.map((s) => [base.items[s.c]?.name ?? '', base.items[s.c]?.category ?? '', base.popularity[s.c] as number, r3(s.cos)]),
      },
    ],
    controls: [
      { key: 'k', min: 1, max: MAX_K, step: 1, format: 'number' },
      { key: 'penalty', min: 0, max: 1, step: 0.05, format: 'number' },
      { key: 'anchor', min: 1, max: Math.max(1, byPopularity.length), step: 1, format: 'number' },
    ],
    whatIf: settings,
    notes: [
      { key: 'retailHoldOut', params: { customers: evaluated.length, heldOut: base.heldOut.reduce((s, h) => s + h.length, 0), rmse: r3(base.rmse) ?? '—' } },
      ...(anchorItem ? [{ key: 'retailAnchor', params: { name: anchorItem.name, category: anchorItem.category, rank: anchorRank } }] : []),
    ],
  };
}
