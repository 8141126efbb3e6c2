/** The tamper-evident audit log: entries chained by SHA-256. */
import { z } from 'zod';

export const AuditEntrySchema = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditVerificationSchema = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  brokenAt: z.number().int().nullable(),
  /**
   * Hash of the last entry when the chain holds. The chain cannot show entries cut off its end: note this value
   * (reports print it) and compare it later to detect that too.
   */
  headHash: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;
