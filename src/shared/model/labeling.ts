/** Labeling: a label schema per dataset, the queue's items, agreement statistics and the exported version. */
import { z } from 'zod';

export const LabelSchemaSchema = z.object({
  datasetId: z.string(),
  /** 'classes': one of `classes` (keys 1–9 pick them); 'text': free text. */
  kind: z.enum(['classes', 'text']),
  classes: z.array(z.string().min(1).max(100)).max(50),
  /** Share of rows (0..1) shown to `annotatorsPerItem` annotators, for agreement. */
  overlap: z.number().min(0).max(1),
  annotatorsPerItem: z.number().int().min(1).max(10),
  /** Name of the label column in exported versions. */
  labelColumn: z.string().min(1).max(100),
  updatedAt: z.string(),
});
export type LabelSchema = z.infer<typeof LabelSchemaSchema>;

export const SetLabelSchemaSchema = z
  .object({
    datasetId: z.string(),
    kind: z.enum(['classes', 'text']).default('classes'),
    classes: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    overlap: z.number().min(0).max(1).default(0.1),
    annotatorsPerItem: z.number().int().min(1).max(10).default(2),
    labelColumn: z.string().trim().min(1).max(100).default('label'),
  })
  .refine((s) => s.kind === 'text' || s.classes.length >= 2, { message: 'a class schema needs at least two classes', path: ['classes'] })
  .refine((s) => new Set(s.classes).size === s.classes.length, { message: 'classes must be different', path: ['classes'] });
export type SetLabelSchema = z.input<typeof SetLabelSchemaSchema>;

export const AnnotatorSchema = z.string().trim().min(1).max(80);

export const QueueItemSchema = z.object({
  row: z.number().int().positive(),
  values: z.array(z.union([z.string(), z.number(), z.null()])),
  /** Labels this row still wants (more than one for overlap rows). */
  wanted: z.number().int().positive(),
  labelled: z.number().int().nonnegative(),
});
export const QueueSchema = z.object({
  versionId: z.string(),
  columns: z.array(z.string()),
  items: z.array(QueueItemSchema),
  progress: z.object({
    /** Rows with all the labels they want. */
    doneRows: z.number().int().nonnegative(),
    totalRows: z.number().int().nonnegative(),
    /** Labels this annotator has given on this version. */
    mine: z.number().int().nonnegative(),
  }),
});
export type Queue = z.infer<typeof QueueSchema>;

export const LabelStatsSchema = z.object({
  datasetId: z.string(),
  versionId: z.string().nullable(),
  totalRows: z.number().int().nonnegative(),
  labelledRows: z.number().int().nonnegative(),
  labels: z.number().int().nonnegative(),
  counts: z.record(z.string(), z.number().int()),
  annotators: z.record(z.string(), z.number().int()),
  /** Cohen's κ for each pair of annotators over the rows both labelled (null when undefined, e.g. one class only). */
  cohenKappa: z.array(z.object({ a: z.string(), b: z.string(), items: z.number().int(), kappa: z.number().nullable() })),
  /** Fleiss' κ over the rows with the most common number (≥ 2) of annotators. */
  fleissKappa: z.object({ items: z.number().int(), raters: z.number().int(), kappa: z.number().nullable() }),
});
export type LabelStats = z.infer<typeof LabelStatsSchema>;

export const LabelExportResultSchema = z.object({
  versionId: z.string(),
  parentVersionId: z.string(),
  rowCount: z.number().int().nonnegative(),
  labelledRows: z.number().int().nonnegative(),
  labelColumn: z.string(),
  /** Rows whose top labels tied (resolved by class order). */
  ties: z.number().int().nonnegative(),
});
export type LabelExportResult = z.infer<typeof LabelExportResultSchema>;
