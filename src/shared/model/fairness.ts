/** Fairness audits: per-group metrics, Fairlearn-style disparities, disparate impact, calibration, mitigations. */
import { z } from 'zod';

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
