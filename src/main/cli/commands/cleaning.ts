/** `xinzhi clean`, `xinzhi recipe`, `xinzhi diff`, `xinzhi lineage`: cleaning recipes, version comparison, lineage. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { translate } from '../../../shared/i18n/index.js';
import type { CleanResult, RecipeInput } from '../../../shared/model/cleaning.js';
import { CliFailure, globals, jobResult, languageOf, printJson, say, withApp } from '../common.js';

/** A recipe file: `{"steps": [...]}` (optionally with name, description) or a bare array of steps. */
function readRecipe(file: string): RecipeInput {
  const path = resolve(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliFailure(
      missing
        ? { code: 'E_FILE_NOT_FOUND', message: `Recipe not found: ${path}`, params: { file: path } }
        : { code: 'E_INVALID_INPUT', message: `Recipe is not JSON: ${String((err as Error).message)}`, params: { path: basename(path), issue: String((err as Error).message) } },
    );
  }
  return (Array.isArray(parsed) ? { steps: parsed } : parsed) as RecipeInput;
}

export function registerCleaningCommands(program: Command): void {
  program
    .command('clean')
    .description('run a cleaning recipe on a version; publishes ONE new version (lineage parent → child)')
    .argument('<versionId>')
    .option('--recipe <file>', 'recipe JSON: {"steps": [...]} (see docs/areas/cleaning.md)')
    .option('--saved <nameOrId>', 'a saved recipe instead of a file')
    .option('--save <name>', 'also save the recipe under this name')
    .action(async (versionId: string, o: { recipe?: string; saved?: string; save?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      if (!o.recipe === !o.saved) {
        throw new CliFailure({ code: 'E_INVALID_INPUT', message: 'Give --recipe FILE or --saved NAME', params: { path: '--recipe', issue: 'give exactly one of --recipe FILE and --saved NAME' } });
      }
      await withApp(g, 'cli', async (app, api) => {
        let recipe: RecipeInput;
        if (o.recipe) recipe = readRecipe(o.recipe);
        else {
          const saved = (await api.cleaning.listRecipes({})).find((r) => r.id === o.saved || r.name === o.saved);
          if (!saved) throw new CliFailure({ code: 'E_NOT_FOUND', message: `Recipe ${o.saved} not found`, params: { what: 'Recipe', id: o.saved! } });
          recipe = saved.recipe;
        }
        if (o.save) await api.cleaning.saveRecipe({ name: o.save, recipe });
        const { jobId } = await api.cleaning.runRecipe({ versionId, recipe });
        const job = await jobResult(app, api, jobId, lang, versionId);
        const result = job.result as CleanResult;
        if (g.json) {
          printJson({ versionId: result.versionId, parentVersionId: result.parentVersionId, rowCount: result.rowCount, datasetId: result.datasetId, steps: result.steps });
        } else {
          say(translate(lang, 'cli.cleaning.cleaned', { versionId: result.versionId, parent: result.parentVersionId, rows: result.rowCount, steps: result.steps.length }));
          for (const s of result.steps) say(translate(lang, 'cli.cleaning.step', { op: s.op, before: s.rowsBefore, after: s.rowsAfter, cells: s.changedCells }));
        }
      });
    });

  const recipe = program.command('recipe').description('saved cleaning recipes');
  recipe
    .command('list')
    .description('list saved recipes')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const list = await api.cleaning.listRecipes({});
        if (g.json) printJson(list);
        else for (const r of list) say(`${r.id}  ${r.name}  (${r.recipe.steps.map((s) => s.op).join(' → ')})`);
      });
    });
  recipe
    .command('save')
    .description('save a recipe file under a name (replaces one of the same name)')
    .argument('<name>')
    .argument('<file>')
    .action(async (name: string, file: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const saved = await api.cleaning.saveRecipe({ name, recipe: readRecipe(file) });
        if (g.json) printJson(saved);
        else say(translate(languageOf(g), 'cli.cleaning.saved', { name: saved.name, id: saved.id }));
      });
    });
  recipe
    .command('delete')
    .description('delete a saved recipe')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const out = await api.cleaning.deleteRecipe({ id });
        if (g.json) printJson(out);
      });
    });

  program
    .command('diff')
    .description('compare two versions: schema changes, row counts, changed cells (rows matched by __row or --key)')
    .argument('<versionA>')
    .argument('<versionB>')
    .option('--key <columns>', 'comma-separated key columns to match rows by')
    .option('--samples <n>', 'changed cells to show', '20')
    .action(async (versionA: string, versionB: string, o: { key?: string; samples: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const diff = await api.cleaning.compareVersions({ versionA, versionB, keyColumns: o.key ? o.key.split(',').map((k) => k.trim()) : [], samples: Number(o.samples) });
        if (g.json) {
          printJson(diff);
          return;
        }
        const names = (cols: { name: string }[]) => cols.map((c) => c.name).join(', ') || '–';
        say(translate(lang, 'cli.cleaning.diffRows', { a: diff.rows.a, b: diff.rows.b }));
        say(translate(lang, 'cli.cleaning.diffSchema', { added: names(diff.schema.added), removed: names(diff.schema.removed), retyped: diff.schema.retyped.map((r) => `${r.name} ${r.from}→${r.to}`).join(', ') || '–', renamed: diff.schema.renamed.map((r) => `${r.from}→${r.to}`).join(', ') || '–' }));
        say(translate(lang, 'cli.cleaning.diffCells', { changed: diff.cells.changed, compared: diff.cells.compared, alignment: diff.alignment }));
        for (const c of diff.cells.byColumn.filter((c) => c.changed > 0)) say(`  ${c.column}: ${c.changed}`);
      });
    });

  program
    .command('lineage')
    .description('the lineage graph around a dataset, version or model: files → versions → models → reports')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const graph = await api.lineage.getGraph({ id });
        if (g.json) {
          printJson(graph);
          return;
        }
        const label = new Map(graph.nodes.map((n) => [n.id, `${n.label} [${n.kind}]`]));
        for (const n of graph.nodes) say(`${'  '.repeat(n.depth)}${n.label} [${n.kind}] ${n.detail}`);
        for (const e of graph.edges) say(`${label.get(e.source)} --${e.relation}--> ${label.get(e.target)}`);
      });
    });
}
