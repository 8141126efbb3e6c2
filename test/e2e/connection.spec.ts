/** Browser mode's connection: the token leaves the address bar; a lost server and a refused token are said plainly. */
import { test, expect } from './fixtures.js';

test('a server that goes away is reported, and a restarted server with a new token is reported as refusing', async ({ app, page, server }) => {
  await app.open();
  await expect(page.getByTestId('catalog-empty')).toBeVisible();
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);

  await server.stop();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('Connection lost');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'reconnecting');

  // `xinzhi serve` again: same port and workspace, but every launch has a new token.
  await server.restart();
  await expect(banner).toContainText('Not authorised', { timeout: 30_000 });
  await expect(banner).toContainText('open the app with the URL (and token) that `xinzhi serve` printed');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'unauthorized');
});

test('the new URL (with its token) works again, in the same tab', async ({ app, page, server }) => {
  await app.open();
  const { url } = await server.restart();
  await page.goto(url);
  await expect(page.getByTestId('catalog-empty')).toBeVisible();
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
});
