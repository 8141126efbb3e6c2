/** Catalog metadata: describe datasets, keep the glossary, search the catalog; every change audited. */
import type { Implements } from '../../shared/contract/procedure.js';
import type { metadata } from '../../shared/contract/catalog-metadata.js';
import type { DatasetMetadata, MetadataUpdate, Sensitivity } from '../../shared/model/catalog-metadata.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';
import { appendAudit } from '../catalog/audit-log.js';
import { MetadataRepo } from '../catalog/metadata-repo.js';
import type { EventBus } from '../transport/event-bus.js';

/**
 * Proposes a sensitivity class for a dataset, e.g. from its PII findings; null when there is nothing to go on.
 * The composition root passes one where a PII detector is available.
 */
export type SensitivitySuggester = (datasetId: string) => { sensitivity: Sensitivity; reason: string } | null;

export class CatalogMetadataService implements Implements<typeof metadata> {
  private readonly repo: MetadataRepo;

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly actor: string,
    private readonly suggestSensitivity: SensitivitySuggester | null = null,
  ) {
    this.repo = new MetadataRepo(db);
  }

  getMetadata(input: { datasetId: string }): DatasetMetadata {
    return { ...this.repo.get(input.datasetId), suggestedSensitivity: this.suggestSensitivity?.(input.datasetId) ?? null };
  }

  updateMetadata(input: MetadataUpdate): DatasetMetadata {
    const { datasetId, ...fields } = input;
    const tags = fields.tags && [...new Map(fields.tags.map((t) => [t.toLowerCase(), t.trim()])).values()];
    if (fields.terms) {
      const columns = new Set(this.repo.latestColumns(datasetId));
      for (const link of fields.terms) {
        if (link.column !== null && !columns.has(link.column)) {
          throw new XinzhiError('E_INVALID_INPUT', `No column ${link.column}`, { path: 'terms', issue: `the dataset has no column “${link.column}”` });
        }
      }
    }
    this.db.transaction(() => {
      const before = this.repo.get(datasetId);
      this.repo.update(datasetId, this.actor, { ...fields, ...(tags ? { tags } : {}) });
      const after = this.repo.get(datasetId);
      // What changed, by field; a description is recorded by its length only (it may quote data).
      const changed: Record<string, unknown> = {};
      if (before.description !== after.description) changed.description = { chars: after.description.length };
      for (const key of ['owner', 'steward', 'sensitivity'] as const) if (before[key] !== after[key]) changed[key] = { from: before[key], to: after[key] };
      if (before.tags.join('\n') !== after.tags.join('\n')) changed.tags = after.tags;
      const links = (m: typeof before) => m.terms.map((t) => (t.column ? `${t.term}@${t.column}` : t.term));
      if (links(before).join('\n') !== links(after).join('\n')) changed.terms = links(after);
      appendAudit(this.db, { actor: this.actor, action: 'dataset.metadata', target: datasetId, details: changed });
    })();
    this.repo.refreshIndex();
    this.events.emit('catalog', 'onDidChange', { datasetId });
    return this.getMetadata({ datasetId });
  }

  listTags() {
    return this.repo.listTags();
  }

  listGlossary() {
    return this.repo.listGlossary();
  }

  saveTerm(input: { term: string; definition: string; previousTerm?: string | undefined }) {
    this.db.transaction(() => {
      const existed = this.repo.getTerm(input.previousTerm ?? input.term) !== null;
      this.repo.saveTerm(input.term, input.definition, input.previousTerm);
      appendAudit(this.db, {
        actor: this.actor,
        action: existed ? 'glossary.update' : 'glossary.add',
        target: input.term,
        details: { term: input.term, ...(input.previousTerm && input.previousTerm !== input.term ? { previousTerm: input.previousTerm } : {}), definitionChars: input.definition.length },
      });
    })();
    this.repo.refreshIndex();
    return this.repo.getTerm(input.term)!;
  }

  deleteTerm(input: { term: string }) {
    let deleted = false;
    this.db.transaction(() => {
      deleted = this.repo.deleteTerm(input.term);
      if (deleted) appendAudit(this.db, { actor: this.actor, action: 'glossary.delete', target: input.term, details: { term: input.term } });
    })();
    this.repo.refreshIndex();
    return { deleted };
  }

  search(input: { text: string; limit: number }) {
    return this.repo.search(input.text, input.limit);
  }
}
