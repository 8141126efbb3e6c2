/** Fairness procedures: audits run as jobs (result: {auditId}) and are stored with lineage; mitigations re-audit. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { AuditRecordSchema, AuditRequestSchema, AuditSummarySchema, MitigateRequestSchema, PrivacyComparisonRequestSchema } from '../model/fairness.js';

export const fairness = {
  /** Audits a version's predictions (or a model scored on it) across sensitive groups and their intersections. */
  audit: procedure(AuditRequestSchema, z.object({ jobId: z.string() })),
  listAudits: procedure(z.object({ versionId: z.string().optional() }), z.array(AuditSummarySchema)),
  /** The full stored audit: everything a report needs. */
  getAudit: procedure(z.object({ auditId: z.string() }), AuditRecordSchema),
  /** Group thresholds on scores (deterministic Hardt et al.) fitted on the audit's data, then re-audited (job result: {auditId}). */
  mitigate: procedure(MitigateRequestSchema, z.object({ jobId: z.string() })),
  /**
   * Reweighing (Kamiran & Calders) as resampling: a new version of the audited version's dataset whose rows are
   * drawn with probability ∝ P(group)·P(label)/P(group, label), to train on in the Model studio (job result: ReweighResult).
   */
  reweigh: procedure(z.object({ auditId: z.string().min(1), seed: z.number().int().default(42) }), z.object({ jobId: z.string() })),
  /** Privacy × utility × fairness: the same model trained on a version and each anonymised version of its dataset (job result: PrivacyComparison). */
  comparePrivacy: procedure(PrivacyComparisonRequestSchema, z.object({ jobId: z.string() })),
} as const;
