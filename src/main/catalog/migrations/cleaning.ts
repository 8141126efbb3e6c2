/** Catalog tables for cleaning: saved recipes (replayable on any version). Applied once, as the last migration slot. */
export const CLEANING_MIGRATION = `
  CREATE TABLE cleaning_recipes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    recipe TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX lineage_by_parent ON lineage (parent_kind, parent_id);
`;
