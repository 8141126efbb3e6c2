/** Fairness procedures: audits run as jobs (result: {auditId}) and are stored with lineage; mitigations re-audit. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { AuditRecordSchema, AuditRequestSchema, AuditSummarySchema, MitigateRequestSchema } from '../model/fairness.js';

export const fairness = {
  /** Audits a version's predictions (or a model scored on it) across sensitive groups and their intersections. */
  audit: procedure(AuditRequestSchema, z.object({ jobId: z.string() })),
  listAudits: procedure(z.object({ versionId: z.string().optional() }), z.array(AuditSummarySchema)),
  /** The full stored audit: everything a report needs. */
  getAudit: procedure(z.object({ auditId: z.string() }), AuditRecordSchema),
  /** Group thresholds on scores (deterministic Hardt et al.) fitted on the audit's data, then re-audited (job result: {auditId}). */
  mitigate: procedure(MitigateRequestSchema, z.object({ jobId: z.string() })),
} as const;
