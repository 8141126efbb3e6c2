/**
 * Importers and catalog metadata in the browser: an Excel workbook imported through the dialog with a sheet
 * choice (its merged header flattened), the dataset's About tab edited (description, owner, steward, tags,
 * a glossary term on a column, sensitivity), and the catalog search (Ctrl+K) finding it by a tag, highlighted.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { test, expect } from './fixtures.js';

async function writeWorkbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes').addRow(['Quarterly export — see the Regions sheet']);
  const ws = wb.addWorksheet('Regions');
  ws.addRow(['Region', 'Sales', null, 'Cost', 'Reported']);
  ws.addRow([null, 'Q1', 'Q2', null, null]);
  ws.mergeCells('B1:C1');
  const rows: [string, number, number, number, Date][] = [
    ['华东', 120, 135, 88.5, new Date(Date.UTC(2024, 3, 1))],
    ['华北', 97, 101, 70.25, new Date(Date.UTC(2024, 3, 2))],
    ['华南', 143, 150, 91, new Date(Date.UTC(2024, 3, 3))],
  ];
  for (const r of rows) ws.addRow(r);
  ws.getColumn(5).numFmt = 'yyyy-mm-dd';
  await wb.xlsx.writeFile(path);
}

test('import an xlsx with a sheet choice, edit its metadata, and find it by a tag', async ({ app, page, server }, testInfo) => {
  test.setTimeout(300_000);
  const file = join(server.scratch, 'regional-sales.xlsx');
  await writeWorkbook(file);

  // The dialog opens on the first sheet and lists the others.
  await app.open();
  await app.chooseFileToImport(file);
  await app.waitForPreview();
  await expect(page.getByTestId('import-sheet')).toHaveValue('Notes');
  await expect(page.getByTestId('import-encoding')).toHaveCount(0);
  await page.getByTestId('import-sheet').click();
  await page.getByRole('option', { name: 'Regions' }).click();
  const sample = page.getByTestId('import-sample');
  await expect(sample).toContainText('Sales.Q1');
  await expect(sample).toContainText('Sales.Q2');
  await expect(sample).toContainText('2024-04-01');
  await expect(page.getByTestId('import-header-rows')).toHaveValue('Detect automatically');
  await expect(page.getByTestId('import-type-Reported')).toHaveValue('Date');
  await app.screenshot(testInfo, 'import-xlsx-sheet', { docs: true });
  await app.startImport();
  await expect(app.jobsDrawer.getByTestId('job-card').first()).toHaveAttribute('data-job-state', 'succeeded', { timeout: 60_000 });
  await page.keyboard.press('Escape');

  // A glossary term to link.
  await page.getByTestId('nav-glossary').click();
  await expect(page.getByTestId('glossary-empty')).toBeVisible();
  await page.getByTestId('glossary-add').click();
  await page.getByTestId('glossary-term').fill('Quarterly sales');
  await page.getByTestId('glossary-definition').fill('按季度汇总的销售额（万元），不含税。');
  await page.getByTestId('glossary-save').click();
  await expect(page.getByTestId('glossary-row')).toHaveCount(1);

  // The dataset's About tab.
  await page.getByTestId('nav-catalog').click();
  await page.getByTestId('dataset-row').filter({ hasText: 'regional-sales' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('3 rows');
  await page.getByTestId('tab-about').click();
  const about = page.getByTestId('about-panel');
  await about.getByTestId('about-description').fill('各大区季度销售与成本汇总，来自财务月报。');
  await about.getByTestId('about-owner').fill('Finance');
  await about.getByTestId('about-steward').fill('Wang Fang');
  await about.getByTestId('about-tags').fill('quarterly-report');
  await about.getByTestId('about-tags').press('Enter');
  await about.getByTestId('about-link-column').click();
  await page.getByRole('option', { name: 'Sales.Q1' }).click();
  await about.getByTestId('about-link-term').click();
  await page.getByRole('option', { name: 'Quarterly sales' }).click();
  await about.getByTestId('about-link-add').click();
  await about.getByTestId('about-sensitivity').getByText('Confidential').click();
  await about.getByTestId('about-save').click();
  await expect(about.getByTestId('about-updated')).toContainText('Last edited by');
  await expect(about.getByTestId('about-save')).toBeDisabled();
  await app.screenshot(testInfo, 'dataset-about', { docs: true });

  // Saved: a reload shows the same metadata.
  await page.reload();
  await page.getByTestId('tab-about').click();
  await expect(page.getByTestId('about-owner')).toHaveValue('Finance');
  await expect(page.getByTestId('about-panel')).toContainText('Sales.Q1 → Quarterly sales');

  // Ctrl+K search finds it by the tag, with the match marked.
  await page.getByTestId('nav-catalog').click();
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('catalog-search')).toBeFocused();
  await page.keyboard.type('quarterly-rep');
  const row = page.getByTestId('dataset-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('search-matches')).toContainText('Tag: quarterly-report');
  await expect(row.getByTestId('search-mark').first()).toHaveText('quarterly');
  await expect(row.getByTestId('sensitivity-badge')).toHaveText('Confidential');
  await app.screenshot(testInfo, 'catalog-search-tag', { docs: true });
  // Chinese text in the description is found too.
  await page.getByTestId('catalog-search').fill('财务');
  await expect(row.getByTestId('search-mark')).toHaveCount(1);
  await expect(row.getByTestId('search-mark')).toHaveText('财务');
  await page.getByTestId('catalog-search').fill('no-such-thing');
  await expect(page.getByTestId('catalog-no-match')).toBeVisible();

  // zh-CN and dark mode.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('catalog-search').fill('');
  await page.getByTestId('dataset-row').first().click();
  await page.getByTestId('tab-about').click();
  await expect(page.getByTestId('about-panel')).toContainText('敏感级别');
  await app.screenshot(testInfo, 'dataset-about-zh-dark', { docs: true });
  await page.getByTestId('nav-glossary').click();
  await expect(page.getByTestId('glossary-row')).toContainText('regional-sales · Sales.Q1');
  await app.screenshot(testInfo, 'glossary-zh-dark', { docs: true });
});
