/** Dataset: one dataset's page — versions, schema, the paged grid, rename, export and delete. */
export { DatasetPage } from './dataset-page.js';
