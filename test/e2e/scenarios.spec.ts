/**
 * Scenarios from a fresh workspace: open each finished template, run its pipeline on the sample (one job), see
 * KPIs with non-trivial values, move a what-if slider and see the numbers change; screenshots light, dark, zh-CN.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures.js';

const kpi = (page: Page, key: string): Locator => page.getByTestId(`kpi-${key}`).getByTestId('kpi-value');

async function runSample(page: Page, scenario: string): Promise<void> {
  await page.getByTestId('nav-scenarios').click();
  const card = page.getByTestId(`scenario-card-${scenario}`);
  await card.getByTestId('scenario-run-sample').click();
  await expect(page.getByTestId('scenario-dashboard')).toBeVisible({ timeout: 180_000 });
}

/** Moves a slider with the keyboard (Home / End / arrows), as a user can. */
async function moveSlider(page: Page, control: string, key: 'Home' | 'End' | 'ArrowRight' | 'ArrowLeft', times = 1): Promise<void> {
  const thumb = page.getByTestId(`whatif-${control}`).getByRole('slider');
  await thumb.focus();
  for (let i = 0; i < times; i++) await thumb.press(key);
}

test('production planning: optimal plan, a capacity slider re-solves, infeasibility explained; light, dark, zh-CN', async ({ app, page }, testInfo) => {
  test.setTimeout(240_000);
  await app.open();
  await runSample(page, 'production-planning');
  const profit = kpi(page, 'profit');
  await expect(profit).not.toHaveText('—');
  const before = await profit.textContent();
  expect(Number((before ?? '').replace(/,/g, ''))).toBeGreaterThan(1000);
  await expect(page.getByTestId('table-plan').locator('tbody tr')).toHaveCount(6);
  await expect(page.getByTestId('chart-shadowPrices').locator('canvas')).toBeVisible();
  await app.screenshot(testInfo, 'scenario-planning-en', { docs: true });

  // Prices up 15 %: the plan is re-solved and the profit rises.
  await moveSlider(page, 'price', 'ArrowRight', 3);
  await expect(page.getByTestId('whatif-price').getByTestId('whatif-value')).toHaveText('115%');
  await expect(profit).not.toHaveText(before ?? '');
  // Minimum demand ×3 with no more capacity: no plan; the conflicting bounds are named.
  await moveSlider(page, 'demandMin', 'End');
  await expect(profit).toHaveText('—');
  await expect(page.getByTestId('scenario-notes')).toContainText('No plan meets every bound');
  await expect(page.getByTestId('scenario-notes')).toContainText(/capacity of|minimum demand of/);
  await app.screenshot(testInfo, 'scenario-planning-infeasible');
  await moveSlider(page, 'demandMin', 'Home');
  await expect(profit).not.toHaveText('—');

  // The stored run reopens with its settings.
  await page.reload();
  await expect(page.getByTestId('whatif-price').getByTestId('whatif-value')).toHaveText('115%');

  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot(testInfo, 'scenario-planning-dark');
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('kpi-profit')).toContainText('利润');
  await app.screenshot(testInfo, 'scenario-planning-zh', { docs: true });
  await page.getByTestId('nav-scenarios').click();
  await expect(page.getByTestId('scenario-card-production-planning')).toContainText('生产计划优化');
  await app.screenshot(testInfo, 'scenarios-page-zh');
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-en').click();
});

test('predictive maintenance on AI4I 2020: risk model, alerts, a threshold slider changes the cost saved', async ({ app, page }, testInfo) => {
  test.setTimeout(300_000);
  await app.open();
  await runSample(page, 'predictive-maintenance');
  await expect(kpi(page, 'rocAuc')).toHaveText(/^0\.(8|9)\d\d$/);
  const alerts = kpi(page, 'alerts');
  const saved = kpi(page, 'costSaved');
  const alertsBefore = await alerts.textContent();
  const savedBefore = await saved.textContent();
  expect(Number((alertsBefore ?? '0').replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(page.getByTestId('chart-failureTypes').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-drivers').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('table-alerts').locator('tbody tr').first()).toBeVisible();
  await app.screenshot(testInfo, 'scenario-maintenance-en', { docs: true });
  await moveSlider(page, 'threshold', 'Home');
  await expect(page.getByTestId('whatif-threshold').getByTestId('whatif-value')).toHaveText('0.02');
  await expect(alerts).not.toHaveText(alertsBefore ?? '');
  await expect(saved).not.toHaveText(savedBefore ?? '');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot(testInfo, 'scenario-maintenance-dark');
  await page.getByTestId('theme-toggle').click();
});

test('credit risk on German Credit: approval/bad rates at a cut-off, reasons, group rates', async ({ app, page }, testInfo) => {
  test.setTimeout(240_000);
  await app.open();
  await runSample(page, 'credit-risk');
  const approval = kpi(page, 'approvalRate');
  await expect(approval).toHaveText(/%$/);
  const before = await approval.textContent();
  expect(parseFloat(before ?? '0')).toBeGreaterThan(10);
  await expect(page.getByTestId('table-reasons').locator('tbody tr')).toHaveCount(20);
  await expect(page.getByTestId('chart-approvalBySex').locator('canvas')).toBeVisible();
  await app.screenshot(testInfo, 'scenario-credit-en', { docs: true });
  await moveSlider(page, 'cutoff', 'Home');
  await expect(page.getByTestId('whatif-cutoff').getByTestId('whatif-value')).toHaveText('0.05');
  await expect(approval).not.toHaveText(before ?? '');
  await page.getByTestId('theme-toggle').click();
  await app.screenshot(testInfo, 'scenario-credit-dark');
  await page.getByTestId('theme-toggle').click();
});

test('supply-chain network: single points of failure, a supplier switched off costs revenue', async ({ app, page }, testInfo) => {
  test.setTimeout(180_000);
  await app.open();
  await runSample(page, 'supply-chain');
  const atRisk = kpi(page, 'revenueAtRisk');
  await expect(atRisk).toHaveText('0');
  expect(Number((await kpi(page, 'articulationPoints').textContent()) ?? '0')).toBeGreaterThan(0);
  await expect(page.getByTestId('chart-network').locator('canvas')).toBeVisible();
  await app.screenshot(testInfo, 'scenario-supply-en', { docs: true });
  // Switch suppliers off one by one until one of them loses a product.
  const switches = page.getByTestId('scenario-dashboard').getByRole('switch');
  const count = await switches.count();
  expect(count).toBeGreaterThan(5);
  for (let i = 0; i < count; i++) {
    await switches.nth(i).click({ force: true });
    if (((await atRisk.textContent()) ?? '0') !== '0') break;
    await page.waitForTimeout(600);
    if (((await atRisk.textContent()) ?? '0') !== '0') break;
  }
  await expect(atRisk).not.toHaveText('0');
  await expect(page.getByTestId('scenario-notes')).toContainText('cannot be made');
  await app.screenshot(testInfo, 'scenario-supply-failure');
  await page.getByTestId('theme-toggle').click();
  await app.screenshot(testInfo, 'scenario-supply-dark');
  await page.getByTestId('theme-toggle').click();
});

test('retail recommendation: top-N from matrix factorisation, k and popularity-penalty sliders re-rank', async ({ app, page }, testInfo) => {
  test.setTimeout(180_000);
  await app.open();
  await runSample(page, 'retail-recommendation');
  const precision = kpi(page, 'precisionAtK');
  const recall = kpi(page, 'recallAtK');
  const popularity = kpi(page, 'popularityRecommended');
  await expect(precision).toHaveText(/%$/);
  expect(parseFloat((await precision.textContent()) ?? '0')).toBeGreaterThan(2);
  expect(parseFloat((await kpi(page, 'coverage').textContent()) ?? '0')).toBeGreaterThan(5);
  await expect(page.getByTestId('table-topN').locator('tbody tr')).toHaveCount(30);
  await expect(page.getByTestId('table-similar').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('chart-precisionRecallByK').locator('canvas')).toBeVisible();
  await app.screenshot(testInfo, 'scenario-retail-en', { docs: true });
  // A list of 20: recall rises.
  const recallBefore = await recall.textContent();
  await moveSlider(page, 'k', 'End');
  await expect(page.getByTestId('whatif-k').getByTestId('whatif-value')).toHaveText(/^20/);
  await expect(recall).not.toHaveText(recallBefore ?? '');
  expect(parseFloat((await recall.textContent()) ?? '0')).toBeGreaterThan(parseFloat(recallBefore ?? '0'));
  // A popularity penalty: less popular items are recommended.
  const popularityBefore = await popularity.textContent();
  await moveSlider(page, 'penalty', 'ArrowRight', 6);
  await expect(popularity).not.toHaveText(popularityBefore ?? '');
  expect(parseFloat((await popularity.textContent()) ?? '0')).toBeLessThan(parseFloat(popularityBefore ?? '0'));
  // The similar-items explorer follows its anchor.
  await expect(page.getByTestId('scenario-notes')).toContainText('#1 most popular');
  await moveSlider(page, 'anchor', 'ArrowRight');
  await expect(page.getByTestId('scenario-notes')).toContainText('#2 most popular');
  await app.screenshot(testInfo, 'scenario-retail-whatif');
  await page.getByTestId('chart-similarItems').scrollIntoViewIfNeeded();
  await app.screenshot(testInfo, 'scenario-retail-similar');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot(testInfo, 'scenario-retail-dark');
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('kpi-coverage')).toContainText('商品覆盖率');
  await app.screenshot(testInfo, 'scenario-retail-zh');
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-en').click();
});

test('customer service: intent and sentiment models, routing with a confidence threshold, trend and complaint terms', async ({ app, page }, testInfo) => {
  test.setTimeout(180_000);
  await app.open();
  await runSample(page, 'customer-service');
  const routed = kpi(page, 'routedShare');
  const queue = kpi(page, 'humanQueue');
  await expect(routed).toHaveText(/%$/);
  expect(parseFloat((await kpi(page, 'intentAccuracy').textContent()) ?? '0')).toBeGreaterThan(70);
  expect(parseFloat((await kpi(page, 'sentimentAccuracy').textContent()) ?? '0')).toBeGreaterThan(60);
  await expect(page.getByTestId('chart-negativeTrend').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-complaintTerms').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('table-routing').locator('tbody tr')).toHaveCount(40);
  await app.screenshot(testInfo, 'scenario-service-en', { docs: true });
  // A strict threshold sends more messages to people; fewer are routed automatically.
  const routedBefore = await routed.textContent();
  const queueBefore = await queue.textContent();
  await moveSlider(page, 'confidence', 'End');
  await expect(page.getByTestId('whatif-confidence').getByTestId('whatif-value')).toHaveText('0.99');
  await expect(routed).not.toHaveText(routedBefore ?? '');
  expect(parseFloat((await routed.textContent()) ?? '0')).toBeLessThan(parseFloat(routedBefore ?? '0'));
  expect(Number((await queue.textContent()) ?? '0')).toBeGreaterThan(Number(queueBefore ?? '0'));
  await expect(page.getByTestId('table-routing')).toContainText('Human queue');
  await app.screenshot(testInfo, 'scenario-service-whatif');
  await page.getByTestId('chart-complaintTerms').scrollIntoViewIfNeeded();
  await app.screenshot(testInfo, 'scenario-service-terms');
  await page.getByTestId('table-routing').scrollIntoViewIfNeeded();
  await app.screenshot(testInfo, 'scenario-service-routing');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot(testInfo, 'scenario-service-dark');
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('kpi-routedShare')).toContainText('自动分派比例');
  await app.screenshot(testInfo, 'scenario-service-zh');
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-en').click();
});
