/** Catalog metadata: who owns and stewards a dataset, its tags, glossary terms and sensitivity class; full-text search hits. */
import { z } from 'zod';

/** Sensitivity classes, least to most sensitive. */
export const SENSITIVITIES = ['public', 'internal', 'confidential', 'restricted'] as const;
export const SensitivitySchema = z.enum(SENSITIVITIES);
export type Sensitivity = z.infer<typeof SensitivitySchema>;

const Tag = z.string().trim().min(1).max(60);
const Term = z.string().trim().min(1).max(120);

/** A glossary term linked to a dataset, or to one of its columns. */
export const TermLinkSchema = z.object({ term: Term, column: z.string().min(1).nullable().default(null) });
export type TermLink = z.infer<typeof TermLinkSchema>;

export const DatasetMetadataSchema = z.object({
  datasetId: z.string(),
  description: z.string(),
  owner: z.string(),
  steward: z.string(),
  tags: z.array(z.string()),
  terms: z.array(z.object({ term: z.string(), column: z.string().nullable(), definition: z.string() })),
  sensitivity: SensitivitySchema.nullable(),
  /** A class proposed from PII findings, when a detector is wired in and has looked at the dataset. */
  suggestedSensitivity: z.object({ sensitivity: SensitivitySchema, reason: z.string() }).nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type DatasetMetadata = z.infer<typeof DatasetMetadataSchema>;

/** Fields left out are kept; `sensitivity: null` clears the class. */
export const MetadataUpdateSchema = z.object({
  datasetId: z.string(),
  description: z.string().max(20_000).optional(),
  owner: z.string().trim().max(200).optional(),
  steward: z.string().trim().max(200).optional(),
  tags: z.array(Tag).max(100).optional(),
  terms: z.array(TermLinkSchema).max(500).optional(),
  sensitivity: SensitivitySchema.nullable().optional(),
});
export type MetadataUpdate = z.infer<typeof MetadataUpdateSchema>;

export const GlossaryTermSchema = z.object({
  term: z.string(),
  definition: z.string(),
  links: z.array(z.object({ datasetId: z.string(), datasetName: z.string(), column: z.string().nullable() })),
  updatedAt: z.string(),
});
export type GlossaryTerm = z.infer<typeof GlossaryTermSchema>;

export const SaveTermSchema = z.object({
  term: Term,
  definition: z.string().trim().max(5_000),
  /** Renames this term (its links follow). */
  previousTerm: Term.optional(),
});

/** A piece of a matched field: `hit` pieces are what the query matched (for highlighting). */
export const SegmentSchema = z.object({ text: z.string(), hit: z.boolean() });
export type Segment = z.infer<typeof SegmentSchema>;

export const SearchFieldSchema = z.enum(['name', 'description', 'tag', 'term', 'column']);
export type SearchField = z.infer<typeof SearchFieldSchema>;

export const SearchHitSchema = z.object({
  datasetId: z.string(),
  name: z.string(),
  /** bm25 rank, lower is better. */
  rank: z.number(),
  sensitivity: SensitivitySchema.nullable(),
  tags: z.array(z.string()),
  /** The dataset's name, then each other field that matched, cut into highlighted segments. */
  matches: z.array(z.object({ field: SearchFieldSchema, segments: z.array(SegmentSchema) })),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;
