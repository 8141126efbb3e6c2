/** Stored fairness audits: one row per audit or mitigation, the full result as JSON for pages and reports. */
import type { Db } from './connection.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { AuditRequestSchema, FairnessResultSchema, MitigationSchema, type AuditRecord, type AuditSummary, type TradeoffPoint } from '../../shared/model/fairness.js';

interface AuditRow {
  id: string;
  name: string;
  kind: string;
  version_id: string;
  model_id: string | null;
  parent_audit_id: string | null;
  request: string;
  positive: string;
  rows: number;
  excluded_rows: number;
  result: string;
  tradeoff: string | null;
  mitigation: string | null;
  created_at: string;
}

const toRecord = (r: AuditRow): AuditRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind as AuditRecord['kind'],
  versionId: r.version_id,
  modelId: r.model_id,
  parentAuditId: r.parent_audit_id,
  request: AuditRequestSchema.parse(JSON.parse(r.request)),
  positive: r.positive,
  rows: r.rows,
  excludedRows: r.excluded_rows,
  result: FairnessResultSchema.parse(JSON.parse(r.result)),
  tradeoff: r.tradeoff ? (JSON.parse(r.tradeoff) as TradeoffPoint[]) : null,
  mitigation: r.mitigation ? MitigationSchema.parse(JSON.parse(r.mitigation)) : null,
  createdAt: r.created_at,
});

export class FairnessRepo {
  constructor(private readonly db: Db) {}

  insert(a: AuditRecord): void {
    this.db
      .prepare(
        `INSERT INTO fairness_audits (id, name, kind, version_id, model_id, parent_audit_id, request, positive, rows, excluded_rows, result, tradeoff, mitigation, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.id,
        a.name,
        a.kind,
        a.versionId,
        a.modelId,
        a.parentAuditId,
        JSON.stringify(a.request),
        a.positive,
        a.rows,
        a.excludedRows,
        JSON.stringify(a.result),
        a.tradeoff ? JSON.stringify(a.tradeoff) : null,
        a.mitigation ? JSON.stringify(a.mitigation) : null,
        a.createdAt,
      );
  }

  get(id: string): AuditRecord {
    const row = this.db.prepare('SELECT * FROM fairness_audits WHERE id = ?').get(id) as AuditRow | undefined;
    if (!row) throw new XinzhiError('E_NOT_FOUND', `No fairness audit ${id}`, { what: 'Fairness audit', id });
    return toRecord(row);
  }

  list(versionId?: string): AuditSummary[] {
    const rows = (
      versionId
        ? this.db.prepare('SELECT * FROM fairness_audits WHERE version_id = ? ORDER BY created_at DESC, rowid DESC').all(versionId)
        : this.db.prepare('SELECT * FROM fairness_audits ORDER BY created_at DESC, rowid DESC').all()
    ) as AuditRow[];
    return rows.map((r) => {
      const result = JSON.parse(r.result) as AuditRecord['result'];
      return {
        id: r.id,
        name: r.name,
        kind: r.kind as AuditRecord['kind'],
        versionId: r.version_id,
        modelId: r.model_id,
        parentAuditId: r.parent_audit_id,
        columns: result.columns,
        rows: r.rows,
        demographicParityDifference: result.disparities.demographicParityDifference,
        equalizedOddsDifference: result.disparities.equalizedOddsDifference,
        createdAt: r.created_at,
      };
    });
  }
}
