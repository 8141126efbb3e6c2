/** Schema migrations of catalog.db, applied in order by PRAGMA user_version. */
import type Database from 'better-sqlite3';
import { GOVERNANCE_MIGRATION } from './migrations/governance.js';
import { CATALOG_METADATA_MIGRATION } from './migrations/catalog-metadata.js';
import { PII_MIGRATION } from './migrations/pii.js';
import { FAIRNESS_MIGRATION } from './migrations/fairness.js';
import { REPORTS_MIGRATION } from './migrations/reports.js';
import { SCENARIOS_MIGRATION } from './migrations/scenarios.js';
import { CLEANING_MIGRATION } from './migrations/cleaning.js';

const MIGRATIONS: readonly string[] = [
  // 1: datasets, immutable versions (each in its own table v_<id>), lineage, jobs, append-only audit log.
  `
  CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE versions (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    parent_id TEXT REFERENCES versions(id) ON DELETE SET NULL,
    operation TEXT NOT NULL,
    params TEXT NOT NULL,
    table_name TEXT NOT NULL UNIQUE,
    row_count INTEGER NOT NULL,
    columns TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (dataset_id, number)
  );
  CREATE TABLE lineage (
    child_kind TEXT NOT NULL,
    child_id TEXT NOT NULL,
    parent_kind TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    relation TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (child_kind, child_id, parent_kind, parent_id)
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL,
    progress REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    counters TEXT NOT NULL DEFAULT '{}',
    eta_ms INTEGER,
    params TEXT NOT NULL,
    result TEXT,
    error TEXT,
    staging_table TEXT,
    owner_pid INTEGER,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE INDEX jobs_by_created ON jobs (created_at DESC);
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  `,
  // 2: the model registry. Weights are files under models/<id>/ (TF.js layers format); their hashes are here.
  `
  CREATE TABLE models (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    family TEXT NOT NULL,
    version_id TEXT NOT NULL,
    target TEXT NOT NULL,
    features TEXT NOT NULL,
    params TEXT NOT NULL,
    metrics TEXT NOT NULL,
    backend TEXT NOT NULL,
    train_ms INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    files TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX models_by_version ON models (version_id);
  `,
  // 3: what a model predicts, what its page draws (curves, confusion, ROC, CV, trials, explanations), and the model a
  // compressed one came from.
  `
  ALTER TABLE models ADD COLUMN task TEXT NOT NULL DEFAULT 'binary';
  ALTER TABLE models ADD COLUMN report TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE models ADD COLUMN parent_model_id TEXT;
  `,
  // 4..: one slot per area, each in its own file so that areas grow their tables independently.
  GOVERNANCE_MIGRATION,
  CATALOG_METADATA_MIGRATION,
  PII_MIGRATION,
  FAIRNESS_MIGRATION,
  REPORTS_MIGRATION,
  SCENARIOS_MIGRATION,
  CLEANING_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`catalog.db has schema ${current}, newer than this app (${SCHEMA_VERSION}): update Xinzhi Workbench`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
