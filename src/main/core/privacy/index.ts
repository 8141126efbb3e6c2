/**
 * Privacy engine core: generalisation hierarchies, the full-domain lattice search with k-anonymity, l-diversity and
 * t-closeness, applying a node, re-identification risk, and independent checkers.
 */
export { parseHierarchyCsv, validateHierarchy, encodeColumn, generaliseColumn } from './hierarchy.js';
export type { Hierarchy, EncodedColumn } from './hierarchy.js';
export { Lattice, searchOptimal, classifyLattice, evaluateNode, nodeClasses, NODE_ANONYMOUS, NODE_NOT_ANONYMOUS } from './lattice.js';
export type { LossMetric, SearchOptions, SearchResult, NodeStats, NodeClasses, Classification } from './lattice.js';
export { compileModels, MODEL_EPSILON } from './models.js';
export type { PrivacyModelSpec, SensitiveColumn, LDiversityVariant, TClosenessDistance, ClassModel } from './models.js';
export { applyNode, SUPPRESSED_LABEL } from './apply.js';
export type { AppliedNode } from './apply.js';
export { reidentificationRisk, classSizesOf, RISK_HISTOGRAM_BUCKETS } from './risk.js';
export type { ReidentificationRisk, RiskHistogramBucket } from './risk.js';
export { checkKAnonymity, checkLDiversity, checkTCloseness } from './check.js';
export type { KAnonymityCheck, ClassModelCheck } from './check.js';
// Transformations and hierarchy builders (owned by the transforms work), re-exported whole so their names stay theirs.
export * from './transforms.js';
export * from './hierarchy-builders.js';
export { suggestRole } from './suggest.js';
export type { ColumnSample, RoleSuggestion } from './suggest.js';
export { mondrian, granularityOfNode, isNumericColumn } from './mondrian.js';
export type { MondrianOptions, MondrianResult } from './mondrian.js';
export { mlUtility } from './utility.js';
export type { MlUtility, MlUtilityOptions } from './utility.js';
