/**
 * The privacy wizard over the real engine: Adult imported (by the CLI, into the test server's workspace), roles
 * proposed from the column names, 5-anonymity, the run as a job, risk before/after, and the new version's
 * generalised rows in the grid.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, adultCsv, repoRoot } from './fixtures.js';

test('anonymise adult_all.csv to 5-anonymity through the wizard and open the new version', async ({ app, page, server }, testInfo) => {
  test.setTimeout(180_000);
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), 'import', adultCsv, '--na', '?', '--workspace', server.workspace, '--json'], { cwd: repoRoot, encoding: 'utf8' });
  const imported = JSON.parse(out.trim().split('\n').pop()!) as { datasetId: string; rowCount: number };
  expect(imported.rowCount).toBe(48_842);

  await app.open();
  await page.getByTestId('dataset-row').filter({ hasText: 'adult_all' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 rows');

  // The wizard opens on the latest version with roles proposed from the columns.
  await page.getByTestId('anonymise-button').click();
  const wizard = page.getByTestId('privacy-wizard');
  await expect(wizard.getByTestId('privacy-roles')).toBeVisible({ timeout: 30_000 });
  const role = (column: string) => wizard.locator(`[data-testid="privacy-role-row"][data-column="${column}"]`);
  await expect(role('age')).toHaveAttribute('data-role', 'quasi');
  await expect(role('sex')).toHaveAttribute('data-role', 'quasi');
  await expect(role('income')).toHaveAttribute('data-role', 'sensitive');
  await expect(wizard.getByTestId('privacy-role-age')).toHaveValue('Quasi-identifier');
  await expect(role('age').getByTestId('privacy-reason')).not.toBeEmpty();
  await app.screenshot(testInfo, 'privacy-wizard-en', { docs: true });

  // Roles can be changed by hand; identifying columns offer their transformations.
  await wizard.getByTestId('privacy-role-fnlwgt').click();
  await page.getByRole('option', { name: 'Identifying' }).click();
  await expect(role('fnlwgt')).toHaveAttribute('data-role', 'identifying');
  await expect(wizard.getByTestId('privacy-transform-fnlwgt')).toHaveValue('Drop the column');
  await wizard.getByTestId('privacy-transform-fnlwgt').click();
  await page.getByRole('option', { name: 'Mask' }).click();
  await expect(role('fnlwgt').getByLabel('Keep the first characters')).toHaveValue('first 3');
  await app.screenshot(testInfo, 'privacy-roles-mask');
  await wizard.getByTestId('privacy-role-fnlwgt').click();
  await page.getByRole('option', { name: 'Insensitive' }).click();
  await expect(role('fnlwgt')).toHaveAttribute('data-role', 'insensitive');

  // Hierarchies: age has a proposed interval hierarchy that covers every value.
  await page.getByTestId('privacy-next').click();
  const ageColumn = wizard.locator('[data-testid="hierarchy-column"][data-column="age"]');
  await ageColumn.click();
  const editor = wizard.locator('[data-testid="hierarchy-editor"][data-column="age"]');
  await expect(editor.getByTestId('hierarchy-widths')).toBeVisible();
  await expect(editor.getByTestId('hierarchy-status')).toHaveAttribute('data-ok', 'true');
  await expect(editor.getByTestId('hierarchy-preview')).toContainText('17');
  await app.screenshot(testInfo, 'privacy-hierarchy-age');

  // A categorical hierarchy with a value left out shows the uncovered value as an error, and can be fixed.
  await wizard.locator('[data-testid="hierarchy-column"][data-column="sex"]').click();
  const sexEditor = wizard.locator('[data-testid="hierarchy-editor"][data-column="sex"]');
  const sexRows = sexEditor.getByTestId('hierarchy-rows');
  await expect(sexRows).toBeVisible();
  await expect(sexEditor.getByTestId('hierarchy-status')).toHaveAttribute('data-ok', 'true');
  await sexRows.getByRole('button', { name: 'Remove row' }).first().click();
  await expect(sexEditor.getByTestId('hierarchy-missing')).toBeVisible();
  await app.screenshot(testInfo, 'privacy-hierarchy-missing');
  await sexEditor.getByTestId('hierarchy-add-missing').click();
  await expect(sexEditor.getByTestId('hierarchy-missing')).toBeHidden();
  await expect(sexEditor.getByTestId('hierarchy-status')).toHaveAttribute('data-ok', 'true');

  // Adult's “?” were imported as missing: the flat categorical hierarchies proposed for workclass, occupation and
  // native-country must cover them too before a run can start.
  const uncovered = wizard.getByTestId('privacy-uncovered');
  if (await uncovered.isVisible()) {
    await app.screenshot(testInfo, 'privacy-uncovered');
    await uncovered.getByTestId('privacy-add-uncovered').click();
    await expect(uncovered).toBeHidden();
  }

  // Models: k = 5 by default. First ask for the impossible (k above the row count, nothing suppressed): the job
  // fails with E_PRIVACY_UNSATISFIABLE, explained, with a way back to raise the suppression limit.
  await page.getByTestId('privacy-next').click();
  await expect(wizard.getByTestId('privacy-k')).toHaveValue('5');
  await app.screenshot(testInfo, 'privacy-models');
  await wizard.getByTestId('privacy-k').fill('60000');
  await page.getByTestId('privacy-next').click();
  await page.getByTestId('privacy-run').click();
  await expect(wizard.getByTestId('job-card')).toHaveAttribute('data-job-state', 'failed', { timeout: 60_000 });
  await expect(wizard.getByTestId('privacy-conflict')).toContainText('suppression limit of 0%');
  await app.screenshot(testInfo, 'privacy-conflict');
  await wizard.getByTestId('privacy-raise-suppression').click();
  await expect(wizard.getByTestId('privacy-suppression')).toHaveValue('5 %');
  await wizard.getByTestId('privacy-suppression').fill('0');
  await wizard.getByTestId('privacy-k').fill('5');
  await wizard.getByTestId('privacy-k').press('Control+Enter');
  await expect(wizard.getByTestId('privacy-summary')).toContainText('5-anonymity');

  // Run: a job with progress, also in the jobs drawer; then the results.
  await page.getByTestId('privacy-run').click();
  await expect(wizard.getByTestId('job-card')).toBeVisible();
  const results = wizard.getByTestId('privacy-results');
  await expect(results).toBeVisible({ timeout: 90_000 });
  await expect(wizard.getByTestId('job-card')).toHaveAttribute('data-job-state', 'succeeded');
  expect(Number(await results.getAttribute('data-risk-after'))).toBeLessThanOrEqual(0.2);
  await expect(results).toHaveAttribute('data-suppressed', '0');
  await expect(results.getByTestId('result-suppressed')).toHaveText('0');
  await expect(results.getByTestId('result-levels').locator('[data-column="age"]')).toBeVisible();
  await expect(results.getByTestId('risk-chart').locator('canvas')).toBeVisible();
  await expect(results.getByTestId('class-histogram').locator('canvas')).toBeVisible();
  await app.screenshot(testInfo, 'privacy-results-en');

  // 中文: the language switch works over the open wizard (the header sits under the modal's overlay).
  await page.getByTestId('language-switch').dispatchEvent('click');
  await page.getByTestId('language-zh-CN').dispatchEvent('click');
  await expect(wizard.getByTestId('privacy-open-version')).toHaveText('打开匿名化后的版本');
  await expect(results).toContainText('重识别风险');
  await app.screenshot(testInfo, 'privacy-results-zh', { docs: true });
  // Dark mode: the charts follow the scheme.
  await page.getByTestId('theme-toggle').dispatchEvent('click');
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot(testInfo, 'privacy-results-dark');
  await page.getByTestId('theme-toggle').dispatchEvent('click');
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');

  // The new version: 48,842 rows with generalised ages, listed as “anonymise” from v1.
  await wizard.getByTestId('privacy-open-version').click();
  await expect(wizard).toBeHidden();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 行');
  await expect(page.getByTestId('version-select')).toBeVisible();
  const age = await app.firstCell('age');
  expect(age).toMatch(/^(\[?\d+\s*[-,–]\s*\d+[\])]?|\*+)$/);
  await app.screenshot(testInfo, 'privacy-new-version-zh');
  await page.getByTestId('tab-versions').click();
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  const v2 = page.locator('[data-testid="version-row"][data-version-number="2"]');
  await expect(v2.getByTestId('version-operation')).toHaveText('匿名化');
  await expect(v2.getByTestId('version-parent')).toHaveText('v1');
  await page.getByTestId('tab-privacy').click();
  await expect(page.getByTestId('privacy-version')).toHaveCount(1);
  await expect(page.getByTestId('privacy-version')).toContainText('v1');
  await app.screenshot(testInfo, 'privacy-tab-zh');

  // The job is in the jobs drawer too.
  await page.getByTestId('jobs-button').click();
  await expect(app.jobsDrawer.locator('[data-testid="job-card"][data-job-state="succeeded"]').filter({ hasText: 'adult_all v1' })).toBeVisible();
});
