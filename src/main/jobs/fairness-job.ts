/** What the fairness service hands its worker (fairness.worker.ts), and what the worker hands back. */
import type { AuditRequest, FairnessResult, Mitigation, TradeoffPoint } from '../../shared/model/fairness.js';

export interface FairnessJobParams {
  /** audit: the request as it is; threshold: fit group thresholds on the same data, then re-audit. */
  mode: 'audit' | 'threshold';
  request: AuditRequest;
  /** The SQLite table holding the version's rows and its columns. */
  sourceTable: string;
  columns: { name: string; type: string }[];
  /** Score on the fly with this saved model (Model studio files) instead of reading prediction/score columns. */
  model?: { modelDir: string; family: string };
  threshold?: { constraint: 'demographic_parity' | 'equalized_odds'; tolerance: number };
}

export interface FairnessJobResult {
  positive: string;
  rows: number;
  excludedRows: number;
  result: FairnessResult;
  tradeoff: TradeoffPoint[] | null;
  mitigation: Mitigation | null;
}
