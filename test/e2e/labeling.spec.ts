/**
 * Labeling and PII in the browser: a small table labelled by keyboard (1, 2, S, U …) with progress, exported as a
 * new version with a label column; and the PII tab on a synthetic Chinese table, masked values only.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { syntheticChineseTable } from '../../src/main/core/pii/synthetic.js';
import { test, expect, repoRoot } from './fixtures.js';

test('label five rows by keyboard, see progress and agreement, export a labelled version', async ({ app, page, server }, testInfo) => {
  const reviews = [
    'Arrived quickly and works as described.', 'Broke after two days, very disappointed.', 'It is fine, nothing special.', 'Great value for the price!',
    'The colour is not what the photo shows.', 'Customer service solved my problem in minutes.', 'Average quality, average price.', 'Terrible packaging, box was crushed.',
    'Would buy again.', 'Instructions were confusing.', 'Does the job.', 'Excellent build quality.',
  ];
  const file = join(server.scratch, 'reviews.csv');
  writeFileSync(file, Papa.unparse(reviews.map((text, i) => ({ id: i + 1, stars: (i % 5) + 1, text }))));
  await app.open();
  await app.importFile(file);
  await page.getByTestId('dataset-row').filter({ hasText: 'reviews' }).click();
  await page.getByTestId('tab-labeling').click();

  // The schema: three classes, no overlap.
  await page.getByTestId('labeling-classes').fill('positive, negative, neutral');
  await page.getByTestId('labeling-overlap').fill('0');
  await page.getByTestId('labeling-save-schema').click();
  await page.getByTestId('labeling-annotator').fill('Alice');
  await page.getByTestId('labeling-start').click();
  const item = page.getByTestId('labeling-item');
  await expect(item).toHaveAttribute('data-row', '1');
  await expect(item).toContainText('Arrived quickly and works as described.');
  await expect(page.getByTestId('labeling-progress')).toHaveText('0 of 12 rows done');

  // 1 → row 1 positive; 2 → row 2 negative; S skips row 3; U undoes row 2; 2 → row 2 again; 3 → row 4; 1 → row 5.
  const press = async (key: string, nextRow: string) => {
    await page.keyboard.press(key);
    await expect(item).toHaveAttribute('data-row', nextRow);
  };
  await press('1', '2');
  await press('2', '3');
  await press('s', '4');
  await press('u', '2');
  await expect(page.getByTestId('labeling-progress')).toHaveText('1 of 12 rows done');
  await press('2', '4');
  await press('3', '5');
  await press('1', '6');
  await press('1', '7');
  await expect(page.getByTestId('labeling-progress')).toHaveText('5 of 12 rows done');
  await expect(page.getByTestId('labeling-mine')).toHaveText('5 labels by you');
  await expect(page.getByTestId('labeling-rate')).toContainText('labels/min');
  await expect(page.getByTestId('labeling-stats')).toContainText('positive: 3');
  await app.screenshot(testInfo, 'labeling-queue-en', { docs: true });

  // Export: a new version with the label column, opened in the grid.
  await page.getByTestId('labeling-export').click();
  await expect(page.getByTestId('tab-data')).toHaveAttribute('aria-selected', 'true');
  await app.revealColumn('label');
  await expect.poll(() => app.firstCell('label')).toBe('positive');
  await page.getByTestId('tab-versions').click();
  await expect(page.getByTestId('version-operation').filter({ hasText: 'Labels added' })).toBeVisible();
  await app.screenshot(testInfo, 'labeling-exported-version');
});

test('the PII tab on a Chinese table shows kinds, masked examples and roles, never a raw value', async ({ app, page, server }, testInfo) => {
  const rows = syntheticChineseTable(200, 7);
  const file = join(server.scratch, 'customers.csv');
  writeFileSync(file, Papa.unparse(rows as unknown as Record<string, unknown>[]));
  execFileSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), 'import', file, '--workspace', server.workspace, '--json'], { cwd: repoRoot, encoding: 'utf8' });

  await app.open();
  await page.getByTestId('dataset-row').filter({ hasText: 'customers' }).click();
  await page.getByTestId('tab-pii').click();
  await page.getByTestId('pii-detect').click();
  const row = (column: string) => page.locator(`[data-testid="pii-row"][data-column="${column}"]`);
  await expect(row('身份证号')).toHaveAttribute('data-kind', 'cnResidentId');
  await expect(row('手机号')).toHaveAttribute('data-kind', 'cnMobile');
  await expect(row('姓名')).toHaveAttribute('data-kind', 'personName');
  await expect(row('备注')).toContainText('in free text');
  await expect(row('消费金额')).toHaveAttribute('data-kind', '');
  await expect(row('身份证号')).toHaveAttribute('data-role', 'identifying');
  await expect(row('出生日期')).toHaveAttribute('data-role', 'quasi');
  await expect(page.getByTestId('pii-sensitivity')).toContainText('Restricted');
  await expect(row('手机号').getByTestId('pii-examples')).toContainText('****');

  // No raw value of a PII column anywhere in the page.
  const html = await page.content();
  for (const r of rows) for (const v of [r.身份证号, r.手机号, r.邮箱, r.银行卡号, r.统一社会信用代码, r.地址]) expect(html.includes(v), v).toBe(false);
  await app.screenshot(testInfo, 'pii-tab-en', { docs: true });

  // The wizard opens with the same roles.
  await page.getByTestId('pii-open-wizard').click();
  const wizard = page.getByTestId('privacy-wizard');
  await expect(wizard.locator('[data-testid="privacy-role-row"][data-column="身份证号"]')).toHaveAttribute('data-role', 'identifying');
  await expect(wizard.locator('[data-testid="privacy-role-row"][data-column="出生日期"]')).toHaveAttribute('data-role', 'quasi');
  await page.keyboard.press('Escape');
  await expect(wizard).toBeHidden();

  // Chinese and dark.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-zh-CN').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await expect(row('身份证号')).toContainText('身份证号');
  await expect(page.getByTestId('pii-sensitivity')).toContainText('受限');
  await app.screenshot(testInfo, 'pii-tab-zh-dark', { docs: true });
});
