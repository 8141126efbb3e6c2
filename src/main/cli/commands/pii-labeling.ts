/** `xinzhi pii VERSION` and `xinzhi label schema|add|stats|export`: PII findings and the labeling workflow from the command line. */
import type { Command } from 'commander';
import { translate } from '../../../shared/i18n/index.js';
import { globals, languageOf, printJson, say, withApp } from '../common.js';

const pct = (x: number) => `${Math.round(100 * x)}%`;

export function registerPiiLabelingCommands(program: Command): void {
  program
    .command('pii')
    .description('detect PII per column on a spread sample of a version; store and print the masked findings')
    .argument('<versionId>')
    .option('--sample <rows>', 'rows to sample', '2000')
    .action(async (versionId: string, o: { sample: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      const findings = await withApp(g, 'cli', (_app, api) => api.pii.detect({ versionId, sampleSize: Number(o.sample) }));
      if (g.json) {
        printJson({
          versionId: findings.versionId,
          suggestedSensitivity: findings.suggestedSensitivity,
          sampleSize: findings.sampleSize,
          columns: findings.columns.map((c) => ({ name: c.name, kind: c.kind, confidence: c.confidence, role: c.role, matchedShare: c.matchedShare, freeText: c.freeText, maskedExamples: c.maskedExamples })),
        });
        return;
      }
      for (const c of findings.columns) {
        const kind = c.kind ? translate(lang, `ui.privacy.reasons.shapes.${c.kind}`) : '—';
        process.stdout.write(`${c.name.padEnd(24)} ${kind.padEnd(18)} ${c.kind ? c.confidence.toFixed(2) : '    '}  ${translate(lang, `ui.privacy.role.${c.role}`).padEnd(14)} ${c.maskedExamples.slice(0, 2).join(', ')}\n`);
      }
      say(translate(lang, 'cli.pii.sensitivity', { sensitivity: translate(lang, `ui.pii.sensitivity.${findings.suggestedSensitivity}`), rows: findings.sampleSize }));
    });

  const label = program.command('label').description('labeling: schema, labels, agreement, export as a new version');

  label
    .command('schema')
    .description('set the label schema of a dataset (classes, or free text)')
    .argument('<datasetId>')
    .option('--classes <list>', 'comma-separated classes (keys 1–9 pick them in the queue)')
    .option('--text', 'free-text labels instead of classes')
    .option('--overlap <share>', 'share of rows labelled by several annotators (0..1)', '0.1')
    .option('--per-item <n>', 'annotators per overlap row', '2')
    .option('--column <name>', 'label column of exported versions', 'label')
    .action(async (datasetId: string, o: { classes?: string; text?: boolean; overlap: string; perItem: string; column: string }, cmd: Command) => {
      const g = globals(cmd);
      const schema = await withApp(g, 'cli', (_app, api) =>
        api.labeling.setSchema({
          datasetId,
          kind: o.text ? 'text' : 'classes',
          classes: (o.classes ?? '').split(',').map((s) => s.trim()).filter(Boolean),
          overlap: Number(o.overlap),
          annotatorsPerItem: Number(o.perItem),
          labelColumn: o.column,
        }),
      );
      if (g.json) printJson(schema);
      else say(translate(languageOf(g), 'cli.label.schemaSet', { classes: schema.kind === 'text' ? '(text)' : schema.classes.join(', '), overlap: pct(schema.overlap) }));
    });

  label
    .command('add')
    .description('label one row of a version')
    .argument('<versionId>')
    .requiredOption('--row <n>', 'row number (1-based)')
    .requiredOption('--label <value>', 'the label')
    .requiredOption('--annotator <name>', 'who labels')
    .action(async (versionId: string, o: { row: string; label: string; annotator: string }, cmd: Command) => {
      const g = globals(cmd);
      const out = await withApp(g, 'cli', (_app, api) => api.labeling.addLabel({ versionId, row: Number(o.row), label: o.label, annotator: o.annotator }));
      if (g.json) printJson(out);
      else say(translate(languageOf(g), 'cli.label.added', { count: out.labels }));
    });

  label
    .command('stats')
    .description('label counts per class and annotator, Cohen’s and Fleiss’ kappa')
    .argument('<datasetId>')
    .option('--version <id>', 'the labelled version (default: the most recently labelled)')
    .action(async (datasetId: string, o: { version?: string }, cmd: Command) => {
      const g = globals(cmd);
      const stats = await withApp(g, 'cli', (_app, api) => api.labeling.stats({ datasetId, ...(o.version ? { versionId: o.version } : {}) }));
      if (g.json) {
        printJson(stats);
        return;
      }
      const lang = languageOf(g);
      process.stdout.write(`${translate(lang, 'cli.label.progress', { labelled: stats.labelledRows, total: stats.totalRows, labels: stats.labels })}\n`);
      for (const [k, n] of Object.entries(stats.counts)) process.stdout.write(`  ${k.padEnd(20)} ${n}\n`);
      for (const p of stats.cohenKappa) process.stdout.write(`  Cohen κ ${p.a} / ${p.b}: ${p.kappa === null ? '—' : p.kappa.toFixed(3)} (${p.items})\n`);
      if (stats.fleissKappa.items) process.stdout.write(`  Fleiss κ: ${stats.fleissKappa.kappa === null ? '—' : stats.fleissKappa.kappa.toFixed(3)} (${stats.fleissKappa.items} × ${stats.fleissKappa.raters})\n`);
    });

  label
    .command('export')
    .description('export the labels (majority vote) as a new version with a label column')
    .argument('<datasetId>')
    .option('--version <id>', 'the labelled version (default: the most recently labelled)')
    .action(async (datasetId: string, o: { version?: string }, cmd: Command) => {
      const g = globals(cmd);
      const out = await withApp(g, 'cli', (_app, api) => api.labeling.exportLabels({ datasetId, ...(o.version ? { versionId: o.version } : {}) }));
      if (g.json) printJson(out);
      else say(translate(languageOf(g), 'cli.label.exported', { versionId: out.versionId, labelled: out.labelledRows, rows: out.rowCount, column: out.labelColumn }));
    });
}
