/** Starting a job from a page and following it: its live record, a cancel, and the start error as text. */
import { useEffect, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../shared/model/jobs.js';
import type { HistoryEntry } from '../../../shared/model/training.js';
import { describeError, isActiveJob, mergeJob, queryKeys, useApi, useJobs } from '../../api/index.js';
import { notifyError } from '../../ui/notify.js';
import { entryFromCounters } from './model-view.js';

export interface JobRun {
  jobId: string | null;
  job: Job | undefined;
  /** Starting or running. */
  busy: boolean;
  startError: string | null;
  cancelling: boolean;
  start: (call: () => Promise<{ jobId: string }>) => Promise<void>;
  cancel: () => Promise<void>;
  /** Forgets the followed job and its start error (the page starts over). */
  reset: () => void;
}

/**
 * `initialJobId` lets a page pick up a run it started before it was left. When `quiet`, the toast the jobs feature
 * shows for a finished job is taken down: the page shows the outcome itself.
 */
export function useJobRun(initialJobId: string | null = null, { quiet = false }: { quiet?: boolean } = {}): JobRun {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const jobs = useJobs();
  const [jobId, setJobId] = useState<string | null>(initialJobId);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const job = jobId ? (jobs.data ?? []).find((j) => j.id === jobId) : undefined;

  // A job older than the cached list (or a list not loaded yet): fetch it once.
  useEffect(() => {
    if (!jobId || job) return;
    void api.jobs
      .getJob({ jobId })
      .then((j) => mergeJob(queryClient, j))
      .catch(() => undefined);
  }, [api, jobId, job, queryClient]);

  const finished = quiet && job && !isActiveJob(job) ? job.id : null;
  useEffect(() => {
    if (finished) notifications.hide(`job-${finished}`);
  }, [finished]);

  const start = async (call: () => Promise<{ jobId: string }>) => {
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
  };

  const cancel = async () => {
    if (!jobId) return;
    setCancelling(true);
    try {
      mergeJob(queryClient, await api.jobs.cancelJob({ jobId }));
    } catch (err) {
      notifyError(t('ui.jobs.cancelFailed'), describeError(err, t));
    } finally {
      setCancelling(false);
    }
  };

  const reset = () => {
    setJobId(null);
    setStartError(null);
  };

  return { jobId, job, busy: starting || Boolean(job && isActiveJob(job)), startError, cancelling, start, cancel, reset };
}

/** The live learning curve is redrawn at most this often. */
const CURVE_REDRAW_MS = 250;

/** The epochs of the fit a train job is on now, and which fit that is (search trials and CV folds are fits too). */
export interface LiveHistory {
  history: HistoryEntry[];
  /** 1-based; 0 before the first epoch. */
  fit: number;
  fits: number;
}

/**
 * Every epoch a train job reports, in order, for its current fit. Listens to the job events directly (the cached
 * job list coalesces updates, and could skip epochs that arrive close together).
 */
export function useEpochHistory(jobId: string | null): LiveHistory {
  const api = useApi();
  const [live, setLive] = useState<LiveHistory>({ history: [], fit: 0, fits: 0 });
  useEffect(() => {
    setLive({ history: [], fit: 0, fits: 0 });
    if (!jobId) return;
    // A search or cross-validation fits several models, each from epoch 1: one curve per fit, the latest shown.
    const byFit = new Map<number, Map<number, HistoryEntry>>();
    let fit = 0;
    let fits = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const publish = () => {
      timer = null;
      setLive({ history: [...(byFit.get(fit)?.values() ?? [])].sort((a, b) => a.epoch - b.epoch), fit, fits });
    };
    const take = (job: Job) => {
      if (job.id !== jobId || job.kind !== 'train') return;
      const entry = entryFromCounters(job.counters);
      if (!entry) return;
      const f = job.counters.fit ?? 1;
      fits = job.counters.fits ?? 1;
      if (f > fit) fit = f;
      let epochs = byFit.get(f);
      if (!epochs) byFit.set(f, (epochs = new Map()));
      epochs.set(entry.epoch, entry);
      // At most a few redraws a second: epochs of a small model arrive tens a second, and redrawing the chart for
      // each kept the page too busy to answer (clicks, Cancel) until the run ended.
      if (timer === null) timer = setTimeout(publish, CURVE_REDRAW_MS);
    };
    void api.jobs.getJob({ jobId }).then(take).catch(() => undefined);
    const off = api.jobs.onDidUpdate(take);
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [api, jobId]);
  return live;
}
