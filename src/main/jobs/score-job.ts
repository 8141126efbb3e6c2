/** What the scoring service hands its worker (score.worker.ts), and what the worker hands back. */
import type { ColumnType } from '../../shared/model/catalog.js';

export type ScoreMode = 'predict' | 'evaluate';

export interface ScoreJobParams {
  /** predict: copy the version's rows with `prediction` and `score` into stagingTable; evaluate: test metrics. */
  mode: ScoreMode;
  /** Absolute folder holding model.json, weights.bin and pipeline.json as train.worker wrote them. */
  modelDir: string;
  family: string;
  /** The SQLite table holding the dataset version's rows. */
  sourceTable: string;
  /** The version's columns and their types (integer, real, boolean, date, datetime, text). */
  columns: { name: string; type: string }[];
  /** predict only: the table to create and fill (dropped again when the job fails or is cancelled). */
  stagingTable?: string;
}

export interface ScoreResult {
  mode: ScoreMode;
  /** Rows scored (all the version's rows). */
  rows: number;
  /**
   * predict only: the staging table's columns after `__row`: the source columns (same names and types), then
   * `prediction` (the predicted class label, typed like the target when pipeline.json records `targetType`, else
   * text) and `score` (real, P(positive class)); the two get a `_2`, `_3`… suffix if the source already uses the name.
   */
  columns?: { name: string; type: ColumnType }[];
  /** evaluate only: metrics on all rows under the keys train.worker reports (accuracy, balanced_accuracy, precision, recall, f1, roc_auc, average_precision, log_loss). */
  metrics?: Record<string, number>;
  /** The tfjs backend the model ran on (ladder: tfjs-node-gpu → tfjs-node → wasm → cpu). */
  backend: string;
}
