/** The privacy setup: roles, transformations and hierarchies per column, privacy models, and the run's outcome. */
import { z } from 'zod';

export const ColumnRoleSchema = z.enum(['identifying', 'quasi', 'sensitive', 'insensitive']);
export type ColumnRole = z.infer<typeof ColumnRoleSchema>;

export const ColumnTransformSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep') }),
  z.object({ kind: z.literal('drop') }),
  z.object({ kind: z.literal('mask'), keepFirst: z.number().int().min(0).default(0), keepLast: z.number().int().min(0).default(0), maskChar: z.string().length(1).optional() }),
  z.object({ kind: z.literal('pseudonymise'), length: z.number().int().min(8).max(64).optional(), reversible: z.boolean().optional() }),
  z.object({ kind: z.literal('encrypt') }),
  z.object({ kind: z.literal('topBottom'), bottom: z.number().optional(), top: z.number().optional() }),
  z.object({ kind: z.literal('noise'), epsilon: z.number().positive(), sensitivity: z.number().positive().optional(), seed: z.number().int().optional() }),
]);
export type ColumnTransformSpec = z.infer<typeof ColumnTransformSchema>;

/** Where a quasi-identifier's generalisation hierarchy comes from. */
export const HierarchySpecSchema = z.union([
  /** An ARX hierarchy CSV (`;`-separated, one row per value), relative to the config file. */
  z.object({ file: z.string().min(1) }),
  z.object({ rows: z.array(z.array(z.string()).min(2)).min(1) }),
  z.object({ interval: z.object({ widths: z.array(z.number().positive()).min(1) }) }),
  z.object({ date: z.literal(true) }),
  z.object({ prefix: z.object({ keep: z.array(z.number().int().nonnegative()).min(1) }) }),
]);
export type HierarchySpec = z.infer<typeof HierarchySpecSchema>;

export const ColumnPrivacySchema = z.object({
  role: ColumnRoleSchema,
  /** Identifying columns are dropped unless a transformation is given; others are kept as they are. */
  transform: ColumnTransformSchema.optional(),
  /** Required for quasi-identifiers. */
  hierarchy: HierarchySpecSchema.optional(),
});

export const PrivacyModelSchema = z.discriminatedUnion('model', [
  z.object({ model: z.literal('k-anonymity'), k: z.number().int().min(1) }),
  z.object({
    model: z.literal('l-diversity'),
    variant: z.enum(['distinct', 'entropy', 'recursive']).default('distinct'),
    l: z.number().min(1),
    c: z.number().positive().optional(),
    column: z.string(),
  }),
  z.object({
    model: z.literal('t-closeness'),
    t: z.number().min(0).max(1),
    column: z.string(),
    /** equal: categories; ordered: numbers; hierarchical: along the sensitive column's hierarchy (give it one). */
    distance: z.enum(['equal', 'ordered', 'hierarchical']).optional(),
  }),
]);
export type PrivacyModel = z.infer<typeof PrivacyModelSchema>;

export const PrivacyConfigSchema = z.object({
  columns: z.record(z.string(), ColumnPrivacySchema),
  models: z.array(PrivacyModelSchema).min(1),
  /** Share of records that may be suppressed, in percent. */
  suppressionLimit: z.number().min(0).max(100).default(0),
  /**
   * record: suppressed records are left out of the new version; cell: they stay, with every quasi-identifier
   * cell replaced by `*` (their other columns are kept, as ARX does).
   */
  suppression: z.enum(['record', 'cell']).default('record'),
  metric: z.enum(['loss', 'discernibility', 'avgClassSize']).default('loss'),
  /** `optimal`: full-domain generalisation at the best lattice node; `mondrian`: local recoding, for better utility. */
  algorithm: z.enum(['optimal', 'mondrian']).default('optimal'),
  /** Train the same quick model on the original and the anonymised rows to show what the privacy costs. */
  utility: z.object({ target: z.string() }).optional(),
  /** Records whose re-identification risk exceeds this are counted "at risk". */
  riskThreshold: z.number().gt(0).max(1).default(0.2),
});
export type PrivacyConfig = z.infer<typeof PrivacyConfigSchema>;
export type PrivacyConfigInput = z.input<typeof PrivacyConfigSchema>;

export const AnonymiseRequestSchema = z.object({
  versionId: z.string(),
  config: PrivacyConfigSchema,
  /** Folder that relative hierarchy `file` paths are resolved against (the CLI passes the config's folder). */
  baseDir: z.string().optional(),
});
export type AnonymiseRequest = z.infer<typeof AnonymiseRequestSchema>;

/** Re-identification risk of a table's quasi-identifier classes (journalist = prosecutor: the data is the population). */
export const RiskSchema = z.object({
  records: z.number().int(),
  classes: z.number().int(),
  prosecutorMax: z.number(),
  prosecutorAvg: z.number(),
  journalistMax: z.number(),
  journalistAvg: z.number(),
  marketer: z.number(),
  threshold: z.number(),
  /** Share (0 … 1) of records whose risk exceeds the threshold, and their number. */
  recordsAtRisk: z.number(),
  recordsAtRiskCount: z.number().int(),
  uniques: z.number().int(),
  /** Class-size buckets (1, 2, 3-4, 5-9, 10-19, 20-49, 50+) → number of classes. */
  histogram: z.record(z.string(), z.number().int()),
});
export type Risk = z.infer<typeof RiskSchema>;

export const AnonymiseResultSchema = z.object({
  datasetId: z.string(),
  versionId: z.string(),
  satisfied: z.array(z.record(z.string(), z.unknown())),
  /** Chosen generalisation level per quasi-identifier (empty for Mondrian, which recodes locally). */
  node: z.record(z.string(), z.number().int()),
  suppressedRows: z.number().int(),
  rowCount: z.number().int(),
  /**
   * loss: ARX's Loss (full-domain only; null for Mondrian); granularity: the same idea over the values present,
   * comparable across both algorithms; discernibility: Σ class size² (+ n per suppressed record).
   */
  infoLoss: z.object({ loss: z.number().nullable(), granularity: z.number(), discernibility: z.number(), avgClassSize: z.number() }),
  risk: z.object({ before: RiskSchema, after: RiskSchema }),
  classes: z.number().int(),
  smallestClass: z.number().int(),
  nodesChecked: z.number().int(),
  searchMs: z.number(),
  algorithm: z.enum(['optimal', 'mondrian']),
  /** Test accuracy of a logistic regression trained on the original vs the anonymised rows (same split). */
  utility: z
    .object({ target: z.string(), accuracyOriginal: z.number(), accuracyAnonymised: z.number(), delta: z.number(), rows: z.number().int(), features: z.number().int() })
    .nullable(),
});
export type AnonymiseResult = z.infer<typeof AnonymiseResultSchema>;

/** Why a role was proposed, as a message key under `privacy.reasons` with parameters. */
export const RoleReasonSchema = z.object({ key: z.string(), params: z.record(z.string(), z.string()) });

export const SuggestedSetupSchema = z.object({
  config: PrivacyConfigSchema,
  reasons: z.record(z.string(), RoleReasonSchema),
});
export type SuggestedSetup = z.infer<typeof SuggestedSetupSchema>;

export const HierarchyPreviewSchema = z.object({
  /** Levels including the leaves. */
  levels: z.number().int(),
  /** The hierarchy's rows for the column's values (at most 500), leaves first. */
  rows: z.array(z.array(z.string())),
  distinctValues: z.number().int(),
  /** Values of the column the hierarchy does not cover (at most 50). */
  missing: z.array(z.string()),
});
export type HierarchyPreview = z.infer<typeof HierarchyPreviewSchema>;
