/**
 * The quality domain: profiles and rule checks of versions as worker jobs, stored per version; quality rules per
 * dataset; the 0–100 score computed on read (validity comes from the latest rule run on the version).
 *
 * Automatic runs: with `autoRun` (on in the desktop and browser hosts), the service listens to
 * `catalog.onDidChange` — which every operation that publishes a version emits (import, clean, anonymise,
 * predict) — and starts one profile job for each version of that dataset that has no profile yet. That job also
 * checks the dataset's rules, so rules run on every new version.
 */
import type { Implements } from '../../shared/contract/procedure.js';
import type { quality } from '../../shared/contract/quality.js';
import type { ColumnType } from '../../shared/model/catalog.js';
import type { ProfileReport, Rule, RuleRun, RuleSpec } from '../../shared/model/quality.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { QualityRepo } from '../catalog/quality-repo.js';
import { appendAudit } from '../catalog/audit-log.js';
import { newId, nowIso } from '../catalog/ids.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { QualityJobOutput, QualityJobParams } from '../jobs/quality-job.js';
import type { EventBus } from '../transport/event-bus.js';
import { qualityDimensions, qualityScore, compileRegex, compileRowPredicate } from '../core/quality/index.js';
import { columnFromCells } from '../core/profile/index.js';

export interface QualityServiceOptions {
  /** Profile (and check the rules of) every newly published version in the background. */
  autoRun: boolean;
}

export interface ProfileJobResult {
  versionId: string;
  qualityScore: number;
  alerts: number;
  rulesPassed: number | null;
  rulesFailed: number | null;
}

export class QualityService implements Implements<typeof quality> {
  private readonly datasets: DatasetsRepo;
  private readonly repo: QualityRepo;
  /** Versions with a profile job queued or running (so one change event does not start a second). */
  private readonly pending = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
    private readonly actor: string,
    options: QualityServiceOptions,
  ) {
    this.datasets = new DatasetsRepo(db);
    this.repo = new QualityRepo(db);
    if (options.autoRun) {
      events.subscribe((name, payload) => {
        if (name === 'catalog.onDidChange') this.profileNewVersions((payload as { datasetId: string }).datasetId);
      });
    }
  }

  /** Starts a profile job for each version of the dataset without a profile; errors stay in the background. */
  profileNewVersions(datasetId: string): string[] {
    const started: string[] = [];
    try {
      for (const versionId of this.repo.unprofiledVersions(datasetId)) {
        if (this.pending.has(versionId)) continue;
        started.push(this.startJob(versionId, true));
      }
    } catch {
      // A deleted dataset or a closing app: nothing to profile.
    }
    return started;
  }

  profileVersion(input: { versionId: string }): { jobId: string } {
    return { jobId: this.startJob(input.versionId, true) };
  }

  runRules(input: { versionId: string }): { jobId: string } {
    return { jobId: this.startJob(input.versionId, false) };
  }

  private startJob(versionId: string, profile: boolean): string {
    const version = this.datasets.getVersion(versionId);
    const dataset = this.datasets.getDataset(version.datasetId);
    const rules = this.repo.listRules(version.datasetId).map((r) => ({ id: r.id, spec: r.spec }));
    const params: QualityJobParams = { versionId, tableName: version.tableName, rowCount: version.rowCount, columns: version.columns, profile, rules };
    const jobId = newId('job');
    if (profile) this.pending.add(versionId);
    this.jobs.start(
      {
        kind: profile ? 'profile' : 'quality-rules',
        title: `${dataset.name} v${version.number}`,
        worker: 'quality.worker.mjs',
        params,
        stagingTable: null,
        publish: (output) => {
          this.pending.delete(versionId);
          return this.publish(version.datasetId, versionId, output as QualityJobOutput);
        },
        onFailed: () => this.pending.delete(versionId),
      },
      jobId,
    );
    return jobId;
  }

  /** One transaction: the profile and/or the rule run, and their audit entries (counts only, never values). */
  private publish(datasetId: string, versionId: string, output: QualityJobOutput): ProfileJobResult | RuleRun {
    let run: RuleRun | null = null;
    this.db.transaction(() => {
      if (output.profile) {
        this.repo.saveProfile({ ...output.profile, versionId, createdAt: nowIso() });
        appendAudit(this.db, {
          actor: this.actor,
          action: 'quality.profile',
          target: versionId,
          details: { rows: output.profile.rowCount, columns: output.profile.columns.length, alerts: output.profile.alerts.length, duplicateRows: output.profile.duplicateRows },
        });
      }
      if (output.ruleResults) {
        run = this.repo.insertRun(versionId, output.ruleResults);
        appendAudit(this.db, {
          actor: this.actor,
          action: 'quality.rules.run',
          target: versionId,
          details: { rules: output.ruleResults.map((r) => ({ rule: r.ruleId, passed: r.passed, failingRows: r.failingRows })) },
        });
      }
    })();
    this.events.emit('quality', 'onDidUpdate', { datasetId, versionId });
    if (!output.profile) {
      const stored = run as RuleRun | null;
      if (stored) return stored;
      const version = this.datasets.getVersion(versionId);
      return { id: 0, versionId, versionNumber: version.number, ranAt: nowIso(), passed: 0, failed: 0, results: [] };
    }
    const report = this.getProfile({ versionId })!;
    const ran = run as RuleRun | null;
    return {
      versionId,
      qualityScore: report.qualityScore,
      alerts: report.alerts.length,
      rulesPassed: ran ? ran.passed : null,
      rulesFailed: ran ? ran.failed : null,
    };
  }

  getProfile(input: { versionId: string }): ProfileReport | null {
    this.datasets.getVersion(input.versionId);
    const profile = this.repo.getProfile(input.versionId);
    if (!profile) return null;
    const run = this.repo.latestRun(input.versionId);
    const dimensions = qualityDimensions(profile, run ? run.results : null);
    return { ...profile, qualityScore: qualityScore(dimensions), dimensions };
  }

  listRules(input: { datasetId: string }): Rule[] {
    this.datasets.getDataset(input.datasetId);
    return this.repo.listRules(input.datasetId);
  }

  addRule(input: { datasetId: string; spec: RuleSpec }): Rule {
    const dataset = this.datasets.getDataset(input.datasetId);
    const latest = dataset.versions.at(-1);
    this.checkSpec(input.spec, latest?.columns ?? []);
    let rule!: Rule;
    this.db.transaction(() => {
      rule = this.repo.insertRule(input.datasetId, input.spec);
      appendAudit(this.db, { actor: this.actor, action: 'quality.rule.add', target: rule.id, details: { datasetId: input.datasetId, kind: input.spec.kind } });
    })();
    return rule;
  }

  /** Bad rules fail here, before they are stored: unknown columns, a regex or an expression that does not compile. */
  private checkSpec(spec: RuleSpec, columns: readonly { name: string; type: ColumnType }[]): void {
    if ('column' in spec && columns.length > 0 && !columns.some((c) => c.name === spec.column)) {
      throw new XinzhiError('E_INVALID_INPUT', `No column ${spec.column}`, { path: 'spec.column', issue: `the latest version has no column “${spec.column}”` });
    }
    if (spec.kind === 'matches') {
      try {
        compileRegex(spec.pattern);
      } catch (err) {
        throw new XinzhiError('E_INVALID_INPUT', 'Bad regular expression', { path: 'spec.pattern', issue: err instanceof Error ? err.message : String(err) });
      }
    }
    if (spec.kind === 'predicate') {
      // Compiling checks the syntax, the column names and the functions (E_EXPR_* errors with positions).
      compileRowPredicate(spec.expression, columns.map((c) => columnFromCells(c.name, c.type, [])));
    }
  }

  deleteRule(input: { ruleId: string }): { deleted: boolean } {
    const rule = this.repo.getRule(input.ruleId);
    this.db.transaction(() => {
      this.repo.deleteRule(input.ruleId);
      appendAudit(this.db, { actor: this.actor, action: 'quality.rule.delete', target: input.ruleId, details: { datasetId: rule.datasetId, kind: rule.spec.kind } });
    })();
    return { deleted: true };
  }

  getRuleHistory(input: { datasetId?: string | undefined; versionId?: string | undefined; limit: number }): RuleRun[] {
    if (!input.datasetId && !input.versionId) {
      throw new XinzhiError('E_INVALID_INPUT', 'Give a dataset or a version', { path: 'datasetId', issue: 'give datasetId or versionId' });
    }
    return this.repo.runs({ ...(input.datasetId ? { datasetId: input.datasetId } : {}), ...(input.versionId ? { versionId: input.versionId } : {}) }, input.limit);
  }
}
