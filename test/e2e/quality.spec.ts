/**
 * The Quality tab over the real engine: Adult imported through the dialog is profiled in the background, the tab
 * shows the score with its formula, alerts and charts; a rule is added, checked, and names its failing rows.
 */
import { test, expect, adultCsv } from './fixtures.js';

test.use({ autoQuality: true });

test('Adult is profiled on import: score, alerts, charts, a failing rule with its rows; light, dark and zh-CN', async ({ app, page }, testInfo) => {
  test.setTimeout(180_000);
  await app.open();
  await app.importFile(adultCsv, { naValues: ['?'] });
  await page.getByTestId('dataset-row').filter({ hasText: 'adult_all' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 rows');

  // The profile was made automatically after the import (no click needed).
  await page.getByTestId('tab-quality').click();
  const panel = page.getByTestId('quality-panel');
  await expect(panel).toBeVisible({ timeout: 60_000 });
  const score = Number(await page.getByTestId('quality-score').innerText());
  expect(score).toBeGreaterThan(90);
  expect(score).toBeLessThanOrEqual(100);
  await expect(page.getByTestId('quality-rows-missing')).toHaveText('3,620');
  await expect(page.getByTestId('quality-duplicates')).toHaveText('29');
  const alerts = page.getByTestId('quality-alerts');
  await expect(alerts.locator('[data-alert-kind="missing"]').filter({ hasText: 'workclass' })).toBeVisible();
  await expect(alerts.locator('[data-alert-kind="high-correlation"]').filter({ hasText: 'education' })).toBeVisible();
  await expect(alerts.locator('[data-alert-kind="duplicates"]')).toContainText('29 duplicate rows');
  for (const chart of ['quality-chart-dimensions', 'quality-chart-missing', 'quality-chart-correlation', 'quality-chart-histogram']) {
    await expect(page.getByTestId(chart).locator('canvas').first()).toBeVisible();
  }

  // The formula is one click away.
  await page.getByTestId('quality-formula-button').click();
  await expect(page.getByTestId('quality-formula')).toContainText('Completeness = 100 × (1 − missing cells ÷ all cells)');
  await app.screenshot(testInfo, 'quality-formula-en');
  await page.keyboard.press('Escape');

  // A column's details: income's top values.
  await page.getByTestId('quality-column-row').filter({ hasText: 'income' }).click();
  await expect(page.getByTestId('quality-column-detail')).toContainText('income');
  await expect(page.getByTestId('quality-chart-top-values').locator('canvas').first()).toBeVisible();
  await app.screenshot(testInfo, 'quality-en', { docs: true });

  // A rule: workclass must not be missing. Checked now, it fails and names rows.
  const rules = page.getByTestId('quality-rules');
  await rules.getByTestId('quality-rule-column').click();
  await page.getByRole('option', { name: 'workclass', exact: true }).click();
  await rules.getByTestId('quality-rule-add').click();
  await expect(rules.getByTestId('quality-rule')).toHaveCount(1);
  await rules.getByTestId('quality-rules-run').click();
  const rule = rules.getByTestId('quality-rule');
  await expect(rule).toHaveAttribute('data-rule-state', 'failed', { timeout: 30_000 });
  await expect(rule.getByTestId('quality-rule-failing')).toContainText('2,799 of 48,842 rows fail');
  await expect(rule.getByTestId('quality-rule-failing')).toContainText('row 28');
  // Validity now counts in the score.
  await expect(rules.getByTestId('quality-rules-history')).toContainText('v1');
  await rule.scrollIntoViewIfNeeded();
  await app.screenshot(testInfo, 'quality-rules-en', { docs: true });

  // A predicate in the expression language that does not parse is refused with its message.
  await rules.getByTestId('quality-rule-kind').click();
  await page.getByRole('option', { name: 'Row predicate' }).click();
  await rules.getByTestId('quality-rule-expression').fill('age >>> 3');
  await rules.getByTestId('quality-rule-add').click();
  await expect(rules.getByTestId('quality-rule-error')).toBeVisible();
  await expect(rules.getByTestId('quality-rule')).toHaveCount(1);

  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.getByTestId('quality-panel').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await app.screenshot(testInfo, 'quality-dark', { docs: true });
  await page.getByTestId('theme-toggle').click();

  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('tab-quality')).toHaveText('质量');
  await expect(page.getByTestId('quality-panel')).toContainText('质量评分');
  await expect(page.getByTestId('quality-alerts')).toContainText('缺失');
  await app.screenshot(testInfo, 'quality-zh', { docs: true });
});
