/** Imports that must not publish anything: a broken file, and an import the user cancels half-way. */
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Locator } from '@playwright/test';
import { test, expect, type AppPage } from './fixtures.js';

/** Writes `rows` rows of a plausible table, in 1 MB chunks (~0.6 s a million rows). */
async function writeLargeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,amount,ratio,city,active\n');
  const cities = ['Beijing', 'Shanghai', 'Shenzhen', 'Hangzhou', 'Chengdu', 'Wuhan', "Xi'an", 'Nanjing'];
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += `${i},${(i * 7919) % 100_000},${((i % 1000) / 997).toFixed(4)},${cities[i % cities.length]},${i % 3 === 0 ? 'true' : 'false'}\n`;
    if (chunk.length > 1_000_000) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Picks `file` for import and returns the error the user sees: in the dialog (the sniffer found it) or on the job. */
async function importError(app: AppPage, file: string): Promise<Locator> {
  const page = app.page;
  await app.chooseFileToImport(file);
  const inDialog = page.getByTestId('import-dialog').getByTestId('import-error');
  const start = page.getByTestId('import-start');
  await expect.poll(async () => (await inDialog.isVisible()) || (await start.isEnabled())).toBe(true);
  if (await inDialog.isVisible()) return inDialog;
  await start.click();
  const job = app.jobsDrawer.getByTestId('job-card').first();
  await expect(job).toHaveAttribute('data-job-state', 'failed', { timeout: 30_000 });
  return job.getByTestId('job-error');
}

test('a file with an unclosed quote fails with a localised error naming the line, and publishes nothing', async ({ app, page, server }, testInfo) => {
  const file = join(server.scratch, 'broken-quote.csv');
  const lines = ['id,name,comment', ...Array.from({ length: 40 }, (_, i) => `${i + 1},row ${i + 1},fine`), '41,"Zhang San,unfinished comment', '42,Li Si,ok', '43,Wang Wu,ok'];
  writeFileSync(file, lines.join('\n') + '\n');
  await app.open();

  const error = await importError(app, file);
  await expect(error).toContainText('broken-quote.csv, line 42: a quoted field is never closed. Close the quote or remove it, then import again.');
  await app.screenshot(testInfo, 'unclosed-quote-en');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-dialog')).toBeHidden();

  // The same error in Chinese.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  const zh = await importError(app, file);
  await expect(zh).toContainText('broken-quote.csv 第 42 行：引号字段没有闭合');
  await app.screenshot(testInfo, 'unclosed-quote-zh');
  await page.keyboard.press('Escape');

  expect(await app.datasetCount()).toBe(0);
  await expect(page.getByTestId('catalog-empty')).toBeVisible();
});

test('an error deep in a large file fails the import job with the line number; nothing is published', async ({ app, page, server }, testInfo) => {
  const file = join(server.scratch, 'late-quote.csv');
  const good = Array.from({ length: 120_000 }, (_, i) => `${i + 1},${(i * 31) % 997},name ${i + 1}`);
  writeFileSync(file, ['id,score,name', ...good, '120001,5,"never closed', '120002,6,ok'].join('\n') + '\n');
  await app.open();
  const error = await importError(app, file);
  await expect(error).toContainText('late-quote.csv, line 120002: a quoted field is never closed');
  await expect(app.jobsDrawer.getByTestId('job-card').first()).toHaveAttribute('data-job-state', 'failed');
  await app.screenshot(testInfo, 'late-error-job');
  await page.keyboard.press('Escape');
  expect(await app.datasetCount()).toBe(0);
});

test('ragged rows stop an import unless “skip bad rows” is on', async ({ app, page, server }) => {
  const file = join(server.scratch, 'ragged.csv');
  writeFileSync(file, ['a,b,c', '1,2,3', '4,5,6', '7,8', '10,11,12', '13,14,15,16', '17,18,19'].join('\n') + '\n');
  await app.open();
  const error = await importError(app, file);
  await expect(error).toContainText('ragged.csv, line 4: expected 3 fields but found 2');
  await page.keyboard.press('Escape');
  expect(await app.datasetCount()).toBe(0);

  await app.chooseFileToImport(file);
  await app.waitForPreview();
  await page.getByTestId('import-skip-bad-rows').click();
  await app.startImport();
  const job = app.jobsDrawer.getByTestId('job-card').first();
  await expect(job).toHaveAttribute('data-job-state', 'succeeded');
  await expect(job.getByTestId('job-counters')).toContainText('4 rows');
  await expect(job.getByTestId('job-counters')).toContainText('2 bad rows skipped');
  await job.getByTestId('job-open-dataset').click();
  await expect(page.getByTestId('row-count')).toHaveText('4 rows');
});

test('cancelling a running import leaves no dataset behind', async ({ app, page, server }, testInfo) => {
  // Large enough that the import is still running after the steps below (~3 s here): 3M rows now import in ~2.7 s.
  const file = join(server.scratch, 'eight-million-rows.csv');
  await writeLargeCsv(file, 8_000_000);
  await app.open();
  await app.chooseFileToImport(file);
  await app.waitForPreview();
  await expect(page.getByTestId('import-type-amount')).toHaveValue('Integer');
  await app.startImport();

  const job = app.jobsDrawer.getByTestId('job-card').first();
  await expect(job).toHaveAttribute('data-job-state', 'running');
  // Let it get going, so the cancel really interrupts work in flight.
  await expect(job.getByTestId('job-counters')).toContainText(/\d rows/);
  await expect(page.getByTestId('jobs-badge')).toHaveAttribute('data-running', '1');
  await app.screenshot(testInfo, 'import-running');
  await job.getByTestId('job-cancel').click();

  await expect(job).toHaveAttribute('data-job-state', 'cancelled', { timeout: 30_000 });
  await expect(job.getByTestId('job-state')).toHaveText('Cancelled');
  await expect(job.getByTestId('job-error')).toHaveText('Cancelled. Nothing was published.');
  await expect(job.getByTestId('job-cancel')).toHaveCount(0);
  await expect(page.getByTestId('jobs-badge')).toHaveAttribute('data-running', '0');
  await app.screenshot(testInfo, 'import-cancelled');
  await page.keyboard.press('Escape');

  expect(await app.datasetCount()).toBe(0);
  await expect(page.getByTestId('catalog-empty')).toBeVisible();
  // Still nothing after a reload: the staging table was never published.
  await page.reload();
  await expect(page.getByTestId('catalog-empty')).toBeVisible();
});
