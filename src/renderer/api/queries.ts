/**
 * Cached reads over the client (@tanstack/react-query) and the event wiring that keeps them fresh:
 * `catalog.onDidChange` and `jobs.onDidUpdate` invalidate or patch exactly what they touch.
 */
import { useEffect } from 'react';
import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Api } from '../../shared/contract/index.js';
import type { Job, RowFilter } from '../../shared/model/index.js';
import { TERMINAL_JOB_STATES } from '../../shared/model/jobs.js';
import { useApi, useHost } from './context.js';

export interface RowView {
  sort: { column: string; direction: 'asc' | 'desc' } | null;
  filters: RowFilter[];
  search: string;
}

export const queryKeys = {
  datasets: (query: string) => ['catalog', 'datasets', query] as const,
  allDatasets: ['catalog', 'datasets'] as const,
  dataset: (datasetId: string) => ['catalog', 'dataset', datasetId] as const,
  rowsOf: (versionId: string) => ['catalog', 'rows', versionId] as const,
  rows: (versionId: string, view: RowView, page: number) => ['catalog', 'rows', versionId, view, page] as const,
  jobs: ['jobs', 'list'] as const,
  allTraining: ['training'] as const,
  models: ['training', 'models'] as const,
  model: (modelId: string) => ['training', 'model', modelId] as const,
  version: (versionId: string) => ['catalog', 'version', versionId] as const,
  audit: (offset: number, limit: number) => ['audit', 'entries', offset, limit] as const,
  allAudit: ['audit'] as const,
  systemInfo: ['system', 'info'] as const,
  doctor: ['system', 'doctor'] as const,
};

export const JOBS_LIMIT = 100;

export function useDatasets(query: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.datasets(query),
    queryFn: () => api.catalog.listDatasets({ query }),
    placeholderData: keepPreviousData,
  });
}

export function useDataset(datasetId: string) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.dataset(datasetId), queryFn: () => api.catalog.getDataset({ datasetId }) });
}

/** Every model in the registry, newest first. */
export function useModels() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.models,
    queryFn: async () => (await api.training.listModels({})).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  });
}

export function useModel(modelId: string) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.model(modelId), queryFn: () => api.training.getModel({ modelId }) });
}

/** One version (schema, row count); versions are immutable, so it never goes stale. */
export function useVersion(versionId: string | null | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.version(versionId ?? ''),
    queryFn: () => api.catalog.getVersion({ versionId: versionId! }),
    enabled: Boolean(versionId),
    staleTime: Infinity,
  });
}

export function useJobs() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.jobs, queryFn: () => api.jobs.listJobs({ limit: JOBS_LIMIT }) });
}

export function useAuditEntries(offset: number, limit: number) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.audit(offset, limit),
    queryFn: () => api.audit.listEntries({ offset, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useSystemInfo() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.systemInfo, queryFn: () => api.system.getInfo({}), staleTime: Infinity });
}

export function isActiveJob(job: Job): boolean {
  return !TERMINAL_JOB_STATES.includes(job.state);
}

/** Puts a job update into the cached job list (newest first), inserting jobs the list has not seen. */
export function mergeJob(queryClient: QueryClient, job: Job): void {
  queryClient.setQueryData<Job[]>(queryKeys.jobs, (old) => {
    if (!old) return old;
    const index = old.findIndex((j) => j.id === job.id);
    if (index < 0) return [job, ...old];
    const next = old.slice();
    next[index] = job;
    return next;
  });
}

/**
 * Subscribes once, at the top of the app, to the events that change cached data. Job progress arrives often, so
 * updates are coalesced per job and applied at most every 100 ms.
 */
export function useLiveUpdates(): void {
  const api: Api = useApi();
  const host = useHost();
  const queryClient = useQueryClient();

  useEffect(() => {
    const queued = new Map<string, Job>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      let finished = false;
      for (const job of queued.values()) {
        mergeJob(queryClient, job);
        if (!isActiveJob(job)) finished = true;
      }
      queued.clear();
      if (finished) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.allDatasets });
        void queryClient.invalidateQueries({ queryKey: queryKeys.allAudit });
        // Train, explain and compress jobs add or change models.
        void queryClient.invalidateQueries({ queryKey: queryKeys.allTraining });
      }
    };
    const offJobs = api.jobs.onDidUpdate((job) => {
      queued.set(job.id, job);
      if (!timer) timer = setTimeout(flush, 100);
    });
    const offCatalog = api.catalog.onDidChange(({ datasetId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.allDatasets });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dataset(datasetId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.allAudit });
    });
    // After a dropped socket we may have missed events: refetch what is on screen.
    const offReconnect = host.connection.onReconnect(() => void queryClient.invalidateQueries());
    return () => {
      offJobs();
      offCatalog();
      offReconnect();
      if (timer) clearTimeout(timer);
    };
  }, [api, host, queryClient]);
}
