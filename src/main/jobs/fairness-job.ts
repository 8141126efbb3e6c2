/** What the fairness service hands its worker (fairness.worker.ts), and what the worker hands back. */
import type { AuditRequest, FairnessResult, Mitigation, TradeoffPoint } from '../../shared/model/fairness.js';

export interface FairnessJobParams {
  /** audit: the request as it is; threshold: fit group thresholds on the same data, then re-audit. */
  /** reweigh: resample the version's rows by Kamiran–Calders weights into `stagingTable`. */
  mode: 'audit' | 'threshold' | 'reweigh' | 'privacy';
  request: AuditRequest;
  /** The SQLite table holding the version's rows and its columns. */
  sourceTable: string;
  columns: { name: string; type: string }[];
  /** Score on the fly with this saved model (Model studio files) instead of reading prediction/score columns. */
  model?: { modelDir: string; family: string };
  threshold?: { constraint: 'demographic_parity' | 'equalized_odds'; tolerance: number };
  /** reweigh only. */
  stagingTable?: string;
  seed?: number;
  /** privacy only: the versions to compare (the original first) and the model trained on each. */
  privacy?: PrivacyComparisonParams;
}

export interface PrivacyComparisonParams {
  versions: { versionId: string; number: number; operation: string; sourceTable: string; columns: { name: string; type: string }[] }[];
  target: string;
  features: string[];
  family: 'logistic' | 'mlp';
  epochs: number;
}

export interface ReweighJobResult {
  rows: number;
  weights: { key: string; label: string; n: number; weight: number }[];
}

export interface FairnessJobResult {
  positive: string;
  rows: number;
  excludedRows: number;
  result: FairnessResult;
  tradeoff: TradeoffPoint[] | null;
  mitigation: Mitigation | null;
}
