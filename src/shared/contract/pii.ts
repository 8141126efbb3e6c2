/** PII procedures: detect on a spread sample of a version (fast, no job) and read the stored, masked findings. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { PiiFindingsSchema } from '../model/pii.js';

export const pii = {
  /** Samples up to `sampleSize` rows spread over the version, detects per column, stores the masked findings. */
  detect: procedure(z.object({ versionId: z.string(), sampleSize: z.number().int().min(10).max(100_000).default(2000) }), PiiFindingsSchema),
  /** The findings stored for a version, or null when it has not been scanned. */
  getFindings: procedure(z.object({ versionId: z.string() }), PiiFindingsSchema.nullable()),
} as const;
