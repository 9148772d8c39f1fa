import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { deviceFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, screenshot, signIn } from './browser';

/**
 * The WAN view (every circuit's utilisation, worst first) and the thresholds defaults page, in headless
 * Chromium against the whole app; what the page shows and saves is checked through the REST API.
 */
describe('dashboard: WAN links and thresholds (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const manager = { email: `${unique('manager')}@netdesk.test`, password: 'manager-password-1', role: 'manager' };

  const newPage = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: base });
    const page = await ctx.newPage();
    await page.goto('/');
    await signIn(page, manager.email, manager.password);
    return page;
  };

  beforeAll(async () => {
    t = await startTestApp('dashboard-wan');
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await t.http
      .post('/api/users')
      .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
      .send(manager)
      .expect(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists every circuit worst first, with utilisation against its capacity', async () => {
    const ds = t.app.get(DataSource);
    const quiet = await deviceFactory.create(t, { kind: 'wan-link', name: unique('quiet') });
    const busy = await deviceFactory.create(t, { kind: 'router', name: unique('busy') });
    const add = (deviceId: string, ifIndex: number, inBps: number, capacity: number | null, circuit: string | null) =>
      ds.query(
        `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, speed_bps,
                                        in_bps, out_bps, monitored, capacity_bps, provider, circuit_id, updated_at)
         VALUES ($1, $2, $3, 'WAN', 'up', 'up', now(), 1000000000, $4, 1000000, true, $5, $6, $7, now())`,
        [deviceId, ifIndex, `ge-0/0/${ifIndex}`, inBps, capacity, circuit && 'ACME', circuit],
      );
    await add(quiet.id, 1, 100e6, null, null); // 10 % of 1 Gb/s
    await add(busy.id, 2, 95e6, 100e6, 'C-42'); // 95 % of a 100 Mb/s circuit

    const page = await newPage();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'WAN' }).click();
    await page.getByRole('heading', { name: 'WAN links' }).waitFor();
    const rows = page.locator('table.wan-links tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.nth(0).getAttribute('data-link')).toBe(`${busy.name} ge-0/0/2`);
    expect(await rows.nth(1).getAttribute('data-link')).toBe(`${quiet.name} ge-0/0/1`);
    await expect(rows.nth(0).innerText()).resolves.toMatch(/ACME C-42/);
    expect(await rows.nth(0).getByLabel('in 95 %').getAttribute('class')).toContain('over');
    expect(await rows.nth(1).getByLabel('in 10 %').getAttribute('class')).not.toContain('over');
    await screenshot(page, 'wan-view.png');
  });

  it('edits the threshold defaults and per-kind values; a bad value shows the API message', async () => {
    const page = await newPage();
    await page.goto('/settings/thresholds');
    const cell = page.getByLabel('Link utilisation (%), wan-link');
    await cell.waitFor();
    await cell.fill('70');
    await page.getByLabel('Consecutive polls, defaults').fill('2');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const stored = (
      await t.http
        .get('/api/thresholds')
        .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
        .expect(200)
    ).body;
    expect(stored.byKind['wan-link']).toEqual({ utilisationPct: 70 });
    expect(stored.defaults.forPolls).toBe(2);

    await page.getByLabel('CPU (%), defaults').fill('150');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/cpuPct/);
    const after = (
      await t.http
        .get('/api/thresholds')
        .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
        .expect(200)
    ).body;
    expect(after.defaults.cpuPct).toBe(90);
  });
});
