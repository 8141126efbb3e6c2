/** What the training service hands the explain and compress workers, and what they hand back. */
import type { Explanation } from '../../shared/model/training.js';

export interface ExplainJobParams {
  /** The model's folder (pipeline.json and its model files). */
  modelDir: string;
  family: string;
  /** The version explained: its table and columns (it must hold the model's inputs and target). */
  sourceTable: string;
  columns: { name: string; type: string }[];
  /** Rows (0-based, in row order) whose contributions are computed. */
  rows: number[];
  seed: number;
}

export type ExplainResult = Omit<Explanation, 'versionId'>;

export interface CompressJobParams {
  /** The original model's folder, and the new model's (created by the service). */
  sourceDir: string;
  modelDir: string;
  family: string;
  /** The training version, re-split with the model's seed: fine-tuning uses its training rows, metrics its test rows. */
  sourceTable: string;
  columns: { name: string; type: string }[];
  seed: number;
  batchSize: number;
  learningRate: number;
  quantize: 'none' | 'float16' | 'int8';
  prune: number;
  fineTuneEpochs: number;
}

export interface CompressResult {
  sizeBytes: number;
  originalSizeBytes: number;
  /** Test-split metrics of the compressed and of the original model. */
  metrics: Record<string, number>;
  originalMetrics: Record<string, number>;
  /** Median time to predict the test split. */
  latencyMs: number;
  originalLatencyMs: number;
  /** Share of zero weights in the kernels after pruning. */
  sparsity: number;
  files: { name: string; sha256: string; bytes: number }[];
  confusion?: number[][];
  roc?: { fpr: number[]; tpr: number[] };
}
