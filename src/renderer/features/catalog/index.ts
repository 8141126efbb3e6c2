/** Catalog: the dataset list, and importing files (dialog, drop-anywhere, preview and overrides). */
export { CatalogPage, latestVersion } from './catalog-page.js';
export { ImportProvider, useImport } from './import-provider.js';
