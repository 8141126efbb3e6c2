/** Import job: reads a file (delimited text, or a record format) and fills the job's staging table; the service publishes it afterwards. */
import { workerData } from 'node:worker_threads';
import { runWorker } from '../jobs/worker-runtime.js';
import { readDelimitedInThread } from '../ingest/threaded-reader.js';
import { formatOf } from '../ingest/formats.js';
import type { WorkerStart } from '../jobs/protocol.js';
import type { ImportJobParams } from '../jobs/import-job.js';

// Delimited text parses in its own thread, started before anything else loads here: its start-up and its sampling
// of the file overlap with this thread loading SQLite and opening the catalog (measured: rows reach the staging
// table ~0.1 s sooner than when the parser started after them).
const { options } = (workerData as WorkerStart).params as ImportJobParams;
const format = formatOf(options.path, options.format) ?? 'delimited';
const stopParser = new AbortController();
const parsed = format === 'delimited' ? readDelimitedInThread(new URL('./import-parse.worker.mjs', import.meta.url), options, stopParser.signal) : null;
const { stageImport } = await import('./import/stage.js');

runWorker((raw, ctx) => {
  if (ctx.signal.aborted) stopParser.abort();
  else ctx.signal.addEventListener('abort', () => stopParser.abort(), { once: true });
  return stageImport(raw as ImportJobParams, ctx, format, parsed);
});
