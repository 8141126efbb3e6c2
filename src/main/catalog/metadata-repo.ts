/** Dataset metadata, the glossary, and the full-text index kept in step with them (see migrations/catalog-metadata.ts). */
import type { Db } from './connection.js';
import { nowIso } from './ids.js';
import type { Column } from '../../shared/model/catalog.js';
import type { DatasetMetadata, GlossaryTerm, SearchHit, Sensitivity, TermLink } from '../../shared/model/catalog-metadata.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { highlight, indexText, matchExpression, queryPieces } from './search-text.js';

interface MetadataRow {
  owner: string;
  steward: string;
  sensitivity: Sensitivity | null;
  updated_at: string;
  updated_by: string;
}

/** What the index holds for one dataset, before CJK spacing. */
interface SearchDocument {
  name: string;
  description: string;
  tags: string[];
  terms: string[];
  columns: string[];
  sensitivity: Sensitivity | null;
}

export class MetadataRepo {
  constructor(private readonly db: Db) {}

  private dataset(datasetId: string): { name: string; description: string } {
    const row = this.db.prepare('SELECT name, description FROM datasets WHERE id = ?').get(datasetId) as { name: string; description: string } | undefined;
    if (!row) throw new XinzhiError('E_NOT_FOUND', `Dataset ${datasetId} not found`, { what: 'Dataset', id: datasetId });
    return row;
  }

  /** Column names of the dataset's newest version (with their names in the file, where they differ). */
  latestColumns(datasetId: string): string[] {
    const row = this.db.prepare('SELECT columns FROM versions WHERE dataset_id = ? ORDER BY number DESC LIMIT 1').get(datasetId) as { columns: string } | undefined;
    if (!row) return [];
    const names = new Set<string>();
    for (const c of JSON.parse(row.columns) as Column[]) {
      names.add(c.name);
      if (c.sourceName && c.sourceName !== c.name) names.add(c.sourceName);
    }
    return [...names];
  }

  get(datasetId: string): Omit<DatasetMetadata, 'suggestedSensitivity'> {
    const { description } = this.dataset(datasetId);
    const meta = this.db.prepare('SELECT * FROM dataset_metadata WHERE dataset_id = ?').get(datasetId) as MetadataRow | undefined;
    const tags = (this.db.prepare('SELECT tag FROM dataset_tags WHERE dataset_id = ? ORDER BY tag').all(datasetId) as { tag: string }[]).map((r) => r.tag);
    const terms = (this.db.prepare(
      `SELECT l.term, l.column_name, t.definition FROM glossary_links l JOIN glossary_terms t ON t.term = l.term
       WHERE l.dataset_id = ? ORDER BY l.column_name <> '', l.column_name, l.term`,
    ).all(datasetId) as { term: string; column_name: string; definition: string }[]).map((r) => ({ term: r.term, column: r.column_name || null, definition: r.definition }));
    return {
      datasetId,
      description,
      owner: meta?.owner ?? '',
      steward: meta?.steward ?? '',
      tags,
      terms,
      sensitivity: meta?.sensitivity ?? null,
      updatedAt: meta?.updated_at ?? null,
      updatedBy: meta?.updated_by ?? null,
    };
  }

  /** Writes the given fields (the caller holds the transaction); `undefined` leaves a field as it is. */
  update(datasetId: string, actor: string, fields: { description?: string; owner?: string; steward?: string; sensitivity?: Sensitivity | null; tags?: string[]; terms?: TermLink[] }): void {
    const before = this.get(datasetId);
    const now = nowIso();
    if (fields.description !== undefined) this.db.prepare('UPDATE datasets SET description = ?, updated_at = ? WHERE id = ?').run(fields.description, now, datasetId);
    this.db.prepare(
      `INSERT INTO dataset_metadata (dataset_id, owner, steward, sensitivity, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (dataset_id) DO UPDATE SET owner = excluded.owner, steward = excluded.steward, sensitivity = excluded.sensitivity,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ).run(datasetId, fields.owner ?? before.owner, fields.steward ?? before.steward, fields.sensitivity === undefined ? before.sensitivity : fields.sensitivity, now, actor);
    if (fields.tags) {
      this.db.prepare('DELETE FROM dataset_tags WHERE dataset_id = ?').run(datasetId);
      const insert = this.db.prepare('INSERT OR IGNORE INTO dataset_tags (dataset_id, tag) VALUES (?, ?)');
      for (const tag of fields.tags) insert.run(datasetId, tag);
    }
    if (fields.terms) {
      this.db.prepare('DELETE FROM glossary_links WHERE dataset_id = ?').run(datasetId);
      const known = this.db.prepare('SELECT term FROM glossary_terms WHERE term = ?');
      const insert = this.db.prepare('INSERT OR IGNORE INTO glossary_links (term, dataset_id, column_name) VALUES (?, ?, ?)');
      for (const link of fields.terms) {
        const found = known.get(link.term) as { term: string } | undefined;
        if (!found) throw new XinzhiError('E_INVALID_INPUT', `No glossary term ${link.term}`, { path: 'terms', issue: `no glossary term “${link.term}”: add it to the glossary first` });
        insert.run(found.term, datasetId, link.column ?? '');
      }
    }
  }

  listTags(): { tag: string; count: number }[] {
    return this.db.prepare('SELECT tag, count(*) AS count FROM dataset_tags GROUP BY tag ORDER BY count DESC, tag').all() as { tag: string; count: number }[];
  }

  listGlossary(): GlossaryTerm[] {
    const terms = this.db.prepare('SELECT term, definition, updated_at FROM glossary_terms ORDER BY term COLLATE NOCASE').all() as { term: string; definition: string; updated_at: string }[];
    const links = this.db.prepare(
      'SELECT l.dataset_id, d.name, l.column_name FROM glossary_links l JOIN datasets d ON d.id = l.dataset_id WHERE l.term = ? ORDER BY d.name, l.column_name',
    );
    return terms.map((t) => ({
      term: t.term,
      definition: t.definition,
      updatedAt: t.updated_at,
      links: (links.all(t.term) as { dataset_id: string; name: string; column_name: string }[]).map((l) => ({ datasetId: l.dataset_id, datasetName: l.name, column: l.column_name || null })),
    }));
  }

  getTerm(term: string): GlossaryTerm | null {
    return this.listGlossary().find((t) => t.term.toLowerCase() === term.toLowerCase()) ?? null;
  }

  saveTerm(term: string, definition: string, previousTerm?: string): void {
    const now = nowIso();
    if (previousTerm !== undefined && previousTerm.toLowerCase() !== term.toLowerCase()) {
      if (this.getTerm(term)) throw new XinzhiError('E_CONFLICT', `Term ${term} exists`, { reason: `the glossary already has “${term}”` });
      const info = this.db.prepare('UPDATE glossary_terms SET term = ?, definition = ?, updated_at = ? WHERE term = ?').run(term, definition, now, previousTerm);
      if (info.changes === 0) throw new XinzhiError('E_NOT_FOUND', `No term ${previousTerm}`, { what: 'Glossary term', id: previousTerm });
      return;
    }
    this.db.prepare(
      `INSERT INTO glossary_terms (term, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (term) DO UPDATE SET term = excluded.term, definition = excluded.definition, updated_at = excluded.updated_at`,
    ).run(term, definition, now, now);
  }

  deleteTerm(term: string): boolean {
    return this.db.prepare('DELETE FROM glossary_terms WHERE term = ?').run(term).changes > 0;
  }

  private document(datasetId: string): SearchDocument | null {
    const ds = this.db.prepare('SELECT name, description FROM datasets WHERE id = ?').get(datasetId) as { name: string; description: string } | undefined;
    if (!ds) return null;
    const meta = this.get(datasetId);
    return {
      name: ds.name,
      description: ds.description,
      tags: meta.tags,
      terms: [...new Set(meta.terms.map((t) => t.term))],
      columns: this.latestColumns(datasetId),
      sensitivity: meta.sensitivity,
    };
  }

  /** Re-indexes the datasets the triggers marked stale; returns how many. */
  refreshIndex(): number {
    const stale = (this.db.prepare('SELECT dataset_id FROM catalog_fts_stale').all() as { dataset_id: string }[]).map((r) => r.dataset_id);
    if (stale.length === 0) return 0;
    const remove = this.db.prepare('DELETE FROM catalog_fts WHERE dataset_id = ?');
    const insert = this.db.prepare('INSERT INTO catalog_fts (dataset_id, name, description, tags, terms, columns) VALUES (?, ?, ?, ?, ?, ?)');
    const done = this.db.prepare('DELETE FROM catalog_fts_stale WHERE dataset_id = ?');
    this.db.transaction(() => {
      for (const id of stale) {
        remove.run(id);
        const doc = this.document(id);
        if (doc) insert.run(id, indexText(doc.name), indexText(doc.description), indexText(doc.tags.join(' \n ')), indexText(doc.terms.join(' \n ')), indexText(doc.columns.join(' \n ')));
        done.run(id);
      }
    })();
    return stale.length;
  }

  search(text: string, limit: number): SearchHit[] {
    const expression = matchExpression(text);
    if (expression === null) return [];
    this.refreshIndex();
    // Weights: name 10, description 1, tags 5, terms 4, columns 2 (the first, unindexed column gets 0).
    const rows = this.db.prepare(
      'SELECT dataset_id, bm25(catalog_fts, 0, 10, 1, 5, 4, 2) AS rank FROM catalog_fts WHERE catalog_fts MATCH ? ORDER BY rank LIMIT ?',
    ).all(expression, limit) as { dataset_id: string; rank: number }[];
    const pieces = queryPieces(text);
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const doc = this.document(row.dataset_id);
      if (!doc) continue;
      const matches: SearchHit['matches'] = [{ field: 'name', segments: highlight(doc.name, pieces) }];
      const add = (field: SearchHit['matches'][number]['field'], values: string[]) => {
        for (const value of values) {
          const segments = highlight(value, pieces);
          if (segments.some((s) => s.hit)) matches.push({ field, segments });
        }
      };
      add('description', doc.description ? [doc.description] : []);
      add('tag', doc.tags);
      add('term', doc.terms);
      add('column', doc.columns);
      hits.push({ datasetId: row.dataset_id, name: doc.name, rank: row.rank, sensitivity: doc.sensitivity, tags: doc.tags, matches });
    }
    return hits;
  }
}
