/** Catalog tables for generated reports (path, sha256). Applied once, in its slot of migrations.ts; extend by editing only before it ships. */
export const REPORTS_MIGRATION = `
  CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pages INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    generated_at TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX reports_by_subject ON reports (subject_id, created_at DESC);
`;
