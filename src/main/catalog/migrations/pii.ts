/**
 * Catalog tables for PII findings per version (masked values only) and for labeling (schema per dataset, labels
 * per version row and annotator). Applied once, in its slot of migrations.ts; extend by editing only before it ships.
 */
export const PII_MIGRATION = `
  CREATE TABLE pii_findings (
    version_id TEXT PRIMARY KEY REFERENCES versions(id) ON DELETE CASCADE,
    dataset_id TEXT NOT NULL,
    findings TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE label_schemas (
    dataset_id TEXT PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    classes TEXT NOT NULL,
    overlap REAL NOT NULL,
    annotators_per_item INTEGER NOT NULL,
    label_column TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE labels (
    version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    dataset_id TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    annotator TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (version_id, row_number, annotator)
  );
  CREATE INDEX labels_by_dataset ON labels (dataset_id, version_id);
`;
