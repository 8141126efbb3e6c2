/** Catalog tables for fairness audits. Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const FAIRNESS_MIGRATION = `
  CREATE TABLE fairness_audits (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    version_id TEXT NOT NULL,
    model_id TEXT,
    parent_audit_id TEXT REFERENCES fairness_audits(id) ON DELETE SET NULL,
    request TEXT NOT NULL,
    positive TEXT NOT NULL,
    rows INTEGER NOT NULL,
    excluded_rows INTEGER NOT NULL,
    result TEXT NOT NULL,
    tradeoff TEXT,
    mitigation TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX fairness_audits_by_version ON fairness_audits(version_id, created_at);
`;
