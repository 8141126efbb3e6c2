/** Starts a scenario pipeline job and follows it; when it succeeds, opens the run's dashboard. */
import { useEffect, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { Job } from '../../../shared/model/jobs.js';
import { useTranslation } from 'react-i18next';
import { describeError, describeErrorInfo, mergeJob, queryKeys, useApi, useJobs } from '../../api/index.js';
import { navigate } from '../../ui/routing.js';

export const scenarioRunsKey = ['scenarios', 'runs'] as const;

export function useScenarioJob(): { job: Job | undefined; busy: boolean; error: string | null; start: (call: () => Promise<{ jobId: string }>) => Promise<void> } {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const jobs = useJobs();
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = jobId ? (jobs.data ?? []).find((j) => j.id === jobId) : undefined;

  useEffect(() => {
    if (!job) return;
    if (job.state === 'succeeded') {
      void queryClient.invalidateQueries({ queryKey: scenarioRunsKey });
      void queryClient.invalidateQueries({ queryKey: queryKeys.models });
      const runId = (job.result as { runId?: string } | null)?.runId;
      setJobId(null);
      // The dashboard shows the outcome: the toasts of the pipeline's steps (imports, training, scoring) are taken down.
      notifications.clean();
      if (runId) navigate({ name: 'scenarioRun', runId });
    } else if (job.state === 'failed' || job.state === 'cancelled' || job.state === 'interrupted') {
      setError(job.error ? describeErrorInfo(job.error, t) : job.state);
      setJobId(null);
    }
  }, [job, queryClient, t]);

  const start = async (call: () => Promise<{ jobId: string }>) => {
    setError(null);
    try {
      const { jobId: id } = await call();
      setJobId(id);
      void api.jobs.getJob({ jobId: id }).then((j) => mergeJob(queryClient, j));
    } catch (err) {
      setError(describeError(err, t));
    }
  };
  return { job, busy: jobId !== null, error, start };
}
