/** Labeling procedures: schema per dataset, a queue per annotator, labels, agreement, export as a new version. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { AnnotatorSchema, LabelExportResultSchema, LabelSchemaSchema, LabelStatsSchema, QueueSchema, SetLabelSchemaSchema } from '../model/labeling.js';

export const labeling = {
  getSchema: procedure(z.object({ datasetId: z.string() }), LabelSchemaSchema.nullable()),
  setSchema: procedure(SetLabelSchemaSchema, LabelSchemaSchema),
  /** The next rows for an annotator: rows still wanting labels that they have not labelled, minus `exclude` (skipped). */
  nextItems: procedure(
    z.object({ versionId: z.string(), annotator: AnnotatorSchema, limit: z.number().int().min(1).max(200).default(20), exclude: z.array(z.number().int()).max(10_000).default([]) }),
    QueueSchema,
  ),
  addLabel: procedure(z.object({ versionId: z.string(), row: z.number().int().positive(), annotator: AnnotatorSchema, label: z.string().trim().min(1).max(1000) }), z.object({ labels: z.number().int() })),
  /** Undo: removes the annotator's label of a row. */
  removeLabel: procedure(z.object({ versionId: z.string(), row: z.number().int().positive(), annotator: AnnotatorSchema }), z.object({ removed: z.boolean() })),
  listAnnotators: procedure(z.object({ datasetId: z.string() }), z.array(z.string())),
  stats: procedure(z.object({ datasetId: z.string(), versionId: z.string().optional() }), LabelStatsSchema),
  /** A new version: the labelled version's rows plus a label column (majority vote), with lineage and audit. */
  exportLabels: procedure(z.object({ datasetId: z.string(), versionId: z.string().optional() }), LabelExportResultSchema),
} as const;
