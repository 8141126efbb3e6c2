/** Catalog metadata procedures: describe datasets (owner, steward, tags, glossary terms, sensitivity), keep a glossary, search the catalog. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import {
  DatasetMetadataSchema, GlossaryTermSchema, MetadataUpdateSchema, SaveTermSchema, SearchHitSchema,
} from '../model/catalog-metadata.js';

export const metadata = {
  getMetadata: procedure(z.object({ datasetId: z.string() }), DatasetMetadataSchema),
  updateMetadata: procedure(MetadataUpdateSchema, DatasetMetadataSchema),
  /** Tags in use, most used first (for autocompletion). */
  listTags: procedure(z.object({}).default({}), z.array(z.object({ tag: z.string(), count: z.number().int() }))),
  listGlossary: procedure(z.object({}).default({}), z.array(GlossaryTermSchema)),
  saveTerm: procedure(SaveTermSchema, GlossaryTermSchema),
  deleteTerm: procedure(z.object({ term: z.string().min(1) }), z.object({ deleted: z.boolean() })),
  /** Full-text search (SQLite FTS5) over dataset names, descriptions, tags, glossary terms and column names. */
  search: procedure(z.object({ text: z.string().max(500), limit: z.number().int().min(1).max(200).default(50) }), z.array(SearchHitSchema)),
} as const;
