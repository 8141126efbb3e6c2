/** Data quality on the dataset page: profile, 0–100 score with its formula, alerts, charts and quality rules. */
export { QualityPanel } from './quality-panel.js';
