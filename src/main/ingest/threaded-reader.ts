/**
 * Runs readDelimited in its own thread and hands its events to the caller as an async generator, so parsing
 * (one core) overlaps with inserting into SQLite (the other). At most a few batches are in flight, which keeps
 * memory bounded however large the file.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { XinzhiError, toErrorInfo, type ErrorInfo } from '../../shared/model/errors.js';
import { readDelimited, type ColumnBatch, type ReaderEvent, type ReaderOptions, type RowsEvent } from './delimited-reader.js';

/**
 * A batch crosses threads column by column: numbers and coded texts (see readDelimited) as transferred typed
 * arrays (a coded column's small dictionary is cloned), other texts joined into one string. Cloning 5,000 row
 * arrays cost the parser thread about as much as parsing them (measured); a join and a split cost less.
 */
type PackedColumn = ColumnBatch | { kind: 'joined'; joined: string; nulls: Uint8Array | null };
export type PackedRows = Omit<RowsEvent, 'kind' | 'columns'> & { kind: 'packed-rows'; columns: PackedColumn[] };

const SEPARATOR = '\u0001';

export function packRows(event: RowsEvent): { packed: PackedRows; transfer: ArrayBuffer[] } {
  const { columns, kind: _kind, ...rest } = event;
  const transfer: ArrayBuffer[] = [];
  const packedColumns = columns.map((col): PackedColumn => {
    if (col.nulls) transfer.push(col.nulls.buffer as ArrayBuffer);
    if (col.kind === 'number' || col.kind === 'coded') {
      transfer.push((col.kind === 'number' ? col.values : col.codes).buffer as ArrayBuffer);
      return col;
    }
    return joinTexts(col.values, col.nulls);
  });
  return { packed: { ...rest, kind: 'packed-rows', columns: packedColumns }, transfer };
}

function joinTexts(values: (string | null)[], nulls: Uint8Array | null): PackedColumn {
  const joined = values.join(SEPARATOR);
  let separators = 0;
  for (let i = joined.indexOf(SEPARATOR); i !== -1; i = joined.indexOf(SEPARATOR, i + 1)) separators++;
  // A text holding the separator itself would split wrongly: such a column goes as it is.
  return separators === Math.max(0, values.length - 1) ? { kind: 'joined', joined, nulls } : { kind: 'text', values, nulls };
}

export function unpackRows(packed: PackedRows): RowsEvent {
  const { columns, kind: _kind, ...rest } = packed;
  const unpacked = columns.map((col): ColumnBatch => {
    if (col.kind !== 'joined') return col;
    return { kind: 'text', values: packed.rowCount === 0 ? [] : col.joined.split(SEPARATOR), nulls: col.nulls };
  });
  return { ...rest, kind: 'rows', columns: unpacked };
}

type ParserMessage = { type: 'event'; event: Exclude<ReaderEvent, RowsEvent> | PackedRows } | { type: 'error'; error: ErrorInfo };
type ConsumerMessage = { type: 'ack' } | { type: 'stop' };

const MAX_IN_FLIGHT = 4;

/** The parser thread's events; `stop` ends the thread even if the events were never read. */
export type ThreadedRead = AsyncGenerator<ReaderEvent> & { stop(): Promise<void> };

/**
 * Consumer side: spawns `parserFile` (a bundle that calls runParserThread) at once, so that it starts while the
 * caller gets ready, and yields its events.
 */
export function readDelimitedInThread(parserFile: string | URL, options: Omit<ReaderOptions, 'signal'>, signal?: AbortSignal): ThreadedRead {
  const worker = new Worker(parserFile, { workerData: options });
  const queue: ParserMessage[] = [];
  let wake: (() => void) | null = null;
  let exited: Error | null = null;
  worker.on('message', (msg: ParserMessage) => {
    queue.push(msg);
    wake?.();
  });
  worker.on('error', (err) => {
    exited = err;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (!exited) exited = new Error(`parser thread exited with code ${code}`);
    wake?.();
  });
  const onAbort = () => {
    void worker.terminate();
    wake?.();
  };
  signal?.addEventListener('abort', onAbort);
  const stop = async () => {
    signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  };
  async function* events(): AsyncGenerator<ReaderEvent> {
    try {
      for (;;) {
        if (signal?.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
        const msg = queue.shift();
        if (!msg) {
          if (exited) throw exited;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (msg.type === 'error') throw XinzhiError.fromInfo(msg.error);
        const event = msg.event;
        if (event.kind === 'packed-rows') {
          worker.postMessage({ type: 'ack' } satisfies ConsumerMessage);
          yield unpackRows(event);
          continue;
        }
        yield event;
        if (event.kind === 'end') return;
      }
    } finally {
      await stop();
    }
  }
  return Object.assign(events(), { stop });
}

/** Parser side: the body of the parser thread. */
export async function runParserThread(): Promise<void> {
  const port = parentPort!;
  const options = workerData as ReaderOptions;
  let inFlight = 0;
  let resume: (() => void) | null = null;
  port.on('message', (msg: ConsumerMessage) => {
    if (msg.type === 'ack') {
      inFlight--;
      resume?.();
    }
  });
  try {
    for await (const event of readDelimited(options)) {
      if (event.kind !== 'rows') {
        port.postMessage({ type: 'event', event } satisfies ParserMessage);
        continue;
      }
      const { packed, transfer } = packRows(event);
      port.postMessage({ type: 'event', event: packed } satisfies ParserMessage, transfer);
      if (++inFlight >= MAX_IN_FLIGHT) {
        await new Promise<void>((r) => (resume = r));
        resume = null;
      }
    }
  } catch (err) {
    port.postMessage({ type: 'error', error: toErrorInfo(err) } satisfies ParserMessage);
  }
  port.close();
}
