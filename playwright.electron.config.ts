// Playwright config of the desktop smoke suite (`npx playwright test -c playwright.electron.config.ts`): it drives
// the real Electron app with `_electron`, and skips itself, saying why, where no Electron binary can run.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './test/e2e-electron',
  outputDir: './test-results/e2e-electron',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // One Electron app at a time: each holds the single-instance lock.
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
