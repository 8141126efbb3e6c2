/**
 * Cleaning recipes (a sequence of operations, stored as JSON), what a run reports per step, saved recipes,
 * version comparison and the lineage graph.
 */
import { z } from 'zod';
import { ColumnSchema, ColumnTypeSchema } from './catalog.js';

const columnName = z.string().min(1).max(200);
const columnList = z.array(columnName);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const CleaningStepSchema = z.discriminatedUnion('op', [
  /** Keeps the first of rows equal on `columns` (all columns when empty), as pandas' drop_duplicates(keep='first'). */
  z.object({ op: z.literal('dropDuplicates'), columns: columnList.default([]) }),
  /** Keeps the rows where the expression is true (null and false drop the row). */
  z.object({ op: z.literal('filter'), expression: z.string().min(1).max(10_000) }),
  /** Fills missing values of numeric (mean, median) or any (mode, constant) columns. */
  z.object({
    op: z.literal('impute'),
    columns: columnList.min(1),
    strategy: z.enum(['mean', 'median', 'mode', 'constant']),
    value: scalar.optional(),
  }),
  /** Clips numeric columns to [Q1 − k·IQR, Q3 + k·IQR] or to two percentiles (pandas' linear quantiles). */
  z.object({
    op: z.literal('capOutliers'),
    columns: columnList.min(1),
    method: z.enum(['iqr', 'percentile']).default('iqr'),
    factor: z.number().positive().max(100).default(1.5),
    lower: z.number().min(0).max(1).default(0.01),
    upper: z.number().min(0).max(1).default(0.99),
  }),
  /** Text clean-up: Unicode NFKC (full-width → half-width), trimming, collapsing whitespace, case, empty → missing. */
  z.object({
    op: z.literal('normaliseText'),
    /** Text columns to clean; all text columns when empty. */
    columns: columnList.default([]),
    nfkc: z.boolean().default(true),
    fullWidth: z.boolean().default(true),
    trim: z.boolean().default(true),
    collapseWhitespace: z.boolean().default(true),
    case: z.enum(['keep', 'lower', 'upper']).default('keep'),
    emptyToNull: z.boolean().default(true),
  }),
  /** Converts a column to another type; values that do not convert fail the run, or become missing. */
  z.object({ op: z.literal('cast'), column: columnName, to: ColumnTypeSchema, onError: z.enum(['fail', 'null']).default('fail') }),
  z.object({ op: z.literal('rename'), mapping: z.record(columnName, columnName) }),
  z.object({ op: z.literal('dropColumns'), columns: columnList.min(1) }),
  /** Puts the listed columns first, in that order; the others follow in their order. */
  z.object({ op: z.literal('reorderColumns'), columns: columnList.min(1) }),
  /** Adds (or replaces) a column computed by an expression; its type is inferred from the values unless given. */
  z.object({ op: z.literal('derive'), name: columnName, expression: z.string().min(1).max(10_000), type: ColumnTypeSchema.optional() }),
]);
export type CleaningStep = z.infer<typeof CleaningStepSchema>;
export type CleaningStepInput = z.input<typeof CleaningStepSchema>;
export type CleaningOp = CleaningStep['op'];
export const CLEANING_OPS = ['dropDuplicates', 'filter', 'impute', 'capOutliers', 'normaliseText', 'cast', 'rename', 'dropColumns', 'reorderColumns', 'derive'] as const satisfies readonly CleaningOp[];

/** A recipe: steps applied in order. One run of a recipe publishes ONE new version (its parameters hold the recipe). */
export const RecipeSchema = z.object({
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  steps: z.array(CleaningStepSchema).min(1).max(100),
});
export type Recipe = z.infer<typeof RecipeSchema>;
export type RecipeInput = z.input<typeof RecipeSchema>;

/** What one step did: rows in and out, cells changed, and op-specific figures (fill values, caps, counts). */
export const StepReportSchema = z.object({
  op: z.string(),
  rowsBefore: z.number().int().nonnegative(),
  rowsAfter: z.number().int().nonnegative(),
  changedCells: z.number().int().nonnegative(),
  detail: z.record(z.string(), z.unknown()),
});
export type StepReport = z.infer<typeof StepReportSchema>;

export const CleanRequestSchema = z.object({ versionId: z.string(), recipe: RecipeSchema });
export type CleanRequest = z.infer<typeof CleanRequestSchema>;

export const CleanResultSchema = z.object({
  datasetId: z.string(),
  versionId: z.string(),
  parentVersionId: z.string(),
  rowCount: z.number().int().nonnegative(),
  columns: z.array(ColumnSchema),
  steps: z.array(StepReportSchema),
});
export type CleanResult = z.infer<typeof CleanResultSchema>;

export const CleanPreviewSchema = z.object({
  /** Rows the preview ran on (the first rows of the version). */
  sampleRows: z.number().int().nonnegative(),
  before: z.object({ columns: z.array(ColumnSchema), rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))) }),
  after: z.object({ columns: z.array(ColumnSchema), rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))) }),
  steps: z.array(StepReportSchema),
  /** The first step's error, when the recipe cannot run (e.g. an expression error); `steps` holds the steps before it. */
  error: z.object({ step: z.number().int().nonnegative(), code: z.string(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional() }).nullable(),
});
export type CleanPreview = z.infer<typeof CleanPreviewSchema>;

export const SavedRecipeSchema = z.object({
  id: z.string(),
  name: z.string(),
  recipe: RecipeSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedRecipe = z.infer<typeof SavedRecipeSchema>;

/** Version comparison: schema changes, row counts, and a summary of changed cells. */
export const VersionDiffSchema = z.object({
  a: z.object({ versionId: z.string(), number: z.number().int(), rowCount: z.number().int(), datasetId: z.string() }),
  b: z.object({ versionId: z.string(), number: z.number().int(), rowCount: z.number().int(), datasetId: z.string() }),
  schema: z.object({
    added: z.array(ColumnSchema.pick({ name: true, type: true })),
    removed: z.array(ColumnSchema.pick({ name: true, type: true })),
    retyped: z.array(z.object({ name: z.string(), from: ColumnTypeSchema, to: ColumnTypeSchema })),
    renamed: z.array(z.object({ from: z.string(), to: z.string() })),
    /** True when the common columns appear in another order. */
    reordered: z.boolean(),
  }),
  rows: z.object({ a: z.number().int(), b: z.number().int(), added: z.number().int().nullable(), removed: z.number().int().nullable() }),
  /**
   * How rows were matched: by `__row` (same position; used when no key is given and the row counts are equal),
   * by key columns, through the row map a clean that dropped rows recorded (B cleaned from its parent A), or not
   * at all (then no cell comparison).
   */
  alignment: z.enum(['row', 'key', 'lineage', 'none']),
  keyColumns: z.array(z.string()),
  cells: z.object({
    compared: z.number().int().nonnegative(),
    changed: z.number().int().nonnegative(),
    byColumn: z.array(z.object({ column: z.string(), changed: z.number().int().nonnegative() })),
    samples: z.array(
      z.object({
        /** `__row` (alignment row) or the key values joined by ' | ' (alignment key). */
        row: z.string(),
        column: z.string(),
        before: z.union([z.string(), z.number(), z.null()]),
        after: z.union([z.string(), z.number(), z.null()]),
      }),
    ),
  }),
});
export type VersionDiff = z.infer<typeof VersionDiffSchema>;

export const LineageNodeKindSchema = z.string();
export const LineageNodeSchema = z.object({
  /** Kind-qualified id, e.g. `version:ver_…`, `model:mdl_…`, `file:<sha256>`. */
  id: z.string(),
  kind: z.string(),
  /** The entity's own id (the file's sha256 for files). */
  entityId: z.string(),
  label: z.string(),
  /** A second line: the operation, row count, family… */
  detail: z.string(),
  createdAt: z.string().nullable(),
  /** Layer for the left → right layout: 0 for sources, 1 + the deepest parent otherwise. */
  depth: z.number().int().nonnegative(),
});
export type LineageNode = z.infer<typeof LineageNodeSchema>;

export const LineageEdgeSchema = z.object({ source: z.string(), target: z.string(), relation: z.string() });
export type LineageEdge = z.infer<typeof LineageEdgeSchema>;

export const LineageGraphSchema = z.object({
  /** The node the graph was asked for. */
  focus: z.string(),
  nodes: z.array(LineageNodeSchema),
  edges: z.array(LineageEdgeSchema),
  /** True when the graph was cut at the node limit. */
  truncated: z.boolean(),
});
export type LineageGraph = z.infer<typeof LineageGraphSchema>;
