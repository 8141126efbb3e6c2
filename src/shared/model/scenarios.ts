/** Scenario templates (roles a dataset must fill), their runs, and the dashboards those runs store. */
import { z } from 'zod';

/** The scenarios that ship finished (templates for unfinished ones are left out, not shown broken). */
export const ScenarioIdSchema = z.enum(['production-planning', 'predictive-maintenance', 'credit-risk', 'supply-chain', 'retail-recommendation', 'customer-service']);
export type ScenarioId = z.infer<typeof ScenarioIdSchema>;

/**
 * What a column must hold to fill a role: `number` (integer or real), `text` (any column; read as a label),
 * `binary` (exactly two distinct values: the larger, in sklearn's order, is the positive class: failure, bad credit).
 */
export const RoleKindSchema = z.enum(['number', 'text', 'binary']);
export type RoleKind = z.infer<typeof RoleKindSchema>;

export const RoleSchema = z.object({
  key: z.string(),
  kind: RoleKindSchema,
  required: z.boolean(),
  /** Several columns may fill it (model features); at least one when required. */
  multiple: z.boolean().default(false),
  /** Values must be ≥ 0 (capacities, amounts, demand). */
  nonNegative: z.boolean().default(false),
  /** Column names matched by default (case-insensitive), for the sample and for a user's similarly named columns. */
  defaults: z.array(z.string()).default([]),
});
export type Role = z.infer<typeof RoleSchema>;

export const TemplateTableSchema = z.object({ key: z.string(), roles: z.array(RoleSchema) });
export type TemplateTable = z.infer<typeof TemplateTableSchema>;

export const ScenarioTemplateSchema = z.object({
  id: ScenarioIdSchema,
  /** Titles by language (the renderer and the PDF snapshot show them as they are). */
  title: z.object({ en: z.string(), 'zh-CN': z.string() }),
  summary: z.object({ en: z.string(), 'zh-CN': z.string() }),
  /** Where the sample comes from and under which licence. */
  sample: z.object({ name: z.string(), source: z.string(), licence: z.string() }),
  tables: z.array(TemplateTableSchema),
  /** The pipeline's steps, in order (i18n keys under ui.scenarios.steps). */
  steps: z.array(z.string()),
});
export type ScenarioTemplate = z.infer<typeof ScenarioTemplateSchema>;

/** One table's version and the column (or columns) that fill each role. */
export const TableMappingSchema = z.object({
  versionId: z.string(),
  columns: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
});
export type TableMapping = z.infer<typeof TableMappingSchema>;
export const MappingSchema = z.record(z.string(), TableMappingSchema);
export type Mapping = z.infer<typeof MappingSchema>;

/** A mapping problem: which table/role/column and why (code = i18n key under ui.scenarios.problems). */
export const MappingProblemSchema = z.object({
  table: z.string(),
  role: z.string(),
  column: z.string().nullable(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  message: z.string(),
});
export type MappingProblem = z.infer<typeof MappingProblemSchema>;

/** A KPI as the dashboard shows it: `format` says how (percent of 0..1, money, count, plain number). */
export const KpiSchema = z.object({
  key: z.string(),
  value: z.number().nullable(),
  format: z.enum(['percent', 'money', 'count', 'number', 'ratio']),
});
export type Kpi = z.infer<typeof KpiSchema>;

/** A chart's data; the option is built from it by src/shared/charts/scenarios.ts (screen and PDF alike). */
export const ChartDataSchema = z.object({
  key: z.string(),
  kind: z.enum(['bar', 'hbar', 'line', 'histogram', 'scatter', 'pie', 'graph']),
  /** Category labels (bar, hbar, pie) or x values (line, scatter, histogram bin starts). */
  x: z.array(z.union([z.string(), z.number()])),
  series: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()) })),
  /** Optional markers: a vertical line at this x (e.g. the cut-off). */
  markX: z.number().optional(),
  /** Graph charts: positioned nodes (category = layer; flag 'cut' for a single point of failure, 'lost' for a failed one) and links. */
  nodes: z.array(z.object({ id: z.string(), name: z.string(), category: z.number().int(), x: z.number(), y: z.number(), size: z.number(), flag: z.string() })).optional(),
  links: z.array(z.object({ source: z.string(), target: z.string() })).optional(),
});
export type ChartData = z.infer<typeof ChartDataSchema>;

/** A table of the dashboard (alert list, plan, reasons): column keys (i18n under ui.scenarios.columns) and rows. */
export const TableDataSchema = z.object({
  key: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
});
export type TableData = z.infer<typeof TableDataSchema>;

/** A what-if control: a slider between min and max. */
export const WhatIfControlSchema = z.object({
  key: z.string(),
  /** Shown as is when set (e.g. a resource's name); else the i18n key ui.scenarios.whatIf.<key>. */
  label: z.string().optional(),
  min: z.number(),
  max: z.number(),
  step: z.number(),
  format: z.enum(['percent', 'money', 'number']),
});
export type WhatIfControl = z.infer<typeof WhatIfControlSchema>;
export const WhatIfSchema = z.record(z.string(), z.number());
export type WhatIf = z.infer<typeof WhatIfSchema>;

/** Everything a dashboard (and a PDF snapshot of it) shows, at the run's current what-if settings. */
export const DashboardSchema = z.object({
  kpis: z.array(KpiSchema),
  charts: z.array(ChartDataSchema),
  tables: z.array(TableDataSchema),
  controls: z.array(WhatIfControlSchema),
  whatIf: WhatIfSchema,
  /** Lines of explanation (e.g. why a plan is infeasible), as i18n keys with params. */
  notes: z.array(z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).default({}) })).default([]),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const ScenarioRunSchema = z.object({
  id: z.string(),
  scenarioId: ScenarioIdSchema,
  /** 'sample': the bundled/generated data; 'own': the user's mapped versions. */
  source: z.enum(['sample', 'own']),
  mapping: MappingSchema,
  /** Models the pipeline trained (Model studio records). */
  modelIds: z.array(z.string()),
  /** Facts of the run: model metrics, rows, solver status… (for the PDF's "made from" section). */
  facts: z.record(z.string(), z.union([z.string(), z.number()])),
  dashboard: DashboardSchema,
  jobId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ScenarioRun = z.infer<typeof ScenarioRunSchema>;

export const ScenarioRunSummarySchema = ScenarioRunSchema.pick({ id: true, scenarioId: true, source: true, createdAt: true, updatedAt: true }).extend({
  kpis: z.array(KpiSchema),
});
export type ScenarioRunSummary = z.infer<typeof ScenarioRunSummarySchema>;

/** Columns matched by each role's default names (case-insensitive); a multiple role without defaults takes every column not used by a single role. */
export function guessMapping(table: TemplateTable, columns: { name: string; type: string }[]): TableMapping['columns'] {
  const out: TableMapping['columns'] = {};
  const byLower = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
  const taken = new Set<string>();
  for (const role of table.roles) {
    const found = role.defaults.map((d) => byLower.get(d.toLowerCase())).filter((c): c is string => c !== undefined);
    if (role.multiple) {
      if (found.length > 0) out[role.key] = found;
    } else if (found[0] !== undefined) {
      out[role.key] = found[0];
      // Only the label-like roles keep their column out of "every other column" features.
      if (role.kind === 'binary') taken.add(found[0]);
    }
  }
  for (const role of table.roles) {
    if (role.multiple && role.defaults.length === 0) out[role.key] = columns.map((c) => c.name).filter((n) => !taken.has(n));
  }
  return out;
}

