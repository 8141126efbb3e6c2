/** `xinzhi scenarios …`: list templates, run one on its sample (or on mapped versions), show a stored run, change a what-if. */
import type { Command } from 'commander';
import { translate, type Language } from '../../../shared/i18n/index.js';
import { XinzhiError } from '../../../shared/model/errors.js';
import { ScenarioIdSchema, type Mapping, type ScenarioRun } from '../../../shared/model/scenarios.js';
import { globals, jobResult, languageOf, printJson, say, withApp } from '../common.js';

function parseJson<T>(text: string, option: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new XinzhiError('E_INVALID_INPUT', `${option} is not valid JSON`, { path: option, issue: 'not valid JSON' });
  }
}

function scenarioId(value: string) {
  const parsed = ScenarioIdSchema.safeParse(value);
  if (!parsed.success) throw new XinzhiError('E_INVALID_INPUT', `Unknown scenario ${value}`, { path: 'scenario', issue: `one of ${ScenarioIdSchema.options.join(', ')}` });
  return parsed.data;
}

function formatValue(value: number | null, format: string): string {
  if (value === null) return '—';
  if (format === 'percent') return `${(value * 100).toFixed(1)}%`;
  if (format === 'money') return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (format === 'ratio') return value.toFixed(3);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** The KPIs and notes of a run, one line each (stderr); the JSON document is the whole run. */
function printRun(run: ScenarioRun, lang: Language): void {
  say(`${run.id} · ${run.scenarioId} · ${run.source}`);
  for (const k of run.dashboard.kpis) say(`  ${translate(lang, `ui.scenarios.kpis.${k.key}`).padEnd(28)} ${formatValue(k.value, k.format)}`);
  for (const n of run.dashboard.notes) say(`  ${translate(lang, `ui.scenarios.notes.${n.key}`, n.params)}`);
}

export function registerScenariosCommands(program: Command): void {
  const scenarios = program.command('scenarios').description('scenario templates: production planning, predictive maintenance, credit risk, supply chain, retail recommendation, customer service');

  scenarios
    .command('list')
    .description('list the scenario templates and their stored runs')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const templates = await api.scenarios.listTemplates({});
        const runs = await api.scenarios.listRuns({});
        if (g.json) return printJson({ templates, runs });
        say(translate(lang, 'cli.scenarios.listHeader'));
        for (const t of templates) say(`  ${t.id.padEnd(24)} ${t.title[lang]} — ${t.sample.name} (${t.sample.licence})`);
        say(runs.length ? translate(lang, 'cli.scenarios.runsHeader') : translate(lang, 'cli.scenarios.noRuns'));
        for (const r of runs) say(`  ${r.id}  ${r.scenarioId.padEnd(24)} ${r.source.padEnd(6)} ${r.createdAt}`);
      });
    });

  scenarios
    .command('run')
    .description('run a scenario pipeline as one job: on its sample data, or with --mapping on your versions')
    .argument('<scenario>', ScenarioIdSchema.options.join(' | '))
    .option('--mapping <json>', 'own data: {"<table>": {"versionId": "...", "columns": {"<role>": "<column>" | ["<column>", ...]}}}')
    .action(async (id: string, o: { mapping?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      const scenario = scenarioId(id);
      await withApp(g, 'cli', async (app, api) => {
        const { jobId } = o.mapping
          ? await api.scenarios.runOwn({ scenarioId: scenario, mapping: parseJson<Mapping>(o.mapping, '--mapping') })
          : await api.scenarios.runSample({ scenarioId: scenario });
        const job = await jobResult(app, api, jobId, lang, scenario);
        const run = await api.scenarios.getRun({ runId: (job.result as { runId: string }).runId });
        if (g.json) return printJson(run);
        say(translate(lang, 'cli.scenarios.runDone', { id: run.id }));
        printRun(run, lang);
      });
    });

  scenarios
    .command('show')
    .description('show a stored run: its KPIs and notes (--json: every KPI, chart, table and what-if setting)')
    .argument('<runId>')
    .action(async (runId: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const run = await api.scenarios.getRun({ runId });
        if (g.json) return printJson(run);
        printRun(run, lang);
      });
    });

  scenarios
    .command('what-if')
    .description('recompute a run at new what-if settings, e.g. --set threshold=0.3 --set cap:Mill=120')
    .argument('<runId>')
    .option('--set <key=value>', 'a what-if setting (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (runId: string, o: { set: string[] }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      const whatIf: Record<string, number> = {};
      for (const pair of o.set) {
        const eq = pair.lastIndexOf('=');
        const value = Number(pair.slice(eq + 1));
        if (eq <= 0 || !Number.isFinite(value)) throw new XinzhiError('E_INVALID_INPUT', `--set ${pair}: expected key=number`, { path: '--set', issue: 'expected key=number' });
        whatIf[pair.slice(0, eq)] = value;
      }
      await withApp(g, 'cli', async (_app, api) => {
        const run = await api.scenarios.updateWhatIf({ runId, whatIf });
        if (g.json) return printJson(run);
        printRun(run, lang);
      });
    });
}
