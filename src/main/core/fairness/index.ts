/**
 * Fairness engine: group and intersectional metrics with Fairlearn's disparity definitions, disparate impact,
 * bootstrap intervals and calibration; reweighing and group-threshold mitigations. Pure; no SQLite, no workers.
 */
export { auditFairness, encodeCategorical, intersectionGroups, quickDisparities, DEFAULT_AUDIT_SETTINGS, MISSING_LEVEL } from './audit.js';
export type { AuditOptions, FairnessInput, SensitiveColumn, RowGroups } from './audit.js';
export { reweighingWeights, thresholdOptimizer, applyGroupThresholds, tradeoffCurve } from './mitigation.js';
export type { ReweighingResult, ThresholdOptimizerResult, ThresholdOptimizerOptions, GroupThreshold } from './mitigation.js';
export { binomial, multinomialFromCounts } from './sampling.js';
