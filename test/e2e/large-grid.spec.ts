/**
 * A version too tall for the browser's maximum element height: the grid stretches its scrollbar, and rows drawn
 * anywhere — middle, end, after sorting — must be the right rows (the `id` column is the row number).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { test, expect } from './fixtures.js';

const ROWS = 400_000;

test('scrolls a 400,000-row version to any depth with the right rows drawn', async ({ app, page, server }, testInfo) => {
  const file = join(server.scratch, 'tall.csv');
  const out = createWriteStream(file);
  out.write('id,group,value\n');
  let chunk = '';
  for (let i = 1; i <= ROWS; i++) {
    chunk += `${i},g${i % 17},${(i % 1000) / 10}\n`;
    if (chunk.length > 1_000_000) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');

  await app.open();
  await app.chooseFileToImport(file);
  await app.waitForPreview();
  await app.startImport();
  const job = app.jobsDrawer.getByTestId('job-card').first();
  await expect(job).toHaveAttribute('data-job-state', 'succeeded', { timeout: 60_000 });
  await job.getByTestId('job-open-dataset').click();
  await expect(page.getByTestId('row-count')).toHaveText('400,000 rows');

  const firstLoaded = app.grid.locator('[role="row"][data-loaded="true"]').first();
  const checkAlignment = async () => {
    const index = Number(await firstLoaded.getAttribute('data-row-index'));
    await expect(app.grid.locator(`[data-row-index="${index}"] [data-col="id"]`)).toHaveText(String(index + 1));
    return index;
  };

  // The scroll height is capped (400,000 × 32 px would exceed what browsers lay out)…
  const { scrollHeight } = await app.grid.evaluate((el) => ({ scrollHeight: el.scrollHeight }));
  expect(scrollHeight).toBeLessThan(ROWS * 32);
  // …yet the middle of the scrollbar shows the middle of the data…
  await app.grid.evaluate((el) => {
    el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
  });
  await expect.poll(async () => Math.abs(Number(await firstLoaded.getAttribute('data-row-index')) - ROWS / 2), { timeout: 15_000 }).toBeLessThan(100);
  await checkAlignment();
  // …and the end of the scrollbar shows the last row, whole.
  await app.grid.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const last = app.grid.locator(`[data-row-index="${ROWS - 1}"][data-loaded="true"]`);
  await expect(last).toBeVisible();
  await expect(last.locator('[data-col="id"]')).toHaveText(String(ROWS));
  const gridBox = (await app.grid.boundingBox())!;
  const lastBox = (await last.boundingBox())!;
  expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(gridBox.y + gridBox.height + 1);
  await app.screenshot(testInfo, 'tall-grid-end');

  // While stretched, a wheel step moves the view by its own pixels (10 rows here), not `scale` times as many.
  await app.grid.evaluate((el) => {
    el.scrollTop = (el.scrollHeight - el.clientHeight) / 4;
  });
  // Near a quarter — not merely above ROWS / 5, which the end position it comes from also is.
  await expect.poll(async () => Math.abs(Number(await app.grid.getAttribute('data-first-visible-row')) - ROWS / 4), { timeout: 15_000 }).toBeLessThan(ROWS / 20);
  await expect(app.grid.locator(`[data-row-index="${Number(await app.grid.getAttribute('data-first-visible-row'))}"][data-loaded="true"]`)).toBeVisible();
  const before = Number(await app.grid.getAttribute('data-first-visible-row'));
  await app.grid.hover();
  await page.mouse.wheel(0, 320);
  await expect.poll(async () => Number(await app.grid.getAttribute('data-first-visible-row')) - before).toBeGreaterThanOrEqual(9);
  expect(Number(await app.grid.getAttribute('data-first-visible-row')) - before).toBeLessThanOrEqual(11);
  await checkAlignment();
  // Keys too: End and Home go to the ends, ArrowDown moves one row.
  await app.grid.focus();
  await page.keyboard.press('End');
  await expect(last).toBeVisible();
  await page.keyboard.press('Home');
  await expect(app.grid.locator('[data-row-index="0"][data-loaded="true"]')).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => app.grid.getAttribute('data-first-visible-row')).toBe('2');

  // Sorting descending puts the last id first.
  await page.getByTestId('grid-header-id').click();
  await page.getByTestId('grid-header-id').click();
  await expect(page.getByTestId('grid-header-id')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => app.firstCell('id')).toBe(String(ROWS));
});
