/** Starts a clean job and follows it through the cached job list (live progress, cancel). */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../shared/model/jobs.js';
import { describeError, isActiveJob, mergeJob, queryKeys, useApi, useJobs } from '../../api/index.js';

export interface CleanJob {
  job: Job | undefined;
  busy: boolean;
  startError: string | null;
  start: (call: () => Promise<{ jobId: string }>) => Promise<void>;
  cancel: () => Promise<void>;
  reset: () => void;
}

export function useCleanJob(): CleanJob {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const jobs = useJobs();
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const job = jobId ? (jobs.data ?? []).find((j) => j.id === jobId) : undefined;

  useEffect(() => {
    if (!jobId || job) return;
    void api.jobs.getJob({ jobId }).then((j) => mergeJob(queryClient, j)).catch(() => undefined);
  }, [api, jobId, job, queryClient]);

  return {
    job,
    busy: starting || Boolean(job && isActiveJob(job)),
    startError,
    async start(call) {
      setStarting(true);
      setStartError(null);
      try {
        const { jobId: id } = await call();
        setJobId(id);
        void api.jobs.getJob({ jobId: id }).then((j) => mergeJob(queryClient, j));
        void queryClient.invalidateQueries({ queryKey: queryKeys.jobs });
      } catch (err) {
        setStartError(describeError(err, t));
      } finally {
        setStarting(false);
      }
    },
    async cancel() {
      if (jobId) mergeJob(queryClient, await api.jobs.cancelJob({ jobId }));
    },
    reset() {
      setJobId(null);
      setStartError(null);
    },
  };
}
