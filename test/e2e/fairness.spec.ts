/**
 * The fairness page over the real engine: Adult with a derived prediction (education-num ≥ 13) and score
 * (education-num / 16) imported by the CLI; an audit by sex × race from the UI with the minimum group size at 200,
 * so two intersections are flagged small; then the threshold optimiser for demographic parity shrinks the gap.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, adultCsv, repoRoot } from './fixtures.js';

function scoredAdult(): string {
  const [header, ...lines] = readFileSync(adultCsv, 'utf8').trimEnd().split('\n');
  const edu = header!.split(',').indexOf('education-num');
  const rows = lines.map((l) => {
    const e = Number(l.split(',')[edu]);
    return `${l},${e >= 13 ? '>50K' : '<=50K'},${e / 16}`;
  });
  const path = join(mkdtempSync(join(tmpdir(), 'xinzhi-fairness-e2e-')), 'adult_scored.csv');
  writeFileSync(path, `${header},pred,score\n${rows.join('\n')}\n`);
  return path;
}

async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('audit Adult by sex × race, see flagged small groups, and shrink the disparity with the threshold optimiser', async ({ app, page, server }, testInfo) => {
  test.setTimeout(240_000);
  execFileSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), 'import', scoredAdult(), '--workspace', server.workspace, '--json'], { cwd: repoRoot, encoding: 'utf8' });

  await app.open();
  await page.getByTestId('nav-fairness').click();
  await expect(page.getByTestId('fairness-page')).toBeVisible();
  await pick(page, 'fairness-dataset', 'adult_scored');
  await pick(page, 'fairness-label', 'income');
  await pick(page, 'fairness-prediction', 'pred');
  await pick(page, 'fairness-score', 'score');
  await page.getByTestId('fairness-sensitive').click();
  await page.getByRole('option', { name: 'sex', exact: true }).click();
  await page.getByRole('option', { name: 'race', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('fairness-bootstrap').fill('300');
  await page.getByTestId('fairness-min-group').fill('200');
  await page.getByTestId('fairness-run').click();

  const results = page.getByTestId('fairness-results');
  await expect(results).toBeVisible({ timeout: 90_000 });
  const rows = results.getByTestId('fairness-group-row');
  await expect(rows).toHaveCount(10);
  // Female × Other (155 rows) and Female × Amer-Indian-Eskimo (185) are under 200: flagged, not compared.
  await expect(results.locator('[data-testid="fairness-group-row"][data-small="true"]')).toHaveCount(2);
  await expect(rows.filter({ hasText: 'sex=Female, race=Other' }).getByTestId('small-badge')).toBeVisible();
  const dpCard = results.getByTestId('disparity-demographicParityDifference');
  const before = Number(await dpCard.getByTestId('disparity-value').textContent());
  // Without the two small groups the largest gap is Male × Asian-Pac-Islander (0.462) vs Male × Amer-Indian-Eskimo (0.091).
  expect(before).toBeCloseTo(0.371, 3);
  await expect(results.getByTestId('chart-di')).toBeVisible();
  await expect(results.getByTestId('chart-calibration')).toBeVisible();
  await expect(results.getByTestId('chart-tradeoff')).toBeVisible();
  await page.getByTestId('fairness-guide-kind').getByText('Punitive').click();
  await expect(page.getByTestId('fairness-guide-advice')).toContainText('false positive rates');
  await app.screenshot(testInfo, 'fairness-audit-en', { docs: true });

  // Threshold optimiser for demographic parity: a new audit whose gap is within the tolerance.
  await results.getByTestId('run-mitigation').click();
  await expect(page.getByTestId('fairness-before-after')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('fairness-before-after')).toContainText('0.371 →');
  const after = Number(await page.getByTestId('disparity-demographicParityDifference').getByTestId('disparity-value').textContent());
  expect(after).toBeLessThan(before / 5);
  expect(after).toBeLessThanOrEqual(0.02 + 1e-9);
  await expect(page.getByTestId('fairness-history-item')).toHaveCount(2);
  await page.getByTestId('fairness-before-after').scrollIntoViewIfNeeded();
  await app.screenshot(testInfo, 'fairness-mitigated-en', { docs: true });

  // Chinese and dark mode render the same page.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByText('差异指标（Fairlearn 定义）')).toBeVisible();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.getByTestId('fairness-history-item').last().click();
  await expect(page.getByTestId('fairness-results').getByTestId('small-badge').first()).toBeVisible();
  await app.screenshot(testInfo, 'fairness-audit-zh-dark', { docs: true });
});
