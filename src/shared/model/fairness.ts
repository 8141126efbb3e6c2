/** Fairness audits: per-group metrics, Fairlearn-style disparities, disparate impact, calibration, mitigations. */
import { z } from 'zod';
import type { ModelRecord, TrainRequestInput } from './training.js';

/** The rates computed for every group; `baseRate` is the share of actual positives, `selectionRate` of predicted ones. */
export const GROUP_METRICS = ['baseRate', 'selectionRate', 'accuracy', 'tpr', 'fpr', 'fnr', 'tnr', 'ppv', 'npv', 'fdr', 'for'] as const;
export type GroupMetric = (typeof GROUP_METRICS)[number];

export const DISPARITY_METRICS = [
  'demographicParityDifference',
  'demographicParityRatio',
  'equalizedOddsDifference',
  'equalizedOddsRatio',
  'equalOpportunityDifference',
] as const;
export type DisparityMetric = (typeof DISPARITY_METRICS)[number];

/** A rate that is undefined (0/0, e.g. TPR of a group without positives) is null. */
const Rate = z.number().nullable();

export const IntervalSchema = z.object({ low: Rate, high: Rate });
export type Interval = z.infer<typeof IntervalSchema>;

export const CalibrationBinSchema = z.object({ meanPredicted: z.number(), fractionPositive: z.number(), count: z.number().int() });
export const CalibrationSchema = z.object({ brier: Rate, bins: z.array(CalibrationBinSchema) });
export type Calibration = z.infer<typeof CalibrationSchema>;

export const GroupResultSchema = z.object({
  /** Sensitive column → value; one entry per column of the analysis (intersections have several). */
  attributes: z.record(z.string(), z.string()),
  /** Stable display key, e.g. `race=White, sex=Male`. */
  key: z.string(),
  n: z.number().int(),
  tp: z.number().int(),
  fp: z.number().int(),
  fn: z.number().int(),
  tn: z.number().int(),
  baseRate: Rate,
  selectionRate: Rate,
  accuracy: Rate,
  tpr: Rate,
  fpr: Rate,
  fnr: Rate,
  tnr: Rate,
  ppv: Rate,
  npv: Rate,
  fdr: Rate,
  for: Rate,
  /** Bootstrap percentile intervals per metric (null when bootstrapping is off). */
  ci: z.record(z.string(), IntervalSchema).nullable(),
  /** Below the minimum group size: shown, but left out of disparities and verdicts. */
  small: z.boolean(),
  reference: z.boolean(),
  /** Aequitas-style disparity: each metric divided by the reference group's. */
  ratios: z.record(z.string(), Rate),
  calibration: CalibrationSchema.nullable(),
});
export type GroupResult = z.infer<typeof GroupResultSchema>;

export const DisparateImpactSchema = z.object({
  /** Selection rate of the group over the reference group's. */
  ratio: Rate,
  ci: IntervalSchema.nullable(),
  /** Four-fifths rule: pass when ratio ≥ 0.8 (and ≤ 1.25 for a group favoured over the reference). */
  verdict: z.enum(['pass', 'fail', 'reference', 'insufficient']),
});
export type DisparateImpact = z.infer<typeof DisparateImpactSchema>;

export const DisparitiesSchema = z.object({
  demographicParityDifference: Rate,
  demographicParityRatio: Rate,
  equalizedOddsDifference: Rate,
  equalizedOddsRatio: Rate,
  equalOpportunityDifference: Rate,
  ci: z.record(z.string(), IntervalSchema).nullable(),
  /** Keyed by group key. */
  disparateImpact: z.record(z.string(), DisparateImpactSchema),
  /** Keys of groups compared (n ≥ minimum) and of those left out as small. */
  comparedGroups: z.array(z.string()),
  excludedSmallGroups: z.array(z.string()),
});
export type Disparities = z.infer<typeof DisparitiesSchema>;

export const AnalysisSchema = z.object({
  columns: z.array(z.string()),
  groups: z.array(GroupResultSchema),
  disparities: DisparitiesSchema,
  reference: z.record(z.string(), z.string()),
});
export type FairnessAnalysis = z.infer<typeof AnalysisSchema>;

export const OverallSchema = z.object({
  n: z.number().int(),
  accuracy: Rate,
  selectionRate: Rate,
  baseRate: Rate,
  brier: Rate,
});

export const AuditSettingsSchema = z.object({
  minGroupSize: z.number().int().min(1),
  bootstrap: z.number().int().min(0),
  seed: z.number().int(),
  confidence: z.number().gt(0).lt(1),
  calibrationBins: z.number().int().min(2),
});
export type AuditSettings = z.infer<typeof AuditSettingsSchema>;

export const FairnessResultSchema = AnalysisSchema.extend({
  overall: OverallSchema,
  /** Per-column analyses (each column on its own), when asked for. */
  marginal: z.array(AnalysisSchema).nullable(),
  settings: AuditSettingsSchema,
});
export type FairnessResult = z.infer<typeof FairnessResultSchema>;

export const TradeoffPointSchema = z.object({ threshold: z.number(), accuracy: Rate, disparity: Rate, selectionRate: Rate });
export type TradeoffPoint = z.infer<typeof TradeoffPointSchema>;

export const FairnessConstraintSchema = z.enum(['demographic_parity', 'equalized_odds']);
export type FairnessConstraint = z.infer<typeof FairnessConstraintSchema>;

/** What to audit: a version holding labels and predictions (or scores), or a model scored on the version on the fly. */
export const AuditRequestSchema = z.object({
  versionId: z.string().min(1),
  /** Score the version with this model instead of reading a prediction column. */
  modelId: z.string().min(1).optional(),
  label: z.string().min(1),
  prediction: z.string().min(1).optional(),
  score: z.string().min(1).optional(),
  /** Predicted positive when score ≥ threshold (used when there is no prediction column). */
  threshold: z.number().default(0.5),
  sensitive: z.array(z.string().min(1)).min(1).max(4),
  /** The label value that counts as positive; default: 1/true/yes-like values, else the rarer class. */
  positive: z.string().optional(),
  reference: z.record(z.string(), z.string()).optional(),
  bootstrap: z.number().int().min(0).max(10000).default(1000),
  minGroupSize: z.number().int().min(1).default(30),
  seed: z.number().int().default(42),
  marginal: z.boolean().default(false),
  /** The disparity the trade-off curve plots. */
  constraint: FairnessConstraintSchema.default('demographic_parity'),
  name: z.string().max(200).optional(),
  /** Re-audit after reweighing: the audit this one improves on (stored as a 'reweighing' mitigation of it). */
  parentAuditId: z.string().min(1).optional(),
});
export type AuditRequest = z.infer<typeof AuditRequestSchema>;
export type AuditRequestInput = z.input<typeof AuditRequestSchema>;

export const GroupThresholdSchema = z.object({ key: z.string(), attributes: z.record(z.string(), z.string()), threshold: z.number() });

/** The threshold optimiser's outcome: the post-processor (stored with the audit) and the before/after headline. */
export const MitigationSchema = z.object({
  method: z.enum(['threshold', 'reweighing']),
  constraint: FairnessConstraintSchema,
  tolerance: z.number(),
  /** Threshold optimiser: the post-processor, applied to `scoreColumn`; empty for reweighing. */
  thresholds: z.array(GroupThresholdSchema),
  defaultThreshold: z.number(),
  scoreColumn: z.string(),
  /** Reweighing: the resampled training version. */
  trainingVersionId: z.string().optional(),
  before: z.object({ accuracy: Rate, disparity: Rate }),
  after: z.object({ accuracy: Rate, disparity: Rate }),
});
export type Mitigation = z.infer<typeof MitigationSchema>;

export const AuditKindSchema = z.enum(['audit', 'threshold', 'reweighing']);

export const AuditRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: AuditKindSchema,
  versionId: z.string(),
  modelId: z.string().nullable(),
  /** For a mitigation: the audit it improves on. */
  parentAuditId: z.string().nullable(),
  request: AuditRequestSchema,
  /** The positive label actually used. */
  positive: z.string(),
  /** Rows audited and rows left out for a missing label, prediction or score. */
  rows: z.number().int(),
  excludedRows: z.number().int(),
  result: FairnessResultSchema,
  tradeoff: z.array(TradeoffPointSchema).nullable(),
  mitigation: MitigationSchema.nullable(),
  createdAt: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export const AuditSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: AuditKindSchema,
  versionId: z.string(),
  modelId: z.string().nullable(),
  parentAuditId: z.string().nullable(),
  columns: z.array(z.string()),
  rows: z.number().int(),
  demographicParityDifference: Rate,
  equalizedOddsDifference: Rate,
  createdAt: z.string(),
});
export type AuditSummary = z.infer<typeof AuditSummarySchema>;

export const MitigateRequestSchema = z.object({
  auditId: z.string().min(1),
  method: z.literal('threshold').default('threshold'),
  constraint: FairnessConstraintSchema.default('demographic_parity'),
  tolerance: z.number().min(0).max(1).default(0.02),
});
export type MitigateRequest = z.infer<typeof MitigateRequestSchema>;

/** Reweighing's outcome: a new version of the dataset, resampled so that group and label are independent. */
export const ReweighResultSchema = z.object({
  versionId: z.string(),
  rows: z.number().int(),
  weights: z.array(z.object({ key: z.string(), label: z.string(), n: z.number().int(), weight: z.number() })),
});
export type ReweighResult = z.infer<typeof ReweighResultSchema>;

/** The Model studio request that retrains `model`'s setup (family, target, features, hyper-parameters) on another version. */
export function retrainRequest(model: ModelRecord, versionId: string): TrainRequestInput {
  const p = model.params as { epochs?: number; batchSize?: number; learningRate?: number; seed?: number; hyper?: Record<string, unknown> };
  return {
    versionId,
    target: model.target,
    features: model.features,
    family: model.family,
    ...(p.epochs !== undefined ? { epochs: p.epochs } : {}),
    ...(p.batchSize !== undefined ? { batchSize: p.batchSize } : {}),
    ...(p.learningRate !== undefined ? { learningRate: p.learningRate } : {}),
    ...(p.seed !== undefined ? { seed: p.seed } : {}),
    ...(p.hyper ? { hyper: p.hyper as TrainRequestInput['hyper'] } : {}),
    name: `${model.name} · reweighed`,
  };
}

/** Privacy × utility × fairness: the same model trained on a version and on each of its anonymised versions. */
export const PrivacyComparisonRequestSchema = z.object({
  versionId: z.string().min(1),
  target: z.string().min(1),
  /** Empty: every column but the target. */
  features: z.array(z.string()).default([]),
  sensitive: z.array(z.string().min(1)).min(1).max(4),
  positive: z.string().optional(),
  family: z.enum(['logistic', 'mlp']).default('logistic'),
  epochs: z.number().int().min(1).max(200).default(10),
  constraint: FairnessConstraintSchema.default('demographic_parity'),
  bootstrap: z.number().int().min(0).max(5000).default(200),
  minGroupSize: z.number().int().min(1).default(30),
  seed: z.number().int().default(42),
});
export type PrivacyComparisonRequest = z.infer<typeof PrivacyComparisonRequestSchema>;

export const PrivacyComparisonSchema = z.object({
  constraint: FairnessConstraintSchema,
  positive: z.string(),
  rows: z.array(
    z.object({
      versionId: z.string(),
      number: z.number().int(),
      operation: z.string(),
      trainRows: z.number().int(),
      testRows: z.number().int(),
      /** On the held-out 30% of that version. */
      accuracy: Rate,
      disparity: Rate,
      disparityCi: IntervalSchema.nullable(),
      groups: z.number().int(),
      smallGroups: z.number().int(),
    }),
  ),
});
export type PrivacyComparison = z.infer<typeof PrivacyComparisonSchema>;
