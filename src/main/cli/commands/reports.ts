/** `xinzhi report KIND ID -o FILE.pdf [--lang zh-CN|en] [--at ISO-TIME] [--json]` → `{"path", "pages", "sha256"}`. */
import { Argument, type Command } from 'commander';
import { resolve } from 'node:path';
import { translate } from '../../../shared/i18n/index.js';
import { ReportKindSchema, type ReportRecord } from '../../../shared/model/reports.js';
import { globals, jobResult, languageOf, printJson, say, withApp } from '../common.js';

export function registerReportsCommands(program: Command): void {
  program
    .command('report')
    .description('make a PDF report: governance, certificate, model-card, fairness or scenario (the global --lang is its language)')
    .addArgument(new Argument('<kind>', 'report kind').choices(ReportKindSchema.options))
    .argument('<id>', 'subject: dataset (governance), anonymised version (certificate), model (model-card), audit (fairness) or scenario id')
    .requiredOption('-o, --output <file>', 'where to write the PDF')
    .option('--at <time>', 'the generation time the report states (ISO 8601), for reproducible reports')
    .action(async (kind: string, id: string, o: { output: string; at?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (app, api) => {
        if (!g.json) say(translate(lang, 'cli.reports.generating', { kind, subject: id }));
        const { jobId } = await api.reports.generate({ kind: kind as never, subjectId: id, lang, ...(o.at ? { at: o.at } : {}) });
        const job = await jobResult(app, api, jobId, lang, kind);
        const record = job.result as ReportRecord;
        const saved = await api.reports.saveReport({ reportId: record.id, path: resolve(o.output) });
        if (g.json) printJson({ path: saved.path, pages: record.pages, sha256: record.sha256, reportId: record.id });
        else say(translate(lang, 'cli.reports.done', { path: saved.path, pages: record.pages, sha256: record.sha256 }));
      });
    });
}
