/** Training procedures: train a model on a version as a job (its result is a ModelRecord), and the registry. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { CompressRequestSchema, FamilySuggestionSchema, ModelRecordSchema, ModelTaskSchema, TrainRequestSchema } from '../model/training.js';

export const training = {
  trainModel: procedure(TrainRequestSchema, z.object({ jobId: z.string() })),
  /** The families that suit a version and target, the recommended ones first (no job: column types and counts). */
  suggestFamilies: procedure(
    z.object({ versionId: z.string(), target: z.string().default('') }),
    z.object({ task: ModelTaskSchema.nullable(), suggestions: z.array(FamilySuggestionSchema) }),
  ),
  listModels: procedure(z.object({ versionId: z.string().optional() }), z.array(ModelRecordSchema)),
  getModel: procedure(z.object({ modelId: z.string() }), ModelRecordSchema),
  /** Removes a model's record and files (its lineage and audit entries stay). */
  deleteModel: procedure(z.object({ modelId: z.string() }), z.object({ deleted: z.boolean() })),
  /** Batch scoring: a new version of the input's dataset with `prediction` and `score` columns (job result: {versionId, rows}). */
  predict: procedure(z.object({ modelId: z.string(), versionId: z.string() }), z.object({ jobId: z.string() })),
  /** Metrics of a model on a version that holds its target (job result: {metrics, rows}). */
  evaluate: procedure(z.object({ modelId: z.string(), versionId: z.string() }), z.object({ jobId: z.string() })),
  /** Permutation importance, partial dependence and per-row contributions on a version (default: the training version); job result: Explanation, also stored in the model's report. */
  explain: procedure(
    z.object({ modelId: z.string(), versionId: z.string().optional(), rows: z.array(z.number().int().min(0)).max(50).default([0, 1, 2]) }),
    z.object({ jobId: z.string() }),
  ),
  /** Quantise and/or prune into a new model (job result: {modelId, sizeBytes, originalSizeBytes, metrics, originalMetrics, latencyMs, originalLatencyMs}). */
  compress: procedure(CompressRequestSchema, z.object({ jobId: z.string() })),
} as const;
