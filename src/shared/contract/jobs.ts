/** Job procedures and events: every long piece of work is visible, cancellable and survives restarts as a record. */
import { z } from 'zod';
import { procedure, event } from './procedure.js';
import { JobSchema } from '../model/jobs.js';

export const jobs = {
  listJobs: procedure(z.object({ limit: z.number().int().positive().max(500).default(50) }), z.array(JobSchema)),
  getJob: procedure(z.object({ jobId: z.string() }), JobSchema),
  cancelJob: procedure(z.object({ jobId: z.string() }), JobSchema),
  /** Fired on every progress report and state change. */
  onDidUpdate: event(JobSchema),
} as const;
