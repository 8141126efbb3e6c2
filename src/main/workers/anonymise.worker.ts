/**
 * Anonymise job: reads a version, generalises its quasi-identifiers at the optimal lattice node, suppresses
 * the records that must go, transforms the other columns, measures risk before and after, and fills the job's
 * staging table. The service publishes it as a new version with lineage.
 */
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog, quoteIdent } from '../catalog/connection.js';
import { StagingTable } from '../catalog/staging-table.js';
import { nodePrivacyCrypto } from '../catalog/key-store.js';
import type { ColumnBatch } from '../ingest/delimited-reader.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Column, ColumnType } from '../../shared/model/catalog.js';
import type { ColumnTransformSpec, PrivacyModel } from '../../shared/model/privacy.js';
import { resolveHierarchy } from '../services/privacy-hierarchies.js';
import {
  applyNode,
  applyTransform,
  classSizesOf,
  encodeColumn,
  reidentificationRisk,
  searchOptimal,
  mondrian,
  granularityOfNode,
  mlUtility,
  evaluateNode,
  type EncodedColumn,
  type PrivacyModelSpec,
  type SensitiveColumn,
} from '../core/privacy/index.js';
import type { AnonymiseJobParams, StagedAnonymisation } from '../jobs/anonymise-job.js';

type Cell = string | number | null;

/** Quasi-identifier values as the hierarchies see them: numbers as written, missing values as an empty string. */
const asLeaf = (v: Cell): string => (v === null ? '' : String(v));

function outputType(source: ColumnType, transform: ColumnTransformSpec | undefined): ColumnType {
  if (!transform || transform.kind === 'keep') return source;
  if (transform.kind === 'topBottom') return source;
  if (transform.kind === 'noise') return 'real';
  return 'text';
}

runWorker(async (raw, ctx) => {
  const params = raw as AnonymiseJobParams;
  const { config, baseDir } = params.request;
  const db = openCatalog(ctx.workspace, { migrate: false, autoCheckpoint: false });
  let staging: StagingTable | null = null;
  try {
    const names = params.sourceColumns.map((c) => c.name);
    for (const name of Object.keys(config.columns)) {
      if (!names.includes(name)) throw new XinzhiError('E_INVALID_INPUT', `No column ${name}`, { path: `columns.${name}`, issue: `the version has no column “${name}”` });
    }
    ctx.onProgress(0.02, 'reading rows');
    const data: Cell[][] = names.map(() => []);
    const select = names.map(quoteIdent).join(', ');
    for (const row of db.prepare(`SELECT ${select} FROM ${quoteIdent(params.sourceTable)} ORDER BY __row`).raw(true).iterate() as IterableIterator<Cell[]>) {
      for (let c = 0; c < row.length; c++) data[c]!.push(row[c]!);
    }
    const n = data[0]?.length ?? 0;
    const role = (name: string) => config.columns[name]?.role ?? 'insensitive';
    const qiNames = names.filter((name) => role(name) === 'quasi');
    if (qiNames.length === 0) throw new XinzhiError('E_INVALID_INPUT', 'No quasi-identifier', { path: 'columns', issue: 'mark at least one column as a quasi-identifier' });

    // 1. Encode the quasi-identifiers against their hierarchies, and the sensitive columns the models name.
    ctx.onProgress(0.1, 'encoding');
    const qi: EncodedColumn[] = qiNames.map((name) => {
      const values = data[names.indexOf(name)]!.map(asLeaf);
      return encodeColumn(name, values, resolveHierarchy(config.columns[name]!.hierarchy, name, values, baseDir));
    });
    const sensitiveNames = [...new Set(config.models.filter((m) => m.model !== 'k-anonymity').map((m) => (m as { column: string }).column))];
    const sensitive = sensitiveNames.map((name): SensitiveColumn => {
      if (!names.includes(name)) throw new XinzhiError('E_INVALID_INPUT', `No column ${name}`, { path: 'models.column', issue: `the version has no column “${name}”` });
      const values = data[names.indexOf(name)]!;
      // Hierarchical t-closeness measures distance in the sensitive column's own hierarchy.
      const wantsHierarchy = config.models.some((m) => m.model === 't-closeness' && m.column === name && m.distance === 'hierarchical');
      if (wantsHierarchy) {
        const leaves = values.map(asLeaf);
        const encoded = encodeColumn(name, leaves, resolveHierarchy(config.columns[name]?.hierarchy, name, leaves, baseDir));
        return { name, ids: encoded.ids, cardinality: encoded.leaves.length, generalised: encoded.generalised };
      }
      const ids = new Int32Array(n);
      const index = new Map<string, number>();
      const numeric: number[] = [];
      for (let r = 0; r < n; r++) {
        const key = asLeaf(values[r]!);
        let id = index.get(key);
        if (id === undefined) {
          id = index.size;
          index.set(key, id);
          numeric.push(typeof values[r] === 'number' ? (values[r] as number) : Number.NaN);
        }
        ids[r] = id;
      }
      const allNumeric = numeric.every((v) => !Number.isNaN(v));
      return { name, ids, cardinality: index.size, ...(allNumeric ? { values: Float64Array.from(numeric) } : {}) };
    });
    const k = Math.max(1, ...config.models.map((m) => (m.model === 'k-anonymity' ? m.k : 1)));
    const models: PrivacyModelSpec[] = config.models.flatMap((m: PrivacyModel): PrivacyModelSpec[] => {
      if (m.model === 'k-anonymity') return [];
      const column = sensitiveNames.indexOf(m.column);
      if (m.model === 'l-diversity') return [{ model: 'l-diversity', variant: m.variant, l: m.l, ...(m.c !== undefined ? { c: m.c } : {}), column }];
      return [{ model: 't-closeness', t: m.t, distance: m.distance ?? (sensitive[column]!.values ? 'ordered' : 'equal'), column }];
    });
    const options = { k, suppressionLimit: config.suppressionLimit / 100, metric: config.metric, models, sensitive };

    // 2. Generalise: the optimal full-domain node (with record suppression), or Mondrian's local recoding.
    ctx.onProgress(0.3, config.algorithm === 'mondrian' ? 'partitioning (Mondrian)' : 'searching the lattice');
    const unsatisfiable = () =>
      new XinzhiError('E_PRIVACY_UNSATISFIABLE', 'No generalisation of the quasi-identifiers satisfies the privacy models within the suppression limit');
    let labels: string[][];
    let suppressed: Uint8Array;
    let node: Record<string, number> = {};
    let arxLoss: number | null = null;
    let granularity: number;
    let nodesChecked = 0;
    let searchMs: number;
    if (config.algorithm === 'mondrian') {
      const recoded = mondrian(qi, { k, models, sensitive });
      if (!recoded.satisfied) throw unsatisfiable();
      labels = recoded.labels;
      suppressed = new Uint8Array(n);
      granularity = recoded.granularity;
      nodesChecked = recoded.partitions;
      searchMs = recoded.ms;
    } else {
      const search = searchOptimal(qi, options);
      if (!search.satisfied) throw unsatisfiable();
      const applied = applyNode(qi, search.node, options);
      labels = applied.labels;
      suppressed = applied.suppressed;
      node = Object.fromEntries(qiNames.map((name, i) => [name, search.node[i]!]));
      arxLoss = evaluateNode(qi, search.node, options).loss;
      granularity = granularityOfNode(qi, search.node);
      nodesChecked = search.nodesChecked;
      searchMs = search.searchMs;
    }

    // 3. Risk before (original values) and after (published rows).
    ctx.onProgress(0.6, 'measuring risk');
    const qiIndexes = qiNames.map((name) => names.indexOf(name));
    const originalRows: string[][] = Array.from({ length: n }, (_, r) => qiIndexes.map((c) => asLeaf(data[c]![r]!)));
    const before = reidentificationRisk(classSizesOf(originalRows, qiIndexes.map((_, i) => i)), config.riskThreshold);
    const generalisedRows: string[][] = Array.from({ length: n }, (_, r) => qi.map((_, q) => labels[q]![r]!));
    const afterClasses = classSizesOf(generalisedRows, qi.map((_, i) => i), suppressed);
    const after = reidentificationRisk(afterClasses, config.riskThreshold);
    let discernibility = 0;
    for (const size of afterClasses) discernibility += size * size;
    const suppressedCount = suppressed.reduce((a, b) => a + b, 0);
    discernibility += suppressedCount * n;

    // 4. Output columns: generalised quasi-identifiers, transformed or kept others; suppressed records removed.
    ctx.onProgress(0.7, 'writing the new version');
    const key = ctx.secrets.pseudonymisation;
    if (!key) throw new XinzhiError('E_INTERNAL', 'The pseudonymisation key was not handed to the worker', { message: 'missing key' });
    const keep: number[] = [];
    // Cell suppression keeps the records, whose quasi-identifier labels are already `*`.
    for (let r = 0; r < n; r++) if (config.suppression === 'cell' || !suppressed[r]) keep.push(r);
    const outColumns: Column[] = [];
    const outBatches: ColumnBatch[] = [];
    /** The published columns, as the utility model sees them. */
    const utilityColumns: { name: string; values: (string | number | null)[] }[] = [];
    let mappingTable: string | null = null;
    for (let c = 0; c < names.length; c++) {
      const name = names[c]!;
      const spec = config.columns[name];
      const source = params.sourceColumns[c]!;
      if (spec?.role === 'quasi') {
        const column = labels[qiNames.indexOf(name)]!;
        outColumns.push({ name, type: 'text', sourceName: source.sourceName ?? name });
        outBatches.push({ kind: 'text', values: keep.map((r) => column[r]!), nulls: null });
        utilityColumns.push({ name, values: keep.map((r) => column[r]!) });
        continue;
      }
      const transform: ColumnTransformSpec | undefined = spec?.transform ?? (spec?.role === 'identifying' ? { kind: 'drop' } : undefined);
      if (transform?.kind === 'drop') continue;
      const kept = keep.map((r) => data[c]![r]!);
      const out = transform && transform.kind !== 'keep' ? applyTransform(kept, transform, { crypto: nodePrivacyCrypto, key }) : { values: kept };
      if ('mapping' in out && out.mapping && out.mapping.length > 0) {
        // Reversible pseudonyms: the originals, encrypted under the workspace key, beside the version.
        mappingTable = `${params.stagingTable}_map`;
        db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdent(mappingTable)} (column_name TEXT NOT NULL, pseudonym TEXT NOT NULL, token TEXT NOT NULL, PRIMARY KEY (column_name, pseudonym)) STRICT`);
        const insert = db.prepare(`INSERT OR IGNORE INTO ${quoteIdent(mappingTable)} (pseudonym, column_name, token) VALUES (?, ?, ?)`);
        db.transaction(() => {
          for (const m of out.mapping!) insert.run(m.pseudonym, name, m.token);
        })();
      }
      const type = outputType(source.type, transform);
      outColumns.push({ name, type, sourceName: source.sourceName ?? name });
      const values = out.values;
      utilityColumns.push({ name, values });
      const nulls = new Uint8Array(values.length);
      let anyNull = false;
      values.forEach((v, i) => {
        if (v === null) {
          nulls[i] = 1;
          anyNull = true;
        }
      });
      if (type === 'integer' || type === 'real' || type === 'boolean') {
        outBatches.push({ kind: 'number', values: Float64Array.from(values, (v) => (v === null ? 0 : Number(v))), nulls: anyNull ? nulls : null });
      } else {
        outBatches.push({ kind: 'text', values: values.map((v) => (v === null ? null : String(v))), nulls: anyNull ? nulls : null });
      }
    }
    staging = new StagingTable(db, params.stagingTable, outColumns.map((c) => c.name), outColumns.map((c) => c.type));
    staging.insert(outBatches, keep.length);

    // 5. Utility for ML: the same quick model on the original and on the published rows (same rows, same split).
    let utility: StagedAnonymisation['result']['utility'] = null;
    if (config.utility) {
      const target = config.utility.target;
      if (!names.includes(target)) throw new XinzhiError('E_INVALID_INPUT', `No column ${target}`, { path: 'utility.target', issue: `the version has no column “${target}”` });
      if (!utilityColumns.some((c) => c.name === target)) {
        throw new XinzhiError('E_INVALID_INPUT', `Target ${target} is not published`, { path: 'utility.target', issue: `the target “${target}” is dropped by the setup` });
      }
      ctx.onProgress(0.85, 'measuring utility');
      const originalColumns = names
        .filter((name) => utilityColumns.some((c) => c.name === name))
        .map((name) => ({ name, values: keep.map((r) => data[names.indexOf(name)]![r]!) }));
      const measured = mlUtility({ columns: originalColumns }, { columns: utilityColumns }, target);
      utility = {
        target,
        accuracyOriginal: measured.accuracyOriginal,
        accuracyAnonymised: measured.accuracyAnonymised,
        delta: measured.delta,
        rows: measured.rows,
        features: measured.features.anonymised,
      };
    }
    ctx.onProgress(1, `${keep.length} rows`, { rows: keep.length });

    const classSizes = Array.from(afterClasses);
    const staged: StagedAnonymisation = {
      columns: outColumns,
      rowCount: keep.length,
      mappingTable,
      result: {
        satisfied: config.models.map((m) => ({ ...m })),
        node,
        suppressedRows: suppressedCount,
        rowCount: keep.length,
        infoLoss: { loss: arxLoss, granularity, discernibility, avgClassSize: classSizes.length ? keep.length / classSizes.length : 0 },
        risk: { before, after },
        classes: classSizes.length,
        smallestClass: classSizes.length ? Math.min(...classSizes) : 0,
        nodesChecked,
        searchMs: Math.round(searchMs * 10) / 10,
        algorithm: config.algorithm,
        utility,
      },
    };
    return staged;
  } catch (err) {
    staging?.drop();
    throw err;
  } finally {
    db.close();
  }
});
