/**
 * Cleaning in the browser: Adult imported (by the CLI), a recipe built step by step on the Clean tab (drop
 * duplicates + impute workclass by its mode) with a live preview, run as a job into a new version, the versions
 * compared, and the lineage graph drawn — in English, Chinese and dark mode.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, adultCsv, repoRoot } from './fixtures.js';

test('clean Adult with a recipe, open the new version, compare it and see its lineage', async ({ app, page, server }, testInfo) => {
  test.setTimeout(180_000);
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), 'import', adultCsv, '--na', '?', '--workspace', server.workspace, '--json'], { cwd: repoRoot, encoding: 'utf8' });
  expect((JSON.parse(out.trim().split('\n').pop()!) as { rowCount: number }).rowCount).toBe(48_842);

  await app.open();
  await page.getByTestId('dataset-row').filter({ hasText: 'adult_all' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 rows');
  await page.getByTestId('tab-clean').click();
  const builder = page.getByTestId('recipe-builder');
  await expect(builder.getByTestId('recipe-empty')).toBeVisible();

  // Step 1: drop duplicates (all columns).
  await builder.getByTestId('add-step').click();
  await page.getByTestId('add-dropDuplicates').click();
  // Step 2: impute workclass with its mode.
  await builder.getByTestId('add-step').click();
  await page.getByTestId('add-impute').click();
  await builder.getByTestId('step-1-columns').click();
  await page.getByRole('option', { name: 'workclass', exact: true }).click();
  await page.keyboard.press('Escape');
  const reports = builder.getByTestId('step-report');
  await expect(reports).toHaveCount(2);
  // The preview sample (first 2,000 rows) has missing workclass values that the mode fills.
  await expect(reports.nth(1)).toContainText(/2,000 → 2,000 rows · [1-9][\d,]* cells changed/);
  await expect(builder.getByTestId('preview-table')).toBeVisible();
  await app.screenshot(testInfo, 'cleaning-recipe-en', { docs: true });

  // An expression error is shown at its step, with its position, and blocks the run.
  await builder.getByTestId('add-step').click();
  await page.getByTestId('add-filter').click();
  await builder.getByTestId('step-2-expression').fill('education-num > 9');
  await expect(builder.getByTestId('step-error')).toContainText('Unknown column “num” at character 11');
  await expect(builder.getByTestId('run-recipe')).toBeDisabled();
  await builder.getByTestId('step-2-expression').fill('`education-num` > 0');
  await expect(reports).toHaveCount(3);
  await expect(builder.getByTestId('run-recipe')).toBeEnabled();

  // Run it (Ctrl+Enter works as the button does) and open the new version.
  await builder.getByTestId('step-2-expression').press('Control+Enter');
  const job = builder.getByTestId('job-card');
  await expect(job).toHaveAttribute('data-job-state', 'succeeded', { timeout: 90_000 });
  await app.screenshot(testInfo, 'cleaning-done-en');
  await builder.getByTestId('open-clean-version').click();
  await expect(page.getByTestId('row-count')).toHaveText('48,813 rows');
  await expect(page.getByTestId('version-select')).toHaveValue(/v2/);

  // Compare v1 → v2: 29 duplicates gone; the other rows match their parent rows, and only workclass changed.
  await page.getByTestId('tab-clean').click();
  await page.getByTestId('clean-view').getByText('Compare versions').click();
  const compare = page.getByTestId('compare-view');
  await expect(compare.getByTestId('compare-rows')).toHaveText('48,842 → 48,813');
  await expect(compare.getByTestId('compare-cells')).toHaveText(/^2,7\d\d \/ [\d,]+$/);
  await expect(compare.getByTestId('compare-by-column')).toHaveText(/^workclass2,7\d\d$/);
  await app.screenshot(testInfo, 'cleaning-compare-en');

  // Lineage: file → v1 → v2, drawn as a graph.
  await page.getByTestId('tab-lineage').click();
  const lineage = page.getByTestId('lineage-panel');
  await expect(lineage).toHaveAttribute('data-nodes', '3');
  await expect(lineage).toHaveAttribute('data-edges', '2');
  await expect(lineage.getByTestId('lineage-chart').locator('canvas')).toBeVisible();
  await app.screenshot(testInfo, 'cleaning-lineage-en', { docs: true });

  // 中文 and dark mode.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('tab-lineage')).toHaveText('血缘');
  await expect(lineage).toContainText('共 3 个节点');
  await app.screenshot(testInfo, 'cleaning-lineage-zh');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot(testInfo, 'cleaning-lineage-dark');
  await page.getByTestId('tab-clean').click();
  await expect(page.getByTestId('recipe-builder')).toContainText('清洗配方');
  await app.screenshot(testInfo, 'cleaning-recipe-zh-dark');
  await page.getByTestId('theme-toggle').click();
});
