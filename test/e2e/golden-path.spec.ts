/** The analyst's first steps: import the Adult census file, browse 48,842 rows, sort, search, switch language. */
import { readFile } from 'node:fs/promises';
import { test, expect, adultCsv } from './fixtures.js';

test('import adult_all.csv, browse, sort and search the grid, switch to Chinese', async ({ app, page, server }, testInfo) => {
  await app.open();
  // The token is taken out of the address bar once the page has it.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
  await expect(page.getByTestId('catalog-empty')).toBeVisible();
  await app.screenshot(testInfo, 'catalog-empty-en');

  // Keyboard: Ctrl+K focuses the search box, Ctrl+I opens the import dialog.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('catalog-search')).toBeFocused();
  await page.keyboard.press('Control+i');
  await expect(page.getByTestId('import-dropzone')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-dialog')).toBeHidden();

  // Import through the dialog: the preview shows what was sniffed.
  await app.chooseFileToImport(adultCsv);
  await app.waitForPreview();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('16 columns');
  await expect(preview).toContainText('Detected: UTF-8');
  await expect(page.getByTestId('import-type-age')).toHaveValue('Integer');
  await expect(page.getByTestId('import-type-workclass')).toHaveValue('Text');
  await expect(page.getByTestId('import-name')).toHaveValue('adult_all');
  // Adult marks unknown values with “?”: read them as missing.
  await page.getByTestId('import-na-values').fill('?');
  await page.getByTestId('import-na-values').press('Enter');
  await app.screenshot(testInfo, 'import-preview');
  await app.startImport();

  // The job finishes and offers to open the dataset.
  const job = app.jobsDrawer.getByTestId('job-card').first();
  await expect(job).toHaveAttribute('data-job-state', 'succeeded', { timeout: 60_000 });
  await expect(job.getByTestId('job-counters')).toContainText('48,842 rows');
  await job.getByTestId('job-open-dataset').click();

  // The grid: the total comes from the version, rows from SQLite page by page.
  await expect(page.getByTestId('dataset-name')).toHaveText('adult_all');
  await expect(page.getByTestId('row-count')).toHaveText('48,842 rows');
  expect(await app.firstCell('age')).toBe('39');
  expect(await app.firstCell('workclass')).toBe('State-gov');
  const rendered = await app.grid.locator('[role="row"][data-row-index]').count();
  expect(rendered).toBeLessThan(120); // virtualized: only the window is in the DOM
  await app.screenshot(testInfo, 'dataset-grid-en');

  // Scroll far down: rows near the end are fetched and drawn.
  await app.grid.evaluate((el) => {
    el.scrollTop = el.scrollHeight * 0.92;
  });
  await expect
    .poll(async () => Number(await app.grid.locator('[role="row"][data-loaded="true"]').first().getAttribute('data-row-index')), { timeout: 15_000 })
    .toBeGreaterThan(40_000);
  const deep = app.grid.locator('[role="row"][data-loaded="true"]').first();
  const deepIndex = Number(await deep.getAttribute('data-row-index'));
  await expect(deep.getByRole('rowheader')).toHaveText((deepIndex + 1).toLocaleString('en-US'));
  // The very last row can be reached.
  await app.grid.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(app.grid.locator('[data-row-index="48841"][data-loaded="true"]')).toBeVisible();
  // Row 48,839 has “?” as workclass, imported as missing and shown dimmed.
  await expect(app.grid.locator('[data-row-index="48838"] [data-col="workclass"] [data-null="true"]')).toHaveText('null');
  await app.screenshot(testInfo, 'grid-scrolled-to-end');

  // Sorting happens in SQL: ascending, descending, then back to file order.
  const ageHeader = page.getByTestId('grid-header-age');
  await ageHeader.click();
  await expect(ageHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => app.firstCell('age')).toBe('17');
  await ageHeader.click();
  await expect(ageHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => app.firstCell('age')).toBe('90');
  await ageHeader.click();
  await expect(ageHeader).toHaveAttribute('aria-sort', 'none');
  await expect.poll(() => app.firstCell('age')).toBe('39');

  // Search runs on the server, over every column.
  await page.getByTestId('grid-search').fill('Holand-Netherlands');
  await expect(page.getByTestId('row-count')).toHaveText('1 row');
  await expect.poll(() => app.firstCell('native-country')).toBe('Holand-Netherlands');
  await app.grid.evaluate((el) => {
    el.scrollLeft = 0;
  });
  await page.getByTestId('grid-search').fill('');
  await expect(page.getByTestId('row-count')).toHaveText('48,842 rows');

  // A per-column filter: age ≥ 90.
  await page.getByTestId('grid-filter-age').click();
  await page.getByTestId('filter-op').click();
  await page.getByRole('option', { name: /at least/ }).click();
  await page.getByTestId('filter-value').fill('90');
  await page.getByTestId('filter-apply').click();
  await expect(page.getByTestId('filter-pills')).toContainText('age at least 90');
  await expect(page.getByTestId('row-count')).not.toHaveText('48,842 rows');
  await expect.poll(() => app.firstCell('age')).toBe('90');
  await page.getByTestId('filter-pills').getByRole('button', { name: 'Remove filter' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 rows');

  // Schema and versions.
  await page.getByTestId('tab-schema').click();
  await expect(page.locator('[data-testid="schema-row"][data-column="age"]')).toHaveAttribute('data-type', 'integer');
  await page.getByTestId('tab-versions').click();
  await expect(page.getByTestId('version-row')).toHaveCount(1);
  await expect(page.getByTestId('version-row')).toContainText('48,842');
  await page.getByTestId('tab-data').click();

  // Export: the browser downloads the version as UTF-8 CSV, every row.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  const download = await downloading;
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split(/\r?\n/);
  expect(lines[0]).toBe('age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income,split');
  expect(lines).toHaveLength(48_843);
  expect(lines[1]).toMatch(/^39,State-gov,77516,Bachelors,13,/);

  // The catalog lists it with its size.
  await page.getByTestId('nav-catalog').click();
  const row = page.getByTestId('dataset-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('dataset-rows')).toHaveText('48,842');
  await expect(row.getByTestId('dataset-columns')).toHaveText('16');
  await app.screenshot(testInfo, 'catalog-en');

  // 中文: the language switch is immediate and remembered.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('app-name')).toHaveText('新质工作台');
  await expect(page.getByTestId('nav-catalog')).toContainText('数据集');
  await expect(page.getByTestId('catalog-page')).toContainText('共 1 个数据集');
  await app.screenshot(testInfo, 'catalog-zh');
  await row.click();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 行');
  await expect(page.getByTestId('tab-data')).toContainText('数据');
  expect(await app.firstCell('age')).toBe('39');
  await app.screenshot(testInfo, 'dataset-grid-zh');
  await page.reload();
  await expect(page.getByTestId('app-name')).toHaveText('新质工作台');
  await expect(page.getByTestId('row-count')).toHaveText('48,842 行');

  // Dark mode, remembered too.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-en').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  expect(await app.firstCell('age')).toBe('39');
  await app.screenshot(testInfo, 'dataset-grid-dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');

  // The audit log recorded the import, and its chain holds.
  await page.getByTestId('nav-audit').click();
  await expect(page.locator('[data-testid="audit-row"][data-action="dataset.import"]')).toHaveCount(1);
  await page.getByTestId('verify-chain').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('verify-result')).toContainText('Chain intact');
  await app.screenshot(testInfo, 'audit-en');

  // Settings show where the workspace is.
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('system-info')).toContainText(server.workspace);
});
