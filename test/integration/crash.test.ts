// A crash at any moment of an import leaves the catalog consistent: integrity ok, nothing half-published,
// the job marked interrupted or failed, its staging table gone — and the next import works.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateCsv } from '../bench/generate-csv.mjs';
import { importOk, openTestApp, repoRoot, tempDir } from '../helpers.js';
import type { InlineJobContext } from '../../src/main/jobs/job-manager.js';

const tmp = tempDir();
let bigCsv: string;

beforeAll(async () => {
  bigCsv = join(tmp.path, 'big.csv');
  await generateCsv(bigCsv, 600_000);
});
afterAll(() => tmp.remove());

function inspect(workspace: string) {
  const db = new Database(join(workspace, 'catalog.db'));
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      staging: (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stg_%'`).all() as { name: string }[]).length,
      versionTables: (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'v\\_%' ESCAPE '\\'`).all() as { name: string }[]).map((r) => r.name),
      // A kill before the first migration committed leaves no tables at all, which is consistent too.
      versions: db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'versions'`).get()
        ? (db.prepare('SELECT id, table_name, row_count FROM versions').all() as { id: string; table_name: string; row_count: number }[])
        : [],
    };
  } finally {
    db.close();
  }
}

/** Starts `xinzhi import` in a child process and SIGKILLs it after `delayMs` (or when the import reaches `atPercent`). */
function killImportAt(workspace: string, trigger: { delayMs?: number; atPercent?: number }): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', workspace, '--lang', 'en', 'import', bigCsv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const pct = [...stderr.matchAll(/: (\d+)%/g)].map((m) => Number(m[1])).at(-1) ?? 0;
      if (trigger.atPercent !== undefined && pct >= trigger.atPercent) kill();
    });
    if (trigger.delayMs !== undefined) setTimeout(kill, trigger.delayMs);
    child.on('exit', () => resolve(stderr));
  });
}

describe('crash safety of imports', () => {
  it('survives SIGKILL of the whole process at several moments of an import', async () => {
    const ws = tempDir();
    try {
      for (const trigger of [{ delayMs: 150 }, { delayMs: 400 }, { atPercent: 20 }, { atPercent: 60 }, { atPercent: 90 }]) {
        await killImportAt(ws.path, trigger);
        const state = inspect(ws.path);
        expect(state.integrity, JSON.stringify(trigger)).toBe('ok');
        // Either nothing was published, or the whole version was: never a partial one.
        for (const v of state.versions) {
          const db = new Database(join(ws.path, 'catalog.db'), { readonly: true });
          const { n } = db.prepare(`SELECT count(*) AS n FROM "${v.table_name}"`).get() as { n: number };
          db.close();
          expect(n).toBe(v.row_count);
          expect(n).toBe(600_000);
        }
        expect(state.versionTables.length).toBe(state.versions.length);
      }
      // Re-opening marks the dead jobs interrupted and drops their staging tables.
      const t = await openTestApp(ws.path);
      try {
        const jobs = await t.api.jobs.listJobs({});
        // The kills triggered by progress had a job row; an early timed kill may have come before it.
        expect(jobs.length).toBeGreaterThanOrEqual(3);
        for (const job of jobs) expect(['interrupted', 'succeeded']).toContain(job.state);
        expect(jobs.filter((j) => j.state === 'interrupted').every((j) => j.error?.code === 'E_INTERRUPTED')).toBe(true);
        expect(inspect(ws.path).staging).toBe(0);
        expect((await t.api.audit.verifyChain({})).ok).toBe(true);
        const again = await importOk(t, { path: bigCsv });
        expect(again.rowCount).toBe(600_000);
      } finally {
        await t.close();
      }
    } finally {
      ws.remove();
    }
  }, 120_000);

  it('a worker killed mid-import fails the job, drops the staging table and publishes nothing', async () => {
    const t = await openTestApp();
    try {
      const { jobId } = await t.api.catalog.importFile({ path: bigCsv });
      await new Promise<void>((resolve) => {
        const off = t.api.jobs.onDidUpdate((job) => {
          if (job.id === jobId && job.progress > 0.2) {
            off();
            resolve();
          }
        });
      });
      // Reach into the manager the way a crash would: the thread dies without saying goodbye.
      const running = (t.app.jobs as unknown as { running: Map<string, { worker: { terminate(): Promise<number> } }> }).running;
      await running.get(jobId)!.worker.terminate();
      const job = await t.app.jobs.wait(jobId);
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('E_WORKER_CRASHED');
      expect(await t.api.catalog.listDatasets({})).toEqual([]);
      expect(inspect(t.workspace).staging).toBe(0);
      expect(inspect(t.workspace).integrity).toBe('ok');
    } finally {
      await t.close();
    }
  });

  it('a job reporting progress never waits for the write lock another connection holds (as an inserting worker does)', async () => {
    const t = await openTestApp();
    const other = new Database(join(t.workspace, 'catalog.db'));
    const rowProgress = () => (other.prepare('SELECT progress FROM jobs WHERE id = ?').get(job.id) as { progress: number }).progress;
    // Filled in by the job's run(), which starts on the next turn.
    const hooks: { report?: InlineJobContext['onProgress']; finish?: () => void } = {};
    const job = t.app.jobs.startInline({
      kind: 'scenario',
      title: 'progress under a held lock',
      params: {},
      run: (ctx) => {
        hooks.report = ctx.onProgress;
        return new Promise<void>((resolve) => (hooks.finish = resolve));
      },
    });
    try {
      while (!hooks.report) await new Promise((r) => setImmediate(r));
      const seen: number[] = [];
      const off = t.api.jobs.onDidUpdate((j) => {
        if (j.id === job.id) seen.push(j.progress);
      });
      other.exec('BEGIN IMMEDIATE');
      // Waiting here for the lock (the busy timeout) blocked the host thread, and then threw SQLITE_BUSY.
      hooks.report(0.4, 'working');
      expect(seen.at(-1)).toBe(0.4);
      expect(t.app.jobs.get(job.id).progress).toBe(0.4);
      expect(t.app.jobs.list(5).find((j) => j.id === job.id)?.progress).toBe(0.4);
      expect(rowProgress()).toBe(0);
      other.exec('COMMIT');
      hooks.report(0.6, 'working');
      expect(rowProgress()).toBe(0.6);
      off();
      hooks.finish?.();
      expect((await t.app.jobs.wait(job.id)).state).toBe('succeeded');
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await t.close();
    }
  });

  it('cancel stops a running import and publishes nothing', async () => {
    const t = await openTestApp();
    try {
      const { jobId } = await t.api.catalog.importFile({ path: bigCsv });
      await new Promise<void>((resolve) => {
        const off = t.api.jobs.onDidUpdate((job) => {
          if (job.id === jobId && job.progress > 0.1) {
            off();
            resolve();
          }
        });
      });
      await t.api.jobs.cancelJob({ jobId });
      const job = await t.app.jobs.wait(jobId);
      expect(job.state).toBe('cancelled');
      expect(job.error?.code).toBe('E_CANCELLED');
      expect(await t.api.catalog.listDatasets({})).toEqual([]);
      expect(inspect(t.workspace).staging).toBe(0);
    } finally {
      await t.close();
    }
  });
});
