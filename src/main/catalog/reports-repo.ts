/** The reports table: one row per generated PDF (its file lives under the workspace's reports/). */
import { randomBytes } from 'node:crypto';
import type { Db } from './connection.js';
import type { ReportRecord } from '../../shared/model/reports.js';
import { XinzhiError } from '../../shared/model/errors.js';

interface ReportRow {
  id: string;
  kind: string;
  subject_id: string;
  lang: string;
  path: string;
  sha256: string;
  pages: number;
  bytes: number;
  generated_at: string;
  created_at: string;
}

const toRecord = (r: ReportRow): ReportRecord => ({
  id: r.id,
  kind: r.kind as ReportRecord['kind'],
  subjectId: r.subject_id,
  lang: r.lang as ReportRecord['lang'],
  path: r.path,
  sha256: r.sha256,
  pages: r.pages,
  bytes: r.bytes,
  generatedAt: r.generated_at,
  createdAt: r.created_at,
});

export function newReportId(): string {
  return `rpt_${randomBytes(6).toString('hex')}`;
}

export class ReportsRepo {
  constructor(private readonly db: Db) {}

  insert(r: ReportRecord): void {
    this.db
      .prepare('INSERT INTO reports (id, kind, subject_id, lang, path, sha256, pages, bytes, generated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(r.id, r.kind, r.subjectId, r.lang, r.path, r.sha256, r.pages, r.bytes, r.generatedAt, r.createdAt);
  }

  get(id: string): ReportRecord {
    const row = this.db.prepare('SELECT * FROM reports WHERE id = ?').get(id) as ReportRow | undefined;
    if (!row) throw new XinzhiError('E_NOT_FOUND', `Report ${id} not found`, { what: 'Report', id });
    return toRecord(row);
  }

  list(subjectId?: string): ReportRecord[] {
    const rows = (subjectId
      ? this.db.prepare('SELECT * FROM reports WHERE subject_id = ? ORDER BY created_at DESC, id').all(subjectId)
      : this.db.prepare('SELECT * FROM reports ORDER BY created_at DESC, id').all()) as ReportRow[];
    return rows.map(toRecord);
  }
}
