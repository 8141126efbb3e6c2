/**
 * Runs jobs in worker threads: one row per job, progress with ETA, cancel (signal, then terminate), crash
 * handling. What a job produces is published by its owner's `publish` callback in the main thread, in one
 * short transaction; if anything fails before that, the staging table is dropped and nothing is visible.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import { JobsRepo } from '../catalog/jobs-repo.js';
import { newId } from '../catalog/ids.js';
import type { Job, JobKind } from '../../shared/model/jobs.js';
import { TERMINAL_JOB_STATES } from '../../shared/model/jobs.js';
import { toErrorInfo, XinzhiError, type ErrorInfo } from '../../shared/model/errors.js';
import type { HostToWorker, WorkerStart, WorkerToHost } from './protocol.js';

export interface JobSpec {
  kind: JobKind;
  title: string;
  /** Worker entry file name in the workers folder, e.g. `import.worker.mjs`. */
  worker: string;
  params: unknown;
  /** Name of the staging table the worker fills, dropped on any failure. */
  stagingTable: string | null;
  /** Turns the worker's result into the published outcome (in the main thread, one transaction). */
  publish(workerResult: unknown): unknown;
  /** Keys for the worker, passed in memory only (not stored with the job's params). */
  secrets?: Record<string, Uint8Array>;
  /** Called after a failure, cancel or crash, once the staging table is gone. */
  onFailed?(error: ErrorInfo): void;
}

/**
 * A job that runs in the main thread and only orchestrates: it starts other jobs (whose heavy work runs in
 * workers) and waits for them, reporting its own progress. It takes no worker slot, so its children can run.
 */
export interface InlineJobSpec {
  kind: JobKind;
  title: string;
  params: unknown;
  run(ctx: InlineJobContext): Promise<unknown>;
}

export interface InlineJobContext {
  jobId: string;
  signal: AbortSignal;
  onProgress(progress: number, message: string, counters?: Record<string, number>): void;
}

interface Running {
  worker: Worker | null;
  spec: JobSpec;
  startedAt: number;
  cancelTimer?: NodeJS.Timeout;
  cancelRequested: boolean;
}

const CANCEL_GRACE_MS = 3000;
const MAX_CONCURRENT = 2;

type LiveProgress = Pick<Job, 'progress' | 'message' | 'counters' | 'etaMs'>;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

export class JobManager {
  private readonly repo: JobsRepo;
  private readonly running = new Map<string, Running>();
  private readonly queue: { id: string; spec: JobSpec }[] = [];
  private readonly waiters = new Map<string, ((job: Job) => void)[]>();
  private readonly inline = new Map<string, AbortController>();
  /** Progress not yet in a job's row (the row was locked by a worker's write): shown by get, list and events. */
  private readonly live = new Map<string, LiveProgress>();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly workspace: string,
    private readonly workersDir: string,
    private readonly onUpdate: (job: Job) => void,
  ) {
    this.repo = new JobsRepo(db);
  }

  /** Marks jobs of dead processes interrupted and drops their staging tables. */
  recover(): Job[] {
    return this.repo.recoverInterrupted();
  }

  start(spec: JobSpec, id = newId('job')): Job {
    if (this.closed) throw new XinzhiError('E_CONFLICT', 'The app is shutting down', { reason: 'the app is shutting down' });
    const job = this.repo.insert({ id, kind: spec.kind, title: spec.title, params: spec.params, stagingTable: spec.stagingTable });
    this.queue.push({ id, spec });
    this.onUpdate(job);
    this.pump();
    return this.get(id);
  }

  /** Starts an orchestrating job in this thread (see InlineJobSpec); its outcome is what `run` resolves to. */
  startInline(spec: InlineJobSpec, id = newId('job')): Job {
    if (this.closed) throw new XinzhiError('E_CONFLICT', 'The app is shutting down', { reason: 'the app is shutting down' });
    this.repo.insert({ id, kind: spec.kind, title: spec.title, params: spec.params, stagingTable: null });
    const controller = new AbortController();
    this.inline.set(id, controller);
    this.repo.markRunning(id);
    this.emit(id);
    const startedAt = performance.now();
    const ctx: InlineJobContext = {
      jobId: id,
      signal: controller.signal,
      onProgress: (progress, message, counters = {}) => {
        if (this.closed || controller.signal.aborted) return;
        const p = Math.max(0, Math.min(1, progress));
        const elapsed = performance.now() - startedAt;
        this.reportProgress(id, { progress: p, message, counters, etaMs: p > 0.01 && p < 1 ? Math.round((elapsed / p) * (1 - p)) : null });
      },
    };
    const settle = (state: 'succeeded' | 'failed' | 'cancelled', outcome: { result?: unknown; error?: ErrorInfo }) => {
      this.inline.delete(id);
      this.live.delete(id);
      if (this.closed) return;
      this.repo.finish(id, state, outcome);
      this.emit(id);
      this.resolveWaiters(id);
    };
    // Deferred, so the caller gets the job id before any progress or outcome.
    setImmediate(() => {
      spec.run(ctx).then(
        (result) => (controller.signal.aborted ? settle('cancelled', { error: { code: 'E_CANCELLED', message: 'Cancelled' } }) : settle('succeeded', { result })),
        (err: unknown) => {
          const info = toErrorInfo(err);
          const cancelled = controller.signal.aborted || info.code === 'E_CANCELLED';
          settle(cancelled ? 'cancelled' : 'failed', { error: cancelled ? { code: 'E_CANCELLED', message: 'Cancelled' } : info });
        },
      );
    });
    return this.get(id);
  }

  get(id: string): Job {
    return this.withLive(this.repo.get(id));
  }

  list(limit: number): Job[] {
    return this.repo.list(limit).map((job) => this.withLive(job));
  }

  /** Resolves when the job reaches a terminal state. */
  wait(id: string): Promise<Job> {
    const job = this.repo.get(id);
    if (TERMINAL_JOB_STATES.includes(job.state)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  cancel(id: string): Job {
    const job = this.repo.get(id);
    const orchestrator = this.inline.get(id);
    if (orchestrator) {
      orchestrator.abort();
      return job;
    }
    const queued = this.queue.findIndex((q) => q.id === id);
    if (queued >= 0) {
      const [{ spec }] = this.queue.splice(queued, 1) as [{ id: string; spec: JobSpec }];
      this.fail(id, spec, 'cancelled', { code: 'E_CANCELLED', message: 'Cancelled' });
      return this.get(id);
    }
    const run = this.running.get(id);
    if (!run || run.cancelRequested) return job;
    run.cancelRequested = true;
    run.worker?.postMessage({ type: 'cancel' } satisfies HostToWorker);
    // A worker stuck in a long synchronous step gets terminated after a grace period.
    run.cancelTimer = setTimeout(() => void run.worker?.terminate(), CANCEL_GRACE_MS);
    return this.get(id);
  }

  private pump(): void {
    while (this.running.size < MAX_CONCURRENT && this.queue.length > 0) {
      const { id, spec } = this.queue.shift()!;
      this.launch(id, spec);
    }
  }

  private launch(id: string, spec: JobSpec): void {
    const start: WorkerStart = { jobId: id, kind: spec.kind, workspace: this.workspace, params: spec.params, secrets: spec.secrets ?? {} };
    const run: Running = { worker: null, spec, startedAt: performance.now(), cancelRequested: false };
    this.running.set(id, run);
    this.repo.markRunning(id);
    this.emit(id);
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(join(this.workersDir, spec.worker), { workerData: start });
    } catch (err) {
      this.running.delete(id);
      this.fail(id, spec, 'failed', { code: 'E_WORKER_CRASHED', message: String(err), params: { reason: String(err) } });
      return;
    }
    run.worker = worker;
    worker.on('message', (msg: WorkerToHost) => {
      if (settled) return;
      if (msg.type === 'progress') {
        const elapsed = performance.now() - run.startedAt;
        const eta = msg.progress > 0.01 && msg.progress < 1 ? Math.round((elapsed / msg.progress) * (1 - msg.progress)) : null;
        this.reportProgress(id, { progress: msg.progress, message: msg.message, counters: msg.counters, etaMs: eta });
        // Workers write with autocheckpoint off: copy their WAL pages into the database from this thread.
        this.db.pragma('wal_checkpoint(PASSIVE)');
      } else if (msg.type === 'done' && run.cancelRequested) {
        // Cancelled while the worker was finishing: the user asked for nothing to be published, so nothing is.
        settled = true;
        this.settle(id, run, () => this.fail(id, spec, 'cancelled', { code: 'E_CANCELLED', message: 'Cancelled' }));
      } else if (msg.type === 'done') {
        settled = true;
        this.settle(id, run, () => {
          try {
            const result = spec.publish(msg.result);
            this.repo.finish(id, 'succeeded', { result });
          } catch (err) {
            this.dropStaging(spec);
            this.repo.finish(id, 'failed', { error: toErrorInfo(err) });
            spec.onFailed?.(toErrorInfo(err));
          }
        });
      } else if (msg.type === 'error') {
        settled = true;
        const cancelled = msg.error.code === 'E_CANCELLED' || run.cancelRequested;
        this.settle(id, run, () => this.fail(id, spec, cancelled ? 'cancelled' : 'failed', cancelled ? { code: 'E_CANCELLED', message: 'Cancelled' } : msg.error));
      }
    });
    worker.on('error', (err) => {
      if (settled) return;
      settled = true;
      this.settle(id, run, () => this.fail(id, spec, 'failed', { code: 'E_WORKER_CRASHED', message: err.message, params: { reason: err.message } }));
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      const error: ErrorInfo = run.cancelRequested
        ? { code: 'E_CANCELLED', message: 'Cancelled' }
        : { code: 'E_WORKER_CRASHED', message: `worker exited with code ${code}`, params: { reason: `exit code ${code}` } };
      this.settle(id, run, () => this.fail(id, spec, run.cancelRequested ? 'cancelled' : 'failed', error));
    });
  }

  private settle(id: string, run: Running, finish: () => void): void {
    if (run.cancelTimer) clearTimeout(run.cancelTimer);
    this.running.delete(id);
    this.live.delete(id);
    if (!this.closed) finish();
    this.emit(id);
    this.resolveWaiters(id);
    void run.worker?.terminate();
    this.pump();
  }

  private fail(id: string, spec: JobSpec, state: 'failed' | 'cancelled', error: ErrorInfo): void {
    this.live.delete(id);
    this.dropStaging(spec);
    this.repo.finish(id, state, { error });
    spec.onFailed?.(error);
    this.emit(id);
    this.resolveWaiters(id);
  }

  private dropStaging(spec: JobSpec): void {
    if (spec.stagingTable) this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(spec.stagingTable)}`);
  }

  private emit(id: string): void {
    this.onUpdate(this.get(id));
  }

  private withLive(job: Job): Job {
    const live = this.live.get(job.id);
    return live && job.state === 'running' ? { ...job, ...live } : job;
  }

  /**
   * Writes a job's progress to its row only if the database's write lock is free at once. A worker inserting rows
   * holds that lock almost without a break, and waiting for it here (the busy timeout) blocked this thread, with
   * its signals, cancel requests and the browser's requests, for seconds at a time; the events carry the progress.
   */
  private reportProgress(id: string, progress: LiveProgress): void {
    this.live.set(id, progress);
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.repo.updateProgress(id, progress.progress, progress.message, progress.counters, progress.etaMs);
      this.live.delete(id);
    } catch (err) {
      if (!isBusy(err)) throw err;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
    this.emit(id);
  }

  private resolveWaiters(id: string): void {
    const job = this.repo.get(id);
    if (!TERMINAL_JOB_STATES.includes(job.state)) return;
    for (const resolve of this.waiters.get(id) ?? []) resolve(job);
    this.waiters.delete(id);
  }

  /** Stops every worker; their jobs are marked interrupted and staging tables dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [id, controller] of this.inline) {
      controller.abort();
      this.repo.finish(id, 'interrupted', { error: { code: 'E_INTERRUPTED', message: 'Interrupted by shutdown' } });
      this.resolveWaiters(id);
    }
    this.inline.clear();
    const runs = [...this.running.entries()];
    for (const { id, spec } of this.queue.splice(0)) this.fail(id, spec, 'cancelled', { code: 'E_CANCELLED', message: 'Cancelled' });
    await Promise.all(runs.map(([, run]) => run.worker?.terminate()));
    for (const [id, run] of runs) {
      this.dropStaging(run.spec);
      this.repo.finish(id, 'interrupted', { error: { code: 'E_INTERRUPTED', message: 'Interrupted by shutdown' } });
      this.resolveWaiters(id);
    }
    this.running.clear();
  }
}
