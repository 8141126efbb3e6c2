/** The jobs domain: list, inspect and cancel long-running work. */
import type { Implements } from '../../shared/contract/procedure.js';
import type { jobs } from '../../shared/contract/jobs.js';
import type { JobManager } from '../jobs/job-manager.js';

export class JobsService implements Implements<typeof jobs> {
  constructor(private readonly manager: JobManager) {}

  listJobs(input: { limit: number }) {
    return this.manager.list(input.limit);
  }

  getJob(input: { jobId: string }) {
    return this.manager.get(input.jobId);
  }

  cancelJob(input: { jobId: string }) {
    return this.manager.cancel(input.jobId);
  }
}
