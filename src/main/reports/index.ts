/**
 * PDF reports: each kind reads its subject from the catalog (`gather`), writes it as sections in the small document
 * model (`sections`), and one renderer lays any document out as a PDF. To add a report, add one entry to REPORTS.
 */
import type { Db } from '../catalog/connection.js';
import { DatasetsRepo } from '../catalog/datasets-repo.js';
import { ModelsRepo } from '../catalog/models-repo.js';
import { translate, type Language } from '../../shared/i18n/index.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { AnonymiseResult, PrivacyConfig } from '../../shared/model/privacy.js';
import type { ReportKind } from '../../shared/model/reports.js';
import { certificateSections, type CertificateData, type VersionFacts } from './certificate.js';
import type { ReportDocument, ReportSource, Section } from './document.js';
import { modelCardSections, type LineageStep, type ModelCardData } from './model-card.js';
import { fairnessSections, type FairnessReportData } from './fairness.js';
import { governanceSections, type GovernanceData } from './governance.js';
import { FairnessRepo } from '../catalog/fairness-repo.js';
import { QualityRepo } from '../catalog/quality-repo.js';
import { qualityDimensions, qualityScore } from '../core/quality/index.js';
import { ScenariosRepo } from '../catalog/scenarios-repo.js';
import { MetadataRepo } from '../catalog/metadata-repo.js';
import { LineageService } from '../services/lineage-service.js';
import { PiiFindingsSchema } from '../../shared/model/pii.js';
import { templateOf } from '../core/scenarios/templates.js';
import { scenarioSections, type ScenarioReportData } from './scenario.js';

export type { ReportDocument, Section } from './document.js';

interface Gathered<T> {
  data: T;
  subject: string;
  /** The subject as the report names it, when it differs by language (a scenario's title). */
  subjectIn?: (lang: Language) => string;
  sources: (lang: Language) => ReportSource[];
  /** Catalog objects the report is made from (lineage edges report ← each). */
  parents: { kind: 'version' | 'model' | 'dataset' | 'scenario'; id: string }[];
}

interface ReportDefinition<T> {
  gather(db: Db, subjectId: string): Gathered<T>;
  sections(data: T, lang: Language): Section[];
}

const role = (lang: Language, key: string) => translate(lang, `ui.reports.pdf.common.sources.${key}`);

const versionFacts = (v: ReturnType<DatasetsRepo['getVersion']>): VersionFacts => ({
  id: v.id,
  number: v.number,
  rowCount: v.rowCount,
  columnCount: v.columns.length,
  contentHash: v.contentHash,
  createdAt: v.createdAt,
  operation: v.operation,
});

const certificate: ReportDefinition<CertificateData> = {
  gather(db, subjectId) {
    const repo = new DatasetsRepo(db);
    const output = repo.getVersion(subjectId);
    const params = output.params as { config?: PrivacyConfig; result?: CertificateData['result'] };
    if (output.operation !== 'anonymise' || !params.config || !params.result || !output.parentId) {
      throw new XinzhiError('E_INVALID_INPUT', `Version ${subjectId} is not an anonymised version`, { path: 'subjectId', issue: `version ${subjectId} was not made by anonymisation: a certificate needs an anonymised version` });
    }
    const input = repo.getVersion(output.parentId);
    const dataset = repo.getDataset(output.datasetId);
    const audit = db.prepare("SELECT seq, ts, actor, hash FROM audit_log WHERE action = 'version.anonymise' AND target = ? ORDER BY seq LIMIT 1").get(output.id) as CertificateData['audit'] | undefined;
    const name = `${dataset.name}`;
    return {
      data: { dataset: { id: dataset.id, name }, input: versionFacts(input), output: versionFacts(output), config: params.config, result: params.result as Omit<AnonymiseResult, 'datasetId' | 'versionId'>, audit: audit ?? null },
      subject: `${name} v${input.number} → v${output.number}`,
      sources: (lang) => [
        { role: role(lang, 'inputVersion'), id: input.id, label: `${name} v${input.number}`, sha256: input.contentHash },
        { role: role(lang, 'outputVersion'), id: output.id, label: `${name} v${output.number}`, sha256: output.contentHash },
        ...(audit ? [{ role: role(lang, 'auditEntry'), id: `#${audit.seq}`, label: 'version.anonymise', sha256: audit.hash }] : []),
      ],
      parents: [{ kind: 'version', id: output.id }],
    };
  },
  sections: certificateSections,
};

const modelCard: ReportDefinition<ModelCardData> = {
  gather(db, subjectId) {
    const models = new ModelsRepo(db);
    const repo = new DatasetsRepo(db);
    const model = models.get(subjectId);
    const lineage: LineageStep[] = [];
    let datasetId: string | null = null;
    // The training version and its ancestors; a deleted ancestor ends the chain.
    for (let id: string | null = model.versionId; id && lineage.length < 100; ) {
      let v: ReturnType<DatasetsRepo['getVersion']>;
      try {
        v = repo.getVersion(id);
      } catch {
        break;
      }
      datasetId ??= v.datasetId;
      lineage.push({ versionId: v.id, number: v.number, operation: v.operation, rowCount: v.rowCount, contentHash: v.contentHash, createdAt: v.createdAt });
      id = v.parentId;
    }
    const dataset = datasetId ? repo.getDataset(datasetId) : null;
    let parentModel: ModelCardData['parentModel'] = null;
    if (model.parentModelId) {
      try {
        const parent = models.get(model.parentModelId);
        parentModel = { id: parent.id, name: parent.name };
      } catch {
        parentModel = { id: model.parentModelId, name: '—' };
      }
    }
    const training = lineage[0];
    // Audits of this model itself (mitigation runs are children of an audit and belong to its own report).
    const audits = new FairnessRepo(db);
    const fairness = audits.list().filter((a) => a.modelId === model.id && a.kind === 'audit').map((a) => audits.get(a.id));
    return {
      data: { model, dataset: { id: dataset?.id ?? '—', name: dataset?.name ?? '—' }, lineage, parentModel, fairness },
      subject: model.name,
      sources: (lang) => [
        ...model.files.map((f) => ({ role: role(lang, 'modelFile'), id: model.id, label: f.name, sha256: f.sha256 })),
        ...(training ? [{ role: role(lang, 'trainingVersion'), id: training.versionId, label: `${dataset?.name ?? ''} v${training.number}`, sha256: training.contentHash }] : []),
      ],
      parents: [{ kind: 'model', id: model.id }],
    };
  },
  sections: modelCardSections,
};

const fairness: ReportDefinition<FairnessReportData> = {
  gather(db, subjectId) {
    const audits = new FairnessRepo(db);
    const audit = audits.get(subjectId);
    const repo = new DatasetsRepo(db);
    const version = repo.getVersion(audit.versionId);
    const dataset = repo.getDataset(version.datasetId);
    let model: FairnessReportData['model'] = null;
    if (audit.modelId) {
      try {
        const m = new ModelsRepo(db).get(audit.modelId);
        model = { id: m.id, name: m.name };
      } catch {
        model = { id: audit.modelId, name: '—' };
      }
    }
    const mitigations = audits.list().filter((a) => a.parentAuditId === audit.id).map((a) => audits.get(a.id)).filter((a) => a.mitigation);
    return {
      data: { audit, dataset: { id: dataset.id, name: dataset.name }, versionNumber: version.number, model, mitigations },
      subject: audit.name,
      sources: (lang) => [
        { role: role(lang, 'auditedVersion'), id: version.id, label: `${dataset.name} v${version.number}`, sha256: version.contentHash },
        ...(audit.modelId ? new ModelsRepo(db).list().filter((m) => m.id === audit.modelId).flatMap((m) => m.files.map((f) => ({ role: role(lang, 'modelFile'), id: m.id, label: f.name, sha256: f.sha256 }))) : []),
      ],
      parents: [{ kind: 'version', id: version.id }, ...(audit.modelId ? [{ kind: 'model' as const, id: audit.modelId }] : [])],
    };
  },
  sections: fairnessSections,
};

const AUDIT_EXCERPT = 40;
/** Nodes of the lineage graph drawn in the governance report (the page's own default cap). */
const LINEAGE_GRAPH_NODES = 40;

const governance: ReportDefinition<GovernanceData> = {
  gather(db, subjectId) {
    const repo = new DatasetsRepo(db);
    const detail = repo.getDataset(subjectId);
    const versions = [...detail.versions].sort((a, b) => a.number - b.number);
    const latest = versions.at(-1);
    const quality = new QualityRepo(db);
    const stored = latest ? quality.getProfile(latest.id) : null;
    const run = latest ? quality.latestRun(latest.id) : null;
    const dimensions = stored ? qualityDimensions(stored, run ? run.results : null) : null;
    const profile = stored && dimensions ? { ...stored, dimensions, qualityScore: qualityScore(dimensions) } : null;
    const anonymised = [...versions].reverse().find((v) => v.operation === 'anonymise');
    const config = anonymised ? (anonymised.params as { config?: { columns?: Record<string, { role: string }> } }).config : undefined;
    const roles = config?.columns ? Object.fromEntries(Object.entries(config.columns).map(([k, v]) => [k, v.role])) : null;
    const ids = [detail.id, ...versions.map((v) => v.id)];
    const marks = ids.map(() => '?').join(', ');
    const lineage = (db.prepare(`SELECT child_kind || ' ' || child_id AS child, parent_kind || ' ' || parent_id AS parent, relation, created_at AS createdAt FROM lineage WHERE child_id IN (${marks}) OR parent_id IN (${marks}) ORDER BY created_at, child_id`).all(...ids, ...ids)) as GovernanceData['lineage'];
    const audit = (db.prepare(`SELECT seq, ts, actor, action, target, hash FROM audit_log WHERE target IN (${marks}) ORDER BY seq DESC LIMIT ${AUDIT_EXCERPT}`).all(...ids)) as GovernanceData['audit'];
    // The newest scanned version's PII findings (the detector stores masked examples only).
    const piiRow = db.prepare('SELECT f.findings, v.number FROM pii_findings f JOIN versions v ON v.id = f.version_id WHERE f.dataset_id = ? ORDER BY v.number DESC LIMIT 1').get(detail.id) as { findings: string; number: number } | undefined;
    const pii = piiRow ? { findings: PiiFindingsSchema.parse(JSON.parse(piiRow.findings)), versionNumber: piiRow.number } : null;
    const graph = latest ? new LineageService(db).getGraph({ id: latest.id, maxNodes: LINEAGE_GRAPH_NODES }) : null;
    return {
      data: {
        dataset: { id: detail.id, name: detail.name, description: detail.description, createdAt: detail.createdAt, updatedAt: detail.updatedAt },
        versions,
        profile,
        rules: quality.listRules(detail.id),
        runs: quality.runs({ datasetId: detail.id }, 20),
        roles,
        lineage,
        audit,
        metadata: new MetadataRepo(db).get(detail.id),
        pii,
        graph,
      },
      subject: detail.name,
      sources: (lang) => versions.map((v) => ({ role: role(lang, 'datasetVersion'), id: v.id, label: `${detail.name} v${v.number}`, sha256: v.contentHash })),
      parents: [{ kind: 'dataset', id: detail.id }],
    };
  },
  sections: governanceSections,
};

const scenario: ReportDefinition<ScenarioReportData> = {
  gather(db, subjectId) {
    const run = new ScenariosRepo(db).get(subjectId);
    const template = templateOf(run.scenarioId);
    const repo = new DatasetsRepo(db);
    const versions: ScenarioReportData['versions'] = [];
    for (const [table, mapping] of Object.entries(run.mapping)) {
      try {
        const v = repo.getVersion(mapping.versionId);
        versions.push({ table, id: v.id, dataset: repo.getDataset(v.datasetId).name, number: v.number, rowCount: v.rowCount, contentHash: v.contentHash });
      } catch {
        // A version deleted since the run: the snapshot still shows the stored dashboard.
      }
    }
    const modelsRepo = new ModelsRepo(db);
    const models = run.modelIds.flatMap((id) => {
      try {
        return [modelsRepo.get(id)];
      } catch {
        return [];
      }
    });
    return {
      data: { run, template, versions, models: models.map((m) => ({ id: m.id, name: m.name, family: m.family })) },
      subject: `${template.title.en} · ${run.id}`,
      subjectIn: (lang) => `${template.title[lang]} · ${run.id}`,
      sources: (lang) => [
        ...versions.map((v) => ({ role: role(lang, 'scenarioVersion'), id: v.id, label: `${v.dataset} v${v.number}`, sha256: v.contentHash })),
        ...models.flatMap((m) => m.files.map((f) => ({ role: role(lang, 'modelFile'), id: m.id, label: f.name, sha256: f.sha256 }))),
      ],
      parents: [...versions.map((v) => ({ kind: 'version' as const, id: v.id })), ...models.map((m) => ({ kind: 'model' as const, id: m.id }))],
    };
  },
  sections: scenarioSections,
};

const REPORTS: Partial<Record<ReportKind, ReportDefinition<unknown>>> = {
  certificate: certificate as ReportDefinition<unknown>,
  'model-card': modelCard as ReportDefinition<unknown>,
  fairness: fairness as ReportDefinition<unknown>,
  governance: governance as ReportDefinition<unknown>,
  scenario: scenario as ReportDefinition<unknown>,
};

export interface PreparedReport {
  subject: string;
  parents: Gathered<unknown>['parents'];
  document(lang: Language, context: { generatedAt: string; workspace: string; appVersion: string }): ReportDocument;
}

/** Reads a report's subject from the catalog; throws a clear error when the kind or the subject does not fit. */
export function prepareReport(db: Db, kind: ReportKind, subjectId: string): PreparedReport {
  const definition = REPORTS[kind];
  if (!definition) {
    throw new XinzhiError('E_INVALID_INPUT', `The ${kind} report is not available in this build`, { path: 'kind', issue: `the ${kind} report is not available in this build yet` });
  }
  const gathered = definition.gather(db, subjectId);
  return {
    subject: gathered.subject,
    parents: gathered.parents,
    document: (lang, context) => ({
      kind,
      lang,
      title: translate(lang, `ui.reports.pdf.titles.${kind}`),
      subject: gathered.subjectIn?.(lang) ?? gathered.subject,
      generatedAt: context.generatedAt,
      workspace: context.workspace,
      appVersion: context.appVersion,
      sources: gathered.sources(lang),
      sections: definition.sections(gathered.data, lang),
    }),
  };
}

export function reportKindsAvailable(): ReportKind[] {
  return Object.keys(REPORTS) as ReportKind[];
}
