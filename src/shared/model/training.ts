/** Model training requests and the model registry's records. */
import { z } from 'zod';

export const ModelFamilySchema = z.enum(['logistic', 'mlp']);
export type ModelFamily = z.infer<typeof ModelFamilySchema>;

export const BackendNameSchema = z.enum(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);

export const TrainRequestSchema = z.object({
  versionId: z.string(),
  target: z.string().min(1),
  /** Empty: every column but the target. */
  features: z.array(z.string()).default([]),
  family: ModelFamilySchema.default('mlp'),
  epochs: z.number().int().min(1).max(1000).default(10),
  batchSize: z.number().int().min(1).max(65536).default(256),
  learningRate: z.number().positive().max(10).default(0.001),
  seed: z.number().int().default(42),
  /** Force a backend instead of the best one present. */
  backend: BackendNameSchema.optional(),
  name: z.string().min(1).max(200).optional(),
});
export type TrainRequest = z.infer<typeof TrainRequestSchema>;
export type TrainRequestInput = z.input<typeof TrainRequestSchema>;

export const ModelRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  family: ModelFamilySchema,
  versionId: z.string(),
  target: z.string(),
  features: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  /** Test-set metrics under scikit-learn's names (accuracy, f1, roc_auc, …). */
  metrics: z.record(z.string(), z.number()),
  backend: z.string(),
  trainMs: z.number().int(),
  sizeBytes: z.number().int(),
  files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.number().int() })),
  createdAt: z.string(),
});
export type ModelRecord = z.infer<typeof ModelRecordSchema>;
