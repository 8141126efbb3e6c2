/**
 * Shared pieces of the browser suite: a fresh workspace and `xinzhi serve` per test (so tests never see each
 * other's datasets), paths to the real data sets, and page helpers that the tests read like the user's steps.
 */
import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** CI runs from a fresh clone with shared/ beside it. */
export const datasetsDir = resolve(repoRoot, '..', 'shared', 'datasets');
export const adultCsv = join(datasetsDir, 'adult', 'adult_all.csv');

export interface Server {
  url: string;
  port: number;
  token: string;
  workspace: string;
  /** A scratch folder for files a test makes (outside the workspace). */
  scratch: string;
  /** Stops the server (as a crash or Ctrl+C would). */
  stop(): Promise<void>;
  /** Starts a new server on the same port and workspace; it has a new token, as every launch does. */
  restart(): Promise<{ url: string; token: string }>;
}

interface Running {
  child: ChildProcess;
  info: { url: string; port: number; token: string };
  stderr: () => string;
}

function checkBuilt(): void {
  const cli = join(repoRoot, 'dist', 'main', 'cli.mjs');
  const renderer = join(repoRoot, 'dist', 'renderer', 'index.html');
  if (!existsSync(cli) || !existsSync(renderer)) throw new Error('The app is not built: run `node scripts/build.mjs` (npm test does) before `npx playwright test`.');
}

async function spawnServer(workspace: string, port: number, autoQuality: boolean): Promise<Running> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), 'serve', '--port', String(port), '--workspace', workspace, '--lang', 'en', '--json'], {
    cwd: repoRoot,
    // Background profiling of new versions adds jobs to the jobs drawer: on only for the tests that ask for it.
    env: { ...process.env, XINZHI_AUTO_QUALITY: autoQuality ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const line = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`xinzhi serve printed no URL within 30 s. stderr:\n${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`xinzhi serve exited with ${code}. stderr:\n${stderr}`));
    });
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolveLine(l);
    });
  });
  return { child, info: JSON.parse(line) as Running['info'], stderr: () => stderr };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

export const test = base.extend<{ server: Server; app: AppPage; autoQuality: boolean }>({
  /** `test.use({ autoQuality: true })`: the server profiles every new version in the background, as the app does. */
  autoQuality: [false, { option: true }],
  server: async ({ autoQuality }, use, testInfo) => {
    checkBuilt();
    const root = mkdtempSync(join(tmpdir(), 'xinzhi-e2e-'));
    const workspace = join(root, 'workspace');
    const scratch = join(root, 'scratch');
    mkdirSync(workspace);
    mkdirSync(scratch);
    let running = await spawnServer(workspace, 0, autoQuality);
    const logs: string[] = [];
    const server: Server = {
      ...running.info,
      workspace,
      scratch,
      stop: () => stopChild(running.child),
      restart: async () => {
        await stopChild(running.child);
        logs.push(running.stderr());
        running = await spawnServer(workspace, running.info.port, autoQuality);
        return { url: running.info.url, token: running.info.token };
      },
    };
    try {
      await use(server);
    } finally {
      await stopChild(running.child);
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server-stderr', { body: [...logs, running.stderr()].join('\n---\n'), contentType: 'text/plain' });
      rmSync(root, { recursive: true, force: true });
    }
  },
  app: async ({ page, server }, use) => {
    await use(new AppPage(page, server));
  },
});
export { expect };

/** The user's vocabulary for driving the app. */
export class AppPage {
  constructor(
    readonly page: Page,
    readonly server: Server,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(this.server.url);
    await expect(this.page.getByTestId('app-name')).toBeVisible();
  }

  get grid(): Locator {
    return this.page.getByTestId('data-grid');
  }

  get jobsDrawer(): Locator {
    return this.page.getByTestId('jobs-drawer');
  }

  /** Opens the import dialog, picks the file and waits for the preview. */
  async chooseFileToImport(file: string): Promise<void> {
    await this.page.getByTestId('import-button').click();
    await this.page.getByTestId('import-file-input').setInputFiles(file);
  }

  async waitForPreview(): Promise<void> {
    await expect(this.page.getByTestId('import-sample')).toBeVisible();
  }

  async startImport(): Promise<void> {
    await this.page.getByTestId('import-start').click();
    await expect(this.page.getByTestId('import-dialog')).toBeHidden();
    await expect(this.jobsDrawer.getByTestId('job-card').first()).toBeVisible();
  }

  /** Columns are virtualized too: scrolls the grid sideways until `column` is drawn. */
  async revealColumn(column: string): Promise<void> {
    const header = this.page.getByTestId(`grid-header-${column}`);
    if ((await header.count()) > 0) return;
    await this.grid.evaluate((el) => {
      el.scrollLeft = 0;
    });
    for (let i = 0; i < 50 && (await header.count()) === 0; i++) {
      await this.grid.evaluate((el) => {
        el.scrollLeft += el.clientWidth / 2;
      });
      await this.page.waitForTimeout(50);
    }
    await expect(header).toBeVisible();
  }

  /** Imports a file with the detected settings and waits for its job to succeed; leaves the drawer closed. */
  async importFile(file: string, options: { naValues?: string[] } = {}): Promise<void> {
    await this.chooseFileToImport(file);
    await this.waitForPreview();
    for (const marker of options.naValues ?? []) {
      await this.page.getByTestId('import-na-values').fill(marker);
      await this.page.getByTestId('import-na-values').press('Enter');
    }
    await this.startImport();
    const job = this.jobsDrawer.getByTestId('job-card').first();
    await expect(job).toHaveAttribute('data-job-state', 'succeeded', { timeout: 60_000 });
    await this.page.keyboard.press('Escape');
    await expect(this.jobsDrawer.getByTestId('job-card')).toHaveCount(0);
  }

  /** The first cell of column `column` in the grid's first row, once loaded. */
  async firstCell(column: string): Promise<string> {
    await this.revealColumn(column);
    const row = this.grid.locator('[data-row-index="0"][data-loaded="true"]');
    await expect(row).toBeVisible();
    return (await row.locator(`[data-col="${column}"]`).innerText()).trim();
  }

  async datasetCount(): Promise<number> {
    await this.page.getByTestId('nav-catalog').click();
    await expect(this.page.getByTestId('catalog-page')).toBeVisible();
    await expect(this.page.getByTestId('dataset-list').or(this.page.getByTestId('catalog-empty'))).toBeVisible();
    return this.page.getByTestId('dataset-row').count();
  }

  /** Saves a screenshot as a test artefact, and into docs/screenshots when XINZHI_SCREENSHOTS=1. */
  async screenshot(testInfo: TestInfo, name: string, options: { docs?: boolean } = {}): Promise<void> {
    await this.page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
    if (options.docs && process.env.XINZHI_SCREENSHOTS === '1') {
      const dir = join(repoRoot, 'docs', 'screenshots');
      mkdirSync(dir, { recursive: true });
      // README pictures show the page itself: no toasts or hover tooltips left over from earlier steps.
      await this.page.mouse.move(5, this.page.viewportSize()!.height - 5);
      const hide = await this.page.addStyleTag({ content: '.mantine-Notifications-root, .mantine-Tooltip-tooltip { display: none !important; }' });
      await this.page.screenshot({ path: join(dir, `${name}.png`) });
      await hide.evaluate((el) => (el as Element).remove());
    }
  }
}
