import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { DevicePollReport, MonitoringChange } from '@netdesk/monitoring';
import { MonitoringStore } from '../../libs/monitoring/src/polling/monitoring-store';
import { LiveGateway } from '../../libs/realtime/src/live.gateway';
import { deviceFactory } from '../factories/device.factory';
import { monitoringDriver } from '../support/monitoring-driver';
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
  let busyId: string;
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
    busyId = busy.id;
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

  it('edits a circuit and the device thresholds on the device view (admin)', async () => {
    const ds = t.app.get(DataSource);
    const d = await deviceFactory.create(t, { kind: 'wan-link', name: unique('edge') });
    await ds.query(
      `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, speed_bps,
                                      in_bps, out_bps, monitored, updated_at)
       VALUES ($1, 4, 'ge-0/0/4', 'WAN', 'up', 'up', now(), 1000000000, 30000000, 1000000, true, now())`,
      [d.id],
    );
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL: base });
    const page = await ctx.newPage();
    await page.goto('/');
    await signIn(page, 'admin@netdesk.test', 'admin-password-1');
    await page.goto(`/devices/${d.id}`);
    const circuit = page.getByRole('form', { name: 'Circuit of ge-0/0/4' });
    await circuit.waitFor();
    await circuit.getByLabel('Capacity (Mb/s)').fill('50');
    await circuit.getByLabel('Provider').fill('ACME');
    await circuit.getByLabel('Circuit id').fill('C-9');
    await circuit.getByRole('button', { name: 'Save circuit' }).click();
    await circuit.getByRole('status').filter({ hasText: 'Circuit saved' }).waitFor();
    const admin = `Bearer ${await t.tokenFor('admin')}`;
    const ifs = (await t.http.get(`/api/devices/${d.id}/interfaces`).set('Authorization', admin).expect(200)).body;
    expect(ifs[0]).toMatchObject({ capacityBps: 50_000_000, provider: 'ACME', circuitId: 'C-9', inUtilisationPct: 60 });

    const form = page.getByRole('form', { name: 'Device thresholds' });
    await form.getByLabel('Jitter (ms)').fill('5');
    await form.getByRole('button', { name: 'Save thresholds' }).click();
    await form.getByRole('status').filter({ hasText: 'Thresholds saved' }).waitFor();
    expect((await t.http.get(`/api/devices/${d.id}`).set('Authorization', admin).expect(200)).body.thresholds).toEqual({
      jitterMs: 5,
    });
    await form.getByLabel('Jitter (ms)').fill('');
    await form.getByRole('button', { name: 'Save thresholds' }).click();
    await form.getByRole('status').filter({ hasText: 'Thresholds saved' }).waitFor();
    const cleared = async () =>
      (await t.http.get(`/api/devices/${d.id}`).set('Authorization', admin).expect(200)).body.thresholds;
    for (let i = 0; i < 50 && Object.keys(await cleared()).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await cleared()).toEqual({});
    await ctx.close();
  });

  it('shows the capacity report with a chart of the chosen link (manager)', async () => {
    // Two days of 5-minute rollups on the busy circuit, for its chart.
    await t.app.get(DataSource).query(
      `INSERT INTO interface_samples_5m (device_id, if_index, bucket, in_bps_avg, in_bps_min, in_bps_max, in_bps_count,
              out_bps_avg, out_bps_min, out_bps_max, out_bps_count, in_errors_count, out_errors_count, in_discards_count, out_discards_count)
       SELECT $1, 2, date_trunc('hour', now()) - g * interval '5 minutes', 9e7, 8e7, 9.9e7, 10, 1e6, 1e6, 1e6, 10, 0, 0, 0, 0
         FROM generate_series(1, 576) AS g`,
      [busyId],
    );
    const page = await newPage();
    await page.goto('/wan');
    await page.getByRole('link', { name: 'Capacity report' }).click();
    await page.getByRole('heading', { name: 'WAN capacity' }).waitFor();
    const table = page.getByRole('table', { name: 'WAN links' });
    await table.waitFor();
    await expect(table.innerText()).resolves.toMatch(/ACME C-42/);
    await page.getByLabel('Window').selectOption('7'); // 7 days: read from the 5-minute rollups
    await page.getByRole('button', { name: new RegExp(`^Chart busy-.* ge-0/0/2$`) }).click();
    await page.getByRole('img', { name: /^Traffic of busy-.* ge-0\/0\/2 against its capacity$/ }).waitFor();
    await expect(table.innerText()).resolves.toMatch(/90 Mbit\/s \(90 %\)/);
    await screenshot(page, 'wan-capacity-report.png');
  });

  it("shows the last hour of a measured fault's metric on its ticket", async () => {
    const ds = t.app.get(DataSource);
    await ds.query(
      `INSERT INTO interface_sample_polls (device_id, at, if_indexes, in_bps, out_bps, in_errors, out_errors, in_discards, out_discards)
       SELECT $1, now() - g * interval '1 minute', '{2}', '{9.5e7}', '{1e6}', '{NULL}', '{NULL}', '{NULL}', '{NULL}'
         FROM generate_series(1, 50) AS g`,
      [busyId],
    );
    await monitoringDriver(t.app).happen({
      kind: 'threshold',
      deviceId: busyId,
      ifIndex: 2,
      breached: true,
      reason:
        'utilisation on ge-0/0/2 (WAN) [circuit ACME C-42]: in 95 % of 100 Mb/s for 3 min (3 polls), threshold 90 %',
      detail: { faultType: 'link_utilisation', metric: 'utilisationPct', value: 95, threshold: 90 },
      at: new Date(),
    } as MonitoringChange);
    const admin = `Bearer ${await t.tokenFor('admin')}`;
    const [ticket] = (
      await t.http.get(`/api/tickets?deviceId=${busyId}&faultType=link_utilisation`).set('Authorization', admin)
    ).body;
    const page = await newPage();
    await page.goto(`/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: 'Last hour' }).waitFor();
    await page.getByRole('img', { name: 'Last hour of inBps, outBps' }).waitFor();
    await screenshot(page, 'wan-ticket-chart.png');
  });

  it('applies pushed circuit readings to the open WAN page in place, and re-reads the list on reconnect', async () => {
    const ds = t.app.get(DataSource);
    const device = await deviceFactory.create(t, { kind: 'wan-link', name: unique('live') });
    await ds.query(
      `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since, speed_bps,
                                      in_bps, out_bps, monitored, capacity_bps, provider, circuit_id, updated_at)
       VALUES ($1, 7, 'ge-0/0/7', 'WAN', 'up', 'up', now(), 1000000000, 1000000, 1000000, true, 50000000, 'ACME', 'C-LIVE', now())`,
      [device.id],
    );
    const page = await newPage();
    await page.goto('/wan');
    const row = page.locator(`table.wan-links tbody tr[data-link="${device.name} ge-0/0/7"]`);
    await row.getByLabel('in 2 %').waitFor();
    // the live connection is up (its snapshot applied) and the list read it triggers is done
    await page.waitForFunction(() => performance.getEntriesByName('netdesk:snapshot-applied').length > 0);
    await page.waitForLoadState('networkidle');
    const listReads: string[] = [];
    page.on('request', (r) => r.url().includes('/api/wan-links') && listReads.push(r.url()));
    // One poll's reading through the real store (as the poll engine hands it over): 48 of 50 Mb/s in.
    const reading = {
      ifIndex: 7,
      name: 'ge-0/0/7',
      alias: 'WAN',
      ifType: 6,
      adminStatus: 'up',
      operStatus: 'up',
      speedBps: 1e9,
      inBps: 4.8e7,
      outBps: 5e6,
      inErrors: 0,
      outErrors: 0,
      inDiscards: 0,
      outDiscards: 0,
      counterBits: 64,
      monitored: true,
      flapping: false,
    };
    t.app.get(MonitoringStore).observe({
      deviceId: device.id,
      at: new Date(),
      dueAt: new Date(),
      kind: 'scheduled',
      icmp: { host: '192.0.2.7', sent: 3, received: 3, lossPct: 0, rttsMs: [31], rttMs: 31, jitterMs: 4 },
      snmp: null,
      interfaces: [reading],
      status: 'up',
      wanLinks: [{ ifIndex: 7, capacityBps: 5e7 }],
    } as DevicePollReport);
    await row.getByLabel('in 96 %').waitFor({ timeout: 4000 });
    expect(await row.getByLabel('in 96 %').getAttribute('class')).toContain('over');
    await expect(row.innerText()).resolves.toMatch(/31(\.0)? ms/);
    // worst first: the circuit now tops the list
    expect(await page.locator('table.wan-links tbody tr').first().getAttribute('data-link')).toBe(
      `${device.name} ge-0/0/7`,
    );
    // pushed, not polled: the list was not read again (the old view re-read it every 5 s)
    await page.waitForTimeout(5500);
    expect(listReads).toEqual([]);
    await screenshot(page, 'wan-view-live.png');

    // Readings missed while the connection is down come back from the list once it reconnects.
    await ds.query(`UPDATE device_interfaces SET in_bps = 10000000 WHERE device_id = $1 AND if_index = 7`, [device.id]);
    const gateway = t.app.get(LiveGateway) as unknown as { nsp: { disconnectSockets(close: boolean): void } };
    gateway.nsp.disconnectSockets(true);
    await row.getByLabel('in 20 %').waitFor({ timeout: 10_000 });
    expect(listReads.length).toBeGreaterThan(0);
  });
});
