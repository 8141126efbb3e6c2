// PDF reports end to end: a dataset with raw names, phones, ID numbers and e-mails is anonymised and a model trained;
// the certificate and the model card are made through the contract (job → worker → file → catalog row, lineage,
// audit) in both languages and read back with poppler's pdftotext / pdftoppm: headings and figures present, Chinese
// extracted as Chinese (the font is embedded), every page rasterises, charts are drawn, the same --at gives the same
// bytes, and no raw personal value appears anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { importOk, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';
import type { AnonymiseResult, PrivacyConfigInput } from '../../src/shared/model/privacy.js';
import type { ModelRecord } from '../../src/shared/model/training.js';
import type { GenerateReportInput, ReportRecord } from '../../src/shared/model/reports.js';
import { prepareReport } from '../../src/main/reports/index.js';
import { renderPdf } from '../../src/main/reports/pdf.js';
import { reportFonts } from '../../src/main/reports/fonts.js';
import { mulberry32 } from '../../src/main/core/random.js';

let t: TestApp;
const tmp = tempDir('xinzhi-reports-');
const PII_COLUMNS = ['name', 'phone', 'id_number', 'email'] as const;
let people: Record<string, string>[] = [];
let anonymised: AnonymiseResult;
let model: ModelRecord;
let rawModel: ModelRecord;
let importedIds: { datasetId: string; versionId: string };
const AT = '2026-03-01T08:30:00.000Z';

/** 300 people with Chinese names, mobile numbers, 18-digit ID numbers and e-mails (seeded, so the test is stable). */
function writePeople(path: string): Record<string, string>[] {
  const random = mulberry32(11);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < 300; i++) {
    const age = 18 + Math.floor(random() * 60);
    rows.push({
      name: pick(['王', '李', '张', '刘', '陈', '欧阳']) + pick(['伟', '芳', '秀英', '建国', '静', '子涵']) + pick(['明', '华', '琳', '']),
      phone: `1${pick(['38', '39', '58', '86'])}${digits(8)}`,
      id_number: `${pick(['110101', '310104', '440106'])}${1950 + Math.floor(random() * 50)}0${1 + Math.floor(random() * 9)}1${Math.floor(random() * 9)}${digits(3)}X`,
      email: `${pick(['wang', 'li', 'zhang'])}.${digits(5)}@example.cn`,
      age: String(age),
      gender: pick(['男', '女']),
      city: pick(['北京', '上海', '广州', '深圳']),
      income: String(5000 + Math.floor(random() * 20000)),
      churn: random() < (age < 30 ? 0.7 : 0.2) ? '1' : '0',
    });
  }
  const header = Object.keys(rows[0]!);
  writeFileSync(path, [header.join(','), ...rows.map((r) => header.map((h) => r[h]).join(','))].join('\n') + '\n');
  return rows;
}

const PRIVACY: PrivacyConfigInput = {
  columns: {
    name: { role: 'identifying' },
    phone: { role: 'identifying', transform: { kind: 'mask', keepFirst: 3, keepLast: 0 } },
    id_number: { role: 'identifying' },
    email: { role: 'identifying', transform: { kind: 'pseudonymise' } },
    age: { role: 'quasi', hierarchy: { interval: { widths: [5, 10, 20] } } },
    gender: { role: 'quasi', hierarchy: { rows: [['男', '*'], ['女', '*']] } },
    city: { role: 'quasi', hierarchy: { rows: [['北京', '北方', '*'], ['上海', '南方', '*'], ['广州', '南方', '*'], ['深圳', '南方', '*']] } },
    income: { role: 'insensitive' },
    churn: { role: 'sensitive' },
  },
  models: [{ model: 'k-anonymity', k: 5 }],
  suppressionLimit: 5,
};

async function train(versionId: string, features: string[]): Promise<ModelRecord> {
  const { jobId } = await t.api.training.trainModel({ versionId, target: 'churn', features, family: 'logistic', epochs: 20, folds: 3 });
  const job = await t.app.jobs.wait(jobId);
  if (job.state !== 'succeeded') throw new Error(`training failed: ${JSON.stringify(job.error)}`);
  return t.api.training.getModel({ modelId: (job.result as { id?: string; modelId?: string }).id ?? (job.result as { modelId: string }).modelId });
}

async function generate(input: GenerateReportInput): Promise<{ record: ReportRecord; file: string; text: string }> {
  const { jobId } = await t.api.reports.generate(input);
  const job = await t.app.jobs.wait(jobId);
  if (job.state !== 'succeeded') throw new Error(`report failed: ${JSON.stringify(job.error)}`);
  const record = job.result as ReportRecord;
  const file = join(t.workspace, record.path);
  return { record, file, text: pdftotext(file) };
}

const pdftotext = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
/** Collapses layout spacing, so phrases wrapped or spaced by pdftotext still match. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

function expectNoPii(text: string): void {
  const leaks = people.flatMap((p) => PII_COLUMNS.map((c) => p[c]!)).filter((value) => text.includes(value));
  expect(leaks).toEqual([]);
}

/** Rasterises one page at 72 dpi (1 px = 1 pt). */
function pagePng(file: string, page: number): PNG {
  const out = join(tmp.path, `page-${page}`);
  execFileSync('pdftoppm', ['-r', '72', '-f', String(page), '-l', String(page), '-png', '-singlefile', file, out]);
  return PNG.sync.read(readFileSync(`${out}.png`));
}

function inkShare(png: PNG, box: { x: number; y: number; width: number; height: number }): number {
  let ink = 0;
  let total = 0;
  for (let y = Math.floor(box.y); y < Math.min(png.height, box.y + box.height); y++) {
    for (let x = Math.floor(box.x); x < Math.min(png.width, box.x + box.width); x++) {
      const i = (y * png.width + x) * 4;
      total++;
      if (png.data[i]! < 235 || png.data[i + 1]! < 235 || png.data[i + 2]! < 235) ink++;
    }
  }
  return ink / total;
}

beforeAll(async () => {
  t = await openTestApp();
  const csv = join(tmp.path, 'people.csv');
  people = writePeople(csv);
  const imported = await importOk(t, { path: csv });
  importedIds = { datasetId: imported.datasetId, versionId: imported.versionId };
  const { jobId } = await t.api.privacy.anonymise({ versionId: imported.versionId, config: PRIVACY as never });
  const job = await t.app.jobs.wait(jobId);
  if (job.state !== 'succeeded') throw new Error(`anonymise failed: ${JSON.stringify(job.error)}`);
  anonymised = job.result as AnonymiseResult;
  model = await train(anonymised.versionId, ['age', 'gender', 'city', 'income']);
  // A model trained on the raw rows, reading the name and phone columns: its card must not print their values either.
  rawModel = await train(imported.versionId, ['age', 'gender', 'city', 'income', 'name', 'phone']);
}, 240_000);

afterAll(async () => {
  await t?.close();
  tmp.remove();
});

describe('anonymisation certificate', () => {
  it('states the versions, setup, models and risk before/after in English, and is recorded with lineage and audit', async () => {
    const { record, file, text } = await generate({ kind: 'certificate', subjectId: anonymised.versionId, lang: 'en', at: AT });
    const f = flat(text);
    for (const heading of ['Anonymisation certificate', 'Contents', 'Input and output', 'Attributes, transformations and hierarchies', 'Privacy models', 'Re-identification risk', 'Utility and suppression']) {
      expect(f).toContain(heading);
    }
    expect(f).toContain('k-anonymity (k = 5)');
    expect(f).toContain(anonymised.versionId);
    expect(f).toContain(`${(anonymised.risk.before.prosecutorMax * 100).toFixed(2)}% → ${(anonymised.risk.after.prosecutorMax * 100).toFixed(2)}%`);
    expect(f).toContain('Generated 2026-03-01 08:30:00 UTC');
    expect(f).toMatch(/Masked \(keeps first 3, last 0\)/);
    expectNoPii(text);

    expect(record).toMatchObject({ kind: 'certificate', subjectId: anonymised.versionId, lang: 'en', generatedAt: AT, pages: pdfPages(file) });
    const bytes = readFileSync(file);
    expect(record.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(record.bytes).toBe(bytes.length);
    expect(await t.api.reports.listReports({ subjectId: anonymised.versionId })).toContainEqual(record);
    const edge = t.app.db.prepare("SELECT parent_kind, parent_id FROM lineage WHERE child_kind = 'report' AND child_id = ?").get(record.id);
    expect(edge).toEqual({ parent_kind: 'version', parent_id: anonymised.versionId });
    const { entries } = await t.api.audit.listEntries({ limit: 50 });
    expect(entries.find((e) => e.action === 'report.generate' && e.target === record.id)?.details).toMatchObject({ kind: 'certificate', sha256: record.sha256 });
  }, 120_000);

  it('is written in Chinese that extracts as Chinese characters (the CJK font is embedded)', async () => {
    const { file, text } = await generate({ kind: 'certificate', subjectId: anonymised.versionId, lang: 'zh-CN', at: AT });
    const f = flat(text);
    for (const heading of ['匿名化证书', '目录', '输入与输出', '属性、变换与层次结构', '隐私模型', '重识别风险', '效用与抑制', '满足']) expect(f).toContain(heading);
    expect(f).toContain('准标识符');
    expect(f).toMatch(/第 1 页，共 \d+ 页/);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
    expectNoPii(text);
  }, 120_000);

  it('gives the same bytes for the same inputs and --at, and a different text for another time', async () => {
    const a = await generate({ kind: 'certificate', subjectId: anonymised.versionId, lang: 'en', at: AT });
    const b = await generate({ kind: 'certificate', subjectId: anonymised.versionId, lang: 'en', at: AT });
    expect(b.record.id).not.toBe(a.record.id);
    expect(b.text).toBe(a.text);
    expect(b.record.sha256).toBe(a.record.sha256);
    const later = await generate({ kind: 'certificate', subjectId: anonymised.versionId, lang: 'en', at: '2026-03-02T00:00:00Z' });
    expect(later.text).not.toBe(a.text);
  }, 180_000);

  it('is made by the CLI too: one JSON document {path, pages, sha256}, the same bytes as the app makes', async () => {
    const out = join(tmp.path, 'cli-certificate.pdf');
    const stdout = execFileSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', t.workspace, '--json', 'report', 'certificate', anonymised.versionId, '-o', out, '--lang', 'en', '--at', AT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]!) as { path: string; pages: number; sha256: string };
    expect(printed.path).toBe(out);
    expect(printed.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    expect(printed.pages).toBe(pdfPages(out));
    const inApp = await generate({ kind: 'certificate', subjectId: anonymised.versionId, lang: 'en', at: AT });
    expect(inApp.record.sha256).toBe(printed.sha256);
  }, 180_000);

  it('refuses a version that was not anonymised, before any job starts', async () => {
    await expect(t.api.reports.generate({ kind: 'certificate', subjectId: model.versionId === anonymised.versionId ? rawModel.versionId : model.versionId, lang: 'en' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.reports.generate({ kind: 'model-card', subjectId: 'mdl_missing', lang: 'en' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});

describe('model card', () => {
  it('has the Mitchell et al. sections, the metrics with intervals and the lineage, in English', async () => {
    const { text } = await generate({ kind: 'model-card', subjectId: model.id, lang: 'en', at: AT });
    const f = flat(text);
    for (const heading of ['Model card', 'Model details', 'Intended use', 'Factors', 'Metrics', 'Evaluation and training data', 'Quantitative analyses', 'Ethical considerations', 'Caveats and recommendations', 'Compression, backend and hardware']) {
      expect(f).toContain(heading);
    }
    expect(f).toContain(model.id);
    expect(f).toContain(model.metrics.accuracy!.toFixed(4));
    expect(f).toMatch(/accuracy \d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\] bootstrap over test rows/);
    expect(f).toContain('Hanley & McNeil');
    expect(f).toContain('3-fold cross-validation');
    expect(f).toContain('Anonymised');
    expect(f).toContain('The training data was anonymised before training');
    for (const file of model.files) expect(f).toContain(file.sha256.slice(0, 40));
    expectNoPii(text);
  }, 120_000);

  it('reads in Chinese, and never prints raw values even when the model read personal columns', async () => {
    const zh = await generate({ kind: 'model-card', subjectId: model.id, lang: 'zh-CN', at: AT });
    for (const heading of ['模型卡', '模型详情', '预期用途', '评估指标', '数据血缘', '定量分析', '伦理考量', '注意事项与建议']) expect(flat(zh.text)).toContain(heading);
    expectNoPii(zh.text);
    const raw = await generate({ kind: 'model-card', subjectId: rawModel.id, lang: 'en', at: AT });
    expect(flat(raw.text)).toContain('The training data was not anonymised');
    expectNoPii(raw.text);
    expectNoPii(readFileSync(raw.file).toString('latin1'));
  }, 180_000);
});

describe('pages and charts', () => {
  it('rasterises every page, and every chart region holds a drawing', async () => {
    for (const [kind, subjectId] of [['certificate', anonymised.versionId], ['model-card', model.id]] as const) {
      const document = prepareReport(t.app.db, kind, subjectId).document('zh-CN', { generatedAt: AT, workspace: t.workspace, appVersion: 'test' });
      const pdf = await renderPdf(document, reportFonts(repoRoot));
      const file = join(tmp.path, `${kind}.pdf`);
      writeFileSync(file, pdf.bytes);
      expect(pdfPages(file)).toBe(pdf.pages);
      expect(pdf.charts.length).toBeGreaterThanOrEqual(2);
      for (let page = 1; page <= pdf.pages; page++) {
        const png = pagePng(file, page);
        expect(inkShare(png, { x: 0, y: 0, width: png.width, height: png.height })).toBeGreaterThan(0.002);
      }
      for (const chart of pdf.charts) {
        const share = inkShare(pagePng(file, chart.page), chart);
        expect(share, `${kind} chart on page ${chart.page}`).toBeGreaterThan(0.02);
      }
    }
  }, 120_000);
});

describe('governance and fairness reports (from the merged quality and fairness areas)', () => {
  it('the governance report states metadata, schema, score, alerts, rules, lineage and the audit log, without values', async () => {
    const profiled = await t.app.jobs.wait((await t.api.quality.profileVersion({ versionId: anonymised.versionId })).jobId);
    expect(profiled.state).toBe('succeeded');
    await t.api.quality.addRule({ datasetId: importedIds.datasetId, spec: { kind: 'between', column: 'age', min: 18, max: 70 } });
    expect((await t.app.jobs.wait((await t.api.quality.runRules({ versionId: anonymised.versionId })).jobId)).state).toBe('succeeded');
    const score = (await t.api.quality.getProfile({ versionId: anonymised.versionId }))!.qualityScore;
    for (const lang of ['en', 'zh-CN'] as const) {
      const { text, record } = await generate({ kind: 'governance', subjectId: importedIds.datasetId, lang, at: AT });
      const f = flat(text);
      const headings = lang === 'en'
        ? ['Governance report', 'Catalog metadata', 'Schema of v2', 'Profile and quality score', 'Quality rules', 'Personal data', 'Lineage', 'Audit-log excerpt']
        : ['数据治理报告', '目录元数据', 'v2 的结构', '数据画像与质量评分', '质量规则', '个人数据', '数据血缘', '审计日志摘录'];
      for (const h of headings) expect(f).toContain(h);
      expect(f).toContain(`${score.toFixed(1)} / 100`);
      expect(f).toContain('version.anonymise');
      expect(f).toContain(anonymised.versionId);
      expectNoPii(text);
      expect(t.app.db.prepare("SELECT parent_kind FROM lineage WHERE child_id = ?").pluck().get(record.id)).toBe('dataset');
    }
  }, 240_000);

  it('the fairness audit report states groups, disparities with intervals and verdicts, with its charts', async () => {
    const job = await t.app.jobs.wait((await t.api.fairness.audit({ versionId: importedIds.versionId, modelId: rawModel.id, label: 'churn', sensitive: ['gender'], minGroupSize: 20, bootstrap: 200 })).jobId);
    expect(job.state).toBe('succeeded');
    const [summary] = await t.api.fairness.listAudits({ versionId: importedIds.versionId });
    const audit = await t.api.fairness.getAudit({ auditId: summary!.id });
    const { text } = await generate({ kind: 'fairness', subjectId: audit.id, lang: 'en', at: AT });
    const f = flat(text);
    for (const h of ['Fairness audit report', 'Summary and verdict', 'Disparities', 'Groups', 'Mitigation', 'Demographic parity difference', 'Selection rate by group', 'Disparate impact (four-fifths rule)']) expect(f).toContain(h);
    expect(f).toContain(audit.result.disparities.demographicParityDifference!.toFixed(3));
    for (const g of audit.result.groups) expect(f).toContain(g.key);
    expectNoPii(text);
    const zh = await generate({ kind: 'fairness', subjectId: audit.id, lang: 'zh-CN', at: AT });
    for (const h of ['公平性审计报告', '概要与结论', '差异指标', '人口均等差']) expect(flat(zh.text)).toContain(h);
    const document = prepareReport(t.app.db, 'fairness', audit.id).document('en', { generatedAt: AT, workspace: t.workspace, appVersion: 'test' });
    const pdf = await renderPdf(document, reportFonts(repoRoot));
    const file = join(tmp.path, 'fairness.pdf');
    writeFileSync(file, pdf.bytes);
    expect(pdf.charts.length).toBeGreaterThanOrEqual(2);
    for (const chart of pdf.charts) expect(inkShare(pagePng(file, chart.page), chart)).toBeGreaterThan(0.02);
  }, 240_000);
});

describe('scenario snapshot', () => {
  it('states the dashboard KPIs, what-if settings, charts and tables in both languages, recorded with lineage', async () => {
    const job = await t.app.jobs.wait((await t.api.scenarios.runSample({ scenarioId: 'production-planning' })).jobId);
    expect(job.state).toBe('succeeded');
    const [summary] = await t.api.scenarios.listRuns({ scenarioId: 'production-planning' });
    // A what-if change is what the snapshot must show, not the run's first settings.
    const before = await t.api.scenarios.getRun({ runId: summary!.id });
    const control = before.dashboard.controls[0]!;
    const run = await t.api.scenarios.updateWhatIf({ runId: before.id, whatIf: { [control.key]: control.max } });
    const translate = (await import('../../src/shared/i18n/index.js')).translate;
    for (const lang of ['en', 'zh-CN'] as const) {
      const { text, record } = await generate({ kind: 'scenario', subjectId: run.id, lang, at: AT });
      const f = flat(text);
      const headings = lang === 'en'
        ? ['Scenario snapshot', 'Production planning', 'Key figures', 'What if…', 'Charts', 'Tables', 'Data, models and facts']
        : ['场景快照', '关键指标', '假设分析', '图表', '表格', '数据、模型与事实'];
      for (const h of headings) expect(f).toContain(h);
      expect(f).toContain(run.id);
      for (const kpi of run.dashboard.kpis) expect(f).toContain(translate(lang, `ui.scenarios.kpis.${kpi.key}`));
      for (const chart of run.dashboard.charts) expect(f).toContain(translate(lang, `ui.scenarios.charts.${chart.key}`));
      for (const table of run.dashboard.tables) expect(f).toContain(translate(lang, `ui.scenarios.tables.${table.key}`));
      // Facts under their labels (the engines key them as products, resources, solver, status).
      expect(Object.keys(run.facts).length).toBeGreaterThan(0);
      for (const key of Object.keys(run.facts)) expect(f).toContain(translate(lang, `ui.reports.pdf.scenario.factNames.${key}`));
      // The what-if value as changed, and each version the run read with its hash.
      expect(f).toContain(control.format === 'percent' ? `${control.max}%` : String(control.max));
      for (const m of Object.values(run.mapping)) expect(f).toContain((t.app.db.prepare('SELECT content_hash FROM versions WHERE id = ?').pluck().get(m.versionId) as string).slice(0, 40));
      if (process.env.XINZHI_KEEP_REPORTS) writeFileSync(join(process.env.XINZHI_KEEP_REPORTS, `scenario-${lang}.pdf`), readFileSync(join(t.workspace, record.path)));
      const parents = t.app.db.prepare('SELECT parent_id FROM lineage WHERE child_id = ?').pluck().all(record.id);
      expect(parents).toEqual(expect.arrayContaining(Object.values(run.mapping).map((m) => m.versionId)));
    }
    const { formatKpiValue } = await import('../../src/main/reports/scenario.js');
    const en = flat((await generate({ kind: 'scenario', subjectId: run.id, lang: 'en', at: AT })).text);
    for (const kpi of run.dashboard.kpis) expect(en).toContain(formatKpiValue(kpi));
    const document = prepareReport(t.app.db, 'scenario', run.id).document('zh-CN', { generatedAt: AT, workspace: t.workspace, appVersion: 'test' });
    const pdf = await renderPdf(document, reportFonts(repoRoot));
    const file = join(tmp.path, 'scenario.pdf');
    writeFileSync(file, pdf.bytes);
    expect(pdf.charts.length).toBe(run.dashboard.charts.length);
    for (const chart of pdf.charts) expect(inkShare(pagePng(file, chart.page), chart)).toBeGreaterThan(0.02);
    await expect(t.api.reports.generate({ kind: 'scenario', subjectId: 'scn_missing' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  }, 240_000);
});

describe('reports with the merged PII, metadata, lineage and fairness areas', () => {
  it('the governance report states the PII findings masked (no raw value), the catalog metadata and the lineage graph', async () => {
    const findings = await t.api.pii.detect({ versionId: importedIds.versionId });
    const found = findings.columns.filter((c) => c.kind !== null);
    // The test's ID numbers have no valid check digit, so the detector rightly does not call them resident IDs.
    expect(found.map((c) => c.name)).toEqual(expect.arrayContaining(['name', 'phone', 'email']));
    await t.api.metadata.updateMetadata({ datasetId: importedIds.datasetId, owner: 'Risk office', steward: 'Data desk', tags: ['customers', 'churn'], sensitivity: 'confidential' });
    for (const lang of ['en', 'zh-CN'] as const) {
      const { text, file } = await generate({ kind: 'governance', subjectId: importedIds.datasetId, lang, at: AT });
      const f = flat(text);
      for (const h of lang === 'en' ? ['Owner', 'Risk office', 'Steward', 'Data desk', 'churn, customers', 'Confidential', 'Examples (masked)', 'column(s) hold personal data'] : ['负责人', 'Risk office', '数据管理员', '机密', '示例（已脱敏）', '列含个人数据']) expect(f).toContain(h);
      for (const c of found) expect(f).toContain(c.name);
      // The detector's masked examples are printed; no raw value of any PII column anywhere, text or bytes.
      const phone = found.find((c) => c.name === 'phone')!;
      expect(f).toContain(phone.maskedExamples[0]!);
      expectNoPii(text);
      expectNoPii(readFileSync(file).toString('latin1'));
      if (process.env.XINZHI_KEEP_REPORTS) writeFileSync(join(process.env.XINZHI_KEEP_REPORTS, `governance-${lang}.pdf`), readFileSync(file));
    }
    // The lineage graph is drawn (a chart beside the quality charts) and holds ink.
    const document = prepareReport(t.app.db, 'governance', importedIds.datasetId).document('en', { generatedAt: AT, workspace: t.workspace, appVersion: 'test' });
    const lineageBlock = document.sections.flatMap((s) => s.blocks).find((b) => b.type === 'chart' && JSON.stringify(b.option).includes('"graph"'));
    expect(lineageBlock).toBeDefined();
    const pdf = await renderPdf(document, reportFonts(repoRoot));
    const out = join(tmp.path, 'governance.pdf');
    writeFileSync(out, pdf.bytes);
    // Charts are laid out in document order; the lineage graph's box holds a drawing (a missing-values chart of a
    // version without missing cells may rightly be almost empty, so only the graph is checked here).
    const charts = document.sections.flatMap((s) => s.blocks).filter((b) => b.type === 'chart');
    expect(pdf.charts.length).toBe(charts.length);
    const graphBox = pdf.charts[charts.findIndex((b) => JSON.stringify(b.option).includes(`"graph"`))]!;
    expect(inkShare(pagePng(out, graphBox.page), graphBox)).toBeGreaterThan(0.02);
  }, 240_000);

  it('the About tab is offered the sensitivity the newest version’s stored PII findings suggest', async () => {
    // Only the raw v1 is scanned: the newest version (the anonymised v2) has no findings, so nothing is suggested.
    expect((await t.api.metadata.getMetadata({ datasetId: importedIds.datasetId })).suggestedSensitivity).toBeNull();
    const findings = await t.api.pii.detect({ versionId: anonymised.versionId });
    const meta = await t.api.metadata.getMetadata({ datasetId: importedIds.datasetId });
    expect(meta.suggestedSensitivity?.sensitivity).toBe(findings.suggestedSensitivity);
    for (const c of findings.columns.filter((x) => x.kind !== null)) expect(meta.suggestedSensitivity!.reason).toContain(c.name);
    // The raw version is more sensitive than its anonymised copy by the detector's own reading.
    const raw = await t.api.pii.getFindings({ versionId: importedIds.versionId });
    expect(raw!.suggestedSensitivity).toBe('restricted');
  });

  it('the model card links the stored fairness audit of the model: disparities with intervals and verdicts', async () => {
    const [audit] = (await t.api.fairness.listAudits({ versionId: importedIds.versionId })).filter((a) => a.modelId === rawModel.id && a.kind === 'audit');
    expect(audit).toBeDefined();
    const full = await t.api.fairness.getAudit({ auditId: audit!.id });
    const { text } = await generate({ kind: 'model-card', subjectId: rawModel.id, lang: 'en', at: AT });
    const f = flat(text);
    expect(f).not.toContain('No fairness audit of this model is recorded');
    expect(f).toContain(`Fairness audit “${full.name}” (${full.id})`);
    expect(f).toContain('Demographic parity difference');
    expect(f).toContain(full.result.disparities.demographicParityDifference!.toFixed(3));
    const ci = full.result.disparities.ci?.demographicParityDifference;
    if (ci && ci.low !== null && ci.high !== null) expect(f).toContain(`[${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}]`);
    for (const g of full.result.groups) expect(f).toContain(g.key);
    expectNoPii(text);
    const zhReport = await generate({ kind: 'model-card', subjectId: rawModel.id, lang: 'zh-CN', at: AT });
    if (process.env.XINZHI_KEEP_REPORTS) writeFileSync(join(process.env.XINZHI_KEEP_REPORTS, 'model-card-zh-CN.pdf'), readFileSync(zhReport.file));
    const zh = flat(zhReport.text);
    expect(zh).toContain('公平性审计“');
    expect(zh).toContain('人口均等差');
    // A model without an audit still says so.
    expect(flat((await generate({ kind: 'model-card', subjectId: model.id, lang: 'en', at: AT })).text)).toContain('No fairness audit of this model is recorded');
  }, 240_000);
});

describe('scenario snapshot of a network scenario', () => {
  it('draws the supply-chain network graph with the dashboard’s builder', async () => {
    const job = await t.app.jobs.wait((await t.api.scenarios.runSample({ scenarioId: 'supply-chain' })).jobId);
    expect(job.state).toBe('succeeded');
    const [summary] = await t.api.scenarios.listRuns({ scenarioId: 'supply-chain' });
    const run = await t.api.scenarios.getRun({ runId: summary!.id });
    expect(run.dashboard.charts.some((c) => c.kind === 'graph')).toBe(true);
    const document = prepareReport(t.app.db, 'scenario', run.id).document('en', { generatedAt: AT, workspace: t.workspace, appVersion: 'test' });
    const pdf = await renderPdf(document, reportFonts(repoRoot));
    const file = join(tmp.path, 'supply-chain.pdf');
    writeFileSync(file, pdf.bytes);
    if (process.env.XINZHI_KEEP_REPORTS) writeFileSync(join(process.env.XINZHI_KEEP_REPORTS, 'supply-chain-en.pdf'), pdf.bytes);
    expect(pdf.charts.length).toBe(run.dashboard.charts.length);
    for (const chart of pdf.charts) expect(inkShare(pagePng(file, chart.page), chart)).toBeGreaterThan(0.02);
    expect(flat(pdftotext(file))).toContain('Supply-chain network');
  }, 240_000);
});
