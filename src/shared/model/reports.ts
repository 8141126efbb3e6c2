/** Generated PDF reports: what kinds exist, how one is asked for, and the catalog's record of each. */
import { z } from 'zod';

export const ReportKindSchema = z.enum(['certificate', 'model-card', 'governance', 'fairness', 'scenario']);
export type ReportKind = z.infer<typeof ReportKindSchema>;

export const ReportLanguageSchema = z.enum(['zh-CN', 'en']);

export const GenerateReportSchema = z.object({
  kind: ReportKindSchema,
  /** The anonymised version (certificate), model (model card), dataset (governance), audit (fairness) or scenario. */
  subjectId: z.string().min(1),
  lang: ReportLanguageSchema.default('en'),
  /** The clock the report states (ISO 8601); now when absent. The same inputs and `at` give the same PDF text. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type GenerateReport = z.infer<typeof GenerateReportSchema>;
export type GenerateReportInput = z.input<typeof GenerateReportSchema>;

export const ReportRecordSchema = z.object({
  id: z.string(),
  kind: ReportKindSchema,
  subjectId: z.string(),
  lang: ReportLanguageSchema,
  /** Path relative to the workspace (under reports/). */
  path: z.string(),
  sha256: z.string(),
  pages: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  /** The time the report states (the `at` clock). */
  generatedAt: z.string(),
  createdAt: z.string(),
});
export type ReportRecord = z.infer<typeof ReportRecordSchema>;
