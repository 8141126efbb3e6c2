/** What the reports service hands the report worker, and what the worker hands back before the report is recorded. */
import type { Language } from '../../shared/i18n/index.js';
import type { ReportKind } from '../../shared/model/reports.js';

export interface ReportJobParams {
  kind: ReportKind;
  subjectId: string;
  lang: Language;
  /** The clock the report states (ISO). */
  generatedAt: string;
  workspace: string;
  appVersion: string;
  /** Package root: the fonts are under assets/fonts there. */
  appRoot: string;
  /** Where the worker writes the PDF; the service moves it under reports/ when it records it. */
  stagingPath: string;
}

export interface StagedReport {
  pages: number;
  bytes: number;
  sha256: string;
}
