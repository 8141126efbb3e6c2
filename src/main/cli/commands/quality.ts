/** `xinzhi profile VERSION` and `xinzhi rules add|ls|rm|run|history`: profiles, the quality score and quality rules. */
import type { Command } from 'commander';
import { translate, type Language } from '../../../shared/i18n/index.js';
import type { Api } from '../../../shared/contract/index.js';
import type { ProfileReport, RuleRun, RuleSpecInput } from '../../../shared/model/quality.js';
import type { App } from '../../compose.js';
import { globals, jobResult, languageOf, printJson, say, withApp } from '../common.js';

/** The profile as the CLI contract has it: score, dimensions, columns, alerts, duplicate rows. */
export function profileJson(report: ProfileReport) {
  return {
    versionId: report.versionId,
    rowCount: report.rowCount,
    qualityScore: report.qualityScore,
    dimensions: report.dimensions,
    columns: report.columns.map((c) => ({
      name: c.name,
      type: c.type,
      count: c.count,
      missing: c.missing,
      distinct: c.distinct,
      ...(c.numeric
        ? {
            mean: c.numeric.mean,
            std: c.numeric.std,
            min: c.numeric.min,
            max: c.numeric.max,
            quantiles: c.numeric.quantiles,
            skewness: c.numeric.skewness,
            zeros: c.numeric.zeros,
            outliers: c.numeric.outliers,
          }
        : {}),
      ...(c.text ? { minLength: c.text.minLength, meanLength: c.text.meanLength, maxLength: c.text.maxLength, patterns: c.text.patterns.slice(0, 5) } : {}),
      topValues: c.topValues.slice(0, 10),
    })),
    alerts: report.alerts.map((a) => ({ kind: a.kind, column: a.column, ...(a.otherColumn ? { otherColumn: a.otherColumn } : {}), value: a.value })),
    duplicateRows: report.duplicateRows,
    rowsWithMissing: report.rowsWithMissing,
  };
}

function runJson(run: RuleRun) {
  return {
    versionId: run.versionId,
    ranAt: run.ranAt,
    passed: run.passed,
    failed: run.failed,
    results: run.results.map((r) => ({
      ruleId: r.ruleId,
      kind: r.spec.kind,
      ...('column' in r.spec ? { column: r.spec.column } : {}),
      passed: r.passed,
      checkedRows: r.checkedRows,
      failingRows: r.failingRows,
      passRate: r.passRate,
      samples: r.samples,
      error: r.error,
    })),
  };
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(1));

/** Profiles the version when no profile is stored (or `refresh`), then returns the stored report. */
async function ensureProfile(app: App, api: Api, versionId: string, lang: Language, refresh: boolean): Promise<ProfileReport> {
  const stored = refresh ? null : await api.quality.getProfile({ versionId });
  if (stored) return stored;
  const { jobId } = await api.quality.profileVersion({ versionId });
  await jobResult(app, api, jobId, lang, versionId);
  return (await api.quality.getProfile({ versionId }))!;
}

async function datasetOf(api: Api, id: string): Promise<string> {
  if (id.startsWith('ver_')) return (await api.catalog.getVersion({ versionId: id })).datasetId;
  return (await api.catalog.getDataset({ datasetId: id })).id;
}

function describeRule(spec: RuleSpecInput): string {
  const { kind, ...rest } = spec;
  return `${kind} ${JSON.stringify(rest)}`;
}

export function registerQualityCommands(program: Command): void {
  program
    .command('profile')
    .description('profile a version: statistics per column, alerts and the 0–100 quality score (runs the profile job when none is stored)')
    .argument('<versionId>')
    .option('--refresh', 'profile again even when a profile is stored')
    .action(async (versionId: string, o: { refresh?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const report = await ensureProfile(app, api, versionId, lang, Boolean(o.refresh));
        if (g.json) {
          printJson(profileJson(report));
          return;
        }
        const d = report.dimensions;
        process.stdout.write(
          `${translate(lang, 'cli.quality.score', { score: report.qualityScore.toFixed(1), rows: report.rowCount, duplicates: report.duplicateRows })}\n` +
            `  ${translate(lang, 'cli.quality.dimensions', { completeness: fmt(d.completeness), uniqueness: fmt(d.uniqueness), validity: fmt(d.validity), consistency: fmt(d.consistency), outliers: fmt(d.outliers) })}\n`,
        );
        for (const c of report.columns) {
          const stats = c.numeric ? `  mean ${c.numeric.mean.toPrecision(6)}  std ${c.numeric.std?.toPrecision(6) ?? '—'}  min ${c.numeric.min}  max ${c.numeric.max}` : '';
          process.stdout.write(`  ${c.name.padEnd(20)} ${c.type.padEnd(8)} missing ${String(c.missing).padStart(7)}  distinct ${String(c.distinct).padStart(8)}${stats}\n`);
        }
        if (report.alerts.length > 0) process.stdout.write(`${translate(lang, 'cli.quality.alerts', { n: report.alerts.length })}\n`);
        for (const a of report.alerts) {
          process.stdout.write(`  ${translate(lang, `ui.quality.alertKinds.${a.kind}`)}: ${a.column ?? ''}${a.otherColumn ? ` ~ ${a.otherColumn}` : ''} (${Number.isInteger(a.value) ? a.value : a.value.toFixed(3)})\n`);
        }
      });
    });

  const rules = program.command('rules').description('quality rules (expectations) of a dataset: add, ls, rm, run, history');

  rules
    .command('add')
    .description('add a rule to the dataset (of a version)')
    .argument('<versionOrDataset>', 'a version id (ver_…) or a dataset id (ds_…)')
    .requiredOption('--kind <kind>', 'not-null | unique | in-set | between | matches | type | row-count | predicate')
    .option('--column <name>', 'the column the rule checks')
    .option('--values <list>', 'in-set: comma-separated allowed values')
    .option('--min <x>', 'between / row-count: lower bound')
    .option('--max <x>', 'between / row-count: upper bound')
    .option('--pattern <regex>', 'matches: a regular expression')
    .option('--type <type>', 'type: integer | number | boolean | date | text')
    .option('--expr <expression>', 'predicate: an expression every row must satisfy, e.g. "age >= 18 and hours <= 99"')
    .action(async (target: string, o: { kind: string; column?: string; values?: string; min?: string; max?: string; pattern?: string; type?: string; expr?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      const num = (x: string | undefined) => (x === undefined ? null : Number(x));
      const spec = { kind: o.kind, column: o.column, values: o.values?.split(','), min: num(o.min), max: num(o.max), pattern: o.pattern, type: o.type, expression: o.expr };
      // Drop the options that were not given; the contract's schema says which the kind needs.
      const cleaned = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined && v !== null)) as RuleSpecInput;
      await withApp(g, 'cli', async (_app, api) => {
        const datasetId = await datasetOf(api, target);
        const rule = await api.quality.addRule({ datasetId, spec: cleaned });
        if (g.json) printJson(rule);
        else say(translate(lang, 'cli.quality.ruleAdded', { id: rule.id, rule: describeRule(rule.spec) }));
      });
    });

  rules
    .command('ls')
    .description("list a dataset's rules")
    .argument('<versionOrDataset>')
    .action(async (target: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const list = await api.quality.listRules({ datasetId: await datasetOf(api, target) });
        if (g.json) {
          printJson({ rules: list });
          return;
        }
        if (list.length === 0) say(translate(languageOf(g), 'cli.quality.noRules'));
        for (const r of list) process.stdout.write(`${r.id}  ${describeRule(r.spec)}\n`);
      });
    });

  rules
    .command('rm')
    .description('delete a rule')
    .argument('<ruleId>')
    .action(async (ruleId: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const out = await api.quality.deleteRule({ ruleId });
        if (g.json) printJson(out);
        else say(translate(languageOf(g), 'cli.quality.ruleDeleted', { id: ruleId }));
      });
    });

  rules
    .command('run')
    .description("check the dataset's rules on a version")
    .argument('<versionId>')
    .option('--strict', 'exit with code 2 when a rule fails (for scripts and CI)')
    .action(async (versionId: string, o: { strict?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const { jobId } = await api.quality.runRules({ versionId });
        const job = await jobResult(app, api, jobId, lang, versionId);
        const run = job.result as RuleRun;
        if (g.json) printJson(runJson(run));
        else {
          process.stdout.write(`${translate(lang, 'cli.quality.runSummary', { passed: run.passed, failed: run.failed })}\n`);
          for (const r of run.results) {
            const samples = r.samples.map((s) => `#${s.row}=${s.value ?? 'null'}`).join(', ');
            process.stdout.write(`  ${r.passed ? 'PASS' : 'FAIL'}  ${describeRule(r.spec)}  ${translate(lang, 'cli.quality.failing', { n: r.failingRows, checked: r.checkedRows })}${samples ? `  ${samples}` : ''}${r.error ? `  ${r.error}` : ''}\n`);
          }
        }
        if (o.strict && run.failed > 0) process.exitCode = 2;
      });
    });

  rules
    .command('history')
    .description('rule runs of a dataset or a version, newest first')
    .argument('<versionOrDataset>')
    .option('--limit <n>', 'runs to show', '20')
    .action(async (target: string, o: { limit: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const runs = await api.quality.getRuleHistory(target.startsWith('ver_') ? { versionId: target, limit: Number(o.limit) } : { datasetId: target, limit: Number(o.limit) });
        if (g.json) {
          printJson({ runs: runs.map(runJson) });
          return;
        }
        for (const run of runs) process.stdout.write(`${run.ranAt}  v${run.versionNumber} ${run.versionId}  ${translate(lang, 'cli.quality.runSummary', { passed: run.passed, failed: run.failed })}\n`);
      });
    });
}
