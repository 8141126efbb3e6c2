/**
 * Runs catalog reads that may take seconds (a first sort that builds an index on a 10-million-row version,
 * a full-text search, a filtered count) in a worker thread with its own connection, so the thread that
 * serves the UI and job events never stalls. Requests queue in order; a crashed worker is restarted.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { XinzhiError, type ErrorInfo } from '../../shared/model/errors.js';

export type QueryRequest = { id: number; kind: 'queryRows'; input: unknown };
export type QueryResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorInfo };

export class QueryHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: unknown): void }>();

  constructor(
    private readonly workersDir: string,
    private readonly workspace: string,
  ) {}

  run(kind: QueryRequest['kind'], input: unknown): Promise<unknown> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, kind, input } satisfies QueryRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(this.workersDir, 'query.worker.mjs'), { workerData: { workspace: this.workspace } });
    worker.on('message', (msg: QueryResponse) => {
      const call = this.pending.get(msg.id);
      if (!call) return;
      this.pending.delete(msg.id);
      if (msg.ok) call.resolve(msg.value);
      else call.reject(XinzhiError.fromInfo(msg.error));
    });
    const fail = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const err = new XinzhiError('E_WORKER_CRASHED', `query worker stopped: ${reason}`, { reason });
      for (const call of this.pending.values()) call.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    // An idle query worker must not keep the CLI process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    for (const call of this.pending.values()) call.reject(new XinzhiError('E_CANCELLED', 'Shutting down'));
    this.pending.clear();
    await worker?.terminate();
  }
}
