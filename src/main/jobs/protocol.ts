/** Messages between the worker host and a job's worker thread: tagged unions, errors as data. */
import type { ErrorInfo } from '../../shared/model/errors.js';

export interface WorkerStart {
  jobId: string;
  kind: string;
  workspace: string;
  params: unknown;
  /** Key material the job needs, handed over in memory: never in the jobs table, never in a log. */
  secrets: Record<string, Uint8Array>;
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
  secrets: Record<string, Uint8Array>;
  /** progress in 0..1; counters such as rows and bytes. */
  onProgress(progress: number, message: string, counters?: Record<string, number>): void;
  log(text: string, level?: 'info' | 'warn'): void;
}
