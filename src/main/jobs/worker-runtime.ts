/** The worker side of a job: turns postMessage into a JobContext (progress, cancel signal) and reports the outcome. */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo, XinzhiError } from '../../shared/model/errors.js';
import type { HostToWorker, JobContext, WorkerStart, WorkerToHost } from './protocol.js';

export type JobHandler = (params: unknown, ctx: JobContext) => Promise<unknown>;

export function runWorker(handler: JobHandler): void {
  const port = parentPort;
  if (!port) throw new Error('runWorker must run inside a worker thread');
  const start = workerData as WorkerStart;
  const controller = new AbortController();
  const post = (msg: WorkerToHost) => port.postMessage(msg);
  port.on('message', (msg: HostToWorker) => {
    if (msg.type === 'cancel') controller.abort();
  });
  let lastProgressAt = 0;
  const ctx: JobContext = {
    jobId: start.jobId,
    workspace: start.workspace,
    signal: controller.signal,
    secrets: start.secrets ?? {},
    onProgress(progress, message, counters = {}) {
      // At most ~10 reports a second reach the host; the last one (progress 1) and a training epoch's always do
      // (a live learning curve needs every epoch, and there are at most a thousand).
      const now = performance.now();
      if (progress < 1 && now - lastProgressAt < 100 && counters.epoch === undefined) return;
      lastProgressAt = now;
      post({ type: 'progress', progress: Math.max(0, Math.min(1, progress)), message, counters });
    },
    log(text, level = 'info') {
      post({ type: 'log', level, text });
    },
  };
  handler(start.params, ctx).then(
    (result) => {
      post({ type: 'done', result });
      port.close();
    },
    (err: unknown) => {
      const error = controller.signal.aborted && !(err instanceof XinzhiError && err.code !== 'E_CANCELLED') ? { code: 'E_CANCELLED' as const, message: 'Cancelled' } : toErrorInfo(err);
      post({ type: 'error', error });
      port.close();
    },
  );
}
