/** Model training requests, the model registry's records, explanations and compression. */
import { z } from 'zod';

export const ModelFamilySchema = z.enum(['logistic', 'linear', 'mlp', 'kmeans', 'dbscan', 'mf', 'embedding', 'text', 'cnn', 'anomaly']);
export type ModelFamily = z.infer<typeof ModelFamilySchema>;

/** What a model predicts, decided by the family and the target column. */
export const ModelTaskSchema = z.enum(['binary', 'multiclass', 'regression', 'clustering', 'recommendation', 'anomaly']);
export type ModelTask = z.infer<typeof ModelTaskSchema>;

export const BackendNameSchema = z.enum(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);

/** A family's hyper-parameter values: numbers, strings, booleans, or layer sizes (e.g. hidden: [64, 64]). */
export const HyperValueSchema = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]);
export type HyperValue = z.infer<typeof HyperValueSchema>;
export const HyperParamsSchema = z.record(z.string(), HyperValueSchema);
export type HyperParams = z.infer<typeof HyperParamsSchema>;

export const TrainRequestSchema = z.object({
  versionId: z.string(),
  /** The column to predict: a class (logistic, mlp, text, cnn), a number (linear, mlp) or a rating (mf, embedding). Empty for kmeans, dbscan and anomaly (an optional label there is only used to score the result). */
  target: z.string().default(''),
  /** Empty: every column but the target (and but the user/item columns for recommenders). */
  features: z.array(z.string()).default([]),
  /** 'auto' = AutoML quick pick: the suitable families are tried and the best by validation metric is kept. */
  family: z.union([ModelFamilySchema, z.literal('auto')]).default('mlp'),
  epochs: z.number().int().min(1).max(1000).default(10),
  batchSize: z.number().int().min(1).max(65536).default(256),
  /** The optimiser's step; absent = the family's default (mlp 0.001, cnn/embedding 0.003, logistic/linear 0.01, text 0.05). */
  learningRate: z.number().positive().max(10).optional(),
  seed: z.number().int().default(42),
  /** Family hyper-parameters (hidden, k, eps, minSamples, factors, l2, trees, ngram, …); see the family's defaults. */
  hyper: HyperParamsSchema.default({}),
  /** Recommenders: the user and item id columns (the target is the rating). */
  userColumn: z.string().optional(),
  itemColumn: z.string().optional(),
  /** Binary classifiers: predict the positive class from this probability on (default 0.5), or 'f1' to choose the threshold that maximises F1 on the validation rows. */
  threshold: z.union([z.number().gt(0).lt(1), z.literal('f1')]).optional(),
  /** Stop when the validation loss has not improved for this many epochs (best weights are kept). */
  patience: z.number().int().min(1).max(1000).optional(),
  /** k-fold cross-validation of the chosen setup on train + validation rows, reported beside the test metrics. */
  folds: z.number().int().min(2).max(20).optional(),
  /** Hyper-parameter search over `searchSpace` (or the family's declared space), by validation metric. */
  search: z.enum(['grid', 'random']).optional(),
  searchSpace: z.record(z.string(), z.array(HyperValueSchema).min(1)).optional(),
  /** Random search: how many draws; grid search: at most this many points. */
  trials: z.number().int().min(1).max(200).default(8),
  /** Force a backend instead of the best one present. */
  backend: BackendNameSchema.optional(),
  name: z.string().min(1).max(200).optional(),
});
export type TrainRequest = z.infer<typeof TrainRequestSchema>;
export type TrainRequestInput = z.input<typeof TrainRequestSchema>;

export const HistoryEntrySchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  valLoss: z.number().optional(),
  /** The validation metric of the task (accuracy, rmse, …) when there is one. */
  valMetric: z.number().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const TrialSchema = z.object({
  family: z.string(),
  hyper: HyperParamsSchema,
  /** Validation score under `metric` (higher is better for accuracy/roc_auc/r2, lower for rmse/log_loss). */
  score: z.number(),
  metric: z.string(),
  trainMs: z.number(),
  chosen: z.boolean(),
});
export type Trial = z.infer<typeof TrialSchema>;

export const FeatureImportanceSchema = z.object({ feature: z.string(), mean: z.number(), std: z.number() });
export const PartialDependenceSchema = z.object({ feature: z.string(), grid: z.array(z.number()), values: z.array(z.number()) });
export const ContributionSchema = z.object({
  /** Row number in the explained version (0-based, in row order). */
  row: z.number().int(),
  /** The model's output for the average input (the base value the contributions add to). */
  base: z.number(),
  prediction: z.number(),
  /** One per input column, summing to prediction − base. */
  values: z.array(z.object({ feature: z.string(), value: z.number() })),
});
export const ExplanationSchema = z.object({
  versionId: z.string(),
  /** Metric whose drop the permutation importance measures. */
  metric: z.string(),
  importance: z.array(FeatureImportanceSchema),
  pdp: z.array(PartialDependenceSchema),
  contributions: z.array(ContributionSchema),
  /** 'exact' for linear models, 'kernel-shap' for the others. */
  contributionMethod: z.enum(['exact', 'kernel-shap']),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

/** What the model page draws: curves, confusion matrix, ROC, CV, search trials, explanations. */
export const ModelReportSchema = z.object({
  history: z.array(HistoryEntrySchema).default([]),
  /** The metric of the history's valMetric, searches and CV (the task's primary metric: roc_auc, accuracy, r2, rmse, …). */
  validationMetric: z.string().optional(),
  /** Class labels (classification) in the order of the confusion matrix rows. */
  classes: z.array(z.string()).optional(),
  confusion: z.array(z.array(z.number().int())).optional(),
  roc: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }).optional(),
  cv: z.object({ folds: z.number().int(), metric: z.string(), scores: z.array(z.number()), mean: z.number(), std: z.number() }).optional(),
  trials: z.array(TrialSchema).optional(),
  stoppedEarly: z.object({ epoch: z.number().int(), bestEpoch: z.number().int() }).optional(),
  explanation: ExplanationSchema.optional(),
  compression: z
    .object({
      quantize: z.enum(['none', 'float16', 'int8']),
      prune: z.number(),
      sparsity: z.number(),
      originalModelId: z.string(),
      originalSizeBytes: z.number().int(),
      originalMetrics: z.record(z.string(), z.number()),
      latencyMs: z.number(),
      originalLatencyMs: z.number(),
    })
    .optional(),
});
export type ModelReport = z.infer<typeof ModelReportSchema>;

export const ModelRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  family: ModelFamilySchema,
  task: ModelTaskSchema,
  versionId: z.string(),
  /** '' for unsupervised models. */
  target: z.string(),
  features: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  /** Test-set metrics under scikit-learn's names (accuracy, f1, roc_auc, rmse, r2, silhouette, ndcg_at_10, …). */
  metrics: z.record(z.string(), z.number()),
  backend: z.string(),
  trainMs: z.number().int(),
  sizeBytes: z.number().int(),
  files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.number().int() })),
  report: ModelReportSchema,
  /** The model this one was compressed from. */
  parentModelId: z.string().nullable(),
  createdAt: z.string(),
});
export type ModelRecord = z.infer<typeof ModelRecordSchema>;

export const FamilySuggestionSchema = z.object({
  family: ModelFamilySchema,
  task: ModelTaskSchema,
  /** Why it suits (i18n key under ui.training.reasons plus params). */
  reason: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  recommended: z.boolean(),
});
export type FamilySuggestion = z.infer<typeof FamilySuggestionSchema>;

export const CompressRequestSchema = z.object({
  modelId: z.string(),
  quantize: z.enum(['none', 'float16', 'int8']).default('none'),
  /** Magnitude pruning to this fraction of zero weights (0 = none). */
  prune: z.number().min(0).max(0.99).default(0),
  /** Epochs of fine-tuning after pruning, with the pruned weights held at zero. */
  fineTuneEpochs: z.number().int().min(0).max(100).default(0),
});
export type CompressRequest = z.infer<typeof CompressRequestSchema>;
