/** The fairness domain: audits and mitigations as jobs, stored with lineage to the version (and model) and audited. */
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Implements } from '../../shared/contract/procedure.js';
import type { fairness } from '../../shared/contract/fairness.js';
import type { AuditRecord, AuditRequest, AuditSummary, MitigateRequest, Mitigation, PrivacyComparison, PrivacyComparisonRequest, ReweighResult } from '../../shared/model/fairness.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { ModelsRepo } from '../catalog/models-repo.js';
import { FairnessRepo } from '../catalog/fairness-repo.js';
import { appendAudit, canonicalJson } from '../catalog/audit-log.js';
import { quoteIdent } from '../catalog/connection.js';
import { newId, nowIso, stagingTableName, versionTableName } from '../catalog/ids.js';
import type { EventBus } from '../transport/event-bus.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { FairnessJobParams, FairnessJobResult, ReweighJobResult } from '../jobs/fairness-job.js';

export class FairnessService implements Implements<typeof fairness> {
  private readonly datasets: DatasetsRepo;
  private readonly models: ModelsRepo;
  private readonly audits: FairnessRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly workspace: string,
    private readonly actor: string,
    private readonly events: EventBus,
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

  reweigh(input: { auditId: string; seed: number }): { jobId: string } {
    const parent = this.audits.get(input.auditId);
    const version = this.datasets.getVersion(parent.versionId);
    const dataset = this.datasets.getDataset(version.datasetId);
    const jobId = newId('job');
    const stagingTable = stagingTableName(jobId);
    const params: FairnessJobParams = {
      mode: 'reweigh',
      request: parent.request,
      sourceTable: version.tableName,
      columns: version.columns.map((c) => ({ name: c.name, type: c.type })),
      stagingTable,
      seed: input.seed,
    };
    this.jobs.start(
      {
        kind: 'fairness',
        title: `reweighing · ${parent.request.sensitive.join(' × ')} · ${dataset.name} v${version.number}`,
        worker: 'fairness.worker.mjs',
        params,
        stagingTable,
        publish: (raw) => this.publishReweighed(parent, version, stagingTable, raw as ReweighJobResult, input.seed),
      },
      jobId,
    );
    return { jobId };
  }

  /** The resampled rows become a new version of the dataset, with lineage to the audited version and the audit. */
  private publishReweighed(parent: AuditRecord, version: ReturnType<DatasetsRepo['getVersion']>, stagingTable: string, result: ReweighJobResult, seed: number): ReweighResult {
    const versionId = newId('ver');
    const tableName = versionTableName(versionId);
    const contentHash = createHash('sha256').update(canonicalJson({ parent: version.contentHash, reweigh: parent.id, seed, rows: result.rows })).digest('hex');
    const now = nowIso();
    this.db.transaction(() => {
      this.db.exec(`ALTER TABLE ${quoteIdent(stagingTable)} RENAME TO ${quoteIdent(tableName)}`);
      this.datasets.insertVersion({
        id: versionId,
        datasetId: version.datasetId,
        parentId: version.id,
        operation: 'reweigh',
        params: { audit: parent.id, sensitive: parent.request.sensitive, label: parent.request.label, seed },
        tableName,
        rowCount: result.rows,
        columns: version.columns,
        contentHash,
      });
      const lineage = this.db.prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      lineage.run('version', versionId, 'version', version.id, 'reweigh', now);
      lineage.run('version', versionId, 'fairness_audit', parent.id, 'reweigh', now);
      appendAudit(this.db, { actor: this.actor, action: 'fairness.reweigh', target: versionId, details: { input: version.id, audit: parent.id, rows: result.rows, sensitive: parent.request.sensitive, seed } });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId: version.datasetId });
    return { versionId, rows: result.rows, weights: result.weights };
  }

  comparePrivacy(request: PrivacyComparisonRequest): { jobId: string } {
    const base = this.datasets.getVersion(request.versionId);
    const names = base.columns.map((c) => c.name);
    for (const c of [request.target, ...request.sensitive, ...request.features]) {
      if (!names.includes(c)) throw new XinzhiError('E_INVALID_INPUT', `No column ${c}`, { path: 'target', issue: `the version has no column “${c}”` });
    }
    const dataset = this.datasets.getDataset(base.datasetId);
    const anonymised = dataset.versions.filter((v) => v.operation === 'anonymise' && v.id !== base.id).sort((a, b) => a.number - b.number);
    const versions = [base, ...anonymised].map((v) => {
      const full = this.datasets.getVersion(v.id);
      return { versionId: v.id, number: v.number, operation: v.operation, sourceTable: full.tableName, columns: full.columns.map((c) => ({ name: c.name, type: c.type })) };
    });
    const params: FairnessJobParams = {
      mode: 'privacy',
      request: {
        versionId: base.id, label: request.target, sensitive: request.sensitive, threshold: 0.5, bootstrap: request.bootstrap, minGroupSize: request.minGroupSize,
        seed: request.seed, marginal: false, constraint: request.constraint, ...(request.positive !== undefined ? { positive: request.positive } : {}),
      },
      sourceTable: base.tableName,
      columns: versions[0]!.columns,
      privacy: { versions, target: request.target, features: request.features, family: request.family, epochs: request.epochs },
    };
    const jobId = newId('job');
    this.jobs.start(
      {
        kind: 'fairness',
        title: `privacy × utility × fairness · ${dataset.name} (${versions.length} versions)`,
        worker: 'fairness.worker.mjs',
        params,
        stagingTable: null,
        publish: (raw) => {
          const result = raw as PrivacyComparison;
          this.db.transaction(() => {
            appendAudit(this.db, {
              actor: this.actor,
              action: 'fairness.compare_privacy',
              target: base.id,
              details: { versions: result.rows.map((r) => ({ version: r.versionId, accuracy: r.accuracy, disparity: r.disparity })), constraint: result.constraint, sensitive: request.sensitive, family: request.family },
            });
          })();
          return result;
        },
      },
      jobId,
    );
    return { jobId };
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
    // A re-audit after reweighing names the audit it improves on.
    const reweighParent = mode === 'audit' && request.parentAuditId ? this.audits.get(request.parentAuditId) : null;
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
        publish: (raw) => this.store(request, raw as FairnessJobResult, model?.id ?? null, mitigation?.parent ?? reweighParent, `${dataset.name} v${version.number}`),
      },
      jobId,
    );
    return { jobId };
  }

  /** The audit row, its lineage (version, model, parent audit) and the audit-log entry, in one transaction. */
  private store(request: AuditRequest, job: FairnessJobResult, modelId: string | null, parent: AuditRecord | null, where: string): { auditId: string } {
    const id = `fa_${randomBytes(6).toString('hex')}`;
    const createdAt = nowIso();
    const kind: AuditRecord['kind'] = job.mitigation ? 'threshold' : parent ? 'reweighing' : 'audit';
    let mitigation: Mitigation | null = job.mitigation;
    if (kind === 'reweighing' && parent) {
      // Before/after on the parent's trade-off disparity (demographic parity or equalized odds) and accuracy.
      const pick = (r: AuditRecord['result']) => (parent.request.constraint === 'demographic_parity' ? r.disparities.demographicParityDifference : r.disparities.equalizedOddsDifference);
      const model = request.modelId ? this.models.get(request.modelId) : null;
      mitigation = {
        method: 'reweighing',
        constraint: parent.request.constraint,
        tolerance: 0,
        thresholds: [],
        defaultThreshold: request.threshold,
        scoreColumn: '',
        ...(model ? { trainingVersionId: model.versionId } : {}),
        before: { accuracy: parent.result.overall.accuracy, disparity: pick(parent.result) },
        after: { accuracy: job.result.overall.accuracy, disparity: pick(job.result) },
      };
    }
    const record: AuditRecord = {
      id,
      name: request.name ?? `${kind === 'threshold' ? 'Threshold optimiser' : kind === 'reweighing' ? 'Reweighing' : 'Fairness'} · ${request.sensitive.join(' × ')} · ${where}`,
      kind,
      versionId: request.versionId,
      modelId,
      parentAuditId: parent?.id ?? null,
      request,
      positive: job.positive,
      rows: job.rows,
      excludedRows: job.excludedRows,
      result: job.result,
      tradeoff: job.tradeoff,
      mitigation,
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
          ...(mitigation ? { method: mitigation.method, constraint: mitigation.constraint, before: mitigation.before, after: mitigation.after } : {}),
        },
      });
    })();
    return { auditId: id };
  }
}
