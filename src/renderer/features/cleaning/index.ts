/** Cleaning: the recipe builder with previews and runs, version comparison, and the lineage graph. */
export { CleanPanel } from './clean-panel.js';
export { LineagePanel } from './lineage-panel.js';
