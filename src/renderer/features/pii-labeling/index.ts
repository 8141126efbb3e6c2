/** PII detection and labeling on the dataset page: the PII tab and the keyboard-driven labeling queue. */
export { PiiPanel } from './pii-panel.js';
export { LabelingPanel } from './labeling-panel.js';
