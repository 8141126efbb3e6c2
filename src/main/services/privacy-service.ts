/** The privacy domain: anonymise a version into a new version of the same dataset, with lineage and audit. */
import { createHash } from 'node:crypto';
import type { Implements } from '../../shared/contract/procedure.js';
import type { privacy } from '../../shared/contract/privacy.js';
import type { AnonymiseRequest, AnonymiseResult, HierarchyPreview, HierarchySpec, SuggestedSetup } from '../../shared/model/privacy.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { reidentify, suggestRole } from '../core/privacy/index.js';
import { nodePrivacyCrypto } from '../catalog/key-store.js';
import { resolveHierarchy } from './privacy-hierarchies.js';
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
    /** The workspace's keys by name (wrapped by the OS keychain in the desktop app). */
    private readonly keys: (name: string) => Buffer,
  ) {
    this.repo = new DatasetsRepo(db);
  }

  /** Samples each column (distinct count over the whole version, values from the first 5,000 rows). */
  suggestSetup(input: { versionId: string }): SuggestedSetup {
    const version = this.repo.getVersion(input.versionId);
    const table = quoteIdent(version.tableName);
    const columns: SuggestedSetup['config']['columns'] = {};
    const reasons: SuggestedSetup['reasons'] = {};
    for (const column of version.columns) {
      const c = quoteIdent(column.name);
      const values = (this.db.prepare(`SELECT ${c} AS v FROM ${table} WHERE ${c} IS NOT NULL ORDER BY __row LIMIT 5000`).pluck().all() as (string | number)[]);
      const { n: distinct } = this.db.prepare(`SELECT count(DISTINCT ${c}) AS n FROM ${table}`).get() as { n: number };
      const suggestion = suggestRole({ name: column.name, type: column.type, values, distinct, rows: version.rowCount });
      const hierarchy =
        suggestion.hierarchy && 'rows' in suggestion.hierarchy
          ? // A flat categorical hierarchy must cover every value, not just the sampled ones.
            {
              rows: [
                ...(this.db.prepare(`SELECT DISTINCT CAST(${c} AS TEXT) FROM ${table} WHERE ${c} IS NOT NULL ORDER BY 1`).pluck().all() as string[]).map((v) => [v, '*']),
                // Missing values are a leaf of their own (the empty string), generalised to * like the rest.
                ...(this.db.prepare(`SELECT 1 FROM ${table} WHERE ${c} IS NULL LIMIT 1`).get() ? [['', '*']] : []),
              ],
            }
          : suggestion.hierarchy;
      columns[column.name] = { role: suggestion.role, ...(hierarchy ? { hierarchy } : {}) };
      reasons[column.name] = suggestion.reason;
    }
    return { config: { columns, models: [{ model: 'k-anonymity', k: 5 }], suppressionLimit: 0, suppression: 'record', metric: 'loss', algorithm: 'optimal', riskThreshold: 0.2 }, reasons };
  }

  previewHierarchy(input: { versionId: string; column: string; hierarchy: HierarchySpec; baseDir?: string | undefined }): HierarchyPreview {
    const version = this.repo.getVersion(input.versionId);
    if (!version.columns.some((c) => c.name === input.column)) {
      throw new XinzhiError('E_INVALID_INPUT', `No column ${input.column}`, { path: 'column', issue: `the version has no column “${input.column}”` });
    }
    const c = quoteIdent(input.column);
    const values = (this.db.prepare(`SELECT DISTINCT ${c} FROM ${quoteIdent(version.tableName)}`).pluck().all() as (string | number | null)[]).map((v) => (v === null ? '' : String(v)));
    const hierarchy = resolveHierarchy(input.hierarchy, input.column, values, input.baseDir);
    const leaves = new Map(hierarchy.rows.map((row) => [row[0]!, row]));
    const covered = values.filter((v) => leaves.has(v)).sort();
    return {
      levels: hierarchy.levels,
      rows: covered.slice(0, 500).map((v) => [...leaves.get(v)!]),
      distinctValues: values.length,
      missing: values.filter((v) => !leaves.has(v)).slice(0, 50),
    };
  }

  reidentify(input: { versionId: string; column: string; pseudonym: string; reason: string }): { value: string | null } {
    const version = this.repo.getVersion(input.versionId);
    const mappingTable = (version.params as { mappingTable?: string | null }).mappingTable;
    if (!mappingTable) {
      throw new XinzhiError('E_INVALID_INPUT', 'No reversible pseudonyms in this version', {
        path: 'versionId',
        issue: 'this version has no reversible pseudonyms (anonymise with {"kind": "pseudonymise", "reversible": true})',
      });
    }
    const row = this.db.prepare(`SELECT token FROM ${quoteIdent(mappingTable)} WHERE column_name = ? AND pseudonym = ?`).get(input.column, input.pseudonym) as { token: string } | undefined;
    const key = this.keys('pseudonymisation');
    const value = row ? reidentify(input.pseudonym, [{ pseudonym: input.pseudonym, token: row.token }], { crypto: nodePrivacyCrypto, key }) : null;
    this.db.transaction(() => {
      appendAudit(this.db, {
        actor: this.actor,
        action: 'privacy.reidentify',
        target: input.versionId,
        details: { column: input.column, pseudonym: input.pseudonym, found: value !== null, reason: input.reason },
      });
    })();
    return { value };
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
        secrets: { pseudonymisation: this.keys('pseudonymisation') },
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
    const params = {
      config: request.config,
      // What the run decided and measured, so the version can show its privacy report later.
      result: staged.result,
      node: staged.result.node,
      suppressedRows: staged.result.suppressedRows,
      mappingTable: staged.mappingTable ? `map_${tableName}` : null,
    };
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
