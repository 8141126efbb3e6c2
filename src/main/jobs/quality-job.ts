/** What the quality service hands the quality worker (profile a version and/or check rules on it), and what comes back. */
import type { Column } from '../../shared/model/catalog.js';
import type { DatasetProfile, RuleResult } from '../../shared/model/quality.js';
import type { RuleToCheck } from '../core/quality/index.js';

export interface QualityJobParams {
  versionId: string;
  tableName: string;
  rowCount: number;
  columns: Column[];
  /** Profile the version (false: only check the rules). */
  profile: boolean;
  rules: RuleToCheck[];
}

export interface QualityJobOutput {
  profile: Omit<DatasetProfile, 'versionId' | 'createdAt'> | null;
  /** Null when no rule was asked for. */
  ruleResults: RuleResult[] | null;
}
