/**
 * The scenarios domain: a template's pipeline as one orchestrating job (import the sample or take the user's
 * mapped versions → validate → train, score and explain through the Model studio's jobs → compute the dashboard),
 * stored runs, and what-if recomputation (a plan re-solved, scores re-cut) as a fast procedure.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Implements } from '../../shared/contract/procedure.js';
import type { scenarios } from '../../shared/contract/scenarios.js';
import type { Dashboard, Mapping, MappingProblem, ScenarioId, ScenarioRun, ScenarioRunSummary, ScenarioTemplate, WhatIf } from '../../shared/model/scenarios.js';
import { TrainRequestSchema, type ModelRecord } from '../../shared/model/training.js';
import type { Explanation } from '../../shared/model/training.js';
import type { ImportResult } from '../../shared/model/catalog.js';
import type { Job } from '../../shared/model/jobs.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';
import { quoteIdent } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { ScenariosRepo } from '../catalog/scenarios-repo.js';
import { appendAudit } from '../catalog/audit-log.js';
import { newId, nowIso } from '../catalog/ids.js';
import type { InlineJobContext, JobManager } from '../jobs/job-manager.js';
import type { CatalogService } from './catalog-service.js';
import type { TrainingService } from './training-service.js';
import { TEMPLATES, templateOf } from '../core/scenarios/templates.js';
import { guessMapping, mappedColumns, validateMapping, type TableFacts } from '../core/scenarios/validate.js';
import { generatePlanSample, planDashboard, planTablesCsv, type PlanInput } from '../core/scenarios/planning.js';
import { maintenanceDashboard, type MaintenanceBase } from '../core/scenarios/maintenance.js';
import { ageBand, creditDashboard, sexOf, type CreditBase } from '../core/scenarios/credit.js';
import { generateSupplySample, supplyDashboard, supplyTablesCsv, type SupplyInput } from '../core/scenarios/supply-chain.js';
import { generateShopSample, holdOutByTime, implicitTrainingRows, retailDashboard, shopTablesCsv, timeOf, type RetailBase } from '../core/scenarios/retail.js';
import { complaintTerms, generateServiceSample, isNegative, serviceDashboard, serviceTablesCsv, type ServiceBase } from '../core/scenarios/service-desk.js';
import { encodeTarget, stratifiedSplit, targetClasses, targetLabels } from '../core/ml/pipeline.js';
import { rocAuc } from '../core/ml/metrics.js';

/** Seed of the scenario models; the held-out rows are the Model studio's own test split for this seed. */
const SEED = 42;
const SAMPLE_FILES: Partial<Record<ScenarioId, string>> = {
  'predictive-maintenance': 'predictive-maintenance/ai4i2020.csv',
  'credit-risk': 'credit-risk/german.csv',
};

type Version = ReturnType<DatasetsRepo['getVersion']>;

export class ScenariosService implements Implements<typeof scenarios> {
  private readonly datasets: DatasetsRepo;
  private readonly runs: ScenariosRepo;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobManager,
    private readonly catalog: CatalogService,
    private readonly training: TrainingService,
    private readonly workspace: string,
    private readonly appRoot: string,
    private readonly actor: string,
  ) {
    this.datasets = new DatasetsRepo(db);
    this.runs = new ScenariosRepo(db);
  }

  listTemplates(): ScenarioTemplate[] {
    return [...TEMPLATES];
  }

  runSample(input: { scenarioId: ScenarioId }): { jobId: string } {
    const template = templateOf(input.scenarioId);
    const job = this.jobs.startInline({
      kind: 'scenario',
      title: `${template.title.en} · sample`,
      params: { scenarioId: template.id, source: 'sample' },
      run: async (ctx) => {
        ctx.onProgress(0, 'Importing the sample');
        const versions = await this.importSample(template, ctx);
        const mapping: Mapping = {};
        for (const table of template.tables) {
          const version = this.datasets.getVersion(versions[table.key] as string);
          mapping[table.key] = { versionId: version.id, columns: guessMapping(table, version.columns) };
        }
        return this.pipeline(template, mapping, 'sample', ctx);
      },
    });
    return { jobId: job.id };
  }

  validateMapping(input: { scenarioId: ScenarioId; mapping: Mapping }): { ok: boolean; problems: MappingProblem[] } {
    const problems = this.problems(templateOf(input.scenarioId), input.mapping);
    return { ok: problems.length === 0, problems };
  }

  runOwn(input: { scenarioId: ScenarioId; mapping: Mapping }): { jobId: string } {
    const template = templateOf(input.scenarioId);
    const problems = this.problems(template, input.mapping);
    if (problems.length > 0) throw new XinzhiError('E_INVALID_INPUT', problems.map((p) => p.message).join('; '), { path: 'mapping', issue: problems.map((p) => p.message).join('; ') });
    const job = this.jobs.startInline({
      kind: 'scenario',
      title: `${template.title.en} · own data`,
      params: { scenarioId: template.id, source: 'own', mapping: input.mapping },
      run: (ctx) => this.pipeline(template, input.mapping, 'own', ctx),
    });
    return { jobId: job.id };
  }

  listRuns(input: { scenarioId?: ScenarioId | undefined }): ScenarioRunSummary[] {
    return this.runs.list(input.scenarioId);
  }

  getRun(input: { runId: string }): ScenarioRun {
    return this.runs.get(input.runId);
  }

  async updateWhatIf(input: { runId: string; whatIf: WhatIf }): Promise<ScenarioRun> {
    const run = this.runs.get(input.runId);
    const allowed = new Map(run.dashboard.controls.map((c) => [c.key, c]));
    for (const [key, value] of Object.entries(input.whatIf)) {
      const control = allowed.get(key);
      if (!control) throw new XinzhiError('E_INVALID_INPUT', `No what-if control ${key}`, { path: `whatIf.${key}`, issue: `this scenario has no control “${key}”` });
      if (!Number.isFinite(value) || value < control.min || value > control.max) throw new XinzhiError('E_INVALID_INPUT', `${key} must be in ${control.min}…${control.max}`, { path: `whatIf.${key}`, issue: `must be between ${control.min} and ${control.max}` });
    }
    const whatIf = { ...run.dashboard.whatIf, ...input.whatIf };
    const dashboard = await this.dashboardOf(run.scenarioId, this.runs.base(run.id), whatIf);
    const updatedAt = nowIso();
    this.db.transaction(() => {
      this.runs.updateDashboard(run.id, dashboard, updatedAt);
      appendAudit(this.db, { actor: this.actor, action: 'scenario.whatif', target: run.id, details: { scenario: run.scenarioId, whatIf } });
    })();
    return { ...run, dashboard, updatedAt };
  }

  deleteRun(input: { runId: string }): { deleted: boolean } {
    const run = this.runs.get(input.runId);
    this.db.transaction(() => {
      this.runs.delete(run.id);
      appendAudit(this.db, { actor: this.actor, action: 'scenario.delete', target: run.id, details: { scenario: run.scenarioId } });
    })();
    return { deleted: true };
  }

  // ------------------------------------------------------------------ the pipeline

  private async pipeline(template: ScenarioTemplate, mapping: Mapping, source: 'sample' | 'own', ctx: InlineJobContext): Promise<{ runId: string }> {
    ctx.onProgress(0.1, 'Checking the columns');
    const problems = this.problems(template, mapping);
    if (problems.length > 0) throw new XinzhiError('E_INVALID_INPUT', problems.map((p) => p.message).join('; '), { path: 'mapping', issue: problems.map((p) => p.message).join('; ') });
    let computed: { base: unknown; modelIds: string[]; facts: ScenarioRun['facts'] };
    if (template.id === 'production-planning') computed = { base: this.planInput(mapping), modelIds: [], facts: {} };
    else if (template.id === 'supply-chain') {
      const input = this.supplyInput(mapping);
      computed = { base: input, modelIds: [], facts: { supplyLinks: input.supplies.length, bomLinks: input.bom.length, products: input.products.length } };
    }
    else if (template.id === 'predictive-maintenance') computed = await this.maintenance(mapping, ctx);
    else if (template.id === 'retail-recommendation') computed = await this.retail(mapping, ctx);
    else if (template.id === 'customer-service') computed = await this.customerService(mapping, ctx);
    else computed = await this.credit(mapping, ctx);
    checkAborted(ctx.signal);
    ctx.onProgress(0.97, 'Computing the dashboard');
    const dashboard = await this.dashboardOf(template.id, computed.base, {});
    if (template.id === 'production-planning') {
      computed.facts = {
        products: (computed.base as PlanInput).products.length,
        resources: (computed.base as PlanInput).resources.length,
        solver: 'HiGHS',
        status: dashboard.notes[0]?.params.status ?? '',
      };
    }
    const now = nowIso();
    const run: ScenarioRun = { id: newId('scn'), scenarioId: template.id, source, mapping, modelIds: computed.modelIds, facts: computed.facts, dashboard, jobId: ctx.jobId, createdAt: now, updatedAt: now };
    this.db.transaction(() => {
      this.runs.insert(run, computed.base);
      appendAudit(this.db, {
        actor: this.actor,
        action: 'scenario.run',
        target: run.id,
        details: { scenario: template.id, source, versions: Object.values(mapping).map((m) => m.versionId), models: run.modelIds },
      });
    })();
    ctx.onProgress(1, 'Done');
    return { runId: run.id };
  }

  private dashboardOf(id: ScenarioId, base: unknown, whatIf: WhatIf): Promise<Dashboard> | Dashboard {
    if (id === 'production-planning') return planDashboard(base as PlanInput, whatIf).then((r) => r.dashboard);
    if (id === 'predictive-maintenance') return maintenanceDashboard(base as MaintenanceBase, whatIf);
    if (id === 'supply-chain') return supplyDashboard(base as SupplyInput, whatIf);
    if (id === 'retail-recommendation') return retailDashboard(base as RetailBase, whatIf);
    if (id === 'customer-service') return serviceDashboard(base as ServiceBase, whatIf);
    return creditDashboard(base as CreditBase, whatIf);
  }

  /** Imports the sample's tables (shipped CSV files, or generated ones) into the catalog; table key → version id. */
  private async importSample(template: ScenarioTemplate, ctx: InlineJobContext): Promise<Record<string, string>> {
    const files: Record<string, string> = {};
    let scratch: string | null = null;
    const generated: Partial<Record<ScenarioId, () => [string, Record<string, string>]>> = {
      'production-planning': () => ['factory', { ...planTablesCsv(generatePlanSample()) }],
      'supply-chain': () => ['network', { ...supplyTablesCsv(generateSupplySample()) }],
      'retail-recommendation': () => ['shop', shopTablesCsv(generateShopSample())],
      'customer-service': () => ['service', serviceTablesCsv(generateServiceSample())],
    };
    const generate = generated[template.id];
    if (generate) {
      scratch = join(this.workspace, 'tmp', `scenario-${ctx.jobId}`);
      mkdirSync(scratch, { recursive: true });
      const [prefix, csv] = generate();
      for (const [key, text] of Object.entries(csv)) {
        const path = join(scratch, `${prefix}-${key}.csv`);
        writeFileSync(path, text);
        files[key] = path;
      }
    } else {
      const table = template.tables[0]?.key as string;
      files[table] = join(this.appRoot, 'assets', 'scenarios', SAMPLE_FILES[template.id] as string);
    }
    try {
      const versions: Record<string, string> = {};
      const keys = Object.keys(files);
      for (const [k, key] of keys.entries()) versions[key] = await this.importCsv(files[key] as string, ctx, (0.1 * k) / keys.length, (0.1 * (k + 1)) / keys.length);
      return versions;
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** Imports one CSV file into the catalog (a normal import job); its version id. */
  private async importCsv(path: string, ctx: InlineJobContext, from: number, to: number): Promise<string> {
    const { jobId } = this.catalog.importFile({ path, format: 'csv', encoding: 'auto', delimiter: 'auto', header: 'yes', skipBadRows: false, quote: 'auto', trimSpaces: true, columnTypes: {}, naValues: [] });
    const job = await this.child(jobId, ctx, from, to);
    return (job.result as ImportResult).versionId;
  }

  /** Waits for a child job, mapping its progress into [from, to] of this one; cancelling this job cancels it. */
  private async child(jobId: string, ctx: InlineJobContext, from: number, to: number): Promise<Job> {
    const onAbort = () => this.jobs.cancel(jobId);
    ctx.signal.addEventListener('abort', onAbort);
    const timer = setInterval(() => {
      const job = this.jobs.get(jobId);
      ctx.onProgress(from + (to - from) * job.progress, job.message);
    }, 250);
    try {
      const job = await this.jobs.wait(jobId);
      checkAborted(ctx.signal);
      if (job.state !== 'succeeded') throw new XinzhiError(job.error?.code ?? 'E_INTERNAL', `${job.title}: ${job.error?.message ?? job.state}`, job.error?.params ?? {});
      ctx.onProgress(to, job.message);
      return job;
    } finally {
      clearInterval(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  // ------------------------------------------------------------------ reading mapped tables

  private problems(template: ScenarioTemplate, mapping: Mapping): MappingProblem[] {
    const facts: Record<string, TableFacts | undefined> = {};
    for (const table of template.tables) {
      const m = mapping[table.key];
      if (!m) continue;
      let version: Version;
      try {
        version = this.datasets.getVersion(m.versionId);
      } catch {
        continue;
      }
      const names = [...new Set(table.roles.flatMap((r) => mappedColumns(m, r.key)))].filter((n) => version.columns.some((c) => c.name === n));
      facts[table.key] = { columns: version.columns.map((c) => ({ name: c.name, type: c.type })), values: this.readColumns(version, names) };
    }
    return validateMapping(template, mapping, facts);
  }

  private readColumns(version: Version, names: string[]): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
    if (names.length === 0) return out;
    const stmt = this.db.prepare(`SELECT ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(version.tableName)} ORDER BY rowid`).raw(true);
    for (const row of stmt.iterate() as Iterable<unknown[]>) names.forEach((n, i) => (out[n] as unknown[]).push(row[i]));
    return out;
  }

  private column(mapping: Mapping, table: string, role: string): string | null {
    return mappedColumns(mapping[table], role)[0] ?? null;
  }

  private planInput(mapping: Mapping): PlanInput {
    const read = (table: string, roles: string[]) => {
      const version = this.datasets.getVersion((mapping[table] as Mapping[string]).versionId);
      const cols = roles.map((r) => this.column(mapping, table, r));
      const values = this.readColumns(version, cols.filter((c): c is string => c !== null));
      const rows = version.rowCount;
      return roles.map((_, i) => (cols[i] ? (values[cols[i] as string] as unknown[]) : new Array<unknown>(rows).fill(null)));
    };
    const [pid, price, cost, min, max] = read('products', ['product', 'price', 'unitCost', 'minDemand', 'maxDemand']) as unknown[][];
    const [rid, cap] = read('resources', ['resource', 'capacity']) as unknown[][];
    const [up, ur, ua] = read('usage', ['product', 'resource', 'amount']) as unknown[][];
    const n = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
    return {
      products: (pid as unknown[]).map((id, i) => ({ id: String(id), price: n(price?.[i], 0), unitCost: n(cost?.[i], 0), minDemand: n(min?.[i], 0), maxDemand: n(max?.[i], Infinity) })),
      resources: (rid as unknown[]).map((id, i) => ({ id: String(id), capacity: n(cap?.[i], 0) })),
      usage: (up as unknown[]).map((p, i) => ({ product: String(p), resource: String(ur?.[i]), amount: n(ua?.[i], 0) })),
    };
  }

  private supplyInput(mapping: Mapping): SupplyInput {
    const read = (table: string, roles: string[]) => {
      const version = this.datasets.getVersion((mapping[table] as Mapping[string]).versionId);
      const cols = roles.map((r) => this.column(mapping, table, r) as string);
      const values = this.readColumns(version, cols);
      return roles.map((_, i) => values[cols[i] as string] as unknown[]);
    };
    const [sup, sPart] = read('supplies', ['supplier', 'part']) as unknown[][];
    const [bProduct, bPart] = read('bom', ['product', 'part']) as unknown[][];
    const [pProduct, plant, revenue] = read('products', ['product', 'plant', 'revenue']) as unknown[][];
    return {
      supplies: (sup as unknown[]).map((s, i) => ({ supplier: String(s), part: String(sPart?.[i]) })),
      bom: (bProduct as unknown[]).map((p, i) => ({ product: String(p), part: String(bPart?.[i]) })),
      products: (pProduct as unknown[]).map((p, i) => ({ product: String(p), plant: String(plant?.[i]), revenue: typeof revenue?.[i] === 'number' ? (revenue[i] as number) : 0 })),
    };
  }

  // ------------------------------------------------------------------ the model studio steps

  private async trainModel(request: Parameters<TrainingService['trainModel']>[0], ctx: InlineJobContext, from: number, to: number): Promise<ModelRecord> {
    const { jobId } = this.training.trainModel(request);
    return (await this.child(jobId, ctx, from, to)).result as ModelRecord;
  }

  /** Scores a version with a model (a new version with `prediction` and `score`) and reads the score column. */
  private async scores(modelId: string, versionId: string, ctx: InlineJobContext, from: number, to: number): Promise<number[]> {
    const { jobId } = this.training.predict({ modelId, versionId });
    const job = await this.child(jobId, ctx, from, to);
    const scored = this.datasets.getVersion((job.result as { versionId: string }).versionId);
    const scoreColumn = scored.columns[scored.columns.length - 1]?.name as string;
    return (this.readColumns(scored, [scoreColumn])[scoreColumn] as unknown[]).map((v) => (typeof v === 'number' ? v : Number.NaN));
  }

  private async explain(modelId: string, rows: number[], ctx: InlineJobContext, from: number, to: number): Promise<Explanation> {
    const { jobId } = this.training.explain({ modelId, rows });
    return (await this.child(jobId, ctx, from, to)).result as Explanation;
  }

  /** The Model studio's test rows for this target and seed (the same stratified split its train worker makes). */
  private heldOut(values: unknown[], target: string): { test: Int32Array; y: Uint8Array } {
    const table = { columns: [{ name: target, values: values.map((v) => (v === null || v === undefined ? null : (v as string | number))) }] };
    // As the train worker does: two values are a binary task, more a multiclass one (the intent of a message).
    const distinct = new Set(values.map((v) => String(v))).size;
    const classes = distinct === 2 ? targetClasses(table as Parameters<typeof targetClasses>[0], target) : targetLabels(table as Parameters<typeof targetLabels>[0], target);
    const y = encodeTarget(table as Parameters<typeof encodeTarget>[0], target, classes);
    return { test: stratifiedSplit(y, SEED).test, y };
  }

  private async maintenance(mapping: Mapping, ctx: InlineJobContext): Promise<{ base: MaintenanceBase; modelIds: string[]; facts: ScenarioRun['facts'] }> {
    const m = mapping.readings as Mapping[string];
    const version = this.datasets.getVersion(m.versionId);
    const failure = this.column(mapping, 'readings', 'failure') as string;
    const sensors = mappedColumns(m, 'sensors');
    const group = this.column(mapping, 'readings', 'group');
    const machine = this.column(mapping, 'readings', 'machine');
    const types = mappedColumns(m, 'failureTypes');
    const features = group ? [...sensors, group] : sensors;
    ctx.onProgress(0.12, 'Training the failure classifier');
    // A small MLP: failures depend on products and differences of sensors (power = torque × speed), which a linear model misses.
    const classifier = await this.trainModel(
      { versionId: version.id, target: failure, features, family: 'mlp', epochs: 40, batchSize: 128, seed: SEED, hyper: { hidden: [32, 16] }, threshold: 'f1', trials: 8, name: `Predictive maintenance · ${failure}` },
      ctx,
      0.12,
      0.5,
    );
    ctx.onProgress(0.5, 'Training the anomaly detector');
    const detector = await this.trainModel(
      { versionId: version.id, target: failure, features: sensors, family: 'anomaly', epochs: 1, batchSize: 256, seed: SEED, hyper: {}, trials: 8, name: 'Predictive maintenance · sensor anomalies' },
      ctx,
      0.5,
      0.6,
    );
    const risk = await this.scores(classifier.id, version.id, ctx, 0.6, 0.72);
    const anomaly = await this.scores(detector.id, version.id, ctx, 0.72, 0.82);
    const explanation = await this.explain(classifier.id, [0], ctx, 0.82, 0.95);
    const cols = this.readColumns(version, [failure, ...(machine ? [machine] : []), ...(group ? [group] : []), ...types]);
    const { test, y } = this.heldOut(cols[failure] as unknown[], failure);
    const pick = <T>(a: ArrayLike<T>) => Array.from(test, (r) => a[r] as T);
    const label = Array.from(pick(y), Number);
    const score = pick(risk);
    const anomalyScores = pick(anomaly);
    const base: MaintenanceBase = {
      heldOut: {
        score,
        label,
        anomaly: anomalyScores,
        machine: machine ? pick(cols[machine] as unknown[]).map(String) : Array.from(test, (r) => String(r + 1)),
        group: group ? pick(cols[group] as unknown[]).map(String) : Array.from(test, () => ''),
      },
      failureTypes: types.map((t) => ({ name: t, count: (cols[t] as unknown[]).filter((v) => v === true || Number(v) === 1).length })),
      drivers: explanation.importance.map((i) => ({ feature: i.feature, importance: i.mean })).sort((a, b) => b.importance - a.importance).slice(0, 10),
      rocAuc: label.some((l) => l === 1) && label.some((l) => l === 0) ? rocAuc(label, score) : null,
      anomalyAuc: label.some((l) => l === 1) && label.some((l) => l === 0) ? rocAuc(label, anomalyScores) : null,
      ...(typeof classifier.params.hyper === 'object' && classifier.params.hyper !== null && typeof (classifier.params.hyper as Record<string, unknown>).decisionThreshold === 'number'
        ? { defaultThreshold: (classifier.params.hyper as Record<string, number>).decisionThreshold }
        : {}),
    };
    return {
      base,
      modelIds: [classifier.id, detector.id],
      facts: { rows: version.rowCount, heldOutRows: test.length, classifier: classifier.family, classifierRocAuc: classifier.metrics.roc_auc ?? Number.NaN, detector: detector.family, failures: y.reduce((s, v) => s + v, 0) },
    };
  }

  private async credit(mapping: Mapping, ctx: InlineJobContext): Promise<{ base: CreditBase; modelIds: string[]; facts: ScenarioRun['facts'] }> {
    const m = mapping.applicants as Mapping[string];
    const version = this.datasets.getVersion(m.versionId);
    const outcome = this.column(mapping, 'applicants', 'outcome') as string;
    const features = mappedColumns(m, 'features').filter((f) => f !== outcome);
    const sexColumn = this.column(mapping, 'applicants', 'sex');
    const ageColumn = this.column(mapping, 'applicants', 'age');
    ctx.onProgress(0.12, 'Training the credit scorecard');
    // Logistic regression: a scorecard whose per-applicant reasons are exact (coefficient × deviation from the mean).
    const model = await this.trainModel(
      { versionId: version.id, target: outcome, features, family: 'logistic', epochs: 60, batchSize: 64, seed: SEED, hyper: {}, trials: 8, name: `Credit risk · ${outcome}` },
      ctx,
      0.12,
      0.55,
    );
    const risk = await this.scores(model.id, version.id, ctx, 0.55, 0.7);
    const cols = this.readColumns(version, [outcome, ...(sexColumn ? [sexColumn] : []), ...(ageColumn ? [ageColumn] : [])]);
    const { test, y } = this.heldOut(cols[outcome] as unknown[], outcome);
    // Reasons for the 20 riskiest held-out applicants (the explain job's per-row contributions).
    const riskiest = Array.from(test)
      .sort((a, b) => (risk[b] as number) - (risk[a] as number))
      .slice(0, 20);
    const explanation = await this.explain(model.id, riskiest, ctx, 0.7, 0.95);
    const pick = <T>(a: ArrayLike<T>) => Array.from(test, (r) => a[r] as T);
    const base: CreditBase = {
      heldOut: {
        score: pick(risk),
        bad: Array.from(pick(y), Number),
        sex: sexColumn ? pick(cols[sexColumn] as unknown[]).map((v) => sexOf(String(v))) : Array.from(test, () => ''),
        ageBand: ageColumn ? pick(cols[ageColumn] as unknown[]).map((v) => ageBand(typeof v === 'number' ? v : null)) : Array.from(test, () => ''),
      },
      reasons: explanation.contributions.map((c) => ({
        index: c.row,
        applicant: `#${c.row + 1}`,
        score: risk[c.row] as number,
        top: [...c.values].sort((a, b) => b.value - a.value).slice(0, 3),
      })),
      rocAuc: null,
    };
    const labels = base.heldOut.bad;
    base.rocAuc = labels.some((l) => l === 1) && labels.some((l) => l === 0) ? rocAuc(labels, base.heldOut.score) : null;
    return { base, modelIds: [model.id], facts: { rows: version.rowCount, heldOutRows: test.length, model: model.family, modelRocAuc: model.metrics.roc_auc ?? Number.NaN, bads: y.reduce((s, v) => s + v, 0) } };
  }

  /**
   * Retail: hold out the last 20 % of each customer's interactions by time, import the rest (liked purchases
   * as positives with sampled negatives: implicitTrainingRows) as the training version, train the Model studio's `mf` family on it (its
   * defaults), and read the user and item factors from the saved model to rank every unseen item per customer.
   */
  private async retail(mapping: Mapping, ctx: InlineJobContext): Promise<{ base: RetailBase; modelIds: string[]; facts: ScenarioRun['facts'] }> {
    const itemsVersion = this.datasets.getVersion((mapping.items as Mapping[string]).versionId);
    const itemCol = this.column(mapping, 'items', 'item') as string;
    const nameCol = this.column(mapping, 'items', 'itemName');
    const categoryCol = this.column(mapping, 'items', 'category') as string;
    const itemValues = this.readColumns(itemsVersion, [...new Set([itemCol, categoryCol, ...(nameCol ? [nameCol] : [])])]);
    const items = (itemValues[itemCol] as unknown[]).map((id, i) => ({ id: String(id), name: nameCol ? String((itemValues[nameCol] as unknown[])[i]) : String(id), category: String((itemValues[categoryCol] as unknown[])[i]) }));
    const version = this.datasets.getVersion((mapping.interactions as Mapping[string]).versionId);
    const [customerCol, itemRef, ratingCol, timeCol] = ['customer', 'item', 'rating', 'time'].map((r) => this.column(mapping, 'interactions', r) as string) as [string, string, string, string];
    const cols = this.readColumns(version, [...new Set([customerCol, itemRef, timeCol, ...(ratingCol ? [ratingCol] : [])])]);
    const customers = (cols[customerCol] as unknown[]).map(String);
    const itemIds = (cols[itemRef] as unknown[]).map(String);
    const ratings = ratingCol ? (cols[ratingCol] as (number | null)[]) : customers.map(() => null);
    const held = holdOutByTime(customers, (cols[timeCol] as unknown[]).map(timeOf));

    ctx.onProgress(0.12, 'Holding out the latest interactions');
    const scratch = join(this.workspace, 'tmp', `scenario-${ctx.jobId}-train`);
    mkdirSync(scratch, { recursive: true });
    let trainVersion: string;
    try {
      const path = join(scratch, 'retail-training-interactions.csv');
      const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      const rows = implicitTrainingRows(customers, itemIds, ratings, held.map((h) => !h), items.map((it) => it.id), SEED);
      const lines = ['customer,item,preference', ...rows.map((r) => `${cell(r.customer)},${cell(r.item)},${r.preference}`)];
      writeFileSync(path, lines.join('\n') + '\n');
      trainVersion = await this.importCsv(path, ctx, 0.12, 0.2);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    ctx.onProgress(0.2, 'Training the recommender (matrix factorisation)');
    // The family's defaults but a stronger ridge penalty: 0/1 preferences with ~30 rows per customer overfit at the
    // explicit-rating default λ = 0.01 (precision@10 on the sample: 0.098 at λ 0.05, 0.115 at 0.1, 0.112 at 0.2).
    const model = await this.trainModel(TrainRequestSchema.parse({ versionId: trainVersion, target: 'preference', family: 'mf', userColumn: 'customer', itemColumn: 'item', seed: SEED, hyper: { l2: 0.1 }, name: 'Retail recommendation · matrix factorisation' }), ctx, 0.2, 0.9);
    checkAborted(ctx.signal);
    ctx.onProgress(0.9, 'Ranking unseen items per customer');
    const dir = join(this.workspace, 'models', model.id);
    const est = JSON.parse(readFileSync(join(dir, 'estimator.json'), 'utf8')) as RetailBase['model'] & { userIds?: string[]; itemIds?: string[] };
    const pipelineFile = JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8')) as { pairs?: { userIds: string[]; itemIds: string[] } };
    const userIds = est.userIds ?? pipelineFile.pairs?.userIds ?? [];
    const modelItems = est.itemIds ?? pipelineFile.pairs?.itemIds ?? [];
    const catalogue = new Map(items.map((it, i) => [it.id, i]));
    const userIndex = new Map(userIds.map((u, i) => [u, i]));
    const seen: number[][] = userIds.map(() => []);
    const heldOut: number[][] = userIds.map(() => []);
    const popularity = new Array<number>(items.length).fill(0);
    customers.forEach((c, r) => {
      const u = userIndex.get(c);
      const i = catalogue.get(itemIds[r] as string);
      if (i === undefined) return;
      if (!held[r]) popularity[i]!++;
      if (u === undefined) return;
      (held[r] ? heldOut : seen)[u]!.push(i);
    });
    const base: RetailBase = {
      items,
      popularity,
      model: { factors: est.factors, globalMean: est.globalMean, userIds, itemIds: modelItems, userBias: est.userBias, itemBias: est.itemBias, P: est.P, Q: est.Q },
      seen,
      heldOut,
      rmse: model.metrics.rmse ?? null,
    };
    return {
      base,
      modelIds: [model.id],
      facts: { interactions: customers.length, heldOutInteractions: held.filter(Boolean).length, customers: userIds.length, items: items.length, model: model.family, modelRmse: model.metrics.rmse ?? Number.NaN, factors: est.factors },
    };
  }

  /** Reads a scored version's `prediction` and `score` columns (the last two the score job writes). */
  private async predictions(modelId: string, versionId: string, ctx: InlineJobContext, from: number, to: number): Promise<{ predicted: string[]; score: number[] }> {
    const { jobId } = this.training.predict({ modelId, versionId });
    const job = await this.child(jobId, ctx, from, to);
    const scored = this.datasets.getVersion((job.result as { versionId: string }).versionId);
    const [predCol, scoreCol] = scored.columns.slice(-2).map((c) => c.name) as [string, string];
    const values = this.readColumns(scored, [predCol, scoreCol]);
    return { predicted: (values[predCol] as unknown[]).map((v) => String(v)), score: (values[scoreCol] as unknown[]).map((v) => (typeof v === 'number' ? v : Number.NaN)) };
  }

  /**
   * Customer service: two Model studio text classifiers on the message column (intent, sentiment), scored on every
   * message; routing figures on the intent model's held-out rows, sentiment accuracy on the sentiment model's.
   */
  private async customerService(mapping: Mapping, ctx: InlineJobContext): Promise<{ base: ServiceBase; modelIds: string[]; facts: ScenarioRun['facts'] }> {
    const version = this.datasets.getVersion((mapping.messages as Mapping[string]).versionId);
    const messageCol = this.column(mapping, 'messages', 'message') as string;
    const intentCol = this.column(mapping, 'messages', 'intent') as string;
    const sentimentCol = this.column(mapping, 'messages', 'sentiment') as string;
    const timeCol = this.column(mapping, 'messages', 'time');
    const idCol = this.column(mapping, 'messages', 'messageId');
    // Mixed Chinese and English: the zh analyser (ICU word segmentation) also splits English words.
    const train = (target: string, label: string, from: number, to: number) =>
      this.trainModel(TrainRequestSchema.parse({ versionId: version.id, target, features: [messageCol], family: 'text', seed: SEED, hyper: { lang: 'zh' }, name: `Customer service · ${label}` }), ctx, from, to);
    ctx.onProgress(0.12, 'Training the intent classifier');
    const intentModel = await train(intentCol, 'intent', 0.12, 0.4);
    ctx.onProgress(0.4, 'Training the sentiment classifier');
    const sentimentModel = await train(sentimentCol, 'sentiment', 0.4, 0.68);
    const intentOut = await this.predictions(intentModel.id, version.id, ctx, 0.68, 0.8);
    const sentimentOut = await this.predictions(sentimentModel.id, version.id, ctx, 0.8, 0.92);
    const cols = this.readColumns(version, [...new Set([messageCol, intentCol, sentimentCol, ...(timeCol ? [timeCol] : []), ...(idCol ? [idCol] : [])])]);
    const messages = (cols[messageCol] as unknown[]).map((v) => String(v ?? ''));
    const intents = (cols[intentCol] as unknown[]).map(String);
    const sentiments = (cols[sentimentCol] as unknown[]).map(String);
    const intentTest = this.heldOut(cols[intentCol] as unknown[], intentCol).test;
    const sentimentTest = this.heldOut(cols[sentimentCol] as unknown[], sentimentCol).test;
    const pick = <T>(a: ArrayLike<T>) => Array.from(intentTest, (r) => a[r] as T);
    const share = (rows: Int32Array, truth: string[], predicted: string[]) => (rows.length > 0 ? Array.from(rows).filter((r) => truth[r] === predicted[r]).length / rows.length : null);
    const byDay = new Map<string, { negative: number; predictedNegative: number; total: number }>();
    if (timeCol) {
      (cols[timeCol] as unknown[]).forEach((v, r) => {
        const ms = timeOf(v);
        if (!Number.isFinite(ms)) return;
        const day = new Date(ms).toISOString().slice(0, 10);
        const d = byDay.get(day) ?? { negative: 0, predictedNegative: 0, total: 0 };
        d.total++;
        if (isNegative(sentiments[r] as string)) d.negative++;
        if (isNegative(sentimentOut.predicted[r] as string)) d.predictedNegative++;
        byDay.set(day, d);
      });
    }
    const base: ServiceBase = {
      heldOut: {
        id: idCol ? pick(cols[idCol] as unknown[]).map(String) : Array.from(intentTest, (r) => `#${r + 1}`),
        message: pick(messages),
        intent: pick(intents),
        predicted: pick(intentOut.predicted),
        confidence: pick(intentOut.score),
        sentiment: pick(sentimentOut.predicted),
      },
      daily: [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, d]) => ({ day, ...d })),
      terms: complaintTerms(messages, sentiments.map(isNegative)),
      intentAccuracy: share(intentTest, intents, intentOut.predicted),
      sentimentAccuracy: share(sentimentTest, sentiments, sentimentOut.predicted),
      intentMacroF1: intentModel.metrics.f1_macro ?? null,
    };
    return {
      base,
      modelIds: [intentModel.id, sentimentModel.id],
      facts: { messages: messages.length, heldOutRows: intentTest.length, intentModel: intentModel.family, intentAccuracy: intentModel.metrics.accuracy ?? Number.NaN, sentimentAccuracy: sentimentModel.metrics.accuracy ?? Number.NaN },
    };
  }
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
}
