// Shared test helpers: temporary workspaces, an app with an in-process client, the datasets folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerStart, WorkerToHost } from '../src/main/jobs/protocol.js';
import { contract, createClient, type Api } from '../src/shared/contract/index.js';
import { createApp, type App } from '../src/main/compose.js';
import { createInProcessTransport } from '../src/main/transport/in-process.js';
import type { ImportOptionsInput, ImportResult } from '../src/shared/model/catalog.js';
import type { Job } from '../src/shared/model/jobs.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** ../shared/datasets beside the checkout (CI lays shared/ beside its fresh clone too). */
export const datasetsDir = process.env.XINZHI_DATASETS ?? resolve(repoRoot, '..', 'shared', 'datasets');
export const dataset = (...parts: string[]) => join(datasetsDir, ...parts);

export function tempDir(prefix = 'xinzhi-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestApp {
  app: App;
  api: Api;
  workspace: string;
  close(): Promise<void>;
}

export async function openTestApp(workspace?: string): Promise<TestApp> {
  const dir = workspace ? null : tempDir();
  const ws = workspace ?? dir!.path;
  const app = await createApp({ workspace: ws, host: 'cli', appRoot: repoRoot });
  const api = createClient(contract, createInProcessTransport(app.bound, app.events));
  return {
    app,
    api,
    workspace: ws,
    async close() {
      await app.close();
      dir?.remove();
    },
  };
}

/** Imports a file through the contract and waits for the job; returns the finished job. */
export async function importAndWait(t: TestApp, options: ImportOptionsInput): Promise<Job> {
  const { jobId } = await t.api.catalog.importFile(options);
  return t.app.jobs.wait(jobId);
}

export async function importOk(t: TestApp, options: ImportOptionsInput): Promise<ImportResult> {
  const job = await importAndWait(t, options);
  if (job.state !== 'succeeded') throw new Error(`import failed: ${JSON.stringify(job.error)}`);
  return job.result as ImportResult;
}

/** A worker job run to its end: every message, and the final done or error. */
export interface WorkerRun {
  messages: WorkerToHost[];
  outcome: Extract<WorkerToHost, { type: 'done' | 'error' }>;
}

/** Runs a built worker (dist/main/workers/*.mjs) on `params` in `workspace`; `onProgress` may answer a progress message (to cancel). */
export async function runWorkerJob(
  file: string,
  kind: string,
  workspace: string,
  params: unknown,
  onProgress?: (w: Worker, msg: Extract<WorkerToHost, { type: 'progress' }>) => void,
): Promise<WorkerRun> {
  const start: WorkerStart = { jobId: `job-${kind}`, kind, workspace, params, secrets: {} };
  const worker = new Worker(file, { workerData: start });
  const messages: WorkerToHost[] = [];
  try {
    const outcome = await new Promise<WorkerRun['outcome']>((resolve, reject) => {
      worker.on('message', (msg: WorkerToHost) => {
        messages.push(msg);
        if (msg.type === 'progress') onProgress?.(worker, msg);
        if (msg.type === 'done' || msg.type === 'error') resolve(msg);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`worker exited (${code}) without an outcome`)));
    });
    return { messages, outcome };
  } finally {
    await worker.terminate();
  }
}
