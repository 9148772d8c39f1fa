import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { launchChromium, screenshot, signIn } from './browser';

/**
 * The dashboard in headless Chromium against the whole app on a fresh database. Status changes go
 * through the real MonitoringStore and ticket automation, so what the browser shows arrives through the
 * real live feed (socket.io `/live`), never through a reload.
 */
describe('dashboard (browser)', () => {
  let t: TestApp;
  let base: string;
  let port: number;
  let browser: Browser;
  const agent = { email: `${unique('agent')}@netdesk.test`, password: 'agent-password-1', role: 'agent', team: 'noc' };
  const viewer = { email: `${unique('viewer')}@netdesk.test`, password: 'viewer-password-1', role: 'viewer' };
  let site: { id: string; name: string };
  let router: { id: string; name: string };
  let children: { id: string; name: string }[];
  let server: { id: string; name: string };
  const contexts: BrowserContext[] = [];

  const change = (deviceId: string, from: string, to: string) => statusChange(deviceId, from, to, new Date());
  const happen = (...changes: MonitoringChange[]) => monitoringDriver(t.app).happen(...changes);
  const rest = async (path: string) =>
    (
      await t.http
        .get(path)
        .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
        .expect(200)
    ).body;
  const newPage = async (url = '/'): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: base });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(url);
    return page;
  };

  beforeAll(async () => {
    t = await startTestApp('dashboard', { NETDESK_DEFAULT_TEAM: 'noc' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    const admin = `Bearer ${await t.tokenFor('admin')}`;
    for (const u of [agent, viewer]) await t.http.post('/api/users').set('Authorization', admin).send(u).expect(201);
    site = await siteFactory.create(t, { name: unique('Lisbon') });
    router = await deviceFactory.create(t, {
      name: unique('core-rtr'),
      kind: 'router',
      criticality: 'critical',
      siteId: site.id,
    });
    children = await Promise.all(
      [1, 2].map((i) =>
        deviceFactory.create(t, { name: unique(`access-sw${i}`), parentId: router.id, siteId: site.id }),
      ),
    );
    server = await deviceFactory.create(t, { name: unique('mail-srv'), kind: 'server', siteId: site.id });
    await happen(...[router, ...children, server].map((d) => change(d.id, 'unknown', 'up')));
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const tile = (page: Page, id: string) => page.locator(`li.tile[data-device="${id}"]`);

  it('serves the dashboard at / and any page path, but leaves /api, /health and /metrics to the server', async () => {
    const html = await t.http.get('/tickets/whatever').expect(200);
    expect(html.text).toContain('<div id="app">');
    await t.http.get('/api/devices').expect(401);
    expect((await t.http.get('/api/nope').expect(404)).headers['content-type']).toMatch(/json/);
    expect((await t.http.get('/health').expect(200)).body.status).toBe('ok');
    await t.http.get('/assets/missing.js').expect(404);
  });

  it('signs in, shows the board, follows a device going down live, and its ticket through the queue to the timeline', async () => {
    const page = await newPage('/');
    await signIn(page, agent.email, agent.password);
    await tile(page, router.id).waitFor();
    expect(await tile(page, router.id).getAttribute('data-status')).toBe('up');
    // status is colour + icon + word
    expect(await tile(page, router.id).innerText()).toContain('up');
    await page.waitForSelector(`section.site[data-site="${site.name}"]`);

    // the router goes down and the switches behind it become unreachable: no reload
    await happen(change(router.id, 'up', 'down'), ...children.map((c) => change(c.id, 'up', 'unreachable')));
    await page.waitForSelector(`li.tile[data-device="${router.id}"][data-status="down"]`);
    await page.waitForSelector(`li.tile[data-device="${children[1].id}"][data-status="unreachable"]`);
    expect(await tile(page, router.id).innerText()).toMatch(/down/);
    const cause = page.locator('[data-testid="root-cause"]', { hasText: router.name });
    await cause.waitFor();
    expect(await cause.innerText()).toMatch(/2 unreachable behind it/);
    for (const c of children) expect(await cause.innerText()).toContain(c.name);
    // filter by status and search
    await page.locator('button.count-btn[data-status="down"]').click();
    await page.waitForFunction("document.querySelectorAll('li.tile').length === 1");
    await page.locator('button.count-btn[data-status="down"]').click();
    await page.getByLabel('Search devices').fill(children[0].name);
    await page.waitForFunction("document.querySelectorAll('li.tile').length === 1");
    await page.getByLabel('Search devices').press('Escape');
    await page.waitForFunction("document.querySelectorAll('li.tile').length >= 4");
    await screenshot(page, 'dashboard-board.png');

    // its ticket is in the queue (navigation inside the page, still no reload)
    const [ticket] = await rest(`/api/tickets?deviceId=${router.id}`);
    expect(ticket).toMatchObject({ priority: 'P1', status: 'open' });
    await page.getByRole('link', { name: /Tickets/ }).click();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const row = page.locator(`tr[data-ticket="${ticket.id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/P1/);
    expect(await row.innerText()).toMatch(/ack in \d+m/);

    // a new fault while the queue is open arrives live, in priority order (P1 first)
    await happen(change(server.id, 'up', 'down'));
    const [second] = await rest(`/api/tickets?deviceId=${server.id}`);
    await page.locator(`tr[data-ticket="${second.id}"]`).waitFor();
    const order = await page
      .locator('tr[data-ticket]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticket')));
    expect(order.indexOf(ticket.id)).toBeLessThan(order.indexOf(second.id));

    // acknowledge from the queue
    await row.getByRole('button', { name: `Acknowledge #${ticket.number}` }).click();
    await row.locator('.tst-acknowledged').waitFor();
    expect((await rest(`/api/tickets/${ticket.id}`)).status).toBe('acknowledged');
    // comment from the queue, with the keyboard
    await row.getByRole('button', { name: `Comment on #${ticket.number}` }).click();
    const box = row.getByRole('textbox', { name: 'Comment' });
    await box.fill('on my way to the rack');
    await box.press('Enter');
    await box.waitFor({ state: 'detached' });

    // the ticket view: the timeline with the automatic diagnosis
    await row.getByRole('link', { name: new RegExp(`#${ticket.number}`) }).click();
    await page.waitForSelector('ol.timeline li[data-event="acknowledged"]');
    const events = await page
      .locator('ol.timeline li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-event')));
    expect(events.slice(0, 3)).toEqual(['opened', 'assigned', 'diagnosis']);
    expect(events).toEqual(expect.arrayContaining(['impact', 'acknowledged', 'commented']));
    expect(await page.locator('ol.timeline').innerText()).toContain('on my way to the rack');
    // the buttons follow the ticket's allowedActions: the router is still down, so no manual resolve
    await page.getByRole('button', { name: `Start work on #${ticket.number}` }).waitFor();
    expect(await page.getByRole('button', { name: `Resolve #${ticket.number}` }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Acknowledge #${ticket.number}` }).count()).toBe(0);
    await screenshot(page, 'dashboard-ticket.png');

    // the device view, from the ticket
    await page.getByRole('link', { name: router.name }).first().click();
    await page.waitForSelector('#device-title');
    expect(await page.locator('#device-title').innerText()).toMatch(/down/);
    expect(await page.locator('section[aria-label="Unreachable behind this device"]').innerText()).toContain(
      children[0].name,
    );
    await screenshot(page, 'dashboard-device.png');
  });

  it('shows the wall screen (kiosk) to a viewer: no controls, what is down first', async () => {
    const page = await newPage('/?kiosk=1');
    await signIn(page, viewer.email, viewer.password);
    await page.waitForSelector('.kiosk-board[data-ready="true"]');
    expect(await page.locator('header.top').count()).toBe(0);
    expect(await page.locator('.kiosk-board button, .kiosk-board input').count()).toBe(0);
    const first = page.locator('.k-problems li').first();
    expect(await first.innerText()).toContain(router.name);
    expect(await first.innerText()).toMatch(/down/);
    expect(await first.innerText()).toMatch(/2 unreachable behind it/);
    expect(await page.locator('.k-count[data-status="down"] .k-n').innerText()).toBe('2');
    // a change arrives live here too
    await happen(change(server.id, 'down', 'up'));
    await page.waitForFunction(`document.querySelector('.k-count[data-status="down"] .k-n')?.textContent === '1'`);
    await screenshot(page, 'dashboard-kiosk.png');
  });

  it('shows "connection lost" when the server drops the socket, and takes the fresh snapshot on reconnect', async () => {
    const page = await newPage('/');
    await signIn(page, agent.email, agent.password);
    await page.waitForSelector(`li.tile[data-device="${router.id}"][data-status="down"]`);
    expect(await page.locator('[data-testid="connection-banner"]').count()).toBe(0);

    // the service restarts: every socket is closed from the server side
    await t.restart();
    await page.locator('[data-testid="connection-banner"]').waitFor();
    expect(await page.locator('[data-testid="connection-banner"]').innerText()).toMatch(
      /connection lost — reconnecting/i,
    );
    await screenshot(page, 'dashboard-reconnecting.png');
    // meanwhile the router recovers; no live event can reach this page
    await happen(change(router.id, 'down', 'up'), ...children.map((c) => change(c.id, 'unreachable', 'up')));
    await t.app.listen(port, '127.0.0.1');

    await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'detached', timeout: 30_000 });
    await page.waitForSelector(`li.tile[data-device="${router.id}"][data-status="up"]`);
    await page.waitForSelector(`li.tile[data-device="${children[0].id}"][data-status="up"]`);
    expect(await page.locator('[data-testid="root-cause"]').count()).toBe(0);
  });
});
