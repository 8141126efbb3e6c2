/** The privacy domain: anonymise a version into a new version of the same dataset, with lineage and audit. */
import { createHash } from 'node:crypto';
import type { Implements } from '../../shared/contract/procedure.js';
import type { privacy } from '../../shared/contract/privacy.js';
import type { AnonymiseRequest, AnonymiseResult } from '../../shared/model/privacy.js';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { appendAudit, canonicalJson } from '../catalog/audit-log.js';
import { newId, nowIso, stagingTableName, versionTableName } from '../catalog/ids.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { AnonymiseJobParams, StagedAnonymisation } from '../jobs/anonymise-job.js';
import type { EventBus } from '../transport/event-bus.js';

export class PrivacyService implements Implements<typeof privacy> {
  private readonly repo: DatasetsRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
    private readonly actor: string,
  ) {
    this.repo = new DatasetsRepo(db);
  }

  anonymise(request: AnonymiseRequest): { jobId: string } {
    const source = this.repo.getVersion(request.versionId);
    const jobId = newId('job');
    const stagingTable = stagingTableName(jobId);
    const params: AnonymiseJobParams = { request, sourceTable: source.tableName, sourceColumns: source.columns, stagingTable };
    this.jobs.start(
      {
        kind: 'anonymise',
        title: `${this.repo.getDataset(source.datasetId).name} v${source.number}`,
        worker: 'anonymise.worker.mjs',
        params,
        stagingTable,
        publish: (staged) => this.publish(request, source, stagingTable, staged as StagedAnonymisation),
        onFailed: () => this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(`${stagingTable}_map`)}`),
      },
      jobId,
    );
    return { jobId };
  }

  /** One transaction: staging → version table (and its pseudonym map), version row, lineage, audit. */
  private publish(request: AnonymiseRequest, source: ReturnType<DatasetsRepo['getVersion']>, stagingTable: string, staged: StagedAnonymisation): AnonymiseResult {
    const versionId = newId('ver');
    const tableName = versionTableName(versionId);
    // The version's parameters: the whole setup (no key material ever enters it) and what the run decided.
    const params = { config: request.config, node: staged.result.node, suppressedRows: staged.result.suppressedRows, mappingTable: staged.mappingTable ? `map_${tableName}` : null };
    const contentHash = createHash('sha256').update(canonicalJson({ parent: source.contentHash, ...params, columns: staged.columns.map((c) => [c.name, c.type]), rowCount: staged.rowCount })).digest('hex');
    this.db.transaction(() => {
      this.db.exec(`ALTER TABLE ${quoteIdent(stagingTable)} RENAME TO ${quoteIdent(tableName)}`);
      if (staged.mappingTable) this.db.exec(`ALTER TABLE ${quoteIdent(staged.mappingTable)} RENAME TO ${quoteIdent(`map_${tableName}`)}`);
      this.repo.insertVersion({
        id: versionId,
        datasetId: source.datasetId,
        parentId: source.id,
        operation: 'anonymise',
        params,
        tableName,
        rowCount: staged.rowCount,
        columns: staged.columns,
        contentHash,
      });
      this.db
        .prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run('version', versionId, 'version', source.id, 'anonymise', nowIso());
      appendAudit(this.db, {
        actor: this.actor,
        action: 'version.anonymise',
        target: versionId,
        details: {
          parent: source.id,
          models: request.config.models,
          roles: Object.fromEntries(Object.entries(request.config.columns).map(([name, c]) => [name, c.role])),
          node: staged.result.node,
          suppressedRows: staged.result.suppressedRows,
          rows: staged.rowCount,
        },
      });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId: source.datasetId });
    return { datasetId: source.datasetId, versionId, ...staged.result };
  }
}
