/** Catalog tables for scenario runs and their dashboard state. Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const SCENARIOS_MIGRATION = `
  CREATE TABLE scenario_runs (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    source TEXT NOT NULL,
    mapping TEXT NOT NULL,
    model_ids TEXT NOT NULL,
    facts TEXT NOT NULL,
    -- What the what-if recomputation starts from (scores and labels of held-out rows, or the plan's tables).
    base TEXT NOT NULL,
    dashboard TEXT NOT NULL,
    job_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX scenario_runs_by_scenario ON scenario_runs (scenario_id, created_at);
`;
