/**
 * The README's pictures (docs/screenshots/*.png), made from real data sets. Runs only with XINZHI_SCREENSHOTS=1,
 * so ordinary test runs leave the working tree clean.
 */
import { join } from 'node:path';
import { test, expect, adultCsv, datasetsDir } from './fixtures.js';

test.skip(process.env.XINZHI_SCREENSHOTS !== '1', 'set XINZHI_SCREENSHOTS=1 to refresh docs/screenshots');

test('README screenshots: catalog and dataset grid, English and Chinese, light and dark', async ({ app, page }, testInfo) => {
  await app.open();
  for (const file of [join(datasetsDir, 'sms_spam', 'SMSSpamCollection'), join(datasetsDir, 'ai4i2020', 'ai4i2020.csv'), join(datasetsDir, 'german_credit', 'german.csv')]) {
    await app.importFile(file);
  }
  // Adult writes unknown values as “?”: imported as missing, they show as dimmed nulls.
  await app.importFile(adultCsv, { naValues: ['?'] });
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('dataset-row')).toHaveCount(4);
  await expect(page.getByTestId('dataset-columns').filter({ hasText: '16' })).toHaveCount(1);
  await app.screenshot(testInfo, 'catalog-en', { docs: true });

  await page.getByTestId('dataset-row').filter({ hasText: 'adult_all' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 rows');
  await page.getByTestId('grid-header-age').click();
  await expect.poll(() => app.firstCell('age')).toBe('17');
  await app.screenshot(testInfo, 'dataset-grid-en', { docs: true });

  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('row-count')).toHaveText('48,842 行');
  await app.screenshot(testInfo, 'dataset-grid-zh', { docs: true });
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('dataset-row')).toHaveCount(4);
  await app.screenshot(testInfo, 'catalog-zh', { docs: true });

  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-en').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.getByTestId('dataset-row').filter({ hasText: 'ai4i2020' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('10,000 rows');
  await expect.poll(() => app.firstCell('UDI')).toBe('1');
  await app.screenshot(testInfo, 'dataset-grid-dark', { docs: true });
});
