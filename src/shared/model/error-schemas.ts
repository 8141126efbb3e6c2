/** zod schemas of the error value, for the contract (errors.ts itself stays free of zod). */
import { z } from 'zod';
import { ERROR_CODES } from './errors.js';

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  details: z.unknown().optional(),
});
