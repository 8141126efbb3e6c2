/** Fairness: audits by group and intersection with intervals, guidance, charts and the threshold-optimiser mitigation. */
export { FairnessPage } from './fairness-page.js';
