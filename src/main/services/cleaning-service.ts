/**
 * The cleaning domain: preview a recipe on a sample, run it as a job that publishes ONE new immutable version
 * (lineage parent → child, operation 'clean', the recipe and per-step reports as parameters), saved recipes, and
 * version comparison.
 */
import type { Implements } from '../../shared/contract/procedure.js';
import type { cleaning } from '../../shared/contract/cleaning.js';
import type { Column } from '../../shared/model/catalog.js';
import {
  CleaningStepSchema,
  RecipeSchema,
  type CleaningStep,
  type CleanPreview,
  type CleanRequest,
  type CleanResult,
  type Recipe,
  type SavedRecipe,
  type StepReport,
  type VersionDiff,
} from '../../shared/model/cleaning.js';
import { XinzhiError, toErrorInfo } from '../../shared/model/errors.js';
import { applyRecipe, applyStep, type CleanTable } from '../core/clean/index.js';
import { convert } from '../ingest/column-types.js';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { appendAudit } from '../catalog/audit-log.js';
import { newId, nowIso, stagingTableName, versionTableName } from '../catalog/ids.js';
import type { JobManager } from '../jobs/job-manager.js';
import { readVersionTable, type CleanJobParams, type StagedClean } from '../jobs/clean-job.js';
import type { EventBus } from '../transport/event-bus.js';

type SourceVersion = ReturnType<DatasetsRepo['getVersion']>;

/** The column names a step reads or writes: what the audit log may name (never literal values). */
function stepColumns(step: CleaningStep): string[] {
  switch (step.op) {
    case 'dropDuplicates':
    case 'impute':
    case 'capOutliers':
    case 'normaliseText':
    case 'dropColumns':
    case 'reorderColumns':
      return step.columns;
    case 'cast':
      return [step.column];
    case 'rename':
      return [...Object.keys(step.mapping), ...Object.values(step.mapping)];
    case 'derive':
      return [step.name];
    case 'filter':
      return [];
  }
}

export class CleaningService implements Implements<typeof cleaning> {
  private readonly repo: DatasetsRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly events: EventBus,
    private readonly actor: string,
  ) {
    this.repo = new DatasetsRepo(db);
  }

  previewRecipe(input: { versionId: string; steps: CleaningStep[]; sampleRows: number; showRows: number }): CleanPreview {
    const version = this.repo.getVersion(input.versionId);
    const sample = readVersionTable(this.db, version.tableName, version.columns, input.sampleRows);
    let table: CleanTable = sample;
    const steps: StepReport[] = [];
    let error: CleanPreview['error'] = null;
    for (let i = 0; i < input.steps.length; i++) {
      try {
        const done = applyStep(table, input.steps[i]!, { index: i, convert });
        table = done.table;
        steps.push(done.report);
      } catch (err) {
        const info = toErrorInfo(err);
        error = { step: i, code: info.code, message: info.message, ...(info.params ? { params: info.params } : {}) };
        break;
      }
    }
    return { sampleRows: sample.rowCount, before: this.rowsOf(sample, input.showRows), after: this.rowsOf(table, input.showRows), steps, error };
  }

  private rowsOf(table: CleanTable, limit: number): CleanPreview['before'] {
    const n = Math.min(limit, table.rowCount);
    const rows: (string | number | null)[][] = [];
    for (let r = 0; r < n; r++) rows.push(table.data.map((col) => col[r]!));
    return { columns: table.columns.map((c) => ({ name: c.name, type: c.type })), rows };
  }

  runRecipe(request: CleanRequest): { jobId: string } {
    const source = this.repo.getVersion(request.versionId);
    // A dry run on no rows finds unknown columns, bad expressions and impossible constants before any job starts.
    applyRecipe({ columns: source.columns.map((c) => ({ name: c.name, type: c.type })), data: source.columns.map(() => []), rowCount: 0 }, request.recipe.steps, { convert });
    const jobId = newId('job');
    const stagingTable = stagingTableName(jobId);
    const params: CleanJobParams = { sourceTable: source.tableName, sourceColumns: source.columns, steps: request.recipe.steps, stagingTable };
    this.jobs.start(
      {
        kind: 'clean',
        title: `${this.repo.getDataset(source.datasetId).name} v${source.number}`,
        worker: 'clean.worker.mjs',
        params,
        stagingTable,
        publish: (staged) => this.publish(request.recipe, source, stagingTable, staged as StagedClean),
        onFailed: () => this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(`${stagingTable}_rows`)}`),
      },
      jobId,
    );
    return { jobId };
  }

  /** One transaction: staging → version table, version row (parent, recipe, reports), lineage, audit. */
  private publish(recipe: Recipe, source: SourceVersion, stagingTable: string, staged: StagedClean): CleanResult {
    const versionId = newId('ver');
    const tableName = versionTableName(versionId);
    // map_<table> goes with the version when its dataset is deleted (as a pseudonym mapping does).
    const rowMap = staged.rowMapTable ? `map_${tableName}` : null;
    const params = { recipe, steps: staged.reports, rowMap };
    this.db.transaction(() => {
      this.db.exec(`ALTER TABLE ${quoteIdent(stagingTable)} RENAME TO ${quoteIdent(tableName)}`);
      if (staged.rowMapTable && rowMap) this.db.exec(`ALTER TABLE ${quoteIdent(staged.rowMapTable)} RENAME TO ${quoteIdent(rowMap)}`);
      this.repo.insertVersion({
        id: versionId,
        datasetId: source.datasetId,
        parentId: source.id,
        operation: 'clean',
        params,
        tableName,
        rowCount: staged.rowCount,
        columns: staged.columns,
        contentHash: staged.contentHash,
      });
      this.db
        .prepare('INSERT INTO lineage (child_kind, child_id, parent_kind, parent_id, relation, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run('version', versionId, 'version', source.id, 'clean', nowIso());
      appendAudit(this.db, {
        actor: this.actor,
        action: 'version.clean',
        target: versionId,
        details: {
          parent: source.id,
          recipe: recipe.name ?? null,
          steps: recipe.steps.map((s, i) => ({ op: s.op, columns: stepColumns(s), rowsAfter: staged.reports[i]?.rowsAfter ?? null, changedCells: staged.reports[i]?.changedCells ?? null })),
          rowsBefore: source.rowCount,
          rows: staged.rowCount,
          contentHash: staged.contentHash,
        },
      });
    })();
    this.events.emit('catalog', 'onDidChange', { datasetId: source.datasetId });
    return { datasetId: source.datasetId, versionId, parentVersionId: source.id, rowCount: staged.rowCount, columns: staged.columns, steps: staged.reports };
  }

  saveRecipe(input: { name: string; recipe: Recipe }): SavedRecipe {
    const now = nowIso();
    const existing = this.db.prepare('SELECT id, created_at FROM cleaning_recipes WHERE name = ?').get(input.name) as { id: string; created_at: string } | undefined;
    const id = existing?.id ?? newId('rcp');
    const recipe = { ...input.recipe, name: input.name };
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO cleaning_recipes (id, name, recipe, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET recipe = excluded.recipe, updated_at = excluded.updated_at')
        .run(id, input.name, JSON.stringify(recipe), existing?.created_at ?? now, now);
      appendAudit(this.db, { actor: this.actor, action: 'recipe.save', target: id, details: { name: input.name, ops: recipe.steps.map((s) => s.op) } });
    })();
    return { id, name: input.name, recipe, createdAt: existing?.created_at ?? now, updatedAt: now };
  }

  listRecipes(): SavedRecipe[] {
    const rows = this.db.prepare('SELECT * FROM cleaning_recipes ORDER BY updated_at DESC').all() as { id: string; name: string; recipe: string; created_at: string; updated_at: string }[];
    return rows.map((r) => ({ id: r.id, name: r.name, recipe: RecipeSchema.parse(JSON.parse(r.recipe)), createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  /** A saved recipe by id or name. */
  getRecipe(idOrName: string): SavedRecipe {
    const found = this.listRecipes().find((r) => r.id === idOrName || r.name === idOrName);
    if (!found) throw new XinzhiError('E_NOT_FOUND', `Recipe ${idOrName} not found`, { what: 'Recipe', id: idOrName });
    return found;
  }

  deleteRecipe(input: { id: string }): { deleted: boolean } {
    let deleted = false;
    this.db.transaction(() => {
      deleted = this.db.prepare('DELETE FROM cleaning_recipes WHERE id = ?').run(input.id).changes > 0;
      if (deleted) appendAudit(this.db, { actor: this.actor, action: 'recipe.delete', target: input.id, details: {} });
    })();
    return { deleted };
  }

  compareVersions(input: { versionA: string; versionB: string; keyColumns: string[]; samples: number }): VersionDiff {
    const a = this.repo.getVersion(input.versionA);
    const b = this.repo.getVersion(input.versionB);
    const typeA = new Map(a.columns.map((c) => [c.name, c.type]));
    const typeB = new Map(b.columns.map((c) => [c.name, c.type]));
    const renamedFrom = this.renamesBetween(a, b);
    // Pairs of (name in A, name in B) that hold the same column.
    const pairs: [string, string][] = [];
    const renamed: { from: string; to: string }[] = [];
    for (const col of b.columns) {
      const original = renamedFrom.get(col.name) ?? col.name;
      if (original !== col.name && typeA.has(original) && !typeB.has(original)) {
        renamed.push({ from: original, to: col.name });
        pairs.push([original, col.name]);
      } else if (typeA.has(col.name)) pairs.push([col.name, col.name]);
    }
    const pairedA = new Set(pairs.map(([x]) => x));
    const pairedB = new Set(pairs.map(([, y]) => y));
    const schema: VersionDiff['schema'] = {
      added: b.columns.filter((c) => !pairedB.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
      removed: a.columns.filter((c) => !pairedA.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
      retyped: pairs.filter(([x, y]) => typeA.get(x) !== typeB.get(y)).map(([x, y]) => ({ name: y, from: typeA.get(x)!, to: typeB.get(y)! })),
      renamed,
      reordered: (() => {
        const orderA = a.columns.map((c) => c.name).filter((n) => pairedA.has(n));
        const orderB = b.columns.map((c) => c.name).filter((n) => pairedB.has(n)).map((n) => pairs.find(([, y]) => y === n)![0]);
        return orderA.some((n, i) => orderB[i] !== n);
      })(),
    };
    for (const key of input.keyColumns) {
      if (!typeA.has(key) || !typeB.has(key)) {
        throw new XinzhiError('E_INVALID_INPUT', `Key column ${key} missing`, { path: 'keyColumns', issue: `the key column “${key}” must exist in both versions` });
      }
    }
    // A clean that dropped rows recorded where each row came from: its parent's rows match through that map.
    const rowMap = b.parentId === a.id && b.operation === 'clean' ? ((b.params as { rowMap?: string | null }).rowMap ?? null) : null;
    const alignment: VersionDiff['alignment'] = input.keyColumns.length ? 'key' : rowMap ? 'lineage' : a.rowCount === b.rowCount ? 'row' : 'none';
    const ta = quoteIdent(a.tableName);
    const tb = quoteIdent(b.tableName);
    const compared = pairs.filter(([x]) => !input.keyColumns.includes(x));
    let join = '';
    let rowLabel = 'a.__row';
    const rows: VersionDiff['rows'] = { a: a.rowCount, b: b.rowCount, added: null, removed: null };
    if (alignment === 'row') join = `${ta} AS a JOIN ${tb} AS b ON a.__row = b.__row`;
    if (alignment === 'lineage') {
      join = `${tb} AS b JOIN ${quoteIdent(rowMap!)} AS m ON m.row = b.__row JOIN ${ta} AS a ON a.__row = m.source_row`;
      rows.added = 0;
      rows.removed = a.rowCount - b.rowCount;
    }
    if (alignment === 'key') {
      const keys = input.keyColumns.map(quoteIdent);
      for (const [v, t] of [[a, ta], [b, tb]] as const) {
        const dup = this.db.prepare(`SELECT 1 FROM ${t} GROUP BY ${keys.join(', ')} HAVING count(*) > 1 LIMIT 1`).get();
        if (dup) throw new XinzhiError('E_INVALID_INPUT', 'Key not unique', { path: 'keyColumns', issue: `the key (${input.keyColumns.join(', ')}) is not unique in version ${v.number}` });
      }
      const on = keys.map((k) => `a.${k} = b.${k}`).join(' AND ');
      join = `${ta} AS a JOIN ${tb} AS b ON ${on}`;
      const matched = (this.db.prepare(`SELECT count(*) AS n FROM ${join}`).get() as { n: number }).n;
      rows.added = b.rowCount - matched;
      rows.removed = a.rowCount - matched;
      rowLabel = keys.map((k) => `coalesce(CAST(a.${k} AS TEXT), '∅')`).join(` || ' | ' || `);
    }
    const cells: VersionDiff['cells'] = { compared: 0, changed: 0, byColumn: [], samples: [] };
    if (alignment !== 'none' && compared.length > 0) {
      const sums = compared.map(([x, y]) => `sum(a.${quoteIdent(x)} IS NOT b.${quoteIdent(y)})`).join(', ');
      const counts = this.db.prepare(`SELECT count(*), ${sums} FROM ${join}`).raw(true).get() as (number | null)[];
      const matchedRows = counts[0] ?? 0;
      cells.compared = matchedRows * compared.length;
      cells.byColumn = compared.map(([, y], i) => ({ column: y, changed: counts[i + 1] ?? 0 }));
      cells.changed = cells.byColumn.reduce((s, c) => s + c.changed, 0);
      const changedColumns = compared.filter((_, i) => (counts[i + 1] ?? 0) > 0);
      const perColumn = changedColumns.length ? Math.max(1, Math.ceil(input.samples / changedColumns.length)) : 0;
      for (const [x, y] of changedColumns) {
        if (cells.samples.length >= input.samples) break;
        const take = Math.min(perColumn, input.samples - cells.samples.length);
        const found = this.db
          .prepare(`SELECT ${rowLabel} AS row, a.${quoteIdent(x)} AS before, b.${quoteIdent(y)} AS after FROM ${join} WHERE a.${quoteIdent(x)} IS NOT b.${quoteIdent(y)} ORDER BY a.__row LIMIT ?`)
          .all(take) as { row: string | number; before: string | number | null; after: string | number | null }[];
        for (const s of found) cells.samples.push({ row: String(s.row), column: y, before: s.before, after: s.after });
      }
    }
    return {
      a: { versionId: a.id, number: a.number, rowCount: a.rowCount, datasetId: a.datasetId },
      b: { versionId: b.id, number: b.number, rowCount: b.rowCount, datasetId: b.datasetId },
      schema,
      rows,
      alignment,
      keyColumns: input.keyColumns,
      cells,
    };
  }

  /**
   * B's column names mapped to their names in A, following the rename (and derive-over, drop) steps recorded by
   * the clean versions between A and its descendant B. Empty when B does not descend from A.
   */
  private renamesBetween(a: SourceVersion, b: SourceVersion): Map<string, string> {
    const path: SourceVersion[] = [];
    let cursor: SourceVersion | null = b;
    for (let guard = 0; cursor && cursor.id !== a.id && guard < 10_000; guard++) {
      path.push(cursor);
      cursor = cursor.parentId ? this.repo.getVersion(cursor.parentId) : null;
    }
    if (!cursor) return new Map();
    // current name → name in A
    const origin = new Map(a.columns.map((c) => [c.name, c.name]));
    for (const version of path.reverse()) {
      if (version.operation !== 'clean') continue;
      const steps = (version.params as { recipe?: { steps?: unknown[] } }).recipe?.steps ?? [];
      for (const raw of steps) {
        const parsed = CleaningStepSchema.safeParse(raw);
        if (!parsed.success) continue;
        const step = parsed.data;
        if (step.op === 'rename') {
          const next = new Map<string, string>();
          for (const [name, from] of origin) next.set(Object.hasOwn(step.mapping, name) ? step.mapping[name]! : name, from);
          origin.clear();
          for (const [k, v] of next) origin.set(k, v);
        } else if (step.op === 'dropColumns') for (const c of step.columns) origin.delete(c);
        else if (step.op === 'derive') origin.delete(step.name);
      }
    }
    return origin;
  }

  /** Columns of a version (for the CLI's messages). */
  columnsOf(versionId: string): Column[] {
    return this.repo.getVersion(versionId).columns;
  }
}
