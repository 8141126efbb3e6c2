/** What the training service hands its worker (train.worker.ts), and what the worker hands back. */
import type { BackendAttempt } from '../core/ml/backends.js';
import type { PipelineSpec } from '../core/ml/pipeline.js';

export type TrainFamily = 'logistic' | 'mlp';

export interface TrainJobParams {
  /** The SQLite table holding the dataset version's rows. */
  sourceTable: string;
  columns: { name: string; type: string }[];
  target: string;
  /** Empty = every column but the target. */
  features: string[];
  family: TrainFamily;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** One of tfjs-node-gpu, tfjs-node, wasm, cpu (mlp only; logistic always trains on typed arrays). */
  forcedBackend?: string;
  /** Absolute folder the model files are written into (created if missing; its parent must exist). */
  modelDir: string;
}

export interface TrainHistoryEntry {
  epoch: number;
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface TrainSamplePrediction {
  /** Position in the test split. */
  testIndex: number;
  /** The row's features after the pipeline (the model's input). */
  features: number[];
  /** The model's P(positive class). */
  probability: number;
}

export interface TrainResult {
  family: TrainFamily;
  /** The ladder's backend the mlp trained on; 'typed-array' for logistic (Float64Array gradient descent, no tfjs). */
  backend: string;
  backendsTried: BackendAttempt[];
  trainMs: number;
  /** Test-set metrics, sklearn names: accuracy, balanced_accuracy, precision, recall, f1, roc_auc, average_precision, log_loss. */
  metrics: Record<string, number>;
  history: TrainHistoryEntry[];
  featureSpec: PipelineSpec;
  /** model.json (TF.js layers format), weights.bin, pipeline.json (the featureSpec). */
  files: { name: string; sha256: string; bytes: number }[];
  sizeBytes: number;
  rows: { train: number; validation: number; test: number };
  /** The first 5 test rows' model inputs and predicted probabilities (to check a reloaded model). */
  samplePredictions: TrainSamplePrediction[];
}
