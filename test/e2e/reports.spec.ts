// Export PDF from the UI in browser mode: the model card from the model page and the anonymisation certificate
// from the dataset's Privacy tab download as PDFs (through the token-checked /api/report route) whose text is the
// report's, in the language picked in the menu. The data is prepared with the CLI on the served workspace.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures.js';

function cli(workspace: string, ...args: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', workspace, '--json', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out) as Record<string, unknown>;
}

const pdfText = (file: string) => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

test('the model card and the certificate download as PDFs in the chosen language', async ({ app, server, page }, testInfo) => {
  test.setTimeout(360_000);
  const rows = ['name,phone,age,city,churn'];
  const cities = ['北京', '上海', '广州', '深圳'];
  for (let i = 0; i < 200; i++) rows.push(`客户${i},1380000${String(1000 + i)},${20 + (i % 50)},${cities[i % 4]},${i % 3 === 0 ? 1 : 0}`);
  const csv = join(server.scratch, 'customers.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
  const config = join(server.scratch, 'privacy.json');
  writeFileSync(config, JSON.stringify({
    columns: {
      name: { role: 'identifying' },
      phone: { role: 'identifying' },
      age: { role: 'quasi', hierarchy: { interval: { widths: [10, 20] } } },
      city: { role: 'quasi', hierarchy: { rows: cities.map((c) => [c, '*']) } },
      churn: { role: 'sensitive' },
    },
    models: [{ model: 'k-anonymity', k: 5 }],
  }));
  const imported = cli(server.workspace, 'import', csv);
  const anonymised = cli(server.workspace, 'anonymise', String(imported.versionId), '--config', config);
  const trained = cli(server.workspace, 'train', String(anonymised.versionId), '--target', 'churn', '--model', 'logistic', '--features', 'age,city');

  await app.open();
  await page.goto(`${server.url}#/models/${String(trained.modelId)}`);
  await expect(page.getByTestId('model-page')).toBeVisible();
  await page.getByTestId('model-export-card').click();
  const cardDownload = page.waitForEvent('download', { timeout: 90_000 });
  await page.getByTestId('model-export-card-en').click();
  const card = await cardDownload;
  expect(card.suggestedFilename()).toMatch(/^model-card-.*-en\.pdf$/);
  const cardFile = join(server.scratch, 'card.pdf');
  await card.saveAs(cardFile);
  const cardText = pdfText(cardFile);
  expect(cardText).toContain('Model card');
  expect(cardText).toContain(String(trained.modelId));
  expect(cardText).not.toContain('客户1');
  await app.screenshot(testInfo, 'report-model-page', { docs: true });

  await page.goto(`${server.url}#/datasets/${String(imported.datasetId)}`);
  await expect(page.getByTestId('dataset-export-governance')).toBeVisible();
  await page.getByTestId('tab-privacy').click();
  const row = page.getByTestId('privacy-version');
  await expect(row).toHaveCount(1);
  await row.getByTestId('privacy-version-certificate').click();
  const certDownload = page.waitForEvent('download', { timeout: 90_000 });
  await page.getByTestId('privacy-version-certificate-zh-CN').click();
  const cert = await certDownload;
  const certFile = join(server.scratch, 'certificate.pdf');
  await cert.saveAs(certFile);
  const certText = pdfText(certFile);
  expect(certText).toContain('匿名化证书');
  expect(certText).toContain('k-anonymity (k = 5)');
  expect(certText).not.toMatch(/1380000\d{4}/);
  await app.screenshot(testInfo, 'report-dataset-privacy', { docs: true });

  // The download route needs the token like every other route.
  const reportUrl = new URL(cert.url());
  reportUrl.search = '';
  const refused = await page.request.get(reportUrl.toString(), { headers: { cookie: '' }, failOnStatusCode: false });
  expect(refused.status()).toBe(401);
});

test('a scenario run dashboard downloads its snapshot as a PDF', async ({ app, server, page }, testInfo) => {
  test.setTimeout(360_000);
  await app.open();
  await page.getByTestId('nav-scenarios').click();
  await page.getByTestId('scenario-card-production-planning').getByTestId('scenario-run-sample').click();
  await expect(page.getByTestId('scenario-dashboard')).toBeVisible({ timeout: 180_000 });
  await page.getByTestId('scenario-export-report').click();
  const download = page.waitForEvent('download', { timeout: 90_000 });
  await page.getByTestId('scenario-export-report-zh-CN').click();
  const file = join(server.scratch, 'scenario.pdf');
  await (await download).saveAs(file);
  const text = pdfText(file);
  expect(text).toContain('场景快照');
  expect(text).toContain('关键指标');
  expect(text).toContain('假设分析');
  await app.screenshot(testInfo, 'report-scenario-dashboard', { docs: true });
});
