/**
 * Reading a large version on both cores: a part thread reads the second half of the rows while the job's thread
 * reads the first. Its typed arrays are transferred, not copied; only text dictionaries are cloned. Measured on the
 * 1M × 10 benchmark table (2 vCPUs): reading takes ~1.7 s instead of ~2.3 s. Profiling half of the columns there
 * as well was tried and saved nothing (both threads compile the profiler cold), so the profile runs in one thread.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import type { Column } from '../../../shared/model/catalog.js';
import { toErrorInfo, XinzhiError, type ErrorInfo } from '../../../shared/model/errors.js';
import { openCatalog } from '../../catalog/connection.js';
import type { DataColumn } from '../../core/profile/index.js';
import { ColumnsBuffer, readRows } from './read.js';

/** Below this many rows a second thread costs more (start-up, cloning) than it saves. */
export const PARALLEL_MIN_ROWS = 200_000;

export interface PartThreadStart {
  workspace: string;
  tableName: string;
  columns: Column[];
  /** The part thread reads rows from this `__row` on. */
  fromRow: number;
  capacity: number;
}

type FromPart = { type: 'rows'; columns: DataColumn[]; rows: number } | { type: 'error'; error: ErrorInfo };

/** Every ArrayBuffer under `value` once (a transfer list must not repeat one). */
function buffersOf(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) found.add(value.buffer as ArrayBuffer);
  else if (Array.isArray(value)) {
    // Dictionaries are string arrays: nothing to transfer in them.
    if (value.length > 0 && typeof value[0] !== 'string') for (const v of value) buffersOf(v, found);
  } else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) buffersOf(v, found);
  return [...found];
}

/** The job's side of a part thread: waits for its rows. */
export class PartThread {
  private readonly worker: Worker;
  private readonly messages: FromPart[] = [];
  private waiting: { resolve: (m: FromPart) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(file: URL, start: PartThreadStart) {
    this.worker = new Worker(file, { workerData: start });
    this.worker.on('message', (message: FromPart) => {
      if (this.waiting) {
        this.waiting.resolve(message);
        this.waiting = null;
      } else this.messages.push(message);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.waiting?.reject(this.failure);
      this.waiting = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`profile part thread exited with code ${code}`)));
  }

  private async next<T extends FromPart['type']>(type: T): Promise<Extract<FromPart, { type: T }>> {
    const message =
      this.messages.shift() ??
      (await new Promise<FromPart>((resolve, reject) => {
        if (this.failure) reject(this.failure);
        else this.waiting = { resolve, reject };
      }));
    if (message.type === 'error') throw XinzhiError.fromInfo(message.error);
    if (message.type !== type) throw new Error(`profile part thread: expected ${type}, got ${message.type}`);
    return message as Extract<FromPart, { type: T }>;
  }

  /** The part thread's rows (its range, from row 0 of its columns). */
  rows(): Promise<{ columns: DataColumn[]; rows: number }> {
    return this.next('rows');
  }

  /** Stops the thread; a pending `rows` or `profile` rejects as cancelled. */
  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failure ??= Object.assign(new Error('Cancelled'), { name: 'AbortError' });
    this.waiting?.reject(this.failure);
    this.waiting = null;
    await this.worker.terminate();
  }
}

/** The part thread's body (quality-part.worker.ts). */
export function runPartThread(): void {
  const port = parentPort!;
  const start = workerData as PartThreadStart;
  const post = (message: FromPart) => port.postMessage(message, buffersOf(message));
  try {
    const db = openCatalog(start.workspace, { migrate: false, readonly: true });
    const buffer = new ColumnsBuffer(start.columns, start.capacity);
    let rows: number;
    try {
      rows = readRows(db, start.tableName, buffer, { fromRow: start.fromRow });
    } finally {
      db.close();
    }
    post({ type: 'rows', columns: buffer.build(rows), rows });
  } catch (err) {
    post({ type: 'error', error: toErrorInfo(err) });
  }
}
