/** Catalog tables for profiles, quality rules and their results, cleaning recipes. Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const GOVERNANCE_MIGRATION = `
  -- Quality: one stored profile per version (JSON of DatasetProfile), the dataset's rules, and every rule run.
  CREATE TABLE profiles (
    version_id TEXT PRIMARY KEY REFERENCES versions(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE quality_rules (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    spec TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX quality_rules_by_dataset ON quality_rules (dataset_id, created_at);
  CREATE TABLE rule_runs (
    id INTEGER PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    ran_at TEXT NOT NULL,
    results TEXT NOT NULL
  );
  CREATE INDEX rule_runs_by_version ON rule_runs (version_id, id);
`;
