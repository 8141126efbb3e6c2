/** Report procedures: make a PDF report as a job, list the reports made, and save one to a chosen path. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { GenerateReportSchema, ReportKindSchema, ReportRecordSchema } from '../model/reports.js';

export const reports = {
  /** Starts a job that writes the PDF under the workspace's reports/ and records it; the job's result is a ReportRecord. */
  generate: procedure(GenerateReportSchema, z.object({ jobId: z.string() })),
  listReports: procedure(z.object({ subjectId: z.string().optional() }), z.array(ReportRecordSchema)),
  getReport: procedure(z.object({ reportId: z.string() }), ReportRecordSchema),
  /** Copies a recorded report to `path` (the desktop app's Save dialog; the CLI's -o). */
  saveReport: procedure(z.object({ reportId: z.string(), path: z.string().min(1) }), z.object({ path: z.string(), bytes: z.number().int() })),
  /** The kinds this build can make. */
  availableKinds: procedure(z.object({}), z.array(ReportKindSchema)),
} as const;
