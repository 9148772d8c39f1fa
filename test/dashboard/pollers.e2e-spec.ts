import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { deviceFactory } from '../factories/device.factory';
import { startNats } from '../scale-out/nats-process';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { launchChromium, signIn } from './browser';

/**
 * The Pollers page in headless Chromium: a core with NATS_URL runs its own poller (NETDESK_POLLER_NAME
 * `core-poller`); the page lists it up in its group with its devices (needs `npm run build:dashboard`).
 */
describe('Pollers page (browser)', () => {
  let nats: Awaited<ReturnType<typeof startNats>>;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    nats = await startNats('pollers-page');
    t = await startTestApp('pollers-page', {
      NATS_URL: nats.url,
      NETDESK_POLLER: 'true',
      NETDESK_POLLER_NAME: 'core-poller',
      NETDESK_TRAP_PORT: String(30_000 + (process.pid % 20_000)),
      NETDESK_TRAP_BIND: '127.0.0.1',
    });
    await deviceFactory.create(t, { host: '127.0.5.1' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await nats?.stop();
  });

  it('lists the poller, its group, status and devices', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Pollers' }).click();
    const row = page.locator('table.pollers tbody tr', { hasText: 'core-poller' });
    await row.waitFor({ timeout: 20_000 });
    // the page refreshes every 5 s; the poller's device shows once its lease and assignment are read
    for (let i = 0; i < 40 && (await row.locator('td').nth(4).textContent()) !== '1'; i++)
      await page.waitForTimeout(500);
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['core-poller', 'default', 'up']);
    expect(cells[4]).toBe('1');
  });
});
