/** Profiling engine: per-column statistics, duplicates, correlations and alerts over columns held in memory. */
export { profileDataset, MAX_CATEGORIES } from './profile.js';
export type { ProfileOptions, ComputedProfile } from './profile.js';
export { computeAlerts, imbalanceOf, ALERT_THRESHOLDS } from './alerts.js';
export { valuePattern, textKind } from './text.js';
export type { TextKind } from './text.js';
export { moments, pearson, cramersV } from './stats.js';
export { distributionOf, quantileOf, histogramOf, COUNTING_LIMIT } from './distribution.js';
export { columnFromCells, cellOf, isMissing, isNumericType, TextColumnBuilder } from './columns.js';
export type { DataColumn, NumberColumn, TextColumn } from './columns.js';
