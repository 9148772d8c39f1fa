/// <reference lib="dom" />
import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { launchChromium, screenshot, signIn } from './browser';

/** Issue 9 (first run): an empty board says what to do next and links there. */
describe('first run (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp('first-run');
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['desktop', { width: 1366, height: 768 }],
    ['phone', { width: 390, height: 844 }],
  ])('at %s: the empty board offers discovery, adding a device and importing a file', async (name, viewport) => {
    const ctx = await browser.newContext({ viewport, baseURL: base });
    const page = await ctx.newPage();
    await page.goto('/');
    await signIn(page, ADMIN.email, ADMIN.password);
    const box = page.getByTestId('first-run');
    await box.waitFor();
    const links = await box
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => [a.textContent?.trim(), a.getAttribute('href')]));
    expect(links).toEqual([
      [expect.stringMatching(/^Discover a range/), '/inventory/discovery'],
      [expect.stringMatching(/^Add a device/), '/inventory/devices/new'],
      [expect.stringMatching(/^Import a file/), '/inventory/import'],
    ]);
    await screenshot(page, `living-first-run-${name}.png`);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
    await ctx.close();
  });
});
