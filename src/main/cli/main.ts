/**
 * The `xinzhi` command line: offline batch work over the same services as the app, through the in-process
 * transport. With --json, stdout carries exactly one JSON document; progress and messages go to stderr.
 */
import { Command, Option } from 'commander';
import { basename, dirname, resolve } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { translate, type Language } from '../../shared/i18n/index.js';
import { XinzhiError, toErrorInfo } from '../../shared/model/errors.js';
import type { ImportResult } from '../../shared/model/catalog.js';
import type { AnonymiseResult } from '../../shared/model/privacy.js';
import type { Explanation, ModelRecord } from '../../shared/model/training.js';
import { createApp, resolveWorkspace } from '../compose.js';
import { registerQualityCommands } from './commands/quality.js';
import { CliFailure, globals, jobResult, languageOf, printJson, say, withApp } from './common.js';
import { registerScenariosCommands } from './commands/scenarios.js';
import { registerReportsCommands } from './commands/reports.js';
import { registerFairnessCommands } from './commands/fairness.js';
import { registerCleaningCommands } from './commands/cleaning.js';
import { registerCatalogMetadataCommands } from './commands/catalog-metadata.js';
import { registerPiiLabelingCommands } from './commands/pii-labeling.js';

// Each area's commands live in cli/commands/<area>.ts and register themselves on the program here.

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('xinzhi')
    .description('Xinzhi Workbench (新质工作台) — offline data catalog and AI workbench')
    .option('--workspace <dir>', 'workspace folder (default: $XINZHI_HOME or ~/.xinzhi)')
    .addOption(new Option('--lang <lang>', 'language of messages').choices(['zh-CN', 'en']))
    .option('--json', 'print one JSON document on stdout')
    .showHelpAfterError();


  program
    .command('import')
    .description('import a file as a new dataset: CSV/TSV, Excel .xlsx, JSON, NDJSON, Parquet, or a table/query of an SQLite file')
    .argument('<file>', 'file to import')
    .option('--name <name>', 'dataset name (default: the file name)')
    .option('--delimiter <d>', "field delimiter: ',' ';' 'tab' '|' or auto", 'auto')
    .option('--encoding <e>', 'auto | utf-8 | gbk | gb18030 | utf-16le | utf-16be', 'auto')
    .addOption(new Option('--header <h>', 'first row is a header').choices(['auto', 'yes', 'no']).default('auto'))
    .addOption(new Option('--quote <q>', 'how " is read: RFC 4180 quoting, none, or auto (tab files that never quote read it as text)').choices(['auto', 'double', 'none']).default('auto'))
    .option('--skip-bad-rows', 'skip rows with the wrong number of fields instead of failing')
    .option('--keep-spaces', 'keep spaces around fields (by default `39, State-gov` reads as 39 and State-gov)')
    .option('--na <values>', 'extra comma-separated strings read as missing (e.g. "?")')
    .option('--type <col=type...>', 'force column types, e.g. --type zip=text --type age=integer')
    .addOption(new Option('--format <f>', 'read the file as this format (default: by its extension)').choices(['auto', 'csv', 'xlsx', 'json', 'ndjson', 'parquet', 'sqlite']).default('auto'))
    .option('--sheet <name>', 'Excel: the sheet to import (default: the first)')
    .option('--header-row <n>', 'Excel: 1-based row of the header (default: the first non-empty row)')
    .option('--header-rows <n>', 'Excel: rows the header spans, merged cells joined as Sales.Q1 (default: detected)')
    .option('--table <name>', 'SQLite: the table or view to import')
    .option('--query <sql>', 'SQLite: one read-only SELECT to import instead of a table')
    .action(async (file: string, o: { name?: string; delimiter: string; encoding: string; header: string; quote: string; skipBadRows?: boolean; keepSpaces?: boolean; na?: string; type?: string[]; format: string; sheet?: string; headerRow?: string; headerRows?: string; table?: string; query?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      const delimiter = o.delimiter === 'tab' || o.delimiter === '\\t' ? '\t' : o.delimiter;
      const columnTypes = Object.fromEntries((o.type ?? []).map((t) => t.split('=') as [string, string]));
      await withApp(g, 'cli', async (app, api) => {
        const path = resolve(file);
        if (!g.json) say(translate(lang, 'cli.importing', { file }));
        const { jobId } = await api.catalog.importFile({
          path,
          name: o.name,
          delimiter: delimiter as never,
          encoding: o.encoding as never,
          header: o.header as never,
          quote: o.quote as never,
          skipBadRows: Boolean(o.skipBadRows),
          trimSpaces: !o.keepSpaces,
          naValues: o.na ? o.na.split(',') : [],
          columnTypes: columnTypes as never,
          format: o.format as never,
          ...(o.sheet ? { sheet: o.sheet } : {}),
          ...(o.headerRow ? { headerRow: Number(o.headerRow) } : {}),
          ...(o.headerRows ? { headerRows: Number(o.headerRows) } : {}),
          ...(o.table ? { table: o.table } : {}),
          ...(o.query ? { query: o.query } : {}),
        });
        const job = await jobResult(app, api, jobId, lang, file);
        const result = job.result as ImportResult;
        if (g.json) {
          printJson({
            datasetId: result.datasetId,
            versionId: result.versionId,
            rowCount: result.rowCount,
            skippedRows: result.skippedRows,
            columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
          });
        } else {
          say(translate(lang, 'cli.imported', { rows: result.rowCount.toLocaleString(lang), cols: result.columns.length, datasetId: result.datasetId, versionId: result.versionId }));
          if (result.skippedRows > 0) say(translate(lang, 'cli.skipped', { count: result.skippedRows }));
        }
      });
    });

  program
    .command('import-images')
    .description('import images: IDX files (MNIST format, .gz or not), or a folder with one subfolder of PNG/JPEG images per class')
    .argument('<images>', 'IDX images file (magic 0x803), or a folder of class subfolders')
    .argument('[labels]', 'IDX labels file (magic 0x801), with an IDX images file')
    .option('--size <n>', 'folder images: resized to n × n grayscale pixels', '28')
    .option('--name <name>', 'dataset name (default: the file or folder name)')
    .action(async (images: string, labels: string | undefined, o: { size: string; name?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const named = o.name ? { name: o.name } : {};
        const { jobId } = await api.catalog.importImages(labels ? { imagesPath: resolve(images), labelsPath: resolve(labels), ...named } : { folder: resolve(images), size: Number(o.size), ...named });
        const job = await jobResult(app, api, jobId, lang, images);
        const result = job.result as ImportResult;
        if (g.json) printJson({ datasetId: result.datasetId, versionId: result.versionId, rowCount: result.rowCount, columns: result.columns.length });
        else say(translate(lang, 'cli.imported', { rows: result.rowCount.toLocaleString(lang), cols: result.columns.length, datasetId: result.datasetId, versionId: result.versionId }));
      });
    });

  program
    .command('ls')
    .description('list datasets and their versions')
    .option('--query <q>', 'filter by name')
    .action(async (o: { query?: string }, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const datasets = await api.catalog.listDatasets({ query: o.query ?? '' });
        if (g.json) {
          printJson({ datasets: datasets.map((d) => ({ id: d.id, name: d.name, versions: d.versions.map((v) => ({ id: v.id, rowCount: v.rowCount })) })) });
          return;
        }
        if (datasets.length === 0) say(translate(languageOf(g), 'cli.noDatasets'));
        for (const d of datasets) {
          process.stdout.write(`${d.id}  ${d.name}\n`);
          for (const v of d.versions) process.stdout.write(`  v${v.number} ${v.id}  ${v.rowCount} rows  ${v.operation}  ${v.createdAt}\n`);
        }
      });
    });

  program
    .command('rows')
    .description('print rows of a dataset version')
    .argument('<versionId>')
    .option('--limit <n>', 'rows to print', '20')
    .option('--offset <n>', 'rows to skip', '0')
    .action(async (versionId: string, o: { limit: string; offset: string }, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const page = await api.catalog.queryRows({ versionId, limit: Number(o.limit), offset: Number(o.offset) });
        if (g.json) {
          printJson({ columns: page.columns.map((c) => ({ name: c.name, type: c.type })), rows: page.rows });
          return;
        }
        process.stdout.write(`${page.columns.map((c) => c.name).join('\t')}\n`);
        for (const r of page.rows) process.stdout.write(`${r.map((v) => (v === null ? '' : String(v))).join('\t')}\n`);
      });
    });

  program
    .command('export')
    .description('write a dataset version to a CSV file (UTF-8)')
    .argument('<versionId>')
    .requiredOption('-o, --output <file>', 'CSV file to write')
    .action(async (versionId: string, o: { output: string }, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const out = await api.catalog.exportVersion({ versionId, path: resolve(o.output) });
        if (g.json) printJson(out);
        else say(translate(languageOf(g), 'cli.exported', { rows: out.rowCount, file: out.path }));
      });
    });

  program
    .command('anonymise')
    .alias('anonymize')
    .description('anonymise a version with a privacy setup (roles, hierarchies, models); writes a new version')
    .argument('<versionId>')
    .requiredOption('--config <file>', 'privacy setup JSON (see README and assets/examples/privacy/adult-k5.json)')
    .action(async (versionId: string, o: { config: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      const configPath = resolve(o.config);
      let config: unknown;
      try {
        config = JSON.parse(readFileSync(configPath, 'utf8'));
      } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        throw new CliFailure(
          missing
            ? { code: 'E_FILE_NOT_FOUND', message: `Config not found: ${configPath}`, params: { file: configPath } }
            : { code: 'E_INVALID_INPUT', message: `Config is not JSON: ${String((err as Error).message)}`, params: { path: basename(configPath), issue: String((err as Error).message) } },
        );
      }
      await withApp(g, 'cli', async (app, api) => {
        const { jobId } = await api.privacy.anonymise({ versionId, config: config as never, baseDir: dirname(configPath) });
        const job = await jobResult(app, api, jobId, lang, versionId);
        const result = job.result as AnonymiseResult;
        if (g.json) printJson(result);
        else {
          say(translate(lang, 'cli.anonymised', { versionId: result.versionId, rows: result.rowCount, suppressed: result.suppressedRows, node: JSON.stringify(result.node) }));
          say(translate(lang, 'cli.riskChange', { before: result.risk.before.prosecutorMax.toFixed(3), after: result.risk.after.prosecutorMax.toFixed(3) }));
        }
      });
    });

  program
    .command('suggest-privacy')
    .description('propose a privacy setup (roles, hierarchies, k=5) for a version, to edit and pass to anonymise')
    .argument('<versionId>')
    .option('-o, --output <file>', 'write the setup JSON to a file instead of stdout')
    .action(async (versionId: string, o: { output?: string }, cmd: Command) => {
      const g = globals(cmd);
      const { config, reasons } = await withApp(g, 'cli', (_app, api) => api.privacy.suggestSetup({ versionId }));
      const text = `${JSON.stringify(config, null, 2)}\n`;
      if (o.output) {
        writeFileSync(resolve(o.output), text);
        for (const [name, c] of Object.entries(config.columns)) say(`${name.padEnd(24)} ${c.role.padEnd(12)} ${translate(languageOf(g), `privacy.reasons.${reasons[name]!.key}`, reasons[name]!.params)}`);
      } else process.stdout.write(g.json ? `${JSON.stringify({ config, reasons })}\n` : text);
    });

  program
    .command('reidentify')
    .description('authorised re-identification of a reversible pseudonym (audited)')
    .argument('<versionId>')
    .requiredOption('--column <name>', 'the pseudonymised column')
    .requiredOption('--pseudonym <value>', 'the pseudonym to resolve')
    .requiredOption('--reason <text>', 'why (recorded in the audit log)')
    .action(async (versionId: string, o: { column: string; pseudonym: string; reason: string }, cmd: Command) => {
      const g = globals(cmd);
      const out = await withApp(g, 'cli', (_app, api) => api.privacy.reidentify({ versionId, column: o.column, pseudonym: o.pseudonym, reason: o.reason }));
      if (g.json) printJson(out);
      else process.stdout.write(`${out.value ?? translate(languageOf(g), 'cli.noSuchPseudonym')}\n`);
      if (out.value === null) process.exitCode = 1;
    });

  program
    .command('train')
    .description('train a model on a version (in a worker, on the best backend present)')
    .argument('<versionId>')
    .option('--target <column>', 'column to predict (none for kmeans, dbscan, anomaly)', '')
    .option('--features <a,b,...>', 'feature columns (default: all but the target)')
    .addOption(new Option('--model <family>', 'model family, or auto for the AutoML quick pick').choices(['auto', 'logistic', 'linear', 'mlp', 'kmeans', 'dbscan', 'mf', 'embedding', 'text', 'cnn', 'anomaly']).default('mlp'))
    .option('--epochs <n>', 'training epochs', '10')
    .option('--batch-size <n>', 'mini-batch size', '256')
    .option('--learning-rate <x>', "optimiser step (default: the family's)")
    .option('--seed <n>', 'random seed (splits, initialisation)', '42')
    .option('--hyper <json>', 'family hyper-parameters as JSON, e.g. \'{"hidden":[64,64]}\' or \'{"k":4}\'')
    .option('--user <column>', 'recommenders: the user id column')
    .option('--item <column>', 'recommenders: the item id column')
    .option('--threshold <p|f1>', "binary classifiers: decision threshold (default 0.5), or f1 to tune it on the validation rows")
    .option('--patience <n>', 'early stopping: epochs without validation improvement')
    .option('--folds <k>', 'k-fold cross-validation of the kept setup')
    .addOption(new Option('--search <kind>', 'hyper-parameter search').choices(['grid', 'random']))
    .option('--search-space <json>', 'search space as JSON, e.g. \'{"l2":[0.001,0.01]}\' (default: the family\'s)')
    .option('--trials <n>', 'search draws / grid points at most', '8')
    .addOption(new Option('--backend <b>', 'force a backend').choices(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']))
    .action(
      async (
        versionId: string,
        o: { target: string; features?: string; model: string; epochs: string; batchSize: string; learningRate?: string; seed: string; hyper?: string; user?: string; item?: string; threshold?: string; patience?: string; folds?: string; search?: string; searchSpace?: string; trials: string; backend?: string },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const lang = languageOf(g);
        const parseJson = (text: string | undefined, option: string): Record<string, never> | undefined => {
          if (text === undefined) return undefined;
          try {
            return JSON.parse(text) as Record<string, never>;
          } catch {
            throw new XinzhiError('E_INVALID_INPUT', `${option} is not valid JSON`, { path: option, issue: 'not valid JSON' });
          }
        };
        await withApp(g, 'cli', async (app, api) => {
          const hyper = parseJson(o.hyper, '--hyper');
          const searchSpace = parseJson(o.searchSpace, '--search-space');
          const { jobId } = await api.training.trainModel({
            versionId,
            target: o.target,
            features: o.features ? o.features.split(',').map((f) => f.trim()) : [],
            family: o.model as never,
            epochs: Number(o.epochs),
            batchSize: Number(o.batchSize),
            ...(o.learningRate !== undefined ? { learningRate: Number(o.learningRate) } : {}),
            seed: Number(o.seed),
            trials: Number(o.trials),
            ...(hyper ? { hyper } : {}),
            ...(searchSpace ? { searchSpace } : {}),
            ...(o.user ? { userColumn: o.user } : {}),
            ...(o.item ? { itemColumn: o.item } : {}),
            ...(o.patience ? { patience: Number(o.patience) } : {}),
            ...(o.threshold ? { threshold: o.threshold === 'f1' ? ('f1' as const) : Number(o.threshold) } : {}),
            ...(o.folds ? { folds: Number(o.folds) } : {}),
            ...(o.search ? { search: o.search as never } : {}),
            ...(o.backend ? { backend: o.backend as never } : {}),
          });
          const job = await jobResult(app, api, jobId, lang, `${o.model} → ${o.target || '—'}`);
          const model = job.result as ModelRecord;
          if (g.json) {
            printJson({
              modelId: model.id,
              family: model.family,
              task: model.task,
              backend: model.backend,
              trainMs: model.trainMs,
              metrics: model.metrics,
              ...(model.report.cv ? { cv: model.report.cv } : {}),
              ...(model.report.trials ? { trials: model.report.trials } : {}),
              ...(model.report.stoppedEarly ? { stoppedEarly: model.report.stoppedEarly } : {}),
            });
          } else say(translate(lang, 'cli.trained', { modelId: model.id, backend: model.backend, seconds: (model.trainMs / 1000).toFixed(1), metrics: Object.entries(model.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') }));
        });
      },
    );

  program
    .command('explain')
    .description("a model's explanations: permutation importance, partial dependence, per-row contributions")
    .argument('<modelId>')
    .option('--version <versionId>', 'explain on this version (default: the training version)')
    .option('--rows <i,j,...>', 'rows (0-based) whose contributions are computed', '0,1,2')
    .action(async (modelId: string, o: { version?: string; rows: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const rows = o.rows.split(',').filter((r) => r.trim() !== '').map((r) => Number(r));
        const { jobId } = await api.training.explain({ modelId, rows, ...(o.version ? { versionId: o.version } : {}) });
        const job = await jobResult(app, api, jobId, lang, `explain ${modelId}`);
        const e = job.result as Explanation;
        if (g.json) printJson(e);
        else {
          const termWeights = e.metric === 'log_odds_weight' || e.metric === 'weight_spread';
          say(translate(lang, termWeights ? 'cli.termWeightsHeader' : 'cli.importanceHeader', { metric: e.metric }));
          for (const f of e.importance) process.stdout.write(`${f.feature.padEnd(28)} ${f.mean.toFixed(4)} ± ${f.std.toFixed(4)}\n`);
          for (const c of e.contributions) {
            say(translate(lang, 'cli.contributionsHeader', { row: c.row, base: c.base.toFixed(4), prediction: c.prediction.toFixed(4), method: e.contributionMethod }));
            for (const v of [...c.values].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, 8)) process.stdout.write(`  ${v.feature.padEnd(26)} ${v.value >= 0 ? '+' : ''}${v.value.toFixed(4)}\n`);
          }
        }
      });
    });

  program
    .command('compress')
    .description('quantise (float16, int8 per channel) and/or magnitude-prune a model into a new model')
    .argument('<modelId>')
    .addOption(new Option('--quantize <mode>', 'post-training quantisation').choices(['none', 'float16', 'int8']).default('none'))
    .option('--prune <fraction>', 'magnitude pruning to this share of zero weights, e.g. 0.5', '0')
    .option('--fine-tune <epochs>', 'fine-tuning epochs after pruning (pruned weights held at zero)', '0')
    .action(async (modelId: string, o: { quantize: string; prune: string; fineTune: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const { jobId } = await api.training.compress({ modelId, quantize: o.quantize as never, prune: Number(o.prune), fineTuneEpochs: Number(o.fineTune) });
        const job = await jobResult(app, api, jobId, lang, `compress ${modelId}`);
        const r = job.result as { modelId: string; sizeBytes: number; originalSizeBytes: number; metrics: Record<string, number>; originalMetrics: Record<string, number>; latencyMs: number; originalLatencyMs: number; sparsity: number };
        if (g.json) printJson(r);
        else say(translate(lang, 'cli.compressed', { modelId: r.modelId, size: r.sizeBytes, original: r.originalSizeBytes, ms: r.latencyMs.toFixed(1), originalMs: r.originalLatencyMs.toFixed(1) }));
      });
    });

  program
    .command('predict')
    .description('score a version with a model: a new version with prediction and score columns')
    .argument('<modelId>')
    .argument('<versionId>')
    .action(async (modelId: string, versionId: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const { jobId } = await api.training.predict({ modelId, versionId });
        const job = await jobResult(app, api, jobId, lang, `predict ${modelId}`);
        const result = job.result as { versionId: string; rows: number };
        if (g.json) printJson({ versionId: result.versionId });
        else say(translate(lang, 'cli.predicted', { versionId: result.versionId, rows: result.rows }));
      });
    });

  program
    .command('evaluate')
    .description("a model's metrics on a version that holds its target column")
    .argument('<modelId>')
    .argument('<versionId>')
    .action(async (modelId: string, versionId: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        const { jobId } = await api.training.evaluate({ modelId, versionId });
        const job = await jobResult(app, api, jobId, lang, `evaluate ${modelId}`);
        const result = job.result as { metrics: Record<string, number> };
        if (g.json) printJson({ metrics: result.metrics });
        else for (const [k, v] of Object.entries(result.metrics)) process.stdout.write(`${k.padEnd(20)} ${v.toFixed(4)}\n`);
      });
    });

  program
    .command('models')
    .description('list trained models')
    .option('--version <versionId>', 'only models trained on this version')
    .action(async (o: { version?: string }, cmd: Command) => {
      const g = globals(cmd);
      const models = await withApp(g, 'cli', (_app, api) => api.training.listModels(o.version ? { versionId: o.version } : {}));
      if (g.json) printJson({ models });
      else for (const m of models) process.stdout.write(`${m.id}  ${m.name}  ${m.backend}  ${Object.entries(m.metrics).slice(0, 3).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(' ')}\n`);
    });

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('recompute the hash chain and report the first broken entry')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const result = await withApp(g, 'cli', (_app, api) => api.audit.verifyChain({}));
      if (g.json) printJson(result);
      else say(translate(languageOf(g), result.ok ? 'cli.auditOk' : 'cli.auditBroken', { entries: result.entries, seq: result.brokenAt, head: result.headHash ?? '—' }));
      if (!result.ok) process.exitCode = 1;
    });

  program
    .command('doctor')
    .description('what this machine has: Node, SQLite, Electron, Chromium, GPU, training backends')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const report = await withApp(g, 'cli', (_app, api) => api.system.runDoctor({}));
      if (g.json) printJson(report);
      else for (const c of report.checks) process.stdout.write(`${c.ok ? '✔' : '✘'} ${c.id.padEnd(22)} ${translate(languageOf(g), `doctor.${c.reason}`, c.params)}\n`);
    });

  program
    .command('serve')
    .description('browser mode: serve the app on 127.0.0.1 with a per-launch token')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .action(async (o: { port: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      // Background profiling of new versions; XINZHI_AUTO_QUALITY=0 turns it off (the browser tests of other areas do).
      const app = await createApp({ workspace: resolveWorkspace(g.workspace), host: 'browser', autoQuality: process.env.XINZHI_AUTO_QUALITY !== '0' });
      // Loaded only here: the web server and its WebSocket library cost ~50 ms of start-up every other command.
      const { startWebServer } = await import('../web/server.js');
      const server = await startWebServer(app, { port: Number(o.port), rendererDir: resolve(app.config.appRoot, 'dist', 'renderer') });
      if (g.json) printJson({ url: server.url, port: server.port, token: server.token });
      else {
        process.stdout.write(`${translate(lang, 'cli.serving', { url: server.url })}\n`);
        say(translate(lang, 'cli.servingHint'));
      }
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await app.close();
    });

  registerAreaCommands(program);
  return program;
}

/** One line per area: cli/commands/<area>.ts exports register(program). */
function registerAreaCommands(program: Command): void {
  registerCatalogMetadataCommands(program);
  registerScenariosCommands(program);
  registerFairnessCommands(program);
  registerReportsCommands(program);
  registerCleaningCommands(program);
  registerQualityCommands(program);
  registerPiiLabelingCommands(program);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  const json = argv.includes('--json');
  const lang: Language = languageOf({ lang: argv[argv.indexOf('--lang') + 1] });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const commanderCode = (err as { code?: string }).code;
    if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
      const exit = (err as { exitCode?: number }).exitCode ?? 1;
      return commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' ? 0 : exit;
    }
    const info = err instanceof CliFailure ? err.info : toErrorInfo(err);
    const message = translate(lang, `errors.${info.code}`, info.params ?? { message: info.message });
    if (json) printJson({ error: { code: info.code, message, params: info.params ?? {} } });
    say(`✘ ${message}`);
    if (!(err instanceof XinzhiError) && !(err instanceof CliFailure) && process.env.XINZHI_DEBUG) say(String((err as Error).stack));
    return err instanceof CliFailure ? err.exitCode : 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  // For the benchmark: peak resident memory of the whole process, all threads included.
  if (process.env.XINZHI_REPORT_RSS) process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`);
  process.exitCode = code;
});
