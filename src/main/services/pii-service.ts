/** The pii domain: detect PII on a spread sample of a version, store the masked findings, read them back. */
import type { Implements } from '../../shared/contract/procedure.js';
import type { pii } from '../../shared/contract/pii.js';
import { PiiFindingsSchema, type PiiFindings } from '../../shared/model/pii.js';
import { detectColumns } from '../core/pii/index.js';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { appendAudit } from '../catalog/audit-log.js';
import { nowIso } from '../catalog/ids.js';

/** Up to this many rows a column's distinct count is exact (one scan per column stays well under a second). */
const EXACT_DISTINCT_ROWS = 200_000;

export class PiiService implements Implements<typeof pii> {
  private readonly repo: DatasetsRepo;

  constructor(
    private readonly db: Db,
    private readonly actor: string,
  ) {
    this.repo = new DatasetsRepo(db);
  }

  /**
   * Reads every k-th row (k = rows / sampleSize) so the sample spans the whole version, not just its head. A sample
   * of a few thousand is enough for a share and stays fast on any size of table, so this is a procedure, not a job.
   */
  detect(input: { versionId: string; sampleSize: number }): PiiFindings {
    const version = this.repo.getVersion(input.versionId);
    const table = quoteIdent(version.tableName);
    const stride = Math.max(1, Math.ceil(version.rowCount / input.sampleSize));
    // Row numbers 1, 1+k, 1+2k, … looked up by primary key: the cost follows the sample, not the table.
    const sampleSql = (c: string) =>
      `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + ? FROM r WHERE n + ? <= ?) SELECT t.${c} FROM r JOIN ${table} t ON t.__row = r.n WHERE t.${c} IS NOT NULL`;
    const columns = version.columns.map((column) => {
      const c = quoteIdent(column.name);
      const values = this.db.prepare(sampleSql(c)).pluck().all(stride, stride, version.rowCount) as (string | number)[];
      // Exact distinct counts only where a full scan is cheap; beyond, the sample's own variety stands in.
      if (version.rowCount > EXACT_DISTINCT_ROWS) return { name: column.name, type: column.type, values };
      const { n: distinct } = this.db.prepare(`SELECT count(DISTINCT ${c}) AS n FROM ${table}`).get() as { n: number };
      return { name: column.name, type: column.type, values, distinct, rows: version.rowCount };
    });
    const result = detectColumns(columns);
    const findings: PiiFindings = {
      versionId: version.id,
      datasetId: version.datasetId,
      createdAt: nowIso(),
      sampleSize: Math.min(version.rowCount, Math.ceil(version.rowCount / stride)),
      rowCount: version.rowCount,
      suggestedSensitivity: result.suggestedSensitivity,
      columns: result.columns,
    };
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO pii_findings (version_id, dataset_id, findings, created_at) VALUES (?, ?, ?, ?)').run(version.id, version.datasetId, JSON.stringify(findings), findings.createdAt);
      // Kinds and roles only: never a value, not even masked, in the audit log.
      appendAudit(this.db, {
        actor: this.actor,
        action: 'pii.detect',
        target: version.id,
        details: {
          sensitivity: findings.suggestedSensitivity,
          columns: Object.fromEntries(findings.columns.filter((f) => f.kind !== null).map((f) => [f.name, f.kind])),
        },
      });
    })();
    return findings;
  }

  getFindings(input: { versionId: string }): PiiFindings | null {
    this.repo.getVersion(input.versionId);
    const row = this.db.prepare('SELECT findings FROM pii_findings WHERE version_id = ?').get(input.versionId) as { findings: string } | undefined;
    return row ? PiiFindingsSchema.parse(JSON.parse(row.findings)) : null;
  }
}

/**
 * The sensitivity the stored PII findings of a dataset's newest version suggest (for the About tab's metadata), with
 * the columns that made it so as the reason; null when that version has not been scanned. Never a value, only names.
 */
export function piiSensitivitySuggester(db: Db): (datasetId: string) => { sensitivity: PiiFindings['suggestedSensitivity']; reason: string } | null {
  return (datasetId) => {
    const newest = db.prepare('SELECT id FROM versions WHERE dataset_id = ? ORDER BY number DESC LIMIT 1').pluck().get(datasetId) as string | undefined;
    // Only the newest version's findings: an older version's say nothing sure about it (it may be the anonymised copy).
    const row = newest ? (db.prepare('SELECT findings FROM pii_findings WHERE version_id = ?').get(newest) as { findings: string } | undefined) : undefined;
    if (!row) return null;
    const findings = PiiFindingsSchema.parse(JSON.parse(row.findings));
    const columns = findings.columns.filter((c) => c.kind !== null).map((c) => `${c.name}: ${c.kind}`);
    return { sensitivity: findings.suggestedSensitivity, reason: columns.length ? columns.join(', ') : 'no PII found' };
  };
}
