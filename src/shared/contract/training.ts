/** Training procedures: train a model on a version as a job (its result is a ModelRecord), and the registry. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { ModelRecordSchema, TrainRequestSchema } from '../model/training.js';

export const training = {
  trainModel: procedure(TrainRequestSchema, z.object({ jobId: z.string() })),
  listModels: procedure(z.object({ versionId: z.string().optional() }), z.array(ModelRecordSchema)),
  getModel: procedure(z.object({ modelId: z.string() }), ModelRecordSchema),
  /** Batch scoring: a new version of the input's dataset with `prediction` and `score` columns (job result: {versionId, rows}). */
  predict: procedure(z.object({ modelId: z.string(), versionId: z.string() }), z.object({ jobId: z.string() })),
  /** Metrics of a model on a version that holds its target (job result: {metrics, rows}). */
  evaluate: procedure(z.object({ modelId: z.string(), versionId: z.string() }), z.object({ jobId: z.string() })),
} as const;
