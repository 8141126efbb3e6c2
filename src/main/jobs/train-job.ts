/** What the training service hands its worker (train.worker.ts), and what the worker hands back. */
import type { BackendAttempt } from '../core/ml/backends.js';
import type { PipelineSpec } from '../core/ml/pipeline.js';
import type { HyperParams, HyperValue, ModelFamily, ModelReport, ModelTask } from '../../shared/model/training.js';

export type TrainFamily = ModelFamily | 'auto';

export interface TrainJobParams {
  /** The SQLite table holding the dataset version's rows. */
  sourceTable: string;
  columns: { name: string; type: string }[];
  /** '' = none (clustering, anomaly detection). */
  target: string;
  /** Empty = every column but the target (and the user/item columns). */
  features: string[];
  family: TrainFamily;
  epochs: number;
  batchSize: number;
  /** Absent: the family's default. */
  learningRate?: number;
  seed: number;
  hyper?: HyperParams;
  userColumn?: string;
  itemColumn?: string;
  /** Binary classifiers: a fixed decision threshold, or 'f1' (tuned on the validation rows). */
  threshold?: number | 'f1';
  patience?: number;
  folds?: number;
  search?: 'grid' | 'random';
  searchSpace?: Record<string, HyperValue[]>;
  /** Search draws / grid points at most. Default 8. */
  trials?: number;
  /** One of tfjs-node-gpu, tfjs-node, wasm, cpu (TF.js families; the typed-array ones ignore it). */
  forcedBackend?: string;
  /** Absolute folder the model files are written into (created if missing; its parent must exist). */
  modelDir: string;
}

/** pipeline.json: how a version's rows become the model's inputs, and what its outputs mean. */
export interface SavedPipeline extends PipelineSpec {
  family: ModelFamily;
  modelTask: ModelTask;
  /** The target's column type, so predictions are typed like it. */
  targetType?: string;
  /** text: the column holding the documents and their language. */
  text?: { column: string; lang: 'zh' | 'en' };
  /** Recommenders: the id columns and the ids in index order (unknown ids score with the biases only). */
  pairs?: { userColumn: string; itemColumn: string; userIds: string[]; itemIds: string[] };
  /** Family facts for scoring: threshold (anomaly), targetMean/targetStd (regression MLP), ratingMin/ratingMax, image. */
  meta: Record<string, unknown>;
}

export interface TrainSamplePrediction {
  /** Position in the test split. */
  testIndex: number;
  /** The row's features after the pipeline (the model's input). */
  features: number[];
  /** The model's score (P(positive class) for binary classifiers). */
  probability: number;
}

export interface TrainResult {
  /** The family trained (AutoML's pick for 'auto'). */
  family: ModelFamily;
  task: ModelTask;
  /** The ladder's backend TF.js families trained on; 'typed-array' for the families that use no TF.js. */
  backend: string;
  backendsTried: BackendAttempt[];
  trainMs: number;
  /** Test-set metrics under sklearn's names (by task: accuracy, f1, roc_auc, …; mae, rmse, r2; silhouette; ndcg_at_10 …). */
  metrics: Record<string, number>;
  report: ModelReport;
  /** The hyper-parameters of the kept model, defaults filled in. */
  hyper: HyperParams;
  featureSpec: SavedPipeline;
  /** Model files (model.json + weights.bin, or estimator.json) and pipeline.json. */
  files: { name: string; sha256: string; bytes: number }[];
  sizeBytes: number;
  rows: { train: number; validation: number; test: number };
  /** The first test rows' model inputs and scores (matrix families), to check a reloaded model. */
  samplePredictions: TrainSamplePrediction[];
}
