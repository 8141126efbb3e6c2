/**
 * The labeling domain: a label schema per dataset, labels per (version, row, annotator), a queue per annotator
 * with overlap sampling, agreement (Cohen's, Fleiss' κ), and export as a new version with a label column.
 */
import { createHash } from 'node:crypto';
import type { Implements } from '../../shared/contract/procedure.js';
import type { labeling } from '../../shared/contract/labeling.js';
import type { LabelExportResult, LabelSchema, LabelStats, Queue } from '../../shared/model/labeling.js';
import type { Version } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { agreementInputs, cohenKappa, fleissKappa, labelsWanted, majorityLabel, type RowLabels } from '../core/labeling/index.js';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { appendAudit, canonicalJson } from '../catalog/audit-log.js';
import { newId, nowIso, versionTableName } from '../catalog/ids.js';
import { sqliteType } from '../ingest/column-types.js';
import type { EventBus } from '../transport/event-bus.js';

interface SchemaRow {
  dataset_id: string;
  kind: 'classes' | 'text';
  classes: string;
  overlap: number;
  annotators_per_item: number;
  label_column: string;
  updated_at: string;
}

/** The seed of the overlap sample: fixed per dataset, so every annotator sees the same overlap rows. */
const seedOf = (datasetId: string) => createHash('sha256').update(datasetId).digest().readUInt32LE(0);
const finite = (x: number) => (Number.isFinite(x) ? x : null);

export class LabelingService implements Implements<typeof labeling> {
  private readonly repo: DatasetsRepo;

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly actor: string,
  ) {
    this.repo = new DatasetsRepo(db);
  }

  getSchema(input: { datasetId: string }): LabelSchema | null {
    this.repo.getDataset(input.datasetId);
    const r = this.db.prepare('SELECT * FROM label_schemas WHERE dataset_id = ?').get(input.datasetId) as SchemaRow | undefined;
    return r
      ? { datasetId: r.dataset_id, kind: r.kind, classes: JSON.parse(r.classes) as string[], overlap: r.overlap, annotatorsPerItem: r.annotators_per_item, labelColumn: r.label_column, updatedAt: r.updated_at }
      : null;
  }

  setSchema(input: { datasetId: string; kind: 'classes' | 'text'; classes: string[]; overlap: number; annotatorsPerItem: number; labelColumn: string }): LabelSchema {
    this.repo.getDataset(input.datasetId);
    const classes = input.kind === 'text' ? [] : input.classes;
    const now = nowIso();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR REPLACE INTO label_schemas (dataset_id, kind, classes, overlap, annotators_per_item, label_column, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(input.datasetId, input.kind, JSON.stringify(classes), input.overlap, input.annotatorsPerItem, input.labelColumn, now);
      appendAudit(this.db, { actor: this.actor, action: 'labeling.schema', target: input.datasetId, details: { kind: input.kind, classes, overlap: input.overlap, annotatorsPerItem: input.annotatorsPerItem } });
    })();
    return this.getSchema({ datasetId: input.datasetId })!;
  }

  private requireSchema(datasetId: string): LabelSchema {
    const schema = this.getSchema({ datasetId });
    if (!schema) throw new XinzhiError('E_INVALID_INPUT', 'No label schema', { path: 'datasetId', issue: 'the dataset has no label schema yet (set one first)' });
    return schema;
  }

  /** Label counts per row of a version. */
  private countsByRow(versionId: string): Map<number, number> {
    const rows = this.db.prepare('SELECT row_number AS r, count(*) AS n FROM labels WHERE version_id = ? GROUP BY row_number').all(versionId) as { r: number; n: number }[];
    return new Map(rows.map((x) => [x.r, x.n]));
  }

  nextItems(input: { versionId: string; annotator: string; limit: number; exclude: number[] }): Queue {
    const version = this.repo.getVersion(input.versionId);
    const schema = this.requireSchema(version.datasetId);
    const seed = seedOf(version.datasetId);
    const counts = this.countsByRow(version.id);
    const mine = new Set(this.db.prepare('SELECT row_number FROM labels WHERE version_id = ? AND annotator = ?').pluck().all(version.id, input.annotator) as number[]);
    const excluded = new Set(input.exclude);
    const picked: { row: number; wanted: number; labelled: number }[] = [];
    let doneRows = 0;
    for (let row = 1; row <= version.rowCount; row++) {
      const wanted = labelsWanted(row, schema.overlap, schema.annotatorsPerItem, seed);
      const labelled = counts.get(row) ?? 0;
      if (labelled >= wanted) doneRows++;
      else if (picked.length < input.limit && !mine.has(row) && !excluded.has(row)) picked.push({ row, wanted, labelled });
    }
    const select = version.columns.map((c) => quoteIdent(c.name)).join(', ');
    const fetch = this.db.prepare(`SELECT ${select} FROM ${quoteIdent(version.tableName)} WHERE __row = ?`).raw(true);
    return {
      versionId: version.id,
      columns: version.columns.map((c) => c.name),
      items: picked.map((p) => ({ ...p, values: fetch.get(p.row) as (string | number | null)[] })),
      progress: { doneRows, totalRows: version.rowCount, mine: mine.size },
    };
  }

  addLabel(input: { versionId: string; row: number; annotator: string; label: string }): { labels: number } {
    const version = this.repo.getVersion(input.versionId);
    const schema = this.requireSchema(version.datasetId);
    if (input.row > version.rowCount) throw new XinzhiError('E_INVALID_INPUT', `No row ${input.row}`, { path: 'row', issue: `the version has rows 1–${version.rowCount}` });
    if (schema.kind === 'classes' && !schema.classes.includes(input.label)) {
      throw new XinzhiError('E_INVALID_INPUT', `Unknown label ${input.label}`, { path: 'label', issue: `“${input.label}” is not one of ${schema.classes.join(', ')}` });
    }
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR REPLACE INTO labels (version_id, dataset_id, row_number, annotator, label, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(version.id, version.datasetId, input.row, input.annotator, input.label, nowIso());
      // The row and who labelled it; free-text labels may hold anything, so the label itself stays out of the log.
      appendAudit(this.db, { actor: this.actor, action: 'labeling.label', target: version.id, details: { row: input.row, annotator: input.annotator } });
    })();
    const { n } = this.db.prepare('SELECT count(*) AS n FROM labels WHERE version_id = ?').get(version.id) as { n: number };
    return { labels: n };
  }

  removeLabel(input: { versionId: string; row: number; annotator: string }): { removed: boolean } {
    const version = this.repo.getVersion(input.versionId);
    let removed = false;
    this.db.transaction(() => {
      removed = this.db.prepare('DELETE FROM labels WHERE version_id = ? AND row_number = ? AND annotator = ?').run(version.id, input.row, input.annotator).changes > 0;
      if (removed) appendAudit(this.db, { actor: this.actor, action: 'labeling.undo', target: version.id, details: { row: input.row, annotator: input.annotator } });
    })();
    return { removed };
  }

  listAnnotators(input: { datasetId: string }): string[] {
    this.repo.getDataset(input.datasetId);
    return this.db.prepare('SELECT annotator FROM labels WHERE dataset_id = ? GROUP BY annotator ORDER BY max(created_at) DESC').pluck().all(input.datasetId) as string[];
  }

  /** The version whose labels count: the one given, else the most recently labelled version of the dataset. */
  private labelledVersion(datasetId: string, versionId?: string): (Version & { tableName: string }) | null {
    if (versionId) {
      const v = this.repo.getVersion(versionId);
      if (v.datasetId !== datasetId) throw new XinzhiError('E_INVALID_INPUT', 'Version of another dataset', { path: 'versionId', issue: 'the version belongs to another dataset' });
      return v;
    }
    const id = this.db.prepare('SELECT version_id FROM labels WHERE dataset_id = ? ORDER BY created_at DESC LIMIT 1').pluck().get(datasetId) as string | undefined;
    return id ? this.repo.getVersion(id) : null;
  }

  private rowLabels(versionId: string): RowLabels[] {
    const rows = this.db.prepare('SELECT row_number AS r, annotator AS a, label AS l FROM labels WHERE version_id = ? ORDER BY row_number, created_at').all(versionId) as { r: number; a: string; l: string }[];
    const byRow = new Map<number, Map<string, string>>();
    for (const x of rows) {
      let m = byRow.get(x.r);
      if (!m) byRow.set(x.r, (m = new Map()));
      m.set(x.a, x.l);
    }
    return [...byRow].map(([row, byAnnotator]) => ({ row, byAnnotator }));
  }

  stats(input: { datasetId: string; versionId?: string | undefined }): LabelStats {
    this.repo.getDataset(input.datasetId);
    const schema = this.getSchema({ datasetId: input.datasetId });
    const version = this.labelledVersion(input.datasetId, input.versionId);
    const empty: LabelStats = { datasetId: input.datasetId, versionId: version?.id ?? null, totalRows: version?.rowCount ?? 0, labelledRows: 0, labels: 0, counts: {}, annotators: {}, cohenKappa: [], fleissKappa: { items: 0, raters: 0, kappa: null } };
    if (!version) return empty;
    const rows = this.rowLabels(version.id);
    const counts: Record<string, number> = {};
    const annotators: Record<string, number> = {};
    let labels = 0;
    for (const r of rows) {
      for (const [a, l] of r.byAnnotator) {
        counts[l] = (counts[l] ?? 0) + 1;
        annotators[a] = (annotators[a] ?? 0) + 1;
        labels++;
      }
    }
    const inputs = agreementInputs(rows, schema?.classes ?? []);
    return {
      ...empty,
      labelledRows: rows.length,
      labels,
      counts,
      annotators,
      cohenKappa: inputs.pairs.map((p) => ({ a: p.a, b: p.b, items: p.labelsA.length, kappa: finite(cohenKappa(p.labelsA, p.labelsB)) })),
      fleissKappa: { items: inputs.fleiss.table.length, raters: inputs.fleiss.raters, kappa: inputs.fleiss.table.length ? finite(fleissKappa(inputs.fleiss.table)) : null },
    };
  }

  /** One transaction: new version table (parent's rows + the label column), version row, lineage, audit. */
  exportLabels(input: { datasetId: string; versionId?: string | undefined }): LabelExportResult {
    const schema = this.requireSchema(input.datasetId);
    const source = this.labelledVersion(input.datasetId, input.versionId);
    if (!source) throw new XinzhiError('E_INVALID_INPUT', 'No labels', { path: 'datasetId', issue: 'no row of this dataset has a label yet' });
    const rows = this.rowLabels(source.id);
    let ties = 0;
    const majority = rows.map((r) => {
      const labels = [...r.byAnnotator.values()];
      const counts = new Map<string, number>();
      for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
      const top = Math.max(...counts.values());
      if ([...counts.values()].filter((c) => c === top).length > 1) ties++;
      return { row: r.row, label: majorityLabel(labels, schema.classes) };
    });
    const names = new Set(source.columns.map((c) => c.name));
    let labelColumn = schema.labelColumn;
    for (let n = 2; names.has(labelColumn); n++) labelColumn = `${schema.labelColumn}_${n}`;
    const versionId = newId('ver');
    const tableName = versionTableName(versionId);
    const columns = [...source.columns.map(({ name, type, sourceName }) => ({ name, type, ...(sourceName ? { sourceName } : {}) })), { name: labelColumn, type: 'text' as const, nullCount: source.rowCount - majority.length }];
    const params = { labelColumn, labelledRows: majority.length, ties, annotators: [...new Set(rows.flatMap((r) => [...r.byAnnotator.keys()]))].sort(), schema: { kind: schema.kind, classes: schema.classes } };
    const contentHash = createHash('sha256').update(canonicalJson({ parent: source.contentHash, labelColumn, labels: majority.map((m) => [m.row, m.label]) })).digest('hex');
    const staging = `lbl_${versionId.replace(/^ver_/, '')}`;
    this.db.transaction(() => {
      const defs = columns.map((c) => `${quoteIdent(c.name)} ${sqliteType(c.type)}`).join(', ');
      this.db.exec(`CREATE TABLE ${quoteIdent(tableName)} (__row INTEGER PRIMARY KEY, ${defs}) STRICT`);
      this.db.exec(`CREATE TEMP TABLE ${quoteIdent(staging)} (r INTEGER PRIMARY KEY, label TEXT)`);
      const insert = this.db.prepare(`INSERT INTO ${quoteIdent(staging)} (r, label) VALUES (?, ?)`);
      for (const m of majority) insert.run(m.row, m.label);
      const cols = source.columns.map((c) => quoteIdent(c.name)).join(', ');
      const srcCols = source.columns.map((c) => `s.${quoteIdent(c.name)}`).join(', ');
      this.db.exec(
        `INSERT INTO ${quoteIdent(tableName)} (__row, ${cols}, ${quoteIdent(labelColumn)})
         SELECT s.__row, ${srcCols}, l.label FROM ${quoteIdent(source.tableName)} s LEFT JOIN ${quoteIdent(staging)} l ON l.r = s.__row ORDER BY s.__row`,
      );
      this.db.exec(`DROP TABLE ${quoteIdent(staging)}`);
      this.repo.insertVersion({ id: versionId, datasetId: source.datasetId, parentId: source.id, operation: 'label', params, tableName, rowCount: source.rowCount, columns, contentHash });
      this.db.prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)').run('version', versionId, 'version', source.id, 'label', nowIso());
      appendAudit(this.db, { actor: this.actor, action: 'version.label', target: versionId, details: { parent: source.id, labelColumn, labelledRows: majority.length, ties, annotators: params.annotators } });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId: source.datasetId });
    return { versionId, parentVersionId: source.id, rowCount: source.rowCount, labelledRows: majority.length, labelColumn, ties };
  }
}
