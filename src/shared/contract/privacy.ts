/** Privacy procedures: anonymise a version into a new one, as a job whose result is an AnonymiseResult. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { AnonymiseRequestSchema, HierarchyPreviewSchema, HierarchySpecSchema, SuggestedSetupSchema } from '../model/privacy.js';

export const privacy = {
  /** Proposes roles (from column names and value shapes), hierarchies and a k-anonymity model for a version. */
  suggestSetup: procedure(z.object({ versionId: z.string() }), SuggestedSetupSchema),
  /** Builds or parses a hierarchy for one column and reports which of its values it does not cover. */
  previewHierarchy: procedure(
    z.object({ versionId: z.string(), column: z.string(), hierarchy: HierarchySpecSchema, baseDir: z.string().optional() }),
    HierarchyPreviewSchema,
  ),
  anonymise: procedure(AnonymiseRequestSchema, z.object({ jobId: z.string() })),
  /**
   * Authorised re-identification of a reversible pseudonym: decrypts the original from the version's mapping
   * with the workspace key. Audited (the value itself never enters the log).
   */
  reidentify: procedure(
    z.object({ versionId: z.string(), column: z.string(), pseudonym: z.string().min(1), reason: z.string().min(3).max(500) }),
    z.object({ value: z.string().nullable() }),
  ),
} as const;
