/** Long-running work: a job's state, progress and outcome. */
import { z } from 'zod';
import { ErrorInfoSchema } from './error-schemas.js';

export const JobStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type JobState = z.infer<typeof JobStateSchema>;

export const JobKindSchema = z.enum(['import', 'anonymise', 'train', 'score', 'explain', 'compress', 'report', 'fairness', 'clean', 'profile', 'quality-rules', 'scenario']);
export type JobKind = z.infer<typeof JobKindSchema>;

export const JobSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  /** What the job works on, for display (e.g. the file name). */
  title: z.string(),
  state: JobStateSchema,
  progress: z.number().min(0).max(1),
  message: z.string(),
  /** Counters the job reports, e.g. rows and bytes read. */
  counters: z.record(z.string(), z.number()),
  etaMs: z.number().nullable(),
  result: z.unknown().nullable(),
  error: ErrorInfoSchema.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;

export const TERMINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];
