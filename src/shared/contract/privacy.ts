/** Privacy procedures: anonymise a version into a new one, as a job whose result is an AnonymiseResult. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { AnonymiseRequestSchema } from '../model/privacy.js';

export const privacy = {
  anonymise: procedure(AnonymiseRequestSchema, z.object({ jobId: z.string() })),
} as const;
