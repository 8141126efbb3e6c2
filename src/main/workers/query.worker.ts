/** The query worker: answers slow catalog reads (sorts, filters, searches) on its own connection. */
import { parentPort, workerData } from 'node:worker_threads';
import { openCatalog } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { toErrorInfo } from '../../shared/model/errors.js';
import type { RowQuery } from '../../shared/model/catalog.js';
import type { QueryRequest, QueryResponse } from '../jobs/query-host.js';

const db = openCatalog((workerData as { workspace: string }).workspace, { migrate: false });
const repo = new DatasetsRepo(db);

parentPort!.on('message', (msg: QueryRequest) => {
  let response: QueryResponse;
  try {
    response = { id: msg.id, ok: true, value: repo.queryRows(msg.input as RowQuery) };
  } catch (err) {
    response = { id: msg.id, ok: false, error: toErrorInfo(err) };
  }
  parentPort!.postMessage(response);
});
