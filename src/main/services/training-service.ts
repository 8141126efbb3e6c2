/** The training domain: train a model on a version in a worker, and register it with its files and lineage. */
import { mkdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Implements } from '../../shared/contract/procedure.js';
import type { training } from '../../shared/contract/training.js';
import type { CompressRequest, Explanation, FamilySuggestion, ModelRecord, ModelTask, TrainRequest } from '../../shared/model/training.js';
import { suggestFamilies, type ColumnFacts } from '../core/ml/tasks.js';
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
import type { CompressJobParams, CompressResult, ExplainJobParams } from '../jobs/explain-job.js';
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
    for (const [path, column] of [['target', request.target], ['features', ...request.features], ['userColumn', request.userColumn ?? ''], ['itemColumn', request.itemColumn ?? '']] as const) {
      if (column !== '' && column !== undefined && !names.includes(column)) throw new XinzhiError('E_INVALID_INPUT', `No column ${column}`, { path, issue: `the version has no column “${column}”` });
    }
    for (const name of request.features) {
      if (name === request.target) throw new XinzhiError('E_INVALID_INPUT', `The target ${name} cannot be a feature`, { path: 'features', issue: `“${name}” is the target` });
    }
    const supervised = !['kmeans', 'dbscan', 'anomaly'].includes(request.family);
    if (supervised && request.family !== 'auto' && request.target === '') throw new XinzhiError('E_INVALID_INPUT', 'Choose a target column', { path: 'target', issue: `the ${request.family} family needs a target column` });
    // Recommenders: the user and item columns default to the ones the suggestion recognises by name.
    let { userColumn, itemColumn } = request;
    if ((request.family === 'mf' || request.family === 'embedding') && (!userColumn || !itemColumn)) {
      const pick = this.suggestions(version, request.target).suggestions.find((s) => s.family === 'mf');
      userColumn ??= typeof pick?.params.user === 'string' ? pick.params.user : undefined;
      itemColumn ??= typeof pick?.params.item === 'string' ? pick.params.item : undefined;
      if (!userColumn || !itemColumn) throw new XinzhiError('E_INVALID_INPUT', 'Choose the user and item columns', { path: 'userColumn', issue: 'a recommender needs the user and item id columns' });
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
      ...(request.learningRate !== undefined ? { learningRate: request.learningRate } : {}),
      seed: request.seed,
      hyper: request.hyper,
      ...(userColumn ? { userColumn } : {}),
      ...(itemColumn ? { itemColumn } : {}),
      ...(request.patience !== undefined ? { patience: request.patience } : {}),
      ...(request.threshold !== undefined ? { threshold: request.threshold } : {}),
      ...(request.folds !== undefined ? { folds: request.folds } : {}),
      ...(request.search ? { search: request.search, trials: request.trials } : {}),
      ...(request.searchSpace ? { searchSpace: request.searchSpace } : {}),
      ...(request.backend ? { forcedBackend: request.backend } : {}),
      modelDir,
    };
    const dataset = this.datasets.getDataset(version.datasetId);
    const jobId = newId('job');
    const pairColumns = [userColumn, itemColumn].filter((c): c is string => Boolean(c));
    const features = request.features.length ? request.features : names.filter((n) => n !== request.target && !pairColumns.includes(n));
    this.jobs.start(
      {
        kind: 'train',
        title: `${request.family} → ${request.target || '—'} · ${dataset.name} v${version.number}`,
        worker: 'train.worker.mjs',
        params,
        stagingTable: null,
        publish: (result) => this.register(modelId, request, dataset.name, features, result as TrainResult),
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
      name: request.name ?? `${datasetName} · ${request.target || result.task} (${result.family})`,
      family: result.family,
      task: result.task,
      versionId: request.versionId,
      target: request.target,
      features,
      params: {
        epochs: request.epochs,
        batchSize: request.batchSize,
        learningRate: typeof result.hyper.learningRate === 'number' ? result.hyper.learningRate : request.learningRate,
        seed: request.seed,
        hyper: result.hyper,
        requested: request.family,
        ...(request.patience !== undefined ? { patience: request.patience } : {}),
        ...(request.search ? { search: request.search } : {}),
        backendsTried: result.backendsTried,
        rows: result.rows,
        featureNames: result.featureSpec.featureNames,
      },
      metrics: result.metrics,
      backend: result.backend,
      trainMs: Math.round(result.trainMs),
      sizeBytes: result.sizeBytes,
      files: result.files,
      report: result.report,
      parentModelId: null,
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
        details: { version: request.versionId, family: result.family, task: result.task, target: request.target, backend: result.backend, metrics: result.metrics, files: result.files },
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

  suggestFamilies(input: { versionId: string; target: string }): { task: ModelTask | null; suggestions: FamilySuggestion[] } {
    return this.suggestions(this.datasets.getVersion(input.versionId), input.target);
  }

  /** Column facts from SQL (distinct target values, mean text length of a sample), then the pure rules of core/ml/tasks. */
  private suggestions(version: ReturnType<DatasetsRepo['getVersion']>, target: string): { task: ModelTask | null; suggestions: FamilySuggestion[] } {
    const table = quoteIdent(version.tableName);
    const columns: ColumnFacts[] = version.columns.map((c) => {
      if (c.type !== 'text') return { name: c.name, type: c.type };
      const col = quoteIdent(c.name);
      const mean = this.db.prepare(`SELECT AVG(LENGTH(${col})) FROM (SELECT ${col} FROM ${table} WHERE ${col} IS NOT NULL LIMIT 500)`).pluck().get() as number | null;
      return { name: c.name, type: c.type, meanLength: mean ?? 0 };
    });
    if (target !== '' && !version.columns.some((c) => c.name === target)) throw new XinzhiError('E_INVALID_INPUT', `No column ${target}`, { path: 'target', issue: `the version has no column “${target}”` });
    const targetFacts =
      target === ''
        ? null
        : {
            type: version.columns.find((c) => c.name === target)?.type ?? 'text',
            distinct: Number(this.db.prepare(`SELECT COUNT(DISTINCT ${quoteIdent(target)}) FROM ${table}`).pluck().get() ?? 0),
          };
    return suggestFamilies(columns, target, targetFacts);
  }

  deleteModel(input: { modelId: string }): { deleted: boolean } {
    const model = this.models.get(input.modelId);
    this.db.transaction(() => {
      this.models.delete(model.id);
      appendAudit(this.db, { actor: this.actor, action: 'model.delete', target: model.id, details: { name: model.name, family: model.family } });
    })();
    rmSync(join(this.workspace, 'models', model.id), { recursive: true, force: true });
    return { deleted: true };
  }

  explain(input: { modelId: string; versionId?: string | undefined; rows: number[] }): { jobId: string } {
    const model = this.models.get(input.modelId);
    const version = this.datasets.getVersion(input.versionId ?? model.versionId);
    const params: ExplainJobParams = {
      modelDir: join(this.workspace, 'models', model.id),
      family: model.family,
      sourceTable: version.tableName,
      columns: version.columns.map((c) => ({ name: c.name, type: c.type })),
      rows: input.rows,
      seed: typeof model.params.seed === 'number' ? model.params.seed : 42,
    };
    const jobId = newId('job');
    this.jobs.start(
      {
        kind: 'explain',
        title: `explain · ${model.name} · v${version.number}`,
        worker: 'explain.worker.mjs',
        params,
        stagingTable: null,
        publish: (raw) => {
          const explanation = { ...(raw as Omit<Explanation, 'versionId'>), versionId: version.id } as Explanation;
          this.db.transaction(() => {
            this.models.updateReport(model.id, { ...this.models.get(model.id).report, explanation });
            appendAudit(this.db, { actor: this.actor, action: 'model.explain', target: model.id, details: { version: version.id, metric: explanation.metric, method: explanation.contributionMethod } });
          })();
          return explanation;
        },
      },
      jobId,
    );
    return { jobId };
  }

  compress(request: CompressRequest): { jobId: string } {
    const model = this.models.get(request.modelId);
    if (request.quantize === 'none' && request.prune === 0) throw new XinzhiError('E_INVALID_INPUT', 'Choose a quantisation or a pruning level', { path: 'quantize', issue: 'nothing to compress: quantize is none and prune is 0' });
    const version = this.datasets.getVersion(model.versionId);
    const newModelId = newId('mdl');
    const modelDir = join(this.workspace, 'models', newModelId);
    mkdirSync(modelDir, { recursive: true });
    const params: CompressJobParams = {
      sourceDir: join(this.workspace, 'models', model.id),
      modelDir,
      family: model.family,
      sourceTable: version.tableName,
      columns: version.columns.map((c) => ({ name: c.name, type: c.type })),
      seed: typeof model.params.seed === 'number' ? model.params.seed : 42,
      batchSize: typeof model.params.batchSize === 'number' ? model.params.batchSize : 256,
      learningRate: typeof model.params.learningRate === 'number' ? model.params.learningRate : 0.001,
      quantize: request.quantize,
      prune: request.prune,
      fineTuneEpochs: request.fineTuneEpochs,
    };
    const jobId = newId('job');
    this.jobs.start(
      {
        kind: 'compress',
        title: `compress · ${model.name}`,
        worker: 'compress.worker.mjs',
        params,
        stagingTable: null,
        publish: (raw) => {
          const result = raw as CompressResult;
          const record: ModelRecord = {
            ...model,
            id: newModelId,
            name: `${model.name} · ${[request.quantize !== 'none' ? request.quantize : '', request.prune > 0 ? `pruned ${Math.round(request.prune * 100)}%` : ''].filter(Boolean).join(', ')}`,
            params: { ...model.params, compression: { quantize: request.quantize, prune: request.prune, fineTuneEpochs: request.fineTuneEpochs } },
            metrics: result.metrics,
            sizeBytes: result.sizeBytes,
            files: result.files,
            report: {
              history: model.report.history,
              ...(model.report.classes ? { classes: model.report.classes } : {}),
              ...(result.confusion ? { confusion: result.confusion } : {}),
              ...(result.roc ? { roc: result.roc } : {}),
              compression: {
                quantize: request.quantize,
                prune: request.prune,
                sparsity: result.sparsity,
                originalModelId: model.id,
                originalSizeBytes: result.originalSizeBytes,
                originalMetrics: result.originalMetrics,
                latencyMs: result.latencyMs,
                originalLatencyMs: result.originalLatencyMs,
              },
            },
            parentModelId: model.id,
            createdAt: nowIso(),
          };
          this.db.transaction(() => {
            this.models.insert(record);
            this.db
              .prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)')
              .run('model', newModelId, 'model', model.id, 'compress', record.createdAt);
            appendAudit(this.db, { actor: this.actor, action: 'model.compress', target: newModelId, details: { from: model.id, quantize: request.quantize, prune: request.prune, sizeBytes: result.sizeBytes, files: result.files } });
          })();
          return { modelId: newModelId, sizeBytes: result.sizeBytes, originalSizeBytes: result.originalSizeBytes, metrics: result.metrics, originalMetrics: result.originalMetrics, latencyMs: result.latencyMs, originalLatencyMs: result.originalLatencyMs, sparsity: result.sparsity };
        },
        onFailed: () => rmSync(modelDir, { recursive: true, force: true }),
      },
      jobId,
    );
    return { jobId };
  }

  listModels(input: { versionId?: string | undefined }) {
    return this.models.list(input.versionId);
  }

  getModel(input: { modelId: string }) {
    return this.models.get(input.modelId);
  }
}
