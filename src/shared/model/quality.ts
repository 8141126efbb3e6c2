/** Domain types of data quality: column and dataset profiles, alerts, the 0–100 score, quality rules and their runs. */
import { z } from 'zod';
import { ColumnTypeSchema } from './catalog.js';

export const ValueCountSchema = z.object({ value: z.union([z.string(), z.number()]), count: z.number().int().nonnegative() });
export type ValueCount = z.infer<typeof ValueCountSchema>;

export const HistogramSchema = z.object({
  /** bins + 1 edges, ascending; bin i is [edges[i], edges[i+1]) and the last one includes its right edge (numpy's rule). */
  edges: z.array(z.number()),
  counts: z.array(z.number().int().nonnegative()),
});
export type Histogram = z.infer<typeof HistogramSchema>;

export const NumericStatsSchema = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  /** Sample standard deviation (ddof = 1, as pandas); null with fewer than two values. */
  std: z.number().nullable(),
  /** Adjusted Fisher–Pearson skewness (pandas' `skew`); null with fewer than three values. */
  skewness: z.number().nullable(),
  /** Quantiles at 1/5/25/50/75/95/99 % with linear interpolation (pandas' default). */
  quantiles: z.object({ p1: z.number(), p5: z.number(), p25: z.number(), p50: z.number(), p75: z.number(), p95: z.number(), p99: z.number() }),
  zeros: z.number().int().nonnegative(),
  /** Values outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR]. */
  outliers: z.number().int().nonnegative(),
  histogram: HistogramSchema,
});
export type NumericStats = z.infer<typeof NumericStatsSchema>;

export const TextStatsSchema = z.object({
  minLength: z.number().int().nonnegative(),
  meanLength: z.number().nonnegative(),
  maxLength: z.number().int().nonnegative(),
  /** Lexicographic first and last values (dates in ISO form sort as dates). */
  min: z.string(),
  max: z.string(),
  /** Value shapes: A = upper-case letters, a = lower-case, 9 = a digit, 汉 = CJK; letter and CJK runs collapsed. */
  patterns: z.array(z.object({ pattern: z.string(), count: z.number().int().nonnegative() })),
  /** What the values look like, for type conformity: counts of number-like, date-like, boolean-like and other texts. */
  kinds: z.object({ number: z.number().int(), date: z.number().int(), boolean: z.number().int(), text: z.number().int() }),
});
export type TextStats = z.infer<typeof TextStatsSchema>;

export const ColumnProfileSchema = z.object({
  name: z.string(),
  type: ColumnTypeSchema,
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  distinct: z.number().int().nonnegative(),
  topValues: z.array(ValueCountSchema),
  numeric: NumericStatsSchema.nullable(),
  text: TextStatsSchema.nullable(),
  /** 1 − H/log(k) over the k ≤ 50 categories' frequencies (0 = balanced); null for other columns. */
  imbalance: z.number().nullable(),
  /** Non-null cells whose value fits the column's majority type (all of them in a typed numeric column). */
  conforming: z.number().int().nonnegative(),
});
export type ColumnProfile = z.infer<typeof ColumnProfileSchema>;

export const AlertKindSchema = z.enum([
  'constant',
  'unique',
  'missing',
  'zeros',
  'skewed',
  'imbalance',
  'high-cardinality',
  'duplicates',
  'high-correlation',
  'mixed-types',
]);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const AlertSchema = z.object({
  kind: AlertKindSchema,
  /** The column it is about; null for dataset-wide alerts (duplicates). */
  column: z.string().nullable(),
  /** The other column of a high correlation. */
  otherColumn: z.string().optional(),
  /** The measured value that crossed the threshold (a share, a skewness, a count, a coefficient). */
  value: z.number(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const CorrelationSchema = z.object({
  method: z.enum(['pearson', 'cramers-v']),
  columns: z.array(z.string()),
  /** Square matrix, row-major, aligned with `columns`; null where undefined (a constant column). */
  matrix: z.array(z.array(z.number().nullable())),
});
export type Correlation = z.infer<typeof CorrelationSchema>;

export const QualityDimensionsSchema = z.object({
  completeness: z.number().nullable(),
  uniqueness: z.number().nullable(),
  /** Null when the dataset has no rules yet, or they have not run on this version: then it does not count. */
  validity: z.number().nullable(),
  consistency: z.number().nullable(),
  /** Null when the version has no numeric column. */
  outliers: z.number().nullable(),
});
export type QualityDimensions = z.infer<typeof QualityDimensionsSchema>;

export const DatasetProfileSchema = z.object({
  versionId: z.string(),
  rowCount: z.number().int().nonnegative(),
  columns: z.array(ColumnProfileSchema),
  duplicateRows: z.number().int().nonnegative(),
  /** Rows with at least one missing cell. */
  rowsWithMissing: z.number().int().nonnegative(),
  correlations: z.array(CorrelationSchema),
  alerts: z.array(AlertSchema),
  createdAt: z.string(),
  /** Milliseconds: reading the version table, and computing the profile from the columns in memory. */
  timings: z.object({ readMs: z.number(), computeMs: z.number() }),
});
export type DatasetProfile = z.infer<typeof DatasetProfileSchema>;

/** A stored profile with its score (validity comes from the latest rule run on the version). */
export const ProfileReportSchema = DatasetProfileSchema.extend({
  qualityScore: z.number(),
  dimensions: QualityDimensionsSchema,
});
export type ProfileReport = z.infer<typeof ProfileReportSchema>;

// ---- Quality rules (expectations) ----

export const RuleKindSchema = z.enum(['not-null', 'unique', 'in-set', 'between', 'matches', 'type', 'row-count', 'predicate']);
export type RuleKind = z.infer<typeof RuleKindSchema>;

export const RuleSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('not-null'), column: z.string().min(1) }),
  z.object({ kind: z.literal('unique'), column: z.string().min(1) }),
  z.object({ kind: z.literal('in-set'), column: z.string().min(1), values: z.array(z.union([z.string(), z.number()])).min(1).max(10_000) }),
  z
    .object({ kind: z.literal('between'), column: z.string().min(1), min: z.number().nullable().default(null), max: z.number().nullable().default(null) })
    .refine((r) => r.min !== null || r.max !== null, { message: 'give min, max or both' }),
  z.object({ kind: z.literal('matches'), column: z.string().min(1), pattern: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal('type'), column: z.string().min(1), type: z.enum(['integer', 'number', 'boolean', 'date', 'text']) }),
  z
    .object({ kind: z.literal('row-count'), min: z.number().int().nonnegative().nullable().default(null), max: z.number().int().nonnegative().nullable().default(null) })
    .refine((r) => r.min !== null || r.max !== null, { message: 'give min, max or both' }),
  z.object({ kind: z.literal('predicate'), expression: z.string().min(1).max(2000) }),
]);
export type RuleSpec = z.infer<typeof RuleSpecSchema>;
export type RuleSpecInput = z.input<typeof RuleSpecSchema>;

export const RuleSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  spec: RuleSpecSchema,
  createdAt: z.string(),
});
export type Rule = z.infer<typeof RuleSchema>;

export const FailingSampleSchema = z.object({
  /** 1-based row number in the version (as the data grid shows it). */
  row: z.number().int().positive(),
  /** The offending value, shortened (and masked past a few characters); null when missing. */
  value: z.string().nullable(),
});

export const RuleResultSchema = z.object({
  ruleId: z.string(),
  spec: RuleSpecSchema,
  passed: z.boolean(),
  checkedRows: z.number().int().nonnegative(),
  failingRows: z.number().int().nonnegative(),
  /** Share of rows that pass (the row-count rule: 1 or 0). */
  passRate: z.number().min(0).max(1),
  samples: z.array(FailingSampleSchema),
  /** Why the rule could not be checked (e.g. the column is gone in this version); then it fails. */
  error: z.string().nullable(),
});
export type RuleResult = z.infer<typeof RuleResultSchema>;

export const RuleRunSchema = z.object({
  id: z.number().int(),
  versionId: z.string(),
  versionNumber: z.number().int(),
  ranAt: z.string(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  results: z.array(RuleResultSchema),
});
export type RuleRun = z.infer<typeof RuleRunSchema>;
