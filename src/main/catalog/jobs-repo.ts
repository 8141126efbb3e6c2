/** Job records: every long piece of work leaves a row that survives restarts. */
import type { Db } from './connection.js';
import { quoteIdent } from './connection.js';
import type { Job, JobKind, JobState } from '../../shared/model/jobs.js';
import type { ErrorInfo } from '../../shared/model/errors.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { nowIso } from './ids.js';

interface JobRow {
  id: string;
  kind: string;
  title: string;
  state: string;
  progress: number;
  message: string;
  counters: string;
  eta_ms: number | null;
  params: string;
  result: string | null;
  error: string | null;
  staging_table: string | null;
  owner_pid: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind as JobKind,
  title: r.title,
  state: r.state as JobState,
  progress: r.progress,
  message: r.message,
  counters: JSON.parse(r.counters) as Record<string, number>,
  etaMs: r.eta_ms,
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  error: r.error === null ? null : (JSON.parse(r.error) as ErrorInfo),
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export class JobsRepo {
  constructor(private readonly db: Db) {}

  insert(job: { id: string; kind: JobKind; title: string; params: unknown; stagingTable: string | null }): Job {
    this.db
      .prepare(`INSERT INTO jobs (id, kind, title, state, params, staging_table, owner_pid, created_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?)`)
      .run(job.id, job.kind, job.title, JSON.stringify(job.params), job.stagingTable, process.pid, nowIso());
    return this.get(job.id);
  }

  get(id: string): Job {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!r) throw new XinzhiError('E_NOT_FOUND', `Job ${id} not found`, { what: 'Job', id });
    return toJob(r);
  }

  list(limit: number): Job[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as JobRow[]).map(toJob);
  }

  markRunning(id: string): void {
    this.db.prepare(`UPDATE jobs SET state = 'running', started_at = ? WHERE id = ?`).run(nowIso(), id);
  }

  updateProgress(id: string, progress: number, message: string, counters: Record<string, number>, etaMs: number | null): void {
    this.db.prepare('UPDATE jobs SET progress = ?, message = ?, counters = ?, eta_ms = ? WHERE id = ?').run(progress, message, JSON.stringify(counters), etaMs, id);
  }

  finish(id: string, state: Exclude<JobState, 'queued' | 'running'>, outcome: { result?: unknown; error?: ErrorInfo }): void {
    this.db
      .prepare('UPDATE jobs SET state = ?, result = ?, error = ?, finished_at = ?, eta_ms = NULL, progress = CASE WHEN ? THEN 1 ELSE progress END WHERE id = ?')
      .run(
        state,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error === undefined ? null : JSON.stringify(outcome.error),
        nowIso(),
        state === 'succeeded' ? 1 : 0,
        id,
      );
  }

  /**
   * At start-up: jobs a previous process left queued or running can never finish. Mark them interrupted and
   * drop their staging tables, so nothing half-written survives.
   */
  recoverInterrupted(): Job[] {
    // Another live process (the CLI beside a browser-mode server, say) may own running jobs: leave those alone.
    const stale = (this.db.prepare(`SELECT * FROM jobs WHERE state IN ('queued', 'running')`).all() as JobRow[]).filter(
      (r) => r.owner_pid === null || r.owner_pid === process.pid || !isAlive(r.owner_pid),
    );
    const error: ErrorInfo = { code: 'E_INTERRUPTED', message: 'Interrupted by a shutdown or crash' };
    this.db.transaction(() => {
      for (const r of stale) {
        if (r.staging_table) this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(r.staging_table)}`);
        this.finish(r.id, 'interrupted', { error });
      }
      // Staging tables whose job row never got written (a crash between the two) go too.
      const orphans = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stg\\_%' ESCAPE '\\'`).all() as { name: string }[];
      const active = new Set((this.db.prepare(`SELECT staging_table FROM jobs WHERE state IN ('queued','running')`).all() as { staging_table: string | null }[]).map((r) => r.staging_table));
      for (const o of orphans) if (!active.has(o.name)) this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(o.name)}`);
    })();
    return stale.map((r) => this.get(r.id));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
