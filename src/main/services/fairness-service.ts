/** The fairness domain: audits and mitigations as jobs, stored with lineage to the version (and model) and audited. */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Implements } from '../../shared/contract/procedure.js';
import type { fairness } from '../../shared/contract/fairness.js';
import type { AuditRecord, AuditRequest, AuditSummary, MitigateRequest } from '../../shared/model/fairness.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { ModelsRepo } from '../catalog/models-repo.js';
import { FairnessRepo } from '../catalog/fairness-repo.js';
import { appendAudit } from '../catalog/audit-log.js';
import { newId, nowIso } from '../catalog/ids.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { FairnessJobParams, FairnessJobResult } from '../jobs/fairness-job.js';

export class FairnessService implements Implements<typeof fairness> {
  private readonly datasets: DatasetsRepo;
  private readonly models: ModelsRepo;
  private readonly audits: FairnessRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly workspace: string,
    private readonly actor: string,
  ) {
    this.datasets = new DatasetsRepo(db);
    this.models = new ModelsRepo(db);
    this.audits = new FairnessRepo(db);
  }

  audit(request: AuditRequest): { jobId: string } {
    return this.start('audit', request, null);
  }

  mitigate(input: MitigateRequest): { jobId: string } {
    const parent = this.audits.get(input.auditId);
    if (!parent.request.score && !parent.modelId) {
      throw new XinzhiError('E_INVALID_INPUT', 'The threshold optimiser needs scores', { path: 'auditId', issue: 'the audit has no score column or model to move thresholds on' });
    }
    return this.start('threshold', parent.request, { parent, constraint: input.constraint, tolerance: input.tolerance });
  }

  listAudits(input: { versionId?: string }): AuditSummary[] {
    return this.audits.list(input.versionId);
  }

  getAudit(input: { auditId: string }): AuditRecord {
    return this.audits.get(input.auditId);
  }

  private start(mode: FairnessJobParams['mode'], request: AuditRequest, mitigation: { parent: AuditRecord; constraint: MitigateRequest['constraint']; tolerance: number } | null): { jobId: string } {
    const version = this.datasets.getVersion(request.versionId);
    const names = version.columns.map((c) => c.name);
    for (const [path, column] of [['label', request.label], ['prediction', request.prediction], ['score', request.score], ...request.sensitive.map((s) => ['sensitive', s] as const)] as const) {
      if (column !== undefined && !names.includes(column)) throw new XinzhiError('E_INVALID_INPUT', `No column ${column}`, { path, issue: `the version has no column “${column}”` });
    }
    if (new Set(request.sensitive).size !== request.sensitive.length || request.sensitive.includes(request.label)) {
      throw new XinzhiError('E_INVALID_INPUT', 'Sensitive columns must differ from each other and from the label', { path: 'sensitive', issue: 'sensitive columns must be distinct and not the label' });
    }
    if (!request.modelId && !request.prediction && !request.score) {
      throw new XinzhiError('E_INVALID_INPUT', 'Give a prediction column, a score column or a model', { path: 'prediction', issue: 'give a prediction column, a score column or a model' });
    }
    const model = request.modelId ? this.models.get(request.modelId) : null;
    const params: FairnessJobParams = {
      mode,
      request,
      sourceTable: version.tableName,
      columns: version.columns.map((c) => ({ name: c.name, type: c.type })),
      ...(model ? { model: { modelDir: join(this.workspace, 'models', model.id), family: model.family } } : {}),
      ...(mitigation ? { threshold: { constraint: mitigation.constraint, tolerance: mitigation.tolerance } } : {}),
    };
    const dataset = this.datasets.getDataset(version.datasetId);
    const jobId = newId('job');
    this.jobs.start(
      {
        kind: 'fairness',
        title: `${mode === 'audit' ? 'fairness' : 'threshold optimiser'} · ${request.sensitive.join(' × ')} · ${dataset.name} v${version.number}`,
        worker: 'fairness.worker.mjs',
        params,
        stagingTable: null,
        publish: (raw) => this.store(request, raw as FairnessJobResult, model?.id ?? null, mitigation?.parent ?? null, `${dataset.name} v${version.number}`),
      },
      jobId,
    );
    return { jobId };
  }

  /** The audit row, its lineage (version, model, parent audit) and the audit-log entry, in one transaction. */
  private store(request: AuditRequest, job: FairnessJobResult, modelId: string | null, parent: AuditRecord | null, where: string): { auditId: string } {
    const id = `fa_${randomBytes(6).toString('hex')}`;
    const createdAt = nowIso();
    const record: AuditRecord = {
      id,
      name: request.name ?? `${parent ? 'Threshold optimiser' : 'Fairness'} · ${request.sensitive.join(' × ')} · ${where}`,
      kind: parent ? 'threshold' : 'audit',
      versionId: request.versionId,
      modelId,
      parentAuditId: parent?.id ?? null,
      request,
      positive: job.positive,
      rows: job.rows,
      excludedRows: job.excludedRows,
      result: job.result,
      tradeoff: job.tradeoff,
      mitigation: job.mitigation,
      createdAt,
    };
    this.db.transaction(() => {
      this.audits.insert(record);
      const lineage = this.db.prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      lineage.run('fairness_audit', id, 'version', request.versionId, 'audit', createdAt);
      if (modelId) lineage.run('fairness_audit', id, 'model', modelId, 'audit', createdAt);
      if (parent) lineage.run('fairness_audit', id, 'fairness_audit', parent.id, 'mitigate', createdAt);
      // Aggregates only: group values (e.g. a race) never enter the log.
      const d = job.result.disparities;
      appendAudit(this.db, {
        actor: this.actor,
        action: parent ? 'fairness.mitigate' : 'fairness.audit',
        target: id,
        details: {
          version: request.versionId,
          model: modelId,
          parent: parent?.id ?? null,
          sensitive: request.sensitive,
          rows: job.rows,
          groups: job.result.groups.length,
          smallGroups: d.excludedSmallGroups.length,
          demographicParityDifference: d.demographicParityDifference,
          equalizedOddsDifference: d.equalizedOddsDifference,
          ...(job.mitigation ? { constraint: job.mitigation.constraint, before: job.mitigation.before, after: job.mitigation.after } : {}),
        },
      });
    })();
    return { auditId: id };
  }
}
