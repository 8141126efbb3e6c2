/** Messages between the worker host and a job's worker thread: tagged unions, errors as data. */
import type { ErrorInfo } from '../../shared/model/errors.js';

export interface WorkerStart {
  jobId: string;
  kind: string;
  workspace: string;
  params: unknown;
}

export type HostToWorker = { type: 'cancel' };

export type WorkerToHost =
  | { type: 'progress'; progress: number; message: string; counters: Record<string, number> }
  | { type: 'log'; level: 'info' | 'warn'; text: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: ErrorInfo };

export interface JobContext {
  jobId: string;
  workspace: string;
  signal: AbortSignal;
  /** progress in 0..1; counters such as rows and bytes. */
  onProgress(progress: number, message: string, counters?: Record<string, number>): void;
  log(text: string, level?: 'info' | 'warn'): void;
}
