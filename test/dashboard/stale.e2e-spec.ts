import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import type { KV } from '@nats-io/kv';
import type { MonitoringChange } from '@netdesk/monitoring';
import { JetStreamPollSink } from '../../libs/scale-out/src/poller/jetstream-poll-sink';
import { PollerLease } from '../../libs/scale-out/src/poller/poller-lease';
import { NatsLink } from '../../libs/scale-out/src/transport/nats-link';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { startNats, until } from '../scale-out/nats-process';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { launchChromium, screenshot, signIn } from './browser';

const LEASE_SEC = 4;
const STATS = { devices: 0, lagMs: 0, backlog: 0, publishErrors: 0, pollsPerSec: 0 };
const WAIT = { timeout: 30_000 };

jest.setTimeout(180_000);

/**
 * Stale devices in headless Chromium, against a real nats-server: the test plays a branch's poller
 * (a lease in its group's key-value bucket and a status result on the stream, as a poller publishes
 * them; no poller process, nothing probed). While the lease lives the device is fresh and polled by
 * it; when the lease goes, the group has no live poller and the board, the wall and the device view
 * show the device's last known status as stale; a new lease makes it fresh again, all by live push.
 * Needs `npm run build --silent` (the dashboard's static files).
 */
describe('stale devices (browser)', () => {
  let nats: Awaited<ReturnType<typeof startNats>>;
  let t: TestApp;
  let link: NatsLink;
  let leases: KV;
  let browser: Browser;
  let base: string;
  let device: { id: string; name: string };
  let site: { id: string; name: string };
  const group = unique('branch');
  const poller = unique('p-branch');

  beforeAll(async () => {
    nats = await startNats('dashboard-stale');
    t = await startTestApp('dashstale', { NATS_URL: nats.url, NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC) });
    link = await NatsLink.connect({ url: nats.url, name: 'test-branch-poller', leaseSec: LEASE_SEC });
    ({ leases } = await link.ensure({ leaseSec: LEASE_SEC, consumers: false }));
    site = await siteFactory.create(t, { pollerGroup: group });
    device = await deviceFactory.create(t, { siteId: site.id, pollIntervalSec: 60 });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await link?.close();
    await t?.close();
    await nats?.stop();
  });

  /** The branch poller takes a lease in the device's group and keeps it renewed until `stop()`. */
  async function branchPoller(): Promise<{ epoch: number; stop(): Promise<void> }> {
    const lease = new PollerLease(leases, group, poller, LEASE_SEC * 1000);
    const epoch = await lease.acquire(STATS);
    const renew = setInterval(() => void lease.renew(STATS).catch(() => undefined), 1000);
    return {
      epoch,
      stop: async () => {
        clearInterval(renew);
        await lease.release();
      },
    };
  }

  const apiDevice = async () =>
    (
      await t.http
        .get(`/api/devices/${device.id}`)
        .set('Authorization', `Bearer ${await t.tokenFor('viewer')}`)
        .expect(200)
    ).body as { status: string; pollerName: string | null; stale: boolean };

  const tile = (page: Page, state: 'fresh' | 'stale') =>
    page.locator(
      `li.tile[data-device="${device.id}"][data-status="up"]${state === 'stale' ? '[data-stale="true"]' : ':not([data-stale])'}`,
    );

  it('shows a device as last known while its poller group has no live poller, and fresh again when one reports', async () => {
    // the branch poller is up and reports the device up
    let branch = await branchPoller();
    await until(
      'the device assigned to the branch poller',
      async () => (await apiDevice()).pollerName === poller,
      30_000,
    );
    const change = {
      kind: 'device_status',
      deviceId: device.id,
      from: 'unknown',
      to: 'up',
      reason: 'answers',
      causes: [],
      at: new Date(),
    } as unknown as MonitoringChange;
    await new JetStreamPollSink(
      () => link.js,
      () => ({ poller, group, epoch: branch.epoch }),
    ).commit([change]);
    await until('the device up', async () => (await apiDevice()).status === 'up', 30_000);

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(base);
    await signIn(page, ADMIN.email, ADMIN.password);
    await tile(page, 'fresh').waitFor(WAIT);
    expect(await tile(page, 'fresh').locator('a').getAttribute('aria-label')).not.toMatch(/stale|last known/);
    await page.locator(`li.tile[data-device="${device.id}"] a`).click();
    await page
      .getByTestId('polled-by')
      .filter({ hasText: `Polled by ${poller}` })
      .waitFor(WAIT);
    expect(await page.getByTestId('poller-stale-note').count()).toBe(0);

    // the branch is cut off: its lease goes, the group has no live poller, the device view says so by push
    await branch.stop();
    const note = page.getByTestId('poller-stale-note');
    await note.waitFor(WAIT);
    expect(await note.textContent()).toContain(`Poller group “${group}” unreachable: status last known at`);
    expect(await note.getByRole('link', { name: 'Pollers' }).getAttribute('href')).toBe('/pollers');
    expect(await page.getByTestId('polled-by').textContent()).toBe(`Polled by no live poller of group “${group}”`);
    await screenshot(page, 'stale-device-1366.png');

    // the board: the tile keeps its last known status (up), marked stale in words and in its label
    await page.getByRole('link', { name: '← Board' }).click();
    const stale = tile(page, 'stale');
    await stale.waitFor(WAIT);
    expect(await stale.textContent()).toContain('last known');
    expect(await stale.locator('a').getAttribute('aria-label')).toContain(
      'stale: last known status, its poller group is unreachable',
    );
    const head = page.locator(`section.site[data-site="${site.name}"]`);
    expect(await head.getByTestId('site-stale').textContent()).toContain('1 last known');
    const staleFilter = page.locator('button.count-btn[data-status="stale"]');
    expect(await staleFilter.locator('.n').textContent()).toBe('1');
    await screenshot(page, 'stale-board-1366.png');

    // the wall screen (same tab: the session lives in the tab) counts it, per site too
    await page.goto(`${base}/?kiosk=1`);
    await page.waitForSelector('.kiosk-board[data-ready="true"]');
    const card = page.locator('.k-site-card', { hasText: site.name });
    expect(await card.getByTestId('wall-site-stale').textContent()).toContain('1 last known');
    expect(await page.locator('.k-count[data-status="stale"] .k-n').textContent()).toBe('1');
    expect(await page.locator('.k-empty.all-good').textContent()).toContain('All 1 devices up (1 of them last known)');
    await screenshot(page, 'stale-wall-1366.png');

    // on a phone: the board, then the device view
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 390, height: 844 });
    await stale.waitFor(WAIT);
    await screenshot(page, 'stale-board-390.png');
    await page.locator(`li.tile[data-device="${device.id}"] a`).click();
    await note.waitFor(WAIT);
    await screenshot(page, 'stale-device-390.png');

    // a poller of the group reports again: fresh, by push, on the device view and on the board
    branch = await branchPoller();
    await note.waitFor({ state: 'detached', ...WAIT });
    await page
      .getByTestId('polled-by')
      .filter({ hasText: `Polled by ${poller}` })
      .waitFor(WAIT);
    await page.getByRole('link', { name: '← Board' }).click();
    await tile(page, 'fresh').waitFor(WAIT);
    expect(await head.getByTestId('site-stale').count()).toBe(0);
    await branch.stop();
    await context.close();
  });
});
