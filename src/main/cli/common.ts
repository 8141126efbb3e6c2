/** What every `xinzhi` command shares: global options, the app with an in-process client, JSON output, jobs followed to their end. */
import type { Command } from 'commander';
import { contract, createClient, type Api } from '../../shared/contract/index.js';
import { isLanguage, translate, type Language } from '../../shared/i18n/index.js';
import type { ErrorInfo } from '../../shared/model/errors.js';
import type { Job } from '../../shared/model/jobs.js';
import { createApp, resolveWorkspace, type App } from '../compose.js';
import { createInProcessTransport } from '../transport/in-process.js';
import { ProgressPrinter } from './progress.js';

export interface GlobalOptions {
  workspace?: string;
  lang?: string;
  json?: boolean;
}

export function languageOf(opts: GlobalOptions): Language {
  if (isLanguage(opts.lang)) return opts.lang;
  const env = process.env.XINZHI_LANG ?? process.env.LC_ALL ?? process.env.LANG ?? '';
  return env.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export class CliFailure extends Error {
  constructor(readonly info: ErrorInfo, readonly exitCode = 1) {
    super(info.message);
  }
}

export async function withApp<T>(opts: GlobalOptions, host: 'cli' | 'browser', work: (app: App, api: Api) => Promise<T>): Promise<T> {
  const app = await createApp({ workspace: resolveWorkspace(opts.workspace), host });
  const api = createClient(contract, createInProcessTransport(app.bound, app.events));
  try {
    return await work(app, api);
  } finally {
    await app.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Runs a job to its end with a progress bar; Ctrl+C cancels it (nothing is published). */
export async function followJob(app: App, api: Api, jobId: string, lang: Language, title: string): Promise<Job> {
  const progress = new ProgressPrinter(process.stderr, title);
  const unsubscribe = api.jobs.onDidUpdate((job) => {
    if (job.id === jobId && job.state === 'running') progress.update(job);
  });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    say(`\n${translate(lang, 'cli.cancelled')}`);
    void api.jobs.cancelJob({ jobId });
  };
  process.on('SIGINT', onSigint);
  try {
    const job = await app.jobs.wait(jobId);
    progress.finish(job);
    return job;
  } finally {
    unsubscribe();
    process.off('SIGINT', onSigint);
  }
}

/** Follows a job and returns it when it succeeded; a failure or cancel becomes the command's error and exit code. */
export async function jobResult(app: App, api: Api, jobId: string, lang: Language, title: string): Promise<Job> {
  const job = await followJob(app, api, jobId, lang, title);
  if (job.state !== 'succeeded') throw new CliFailure(job.error ?? { code: 'E_INTERNAL', message: job.state }, job.state === 'cancelled' ? 130 : 1);
  return job;
}

/** The global options (--workspace, --lang, --json) as seen from a subcommand. */
export const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();
