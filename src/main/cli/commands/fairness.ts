/** `xinzhi fairness VERSION_ID …` audits a version (or a model scored on it); `fairness-list`, `fairness-mitigate`. */
import type { Command } from 'commander';
import { translate, type Language } from '../../../shared/i18n/index.js';
import { DISPARITY_METRICS, retrainRequest, type AuditRecord, type PrivacyComparison, type ReweighResult } from '../../../shared/model/fairness.js';
import type { ModelRecord } from '../../../shared/model/training.js';
import { CliFailure, globals, jobResult, languageOf, printJson, say, withApp } from '../common.js';

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));

/** `race=White,sex=Male` → {race: 'White', sex: 'Male'}. */
function parseReference(spec: string | undefined, lang: Language): Record<string, string> | undefined {
  if (!spec) return undefined;
  const entries = spec.split(',').map((part) => {
    const at = part.indexOf('=');
    if (at <= 0) throw new CliFailure({ code: 'E_INVALID_INPUT', message: translate(lang, 'cli.fairness.badReference') });
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  });
  return Object.fromEntries(entries);
}

/** The issue's JSON contract: groups, disparities and reference first, then what else the audit holds. */
function auditJson(a: AuditRecord): Record<string, unknown> {
  return {
    groups: a.result.groups,
    disparities: a.result.disparities,
    reference: a.result.reference,
    ...(a.result.marginal ? { marginal: a.result.marginal } : {}),
    auditId: a.id,
    versionId: a.versionId,
    modelId: a.modelId,
    positive: a.positive,
    rows: a.rows,
    excludedRows: a.excludedRows,
    overall: a.result.overall,
    settings: a.result.settings,
    ...(a.mitigation ? { mitigation: a.mitigation } : {}),
  };
}

function printAudit(a: AuditRecord, lang: Language): void {
  const r = a.result;
  const out: string[] = [];
  out.push(translate(lang, 'ui.fairness.rows', { rows: a.rows, excluded: a.excludedRows, positive: a.positive }));
  out.push(translate(lang, 'cli.fairness.reference', { group: Object.entries(r.reference).map(([k, v]) => `${k}=${v}`).join(', ') }));
  const header = ['group', 'n', 'sel', 'acc', 'tpr', 'fpr', 'ppv', 'DI', ''];
  const rows = r.groups.map((g) => [
    g.key,
    String(g.n),
    fmt(g.selectionRate),
    fmt(g.accuracy),
    fmt(g.tpr),
    fmt(g.fpr),
    fmt(g.ppv),
    fmt(r.disparities.disparateImpact[g.key]?.ratio),
    g.small ? translate(lang, 'cli.fairness.small', { n: r.settings.minGroupSize }) : (r.disparities.disparateImpact[g.key]?.verdict ?? ''),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  for (const row of [header, ...rows]) out.push(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  const d = r.disparities;
  for (const name of DISPARITY_METRICS) {
    const ci = d.ci?.[name];
    out.push(`${translate(lang, `ui.fairness.disparityNames.${name}`)}: ${fmt(d[name])}${ci ? `  [${fmt(ci.low)}, ${fmt(ci.high)}]` : ''}`);
  }
  if (a.mitigation) {
    const m = a.mitigation;
    out.push(
      translate(lang, 'ui.fairness.mitigation.beforeAfter', {
        metric: `${translate(lang, `ui.fairness.mitigation.${m.method}`)} · ${translate(lang, `ui.fairness.mitigation.${m.constraint}`)}`,
        before: fmt(m.before.disparity),
        after: fmt(m.after.disparity),
        accBefore: fmt(m.before.accuracy),
        accAfter: fmt(m.after.accuracy),
      }),
    );
  }
  out.push(translate(lang, 'cli.fairness.stored', { id: a.id }));
  process.stdout.write(`${out.join('\n')}\n`);
}

interface AuditOptions {
  label: string;
  prediction?: string;
  score?: string;
  threshold: string;
  sensitive: string;
  positive?: string;
  reference?: string;
  bootstrap: string;
  minGroup: string;
  seed: string;
  model?: string;
  marginal?: boolean;
  constraint: string;
}

export function registerFairnessCommands(program: Command): void {
  program
    .command('fairness')
    .description('audit fairness of a version holding labels and predictions (or scores), or of a model scored on it')
    .argument('<versionId>', 'dataset version')
    .requiredOption('--label <col>', 'label column (actual outcome)')
    .option('--prediction <col>', 'prediction column')
    .option('--score <col>', 'score column (probability of the positive label)')
    .option('--threshold <t>', 'predicted positive when score ≥ t (without --prediction)', '0.5')
    .requiredOption('--sensitive <cols>', 'sensitive columns, comma-separated (several: their intersections)')
    .option('--positive <value>', 'the label value that counts as positive')
    .option('--reference <spec>', 'reference group, e.g. race=White,sex=Male (default: the largest group)')
    .option('--bootstrap <n>', 'bootstrap resamples for 95% intervals (0: none)', '1000')
    .option('--min-group <n>', 'groups smaller than this are flagged and left out of disparities', '30')
    .option('--seed <n>', 'seed of the bootstrap', '42')
    .option('--model <modelId>', 'score the version with this model on the fly')
    .option('--marginal', 'also report each sensitive column on its own')
    .option('--constraint <c>', 'disparity of the trade-off curve: demographic_parity | equalized_odds', 'demographic_parity')
    .action(async (versionId: string, o: AuditOptions, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        if (!g.json) say(translate(lang, 'cli.fairness.auditing', { version: versionId }));
        const reference = parseReference(o.reference, lang);
        const { jobId } = await api.fairness.audit({
          versionId,
          label: o.label,
          ...(o.prediction ? { prediction: o.prediction } : {}),
          ...(o.score ? { score: o.score } : {}),
          threshold: Number(o.threshold),
          sensitive: o.sensitive.split(',').map((s) => s.trim()).filter(Boolean),
          ...(o.positive !== undefined ? { positive: o.positive } : {}),
          ...(reference ? { reference } : {}),
          bootstrap: Number(o.bootstrap),
          minGroupSize: Number(o.minGroup),
          seed: Number(o.seed),
          ...(o.model ? { modelId: o.model } : {}),
          marginal: Boolean(o.marginal),
          constraint: o.constraint as never,
        });
        const job = await jobResult(app, api, jobId, lang, translate(lang, 'ui.jobs.kind.fairness'));
        const audit = await api.fairness.getAudit({ auditId: (job.result as { auditId: string }).auditId });
        if (g.json) printJson(auditJson(audit));
        else printAudit(audit, lang);
      });
    });

  program
    .command('fairness-mitigate')
    .description('mitigate a stored audit: group thresholds on its scores, or reweighing → retrain its model → re-audit')
    .argument('<auditId>', 'stored fairness audit')
    .option('--method <m>', 'threshold | reweighing', 'threshold')
    .option('--constraint <c>', 'threshold: demographic_parity | equalized_odds', 'demographic_parity')
    .option('--tolerance <t>', 'threshold: largest disparity accepted', '0.02')
    .option('--seed <n>', 'reweighing: seed of the resampling', '42')
    .action(async (auditId: string, o: { method: string; constraint: string; tolerance: string; seed: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        if (!g.json) say(translate(lang, 'cli.fairness.mitigating', { audit: auditId }));
        const title = translate(lang, 'ui.jobs.kind.fairness');
        if (o.method === 'reweighing') {
          const parent = await api.fairness.getAudit({ auditId });
          const reweighed = (await jobResult(app, api, (await api.fairness.reweigh({ auditId, seed: Number(o.seed) })).jobId, lang, title)).result as ReweighResult;
          if (!parent.modelId) {
            // No model to retrain: the resampled version is the outcome; train on it in the Model studio.
            if (g.json) printJson({ reweighed });
            else say(translate(lang, 'cli.fairness.reweighedOnly', { version: reweighed.versionId }));
            return;
          }
          const model = await api.training.getModel({ modelId: parent.modelId });
          const trained = (await jobResult(app, api, (await api.training.trainModel(retrainRequest(model, reweighed.versionId))).jobId, lang, translate(lang, 'ui.jobs.kind.train'))).result as ModelRecord;
          const { jobId } = await api.fairness.audit({ ...parent.request, modelId: trained.id, parentAuditId: parent.id, name: undefined });
          const audit = await api.fairness.getAudit({ auditId: ((await jobResult(app, api, jobId, lang, title)).result as { auditId: string }).auditId });
          if (g.json) printJson({ ...auditJson(audit), reweighed });
          else printAudit(audit, lang);
          return;
        }
        const { jobId } = await api.fairness.mitigate({ auditId, method: 'threshold', constraint: o.constraint as never, tolerance: Number(o.tolerance) });
        const job = await jobResult(app, api, jobId, lang, title);
        const audit = await api.fairness.getAudit({ auditId: (job.result as { auditId: string }).auditId });
        if (g.json) printJson(auditJson(audit));
        else printAudit(audit, lang);
      });
    });

  program
    .command('fairness-privacy')
    .description('privacy × utility × fairness: the same model trained on a version and each anonymised version of its dataset')
    .argument('<versionId>', 'the original version')
    .requiredOption('--target <col>', 'label column to predict')
    .requiredOption('--sensitive <cols>', 'sensitive columns, comma-separated')
    .option('--features <cols>', 'feature columns, comma-separated (default: all but the target and the sensitive columns)')
    .option('--positive <value>', 'the label value that counts as positive')
    .option('--model <family>', 'logistic | mlp', 'logistic')
    .option('--epochs <n>', 'epochs', '10')
    .option('--constraint <c>', 'demographic_parity | equalized_odds', 'demographic_parity')
    .option('--bootstrap <n>', 'bootstrap resamples for the disparity interval', '200')
    .action(async (versionId: string, o: { target: string; sensitive: string; features?: string; positive?: string; model: string; epochs: string; constraint: string; bootstrap: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const { jobId } = await api.fairness.comparePrivacy({
          versionId,
          target: o.target,
          sensitive: o.sensitive.split(',').map((s) => s.trim()).filter(Boolean),
          features: o.features ? o.features.split(',').map((s) => s.trim()).filter(Boolean) : [],
          ...(o.positive !== undefined ? { positive: o.positive } : {}),
          family: o.model as never,
          epochs: Number(o.epochs),
          constraint: o.constraint as never,
          bootstrap: Number(o.bootstrap),
        });
        const result = (await jobResult(app, api, jobId, lang, translate(lang, 'ui.jobs.kind.fairness'))).result as PrivacyComparison;
        if (g.json) return printJson(result);
        process.stdout.write(`version  operation   train   test  accuracy  ${result.constraint}  95% CI\n`);
        for (const r of result.rows) {
          process.stdout.write(`v${String(r.number).padEnd(7)} ${r.operation.padEnd(10)} ${String(r.trainRows).padStart(6)} ${String(r.testRows).padStart(6)}  ${fmt(r.accuracy).padStart(8)}  ${fmt(r.disparity).padStart(18)}  [${fmt(r.disparityCi?.low)}, ${fmt(r.disparityCi?.high)}]\n`);
        }
      });
    });

  program
    .command('fairness-list')
    .description('list stored fairness audits')
    .option('--version <versionId>', 'only audits of this version')
    .action(async (o: { version?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const audits = await api.fairness.listAudits(o.version ? { versionId: o.version } : {});
        if (g.json) return printJson(audits);
        if (audits.length === 0) return say(translate(lang, 'cli.fairness.noAudits'));
        for (const a of audits) {
          process.stdout.write(`${a.id}  ${a.kind.padEnd(9)}  ${a.columns.join('×').padEnd(16)}  n=${a.rows}  DPD=${fmt(a.demographicParityDifference)}  EOD=${fmt(a.equalizedOddsDifference)}  ${a.createdAt}  ${a.name}\n`);
        }
      });
    });
}
