/** Audit-log procedures: read the chain, verify it. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { AuditEntrySchema, AuditVerificationSchema } from '../model/audit.js';

export const audit = {
  listEntries: procedure(
    z.object({ offset: z.number().int().nonnegative().default(0), limit: z.number().int().positive().max(1000).default(100) }),
    z.object({ entries: z.array(AuditEntrySchema), total: z.number().int() }),
  ),
  verifyChain: procedure(z.object({}), AuditVerificationSchema),
} as const;
