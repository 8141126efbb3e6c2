/** Catalog metadata in the UI: a dataset's About tab, the glossary page, and full-text search hits for the catalog. */
export { AboutPanel } from './about-panel.js';
export { GlossaryPage } from './glossary-page.js';
export { useCatalogSearch, SearchMatches, SensitivityBadge, Highlighted } from './search.js';
