/**
 * Catalog metadata (owner, steward, sensitivity, tags, glossary and its links) and the full-text index over the
 * catalog (FTS5). Triggers mark a dataset's index row stale whenever anything it shows changes — from any
 * connection or worker, whoever writes — and the metadata repository re-indexes stale rows before each search;
 * the last statement marks every existing dataset stale, so a catalog migrated to this schema is indexed too.
 */
export const CATALOG_METADATA_MIGRATION = `
  CREATE TABLE dataset_metadata (
    dataset_id TEXT PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
    owner TEXT NOT NULL DEFAULT '',
    steward TEXT NOT NULL DEFAULT '',
    sensitivity TEXT CHECK (sensitivity IN ('public', 'internal', 'confidential', 'restricted')),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  );
  CREATE TABLE dataset_tags (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (dataset_id, tag)
  );
  CREATE INDEX dataset_tags_by_tag ON dataset_tags (tag);
  CREATE TABLE glossary_terms (
    term TEXT PRIMARY KEY COLLATE NOCASE,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  -- column_name '' links the term to the dataset as a whole
  CREATE TABLE glossary_links (
    term TEXT NOT NULL REFERENCES glossary_terms(term) ON DELETE CASCADE ON UPDATE CASCADE,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    column_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (term, dataset_id, column_name)
  );
  CREATE INDEX glossary_links_by_dataset ON glossary_links (dataset_id);

  -- CJK text is stored one character per token, so that any run of characters matches as a phrase.
  CREATE VIRTUAL TABLE catalog_fts USING fts5(
    dataset_id UNINDEXED, name, description, tags, terms, columns,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TABLE catalog_fts_stale (dataset_id TEXT PRIMARY KEY) WITHOUT ROWID;

  CREATE TRIGGER fts_dataset_insert AFTER INSERT ON datasets BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale VALUES (new.id);
  END;
  CREATE TRIGGER fts_dataset_update AFTER UPDATE OF name, description ON datasets BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale VALUES (new.id);
  END;
  CREATE TRIGGER fts_dataset_delete AFTER DELETE ON datasets BEGIN
    DELETE FROM catalog_fts WHERE dataset_id = old.id;
    DELETE FROM catalog_fts_stale WHERE dataset_id = old.id;
  END;
  CREATE TRIGGER fts_version_insert AFTER INSERT ON versions BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale VALUES (new.dataset_id);
  END;
  CREATE TRIGGER fts_version_delete AFTER DELETE ON versions BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale SELECT id FROM datasets WHERE id = old.dataset_id;
  END;
  CREATE TRIGGER fts_tag_insert AFTER INSERT ON dataset_tags BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale VALUES (new.dataset_id);
  END;
  CREATE TRIGGER fts_tag_delete AFTER DELETE ON dataset_tags BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale SELECT id FROM datasets WHERE id = old.dataset_id;
  END;
  CREATE TRIGGER fts_link_insert AFTER INSERT ON glossary_links BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale VALUES (new.dataset_id);
  END;
  CREATE TRIGGER fts_link_delete AFTER DELETE ON glossary_links BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale SELECT id FROM datasets WHERE id = old.dataset_id;
  END;
  CREATE TRIGGER fts_link_update AFTER UPDATE ON glossary_links BEGIN
    INSERT OR IGNORE INTO catalog_fts_stale VALUES (new.dataset_id);
  END;

  INSERT INTO catalog_fts_stale SELECT id FROM datasets;
`;
