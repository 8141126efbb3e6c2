/** The model registry: one row per trained model; its weights are files under the workspace's models/<id>/. */
import type { Db } from './connection.js';
import { ModelReportSchema, type ModelRecord, type ModelReport } from '../../shared/model/training.js';
import { XinzhiError } from '../../shared/model/errors.js';

interface ModelRow {
  id: string;
  name: string;
  family: string;
  version_id: string;
  target: string;
  features: string;
  params: string;
  metrics: string;
  backend: string;
  train_ms: number;
  size_bytes: number;
  files: string;
  created_at: string;
  task: string;
  report: string;
  parent_model_id: string | null;
}

const toRecord = (r: ModelRow): ModelRecord => ({
  id: r.id,
  name: r.name,
  family: r.family as ModelRecord['family'],
  task: r.task as ModelRecord['task'],
  versionId: r.version_id,
  target: r.target,
  features: JSON.parse(r.features) as string[],
  params: JSON.parse(r.params) as Record<string, unknown>,
  metrics: JSON.parse(r.metrics) as Record<string, number>,
  backend: r.backend,
  trainMs: r.train_ms,
  sizeBytes: r.size_bytes,
  files: JSON.parse(r.files) as ModelRecord['files'],
  report: ModelReportSchema.parse(JSON.parse(r.report)),
  parentModelId: r.parent_model_id,
  createdAt: r.created_at,
});

export class ModelsRepo {
  constructor(private readonly db: Db) {}

  insert(m: ModelRecord): void {
    this.db
      .prepare(
        `INSERT INTO models (id, name, family, task, version_id, target, features, params, metrics, backend, train_ms, size_bytes, files, report, parent_model_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.id, m.name, m.family, m.task, m.versionId, m.target, JSON.stringify(m.features), JSON.stringify(m.params), JSON.stringify(m.metrics),
        m.backend, m.trainMs, m.sizeBytes, JSON.stringify(m.files), JSON.stringify(m.report), m.parentModelId, m.createdAt,
      );
  }

  /** Replaces the report (e.g. when an explanation is added); the rest of a model record never changes. */
  updateReport(id: string, report: ModelReport): void {
    const done = this.db.prepare('UPDATE models SET report = ? WHERE id = ?').run(JSON.stringify(report), id);
    if (done.changes === 0) throw new XinzhiError('E_NOT_FOUND', `Model ${id} not found`, { what: 'Model', id });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM models WHERE id = ?').run(id).changes > 0;
  }

  list(versionId?: string): ModelRecord[] {
    const rows = versionId
      ? (this.db.prepare('SELECT * FROM models WHERE version_id = ? ORDER BY created_at DESC').all(versionId) as ModelRow[])
      : (this.db.prepare('SELECT * FROM models ORDER BY created_at DESC').all() as ModelRow[]);
    return rows.map(toRecord);
  }

  get(id: string): ModelRecord {
    const row = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
    if (!row) throw new XinzhiError('E_NOT_FOUND', `Model ${id} not found`, { what: 'Model', id });
    return toRecord(row);
  }
}
