/**
 * Linear programmes solved by HiGHS (the `highs` package: the HiGHS C++ solver compiled to WebAssembly; in Node
 * its loader finds highs.wasm beside itself). A model is given as arrays and passed to HiGHS as a sparse
 * row-wise matrix; toLpText writes the same model in CPLEX LP format (x0…, r0…) for reading and debugging.
 */
import type loadHighs from 'highs';

export interface LpRow {
  /** Sparse coefficients: column index → coefficient. */
  coefficients: [number, number][];
  lower?: number;
  upper?: number;
}

export interface LpModel {
  sense: 'maximize' | 'minimize';
  objective: number[];
  /** Column bounds (default 0 … +∞). */
  lower?: number[];
  upper?: number[];
  rows: LpRow[];
}

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'other';

export interface LpSolution {
  status: LpStatus;
  /** The solver's own status text (e.g. "Optimal", "Infeasible"). */
  solverStatus: string;
  objective: number;
  primal: number[];
  /** Reduced costs of the columns. */
  reducedCosts: number[];
  /** Row activities and duals (shadow prices: the objective's change per unit of the row's bound). */
  rowActivity: number[];
  rowDuals: number[];
}

type Solver = Awaited<ReturnType<typeof loadHighs>>;
let solverPromise: Promise<Solver> | null = null;
/** The WebAssembly module is compiled once per thread; each solve gets a fresh native solver. */
function solver(): Promise<Solver> {
  // Loaded on first use: the app starts without compiling the solver's WebAssembly.
  solverPromise ??= import('highs').then((m) => m.default());
  return solverPromise;
}

const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  // LP format reads exponents; keep full precision.
  return String(v);
};

/** The model as CPLEX LP text. */
export function toLpText(model: LpModel): string {
  const n = model.objective.length;
  const terms = (pairs: [number, number][]) => {
    const parts = pairs.filter(([, c]) => c !== 0).map(([j, c], k) => `${c < 0 ? '-' : k === 0 ? '' : '+'} ${num(Math.abs(c))} x${j}`);
    return parts.length > 0 ? parts.join(' ') : '0 x0';
  };
  const lines: string[] = [model.sense === 'maximize' ? 'Maximize' : 'Minimize', ` obj: ${terms(model.objective.map((c, j) => [j, c]))}`, 'Subject To'];
  model.rows.forEach((row, i) => {
    const lhs = terms(row.coefficients);
    const lo = row.lower ?? -Infinity;
    const up = row.upper ?? Infinity;
    if (lo === up) lines.push(` r${i}: ${lhs} = ${num(lo)}`);
    else if (Number.isFinite(lo) && Number.isFinite(up)) lines.push(` r${i}: ${num(lo)} <= ${lhs} <= ${num(up)}`);
    else if (Number.isFinite(up)) lines.push(` r${i}: ${lhs} <= ${num(up)}`);
    else if (Number.isFinite(lo)) lines.push(` r${i}: ${lhs} >= ${num(lo)}`);
    else lines.push(` r${i}: ${lhs} >= -1e30`);
  });
  lines.push('Bounds');
  for (let j = 0; j < n; j++) {
    const lo = model.lower?.[j] ?? 0;
    const up = model.upper?.[j] ?? Infinity;
    if (lo === up) lines.push(` x${j} = ${num(lo)}`);
    else if (Number.isFinite(up)) lines.push(` ${Number.isFinite(lo) ? num(lo) : '-inf'} <= x${j} <= ${num(up)}`);
    else lines.push(` x${j} >= ${Number.isFinite(lo) ? num(lo) : '-inf'}`);
  }
  lines.push('End');
  return lines.join('\n');
}

/** Solves through HiGHS's structured API (a sparse row-wise matrix), which skips LP-text parsing. */
export async function solveLp(model: LpModel): Promise<LpSolution> {
  const highs = await solver();
  const n = model.objective.length;
  const m = model.rows.length;
  const inf = highs.infinity;
  const starts = new Int32Array(m + 1);
  const nnz = model.rows.reduce((s, r) => s + r.coefficients.length, 0);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  model.rows.forEach((row, i) => {
    starts[i] = k;
    // HiGHS wants each row's column indices once and in order: merge duplicates.
    const merged = new Map<number, number>();
    for (const [j, c] of row.coefficients) merged.set(j, (merged.get(j) ?? 0) + c);
    for (const [j, c] of [...merged.entries()].sort((x, y) => x[0] - y[0])) {
      indices[k] = j;
      values[k] = c;
      k++;
    }
  });
  starts[m] = k;
  const bound = (v: number | undefined, fallback: number) => (v === undefined || !Number.isFinite(v) ? (v === undefined ? fallback : v > 0 ? inf : -inf) : v);
  const hm = highs.createModel({
    numCols: n,
    numRows: m,
    sense: model.sense === 'maximize' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: Float64Array.from(model.objective),
    colLower: Float64Array.from({ length: n }, (_, j) => bound(model.lower?.[j], 0)),
    colUpper: Float64Array.from({ length: n }, (_, j) => bound(model.upper?.[j], inf)),
    rowLower: Float64Array.from(model.rows, (r) => bound(r.lower, -inf)),
    rowUpper: Float64Array.from(model.rows, (r) => bound(r.upper, inf)),
    matrix: { format: 'csr', numRows: m, numCols: n, starts, indices: indices.subarray(0, k), values: values.subarray(0, k) },
  });
  try {
    hm.options.set('output_flag', false);
    hm.run();
    const code = hm.getModelStatus();
    const codes = highs.constants.modelStatus;
    const status: LpStatus = code === codes.optimal ? 'optimal' : code === codes.infeasible ? 'infeasible' : code === codes.unbounded ? 'unbounded' : 'other';
    const solverStatus = Object.entries(codes).find(([, v]) => v === code)?.[0] ?? String(code);
    if (status !== 'optimal') return { status, solverStatus, objective: Number.NaN, primal: new Array<number>(n).fill(0), reducedCosts: new Array<number>(n).fill(0), rowActivity: [], rowDuals: [] };
    const solution = hm.getSolution();
    return {
      status,
      solverStatus,
      objective: hm.getObjectiveValue(),
      primal: Array.from(solution.colValue),
      reducedCosts: Array.from(solution.colDual),
      rowActivity: Array.from(solution.rowValue),
      rowDuals: Array.from(solution.rowDual),
    };
  } finally {
    hm.dispose();
  }
}

export interface ElasticViolation {
  /** 'row': row i's bound; 'lower' / 'upper': column j's bound. */
  kind: 'row' | 'lower' | 'upper';
  index: number;
  /** How far the bound must move for the model to become feasible (in the row's / column's units). */
  amount: number;
}

/**
 * Why a model is infeasible: the elastic (phase-one) programme. Every softenable bound gets a non-negative
 * slack, and the total slack is minimised; the bounds whose slack stays positive are the ones that conflict,
 * and the slack says by how much each must give. Hard bounds (a column's 0 lower bound) stay hard.
 */
export async function explainInfeasible(model: LpModel, soft: { rows: number[]; lowerBounds: number[]; upperBounds: number[] }): Promise<ElasticViolation[]> {
  const n = model.objective.length;
  const slacks: ElasticViolation[] = [];
  const rows: LpRow[] = model.rows.map((r) => ({ ...r, coefficients: [...r.coefficients] }));
  const lower = [...(model.lower ?? new Array<number>(n).fill(0))];
  const upper = [...(model.upper ?? new Array<number>(n).fill(Infinity))];
  const addSlack = (v: ElasticViolation, apply: (col: number) => void) => {
    const col = n + slacks.length;
    slacks.push(v);
    apply(col);
  };
  for (const i of soft.rows) {
    const row = rows[i] as LpRow;
    // A ≤ row gains −s (it may exceed its upper bound by s); a ≥ row gains +s. A ranged row gets both.
    if (Number.isFinite(row.upper ?? Infinity)) addSlack({ kind: 'row', index: i, amount: 0 }, (col) => row.coefficients.push([col, -1]));
    if (Number.isFinite(row.lower ?? -Infinity)) addSlack({ kind: 'row', index: i, amount: 0 }, (col) => row.coefficients.push([col, 1]));
  }
  for (const j of soft.lowerBounds) {
    const lo = lower[j] as number;
    if (!(lo > 0)) continue;
    // x_j ≥ lo becomes x_j + s ≥ lo, with x_j ≥ 0 kept hard.
    addSlack({ kind: 'lower', index: j, amount: 0 }, (col) => rows.push({ coefficients: [[j, 1], [col, 1]], lower: lo }));
    lower[j] = 0;
  }
  for (const j of soft.upperBounds) {
    const up = upper[j] as number;
    if (!Number.isFinite(up)) continue;
    addSlack({ kind: 'upper', index: j, amount: 0 }, (col) => rows.push({ coefficients: [[j, 1], [col, -1]], upper: up }));
    upper[j] = Infinity;
  }
  const total = n + slacks.length;
  const elastic: LpModel = {
    sense: 'minimize',
    objective: Array.from({ length: total }, (_, j) => (j < n ? 0 : 1)),
    lower: [...lower, ...new Array<number>(slacks.length).fill(0)],
    upper: [...upper, ...new Array<number>(slacks.length).fill(Infinity)],
    rows,
  };
  const solved = await solveLp(elastic);
  if (solved.status !== 'optimal') return [];
  return slacks.map((s, k) => ({ ...s, amount: solved.primal[n + k] as number })).filter((s) => s.amount > 1e-7);
}
