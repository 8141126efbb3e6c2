/**
 * The model studio over the real training worker: ai4i2020 imported through the UI, an MLP on the process readings
 * (the failure-mode flags TWF/HDF/PWF/OSF/RNF would leak the target) with its learning curve growing live, a long
 * run cancelled without leaving a model, a second quick run to compare against, the model page's metrics, and
 * batch scoring into a new version with `prediction` and `score` columns.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, datasetsDir } from './fixtures.js';

const ai4iCsv = join(datasetsDir, 'ai4i2020', 'ai4i2020.csv');
const PROCESS_READINGS = ['Type', 'Air temperature [K]', 'Process temperature [K]', 'Rotational speed [rpm]', 'Torque [Nm]', 'Tool wear [min]'];

async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect(page.getByTestId(testId)).toHaveValue(option);
}

async function chooseProcessReadings(page: Page): Promise<void> {
  const list = page.getByTestId('train-features');
  await page.getByTestId('train-features-none').click();
  await expect(list.getByRole('checkbox', { checked: true })).toHaveCount(0);
  for (const feature of PROCESS_READINGS) await list.getByRole('checkbox', { name: feature, exact: true }).check();
  await expect(list.getByRole('checkbox', { checked: true })).toHaveCount(PROCESS_READINGS.length);
  await expect(page.getByTestId('train-feature-count')).toHaveText(`${PROCESS_READINGS.length} of 13`);
}

const EPOCHS = 150;

test('train an MLP on ai4i2020 with a live curve, cancel a run, compare, read the metrics and score a version', async ({ app, page }, testInfo) => {
  test.setTimeout(420_000);
  await app.open();
  await app.importFile(ai4iCsv);

  // The studio starts empty and leads to a training run.
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('models-empty')).toBeVisible();
  await page.getByTestId('models-train').click();
  await expect(page.getByTestId('train-page')).toBeVisible();

  await pick(page, 'train-dataset', 'ai4i2020');
  await expect(page.getByTestId('train-version')).toHaveValue(/^v1 /);
  await pick(page, 'train-target', 'Machine failure');

  // Suggestions for a two-valued target: recommended ones first, each with a localised reason.
  const suggestions = page.getByTestId('train-suggestion');
  await expect(suggestions.first()).toHaveAttribute('data-recommended', 'true');
  await expect(page.getByTestId('train-task')).toHaveText('Binary classification');
  await expect(page.locator('[data-testid="train-suggestion"][data-family="mlp"]')).toBeVisible();
  await expect(page.getByTestId('train-suggestion-reason').first()).toHaveText(/two values/);

  // Features default to every column but the target; keep only the process readings.
  await expect(page.getByTestId('train-feature-count')).toHaveText('13 of 13');
  await chooseProcessReadings(page);

  await pick(page, 'train-family', 'Neural network (MLP)');
  // Small batches and many epochs: a run of some seconds, so the live curve is seen growing (the SIMD training step
  // runs an epoch of batch 8 in tens of milliseconds, so 30 epochs could end between two samples of the page).
  await page.getByTestId('train-epochs').fill(String(EPOCHS));
  await page.getByTestId('train-batch-size').fill('8');
  // The curve gains points epoch by epoch while the job runs: every value the plotted points and the epoch label
  // take is recorded in the page (sampling them from here missed the whole run when the machine was busy).
  await page.evaluate(() => {
    const seen = { points: [] as number[], epochs: [] as number[] };
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    const record = (list: number[], value: string | null | undefined) => {
      const n = Number(value ?? 0);
      if (list.at(-1) !== n) list.push(n);
    };
    new MutationObserver(() => {
      record(seen.points, document.querySelector('[data-testid="train-curve"]')?.getAttribute('data-points'));
      record(seen.epochs, document.querySelector('[data-testid="train-epoch"]')?.getAttribute('data-epoch'));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-points', 'data-epoch'] });
  });
  // Ctrl+Enter trains from anywhere on the page.
  await page.keyboard.press('Control+Enter');

  const run = page.getByTestId('train-run');
  await expect(run).toBeVisible();
  const curve = page.getByTestId('train-curve');
  const points = async () => Number((await curve.getAttribute('data-points')) ?? 0);
  const epoch = async () => Number((await page.getByTestId('train-epoch').getAttribute('data-epoch')) ?? 0);
  await expect(page.getByTestId('train-epoch')).toHaveAttribute('data-epochs', String(EPOCHS));
  await expect(run).toHaveAttribute('data-state', 'succeeded', { timeout: 240_000 });
  await expect(page.getByTestId('train-epoch')).toHaveText(new RegExp(`Epoch \\d+ / ${EPOCHS}`));
  const seen = await page.evaluate(() => (window as unknown as { __seen: { points: number[]; epochs: number[] } }).__seen);
  expect(seen.points.filter((n) => n > 0 && n < EPOCHS).length, `curve sizes seen: ${seen.points.join(' ')}`).toBeGreaterThanOrEqual(2);
  expect(seen.epochs.filter((n) => n > 0 && n < EPOCHS).length, `epochs seen: ${seen.epochs.join(' ')}`).toBeGreaterThanOrEqual(2);
  expect(await points()).toBe(EPOCHS);
  await expect(page.getByTestId('train-done')).toContainText('accuracy');
  await app.screenshot(testInfo, 'training-en', { docs: true });

  // A second, long run is cancelled: the run says so and no model is added.
  await page.getByTestId('train-epochs').fill('1000');
  await page.getByTestId('train-batch-size').fill('8');
  await page.getByTestId('train-start').click();
  await expect(run).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect.poll(epoch, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await page.getByTestId('train-cancel').click();
  await expect(run).toHaveAttribute('data-state', 'cancelled', { timeout: 60_000 });
  await expect(page.getByTestId('train-cancelled')).toBeVisible();
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('model-row')).toHaveCount(1);
  await expect(page.getByTestId('model-row').first()).toContainText('Neural network (MLP)');

  // A quick logistic regression on the same features, to compare runs side by side.
  await page.getByTestId('models-train').click();
  await expect(page.getByTestId('train-feature-count')).toHaveText(`${PROCESS_READINGS.length} of 13`);
  await pick(page, 'train-family', 'Logistic regression');
  await page.getByTestId('train-epochs').fill('20');
  await page.getByTestId('train-batch-size').fill('256');
  await page.getByTestId('train-start').click();
  await expect(run).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('model-row')).toHaveCount(2);
  for (const box of await page.getByTestId('model-select').all()) await box.check();
  await page.getByTestId('models-compare').click();
  const compare = page.getByTestId('compare-view');
  await expect(compare).toBeVisible();
  await expect(compare.locator('[data-testid="compare-metric"][data-metric="accuracy"] td')).toHaveCount(3);
  await expect(page.getByTestId('compare-loss-chart')).toBeVisible();
  await app.screenshot(testInfo, 'models-compare-en', { docs: true });

  // The MLP's page: accuracy on the held-out rows, clearly better than chance.
  await page.getByTestId('model-row').filter({ hasText: 'Neural network (MLP)' }).getByTestId('model-link').click();
  await expect(page.getByTestId('model-page')).toBeVisible();
  await expect(page.getByTestId('model-family')).toHaveText('Neural network (MLP)');
  const accuracy = page.locator('[data-testid="model-metric"][data-metric="accuracy"]');
  await expect(accuracy).toBeVisible();
  expect(Number(await accuracy.getAttribute('data-value'))).toBeGreaterThan(0.9);
  await expect(page.getByTestId('model-features')).toContainText('Torque [Nm]');
  await expect(page.getByTestId('model-features')).not.toContainText('TWF');
  await expect(page.getByTestId('model-curves')).toBeVisible();
  await app.screenshot(testInfo, 'model-en', { docs: true });

  // The same page in Chinese and dark mode.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await expect(page.getByTestId('model-family')).toHaveText('神经网络（MLP）');
  await expect(page.getByTestId('model-tab-overview')).toHaveText('概览');
  await app.screenshot(testInfo, 'model-zh-dark', { docs: true });
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-en').click();
  await page.getByTestId('theme-toggle').click();

  // Explanations: permutation importance over the input columns, partial dependence, contributions.
  await page.getByTestId('model-tab-explain').click();
  await page.getByTestId('explain-start').click();
  await expect(page.getByTestId('explanation')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('explanation')).toContainText('Torque [Nm]');
  await app.screenshot(testInfo, 'model-explain-en', { docs: true });

  // Compression to int8 makes a new, smaller model that links back to this one.
  await page.getByTestId('model-tab-compress').click();
  await page.getByTestId('compress-quantize').getByText('int8', { exact: false }).click();
  await page.getByTestId('compress-start').click();
  await expect(page.getByTestId('compress-result')).toBeVisible({ timeout: 120_000 });
  await app.screenshot(testInfo, 'model-compress-en', { docs: true });
  await page.getByTestId('model-tab-overview').click();

  // Scoring the training version adds a version with prediction and score columns.
  await page.getByTestId('model-tab-score').click();
  await expect(page.getByTestId('score-version')).toHaveValue(/^v1 /);
  await page.getByTestId('score-start').click();
  await expect(page.getByTestId('score-done')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('score-done')).toContainText('10,000 rows');
  await page.getByTestId('score-open-version').click();
  await expect(page.getByTestId('dataset-page')).toBeVisible();
  await expect(page.getByTestId('version-select')).toHaveValue(/^v2 /);
  await page.getByTestId('tab-schema').click();
  await expect(page.locator('[data-testid="schema-row"][data-column="prediction"]')).toBeVisible();
  await expect(page.locator('[data-testid="schema-row"][data-column="score"]')).toBeVisible();

  // Deleting the logistic regression leaves the MLP and its compressed copy.
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('model-row')).toHaveCount(3);
  await page.getByTestId('model-row').filter({ hasText: 'Logistic regression' }).getByTestId('model-link').click();
  await page.getByTestId('model-delete').click();
  await page.getByTestId('model-confirm-delete').click();
  await expect(page.getByTestId('models-page')).toBeVisible();
  await expect(page.getByTestId('model-row')).toHaveCount(2);
  for (const row of await page.getByTestId('model-row').all()) await expect(row).toContainText('Neural network (MLP)');

  // The audit log names what the studio did, in words.
  await page.getByTestId('nav-audit').click();
  await expect(page.locator('[data-testid="audit-row"][data-action="model.train"]').first()).toContainText('Model trained');
  await expect(page.locator('[data-testid="audit-row"][data-action="model.compress"]')).toContainText('Model compressed');
  await expect(page.locator('[data-testid="audit-row"][data-action="model.delete"]')).toHaveCount(1);
});

test('the training backend chosen in Settings is the one a new run starts with, and is remembered', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('nav-settings').click();
  await pick(page, 'settings-training-backend', 'WebAssembly');
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-training-backend')).toHaveValue('WebAssembly');
  await page.getByTestId('nav-models').click();
  await page.getByTestId('models-train').click();
  await page.getByTestId('train-advanced-toggle').click();
  await expect(page.getByTestId('train-backend')).toHaveValue('WebAssembly');
});
