// Chinese never renders as boxes: Chromium is started with a fontconfig that holds no CJK font (only DejaVu, as on
// a fresh Linux without fonts-noto-cjk), the app is opened in zh-CN, and the glyphs must come from the font the app
// ships (assets/fonts, the theme's last @font-face). Checked three ways: Chromium's own report of the fonts that drew
// the app's name, a canvas in which two different Chinese words must differ (tofu boxes are all alike), and the same
// canvas without the shipped font, which must show the boxes, so the check could fail.
import { chromium, type Browser } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures.js';

const SHIPPED = 'Xinzhi Noto Sans SC';
let fontRoot: string;
let browser: Browser;

test.beforeAll(async () => {
  fontRoot = mkdtempSync(join(tmpdir(), 'xinzhi-fonts-'));
  const dejavu = '/usr/share/fonts/truetype/dejavu';
  const fontsDir = existsSync(dejavu) ? dejavu : join(fontRoot, 'empty');
  mkdirSync(join(fontRoot, 'empty'), { recursive: true });
  mkdirSync(join(fontRoot, 'cache'), { recursive: true });
  const config = join(fontRoot, 'fonts.conf');
  writeFileSync(config, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${fontsDir}</dir>\n  <cachedir>${join(fontRoot, 'cache')}</cachedir>\n</fontconfig>\n`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    env: { ...process.env, FONTCONFIG_FILE: config, FONTCONFIG_PATH: fontRoot } as Record<string, string>,
  });
});

test.afterAll(async () => {
  await browser?.close();
  rmSync(fontRoot, { recursive: true, force: true });
});

/** Draws two different Chinese words with `font` and says whether their pixels differ (they do unless both are boxes). */
const WORDS_DIFFER = (font: string): boolean => {
  const draw = (text: string) => {
    const canvas = document.createElement('canvas');
    canvas.width = 120;
    canvas.height = 40;
    const g = canvas.getContext('2d')!;
    g.font = font;
    g.fillStyle = '#000';
    g.textBaseline = 'top';
    g.fillText(text, 4, 4);
    return canvas.toDataURL();
  };
  return draw('数据') !== draw('模型');
};

test('zh-CN renders with the shipped font in a Chromium without CJK fonts', async ({ server }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  await context.addInitScript(() => window.localStorage.setItem('xinzhi.language', 'zh-CN'));
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page.getByTestId('app-name')).toHaveText('新质工作台');

  // This browser has no CJK font of its own: the system stack alone draws boxes.
  expect(await page.evaluate(WORDS_DIFFER, '24px sans-serif')).toBe(false);

  // The shipped font is loaded and draws the words.
  await page.evaluate(async (family) => {
    await document.fonts.load(`24px "${family}"`, '数据模型');
    await document.fonts.ready;
  }, SHIPPED);
  expect(await page.evaluate((family) => document.fonts.check(`24px "${family}"`, '新质工作台'), SHIPPED)).toBe(true);
  const stack = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  expect(stack.trim().endsWith(`"${SHIPPED}"`)).toBe(true);
  expect(await page.evaluate(WORDS_DIFFER, `24px ${stack}`)).toBe(true);

  // Chromium's account of what drew the app's name: every glyph from the web font.
  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-testid="app-name"]' });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  const custom = fonts.filter((f) => f.isCustomFont);
  expect(custom.map((f) => f.familyName).join()).toMatch(/Noto Sans SC/);
  expect(custom.reduce((n, f) => n + f.glyphCount, 0)).toBe('新质工作台'.length);

  await page.screenshot({ path: testInfo.outputPath('cjk-font-zh.png') });
  if (process.env.XINZHI_SCREENSHOTS === '1') await page.screenshot({ path: join(repoRoot, 'docs', 'screenshots', 'report-cjk-font-no-system-fonts.png') });
  await context.close();
});
