/**
 * The reports domain: a report is made by a job (worker: gather → document → PDF), then recorded in one transaction:
 * the file moved under the workspace's reports/, a catalog row with its sha256, a lineage edge to its subject and an
 * audit entry.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Implements } from '../../shared/contract/procedure.js';
import type { reports } from '../../shared/contract/reports.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { GenerateReport, ReportKind, ReportRecord } from '../../shared/model/reports.js';
import type { Db } from '../catalog/connection.js';
import { appendAudit } from '../catalog/audit-log.js';
import { newId, nowIso } from '../catalog/ids.js';
import { ReportsRepo, newReportId } from '../catalog/reports-repo.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { ReportJobParams, StagedReport } from '../jobs/report-job.js';
import { prepareReport, reportKindsAvailable } from '../reports/index.js';
import { translate } from '../../shared/i18n/index.js';

export interface ReportsServiceConfig {
  workspace: string;
  appRoot: string;
  appVersion: string;
}

export class ReportsService implements Implements<typeof reports> {
  private readonly repo: ReportsRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly actor: string,
    private readonly config: ReportsServiceConfig,
  ) {
    this.repo = new ReportsRepo(db);
  }

  generate(input: GenerateReport): { jobId: string } {
    // Reads the subject now, so a wrong id or kind fails at once with a clear error, before any job starts.
    const prepared = prepareReport(this.db, input.kind, input.subjectId);
    const generatedAt = new Date(input.at ?? nowIso()).toISOString();
    const reportsDir = join(this.config.workspace, 'reports');
    mkdirSync(reportsDir, { recursive: true });
    const jobId = newId('job');
    const stagingPath = join(reportsDir, `.staging-${jobId}.pdf`);
    const params: ReportJobParams = {
      kind: input.kind,
      subjectId: input.subjectId,
      lang: input.lang,
      generatedAt,
      workspace: this.config.workspace,
      appVersion: this.config.appVersion,
      appRoot: this.config.appRoot,
      stagingPath,
    };
    this.jobs.start(
      {
        kind: 'report',
        title: `${translate(input.lang, `ui.reports.pdf.titles.${input.kind}`)} · ${prepared.subject}`,
        worker: 'report.worker.mjs',
        params,
        stagingTable: null,
        publish: (staged) => this.publish(input, generatedAt, stagingPath, prepared.parents, staged as StagedReport),
        onFailed: () => rmSync(stagingPath, { force: true }),
      },
      jobId,
    );
    return { jobId };
  }

  private publish(input: GenerateReport, generatedAt: string, stagingPath: string, parents: { kind: string; id: string }[], staged: StagedReport): ReportRecord {
    const id = newReportId();
    const relative = `reports/${id}.pdf`;
    const record: ReportRecord = { id, kind: input.kind, subjectId: input.subjectId, lang: input.lang, path: relative, sha256: staged.sha256, pages: staged.pages, bytes: staged.bytes, generatedAt, createdAt: nowIso() };
    renameSync(stagingPath, join(this.config.workspace, relative));
    try {
      this.db.transaction(() => {
        this.repo.insert(record);
        const link = this.db.prepare('INSERT OR IGNORE INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)');
        for (const parent of parents) link.run('report', id, parent.kind, parent.id, 'report', record.createdAt);
        appendAudit(this.db, {
          actor: this.actor,
          action: 'report.generate',
          target: id,
          details: { kind: input.kind, subject: input.subjectId, lang: input.lang, sha256: staged.sha256, pages: staged.pages, generatedAt },
        });
      })();
    } catch (err) {
      rmSync(join(this.config.workspace, relative), { force: true });
      throw err;
    }
    return record;
  }

  listReports(input: { subjectId?: string | undefined }): ReportRecord[] {
    return this.repo.list(input.subjectId);
  }

  getReport(input: { reportId: string }): ReportRecord {
    return this.repo.get(input.reportId);
  }

  /** The report's file on disk (for the browser-mode download route). */
  reportFile(reportId: string): { path: string; record: ReportRecord } {
    const record = this.repo.get(reportId);
    const path = join(this.config.workspace, record.path);
    if (!existsSync(path)) throw new XinzhiError('E_FILE_NOT_FOUND', `Report file ${record.path} is missing`, { file: record.path });
    return { path, record };
  }

  saveReport(input: { reportId: string; path: string }): { path: string; bytes: number } {
    const { path: source } = this.reportFile(input.reportId);
    const target = resolve(input.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    return { path: target, bytes: statSync(target).size };
  }

  availableKinds(): ReportKind[] {
    return reportKindsAvailable();
  }
}
