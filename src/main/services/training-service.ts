/** The training domain: train a model on a version in a worker, and register it with its files and lineage. */
import { mkdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Implements } from '../../shared/contract/procedure.js';
import type { training } from '../../shared/contract/training.js';
import type { ModelRecord, TrainRequest } from '../../shared/model/training.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { ModelsRepo } from '../catalog/models-repo.js';
import { appendAudit, canonicalJson } from '../catalog/audit-log.js';
import { newId, nowIso, stagingTableName, versionTableName } from '../catalog/ids.js';
import { quoteIdent } from '../catalog/connection.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { TrainJobParams, TrainResult } from '../jobs/train-job.js';
import type { ScoreJobParams, ScoreResult } from '../jobs/score-job.js';
import type { EventBus } from '../transport/event-bus.js';

export class TrainingService implements Implements<typeof training> {
  private readonly datasets: DatasetsRepo;
  private readonly models: ModelsRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly workspace: string,
    private readonly actor: string,
    private readonly events: EventBus,
  ) {
    this.datasets = new DatasetsRepo(db);
    this.models = new ModelsRepo(db);
  }

  trainModel(request: TrainRequest): { jobId: string } {
    const version = this.datasets.getVersion(request.versionId);
    const names = version.columns.map((c) => c.name);
    for (const column of [request.target, ...request.features]) {
      if (!names.includes(column)) throw new XinzhiError('E_INVALID_INPUT', `No column ${column}`, { path: 'target', issue: `the version has no column “${column}”` });
    }
    const modelId = newId('mdl');
    const modelDir = join(this.workspace, 'models', modelId);
    mkdirSync(modelDir, { recursive: true });
    const params: TrainJobParams = {
      sourceTable: version.tableName,
      columns: version.columns.map((c) => ({ name: c.name, type: c.type })),
      target: request.target,
      features: request.features,
      family: request.family,
      epochs: request.epochs,
      batchSize: request.batchSize,
      learningRate: request.learningRate,
      seed: request.seed,
      ...(request.backend ? { forcedBackend: request.backend } : {}),
      modelDir,
    };
    const dataset = this.datasets.getDataset(version.datasetId);
    const jobId = newId('job');
    this.jobs.start(
      {
        kind: 'train',
        title: `${request.family} → ${request.target} · ${dataset.name} v${version.number}`,
        worker: 'train.worker.mjs',
        params,
        stagingTable: null,
        publish: (result) => this.register(modelId, request, dataset.name, request.features.length ? request.features : names.filter((n) => n !== request.target), result as TrainResult),
        onFailed: () => rmSync(modelDir, { recursive: true, force: true }),
      },
      jobId,
    );
    return { jobId };
  }

  /** The model row, its lineage to the version and the audit entry, in one transaction. */
  private register(modelId: string, request: TrainRequest, datasetName: string, features: string[], result: TrainResult): ModelRecord {
    const record: ModelRecord = {
      id: modelId,
      name: request.name ?? `${datasetName} · ${request.target} (${request.family})`,
      family: request.family,
      versionId: request.versionId,
      target: request.target,
      features,
      params: { epochs: request.epochs, batchSize: request.batchSize, learningRate: request.learningRate, seed: request.seed, backendsTried: result.backendsTried, history: result.history, rows: result.rows, featureSpec: result.featureSpec },
      metrics: result.metrics,
      backend: result.backend,
      trainMs: Math.round(result.trainMs),
      sizeBytes: result.sizeBytes,
      files: result.files,
      createdAt: nowIso(),
    };
    this.db.transaction(() => {
      this.models.insert(record);
      this.db
        .prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run('model', modelId, 'version', request.versionId, 'train', record.createdAt);
      appendAudit(this.db, {
        actor: this.actor,
        action: 'model.train',
        target: modelId,
        details: { version: request.versionId, family: request.family, target: request.target, backend: result.backend, metrics: result.metrics, files: result.files },
      });
    })();
    return record;
  }

  predict(input: { modelId: string; versionId: string }): { jobId: string } {
    return this.score('predict', input.modelId, input.versionId);
  }

  evaluate(input: { modelId: string; versionId: string }): { jobId: string } {
    return this.score('evaluate', input.modelId, input.versionId);
  }

  private score(mode: 'predict' | 'evaluate', modelId: string, versionId: string): { jobId: string } {
    const model = this.models.get(modelId);
    const version = this.datasets.getVersion(versionId);
    const jobId = newId('job');
    const stagingTable = mode === 'predict' ? stagingTableName(jobId) : null;
    const params: ScoreJobParams = {
      mode,
      modelDir: join(this.workspace, 'models', model.id),
      family: model.family,
      sourceTable: version.tableName,
      columns: version.columns.map((c) => ({ name: c.name, type: c.type })),
      ...(stagingTable ? { stagingTable } : {}),
    };
    this.jobs.start(
      {
        kind: 'score',
        title: `${mode} · ${model.name} · v${version.number}`,
        worker: 'score.worker.mjs',
        params,
        stagingTable,
        publish: (raw) => {
          const result = raw as ScoreResult;
          if (mode === 'evaluate') {
            this.db.transaction(() => {
              appendAudit(this.db, { actor: this.actor, action: 'model.evaluate', target: model.id, details: { version: versionId, metrics: result.metrics ?? {}, rows: result.rows } });
            })();
            return { metrics: result.metrics ?? {}, rows: result.rows };
          }
          return this.publishPredictions(model.id, version, stagingTable!, result);
        },
      },
      jobId,
    );
    return { jobId };
  }

  /** The scored rows become a new version of the input's dataset, with lineage to the input and the model. */
  private publishPredictions(modelId: string, version: ReturnType<DatasetsRepo['getVersion']>, stagingTable: string, result: ScoreResult): { versionId: string; rows: number } {
    const versionId = newId('ver');
    const tableName = versionTableName(versionId);
    const columns = result.columns ?? [];
    const contentHash = createHash('sha256').update(canonicalJson({ parent: version.contentHash, model: modelId, columns: columns.map((c) => [c.name, c.type]), rows: result.rows })).digest('hex');
    this.db.transaction(() => {
      this.db.exec(`ALTER TABLE ${quoteIdent(stagingTable)} RENAME TO ${quoteIdent(tableName)}`);
      this.datasets.insertVersion({ id: versionId, datasetId: version.datasetId, parentId: version.id, operation: 'predict', params: { model: modelId }, tableName, rowCount: result.rows, columns, contentHash });
      const lineage = this.db.prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      const now = nowIso();
      lineage.run('version', versionId, 'version', version.id, 'predict', now);
      lineage.run('version', versionId, 'model', modelId, 'scored-by', now);
      appendAudit(this.db, { actor: this.actor, action: 'model.predict', target: versionId, details: { model: modelId, input: version.id, rows: result.rows } });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId: version.datasetId });
    return { versionId, rows: result.rows };
  }

  listModels(input: { versionId?: string | undefined }) {
    return this.models.list(input.versionId);
  }

  getModel(input: { modelId: string }) {
    return this.models.get(input.modelId);
  }
}
