/** What the privacy service hands the anonymise worker, and what the worker hands back before publishing. */
import type { Column } from '../../shared/model/catalog.js';
import type { AnonymiseRequest, AnonymiseResult } from '../../shared/model/privacy.js';

export interface AnonymiseJobParams {
  request: AnonymiseRequest;
  sourceTable: string;
  sourceColumns: Column[];
  stagingTable: string;
}

export interface StagedAnonymisation {
  columns: Column[];
  rowCount: number;
  result: Omit<AnonymiseResult, 'datasetId' | 'versionId'>;
  /** Name of the table holding the encrypted pseudonym mapping, when a column asked for reversible pseudonyms. */
  mappingTable: string | null;
}
