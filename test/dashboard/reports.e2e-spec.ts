import * as fs from 'node:fs';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeClock } from '@netdesk/core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { ARTIFACTS, launchChromium, screenshot, signIn } from './browser';

/**
 * The managers' report pages in headless Chromium against the whole app. The recurring fault is made
 * the way production makes it: status changes committed through the real MonitoringStore, then ticket
 * automation and the episode recorder catch up.
 */
/** An A4 page at 96 dpi less the print margins: what the printed layout has to fit. */
const A4 = { width: 718, height: 1017 };

describe('dashboard reports (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const manager = {
    email: `${unique('manager')}@netdesk.test`,
    password: 'manager-password-1',
    role: 'manager',
  };
  const agent = { email: `${unique('agent')}@netdesk.test`, password: 'agent-password-1', role: 'agent', team: 'noc' };
  let flaky: { id: string; name: string };
  let steady: { id: string; name: string };
  const contexts: BrowserContext[] = [];

  // A minute behind the browser's clock, so every change lies in the past of the pages' default windows.
  const clock = new FakeClock(new Date(Date.now() - 60_000));
  const change = (deviceId: string, from: string, to: string) => statusChange(deviceId, from, to, clock.now());
  const happen = (...changes: MonitoringChange[]) => monitoringDriver(t.app).happen(...changes);
  const rest = async (path: string) =>
    (
      await t.http
        .get(path)
        .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
        .expect(200)
    ).body;
  const newPage = async (): Promise<Page> => {
    const ctx = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      baseURL: base,
      acceptDownloads: true,
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto('/');
    return page;
  };

  beforeAll(async () => {
    t = await startTestApp('dashboard-reports', { NETDESK_DEFAULT_TEAM: 'noc', NETDESK_DIGEST_CRON: 'off' }, { clock });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const admin = `Bearer ${await t.tokenFor('admin')}`;
    for (const u of [manager, agent]) await t.http.post('/api/users').set('Authorization', admin).send(u).expect(201);
    const site = await siteFactory.create(t, { name: unique('Porto') });
    flaky = await deviceFactory.create(t, { name: unique('edge-fw'), kind: 'firewall', siteId: site.id });
    steady = await deviceFactory.create(t, { name: unique('core-sw'), kind: 'switch', siteId: site.id });
    await happen(change(flaky.id, 'unknown', 'up'), change(steady.id, 'unknown', 'up'));
    // the firewall goes down three times: a recurring fault, a recurring ticket and a problem
    for (let i = 0; i < 3; i++) {
      await happen(change(flaky.id, 'up', 'down'));
      clock.advance(1100);
      await happen(change(flaky.id, 'down', 'up'));
      clock.advance(1100);
    }
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('hides the reports from an agent', async () => {
    const page = await newPage();
    await signIn(page, agent.email, agent.password);
    expect(await page.locator('header nav').innerText()).not.toMatch(/Reports/);
  });

  it('shows a manager the recurring fault, its episodes and tickets, the problem, and prints cleanly', async () => {
    const [problem] = await rest('/api/problems');
    expect(problem).toMatchObject({ deviceId: flaky.id, faultType: 'device_down', status: 'open' });
    const [ticket] = await rest(`/api/tickets?deviceId=${flaky.id}`);

    const page = await newPage();
    await signIn(page, manager.email, manager.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    const row = page.locator(`tr[data-fault="${flaky.id}:device_down"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain(flaky.name);
    expect(await row.locator('td.num').first().innerText()).toBe('3');
    // its ticket, by number, links to the ticket view
    await row.locator(`a[data-ticket-link="${ticket.id}"]`, { hasText: `#${ticket.number}` }).waitFor();

    // other windows keep the fault (presets and dates live in the URL)
    await page.getByRole('button', { name: '30 days' }).click();
    await page.waitForURL(/days=30/);
    await row.waitFor();

    // drill down, with the keyboard
    const toggle = row.getByRole('button', { name: /Episodes/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const episodes = page.locator('[data-testid="episodes"] tr[data-episode]');
    await page.waitForFunction(`document.querySelectorAll('[data-testid="episodes"] tr[data-episode]').length === 3`);
    expect(await episodes.first().innerText()).toContain(`#${ticket.number}`);

    // the problem is listed, open
    const prow = page.locator(`tr[data-problem="${problem.id}"]`);
    expect(await prow.innerText()).toMatch(/open/);
    await screenshot(page, 'reports-recurring.png');

    // CSV with the bearer token
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Recurring faults as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('recurring-faults.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(flaky.name);

    // print: no nav, no buttons
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4);
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/reports-recurring-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1366, height: 768 });

    // the problem: set it known error with a workaround
    await prow.getByRole('link').click();
    await page.locator('#problem-title').waitFor();
    expect(await page.locator('#problem-title').innerText()).toContain(`PRB-${problem.number}`);
    await page.waitForFunction(`document.querySelectorAll('tr[data-episode]').length === 3`);
    await page.getByLabel('known error').check();
    await page.getByRole('button', { name: 'Save' }).click();
    // the browser refuses a known error without a workaround
    expect((await rest(`/api/problems/${problem.id}`)).status).toBe('open');
    await page.getByLabel(/Workaround/).fill('Pin the WAN port to 1 Gbit/s full duplex.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: known error' }).waitFor();
    expect(await rest(`/api/problems/${problem.id}`)).toMatchObject({
      status: 'known_error',
      workaround: 'Pin the WAN port to 1 Gbit/s full duplex.',
    });
    await page.locator('.facts').getByText('Pin the WAN port').waitFor();
    await screenshot(page, 'reports-problem.png');
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4);
    await page.screenshot({ path: `${ARTIFACTS}/reports-problem-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1366, height: 768 });

    // a ticket link opens the existing ticket view
    await page.locator(`a[data-ticket-link="${ticket.id}"]`).first().click();
    await page.waitForURL(new RegExp(`/tickets/${ticket.id}$`));
    await page.waitForSelector('ol.timeline');
  });

  it('shows availability worst first, the per-day chart and the activity tables', async () => {
    const page = await newPage();
    await signIn(page, manager.email, manager.password);
    const activityCalls: string[] = [];
    page.on('request', (r) => {
      const { pathname } = new URL(r.url());
      if (pathname.startsWith('/api/reports/activity')) activityCalls.push(pathname);
    });
    const series = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/reports/activity/series');
    await page.goto('/reports/activity?days=7');
    // the chart's days come from one call in the browser's time zone, not one activity call per day
    const days: { opened: number; outagesStarted: number }[] = await (await series).json();
    // 7 days touch 8 calendar days unless they start at midnight
    expect([7, 8]).toContain(days.length);
    expect(days.reduce((n, d) => n + d.opened, 0)).toBe(1);
    expect(days.reduce((n, d) => n + d.outagesStarted, 0)).toBe(3);
    await page.locator('tr[data-availability]').first().waitFor();
    const order = await page
      .locator('tr[data-availability]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-availability')));
    expect(order.indexOf(flaky.id)).toBeLessThan(order.indexOf(steady.id));
    expect(await page.locator(`tr[data-availability="${flaky.id}"]`).innerText()).toMatch(/\b3$/m);
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.totals').innerText()).toMatch(/Opened\s*1/);
    await page.getByRole('heading', { name: 'By priority' }).waitFor();
    expect(activityCalls.sort()).toEqual(['/api/reports/activity', '/api/reports/activity/series']);
    await screenshot(page, 'reports-activity.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.chart canvas').first().waitFor();
    await screenshot(page, 'reports-activity-390.png');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${ARTIFACTS}/reports-activity-print.png`, fullPage: true });
  });
});
