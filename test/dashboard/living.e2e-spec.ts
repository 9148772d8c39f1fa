/// <reference lib="dom" />
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import type { MonitoringChange } from '@netdesk/monitoring';
import { TicketWriter } from '@netdesk/ticketing';
import { DataSource } from 'typeorm';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { monitoringDriver } from '../support/monitoring-driver';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { launchChromium, screenshot, signIn } from './browser';

/**
 * Issue 17 in headless Chromium: the board, the wall screen, the queue, a ticket, a device and the
 * reports as their users work them, at 1366×768, on a 1920×1080 wall and on a 390×844 phone. Every
 * state arrives through the real store, ticket automation and live feed.
 */
const VIEWPORTS = {
  desktop: { width: 1366, height: 768 },
  wall: { width: 1920, height: 1080 },
  phone: { width: 390, height: 844 },
} as const;
type Viewport = keyof typeof VIEWPORTS;

describe('living in the dashboard (browser)', () => {
  let t: TestApp;
  let base: string;
  let port: number;
  let browser: Browser;
  let admin: string;
  const contexts: BrowserContext[] = [];
  const alice = {
    email: `${unique('alice')}@netdesk.test`,
    password: 'alice-password-1',
    role: 'agent',
    name: 'Alice Agent',
    team: 'noc',
  };
  const bob = {
    email: `${unique('bob')}@netdesk.test`,
    password: 'bob-password-1',
    role: 'agent',
    name: 'Bob Builder',
  };
  const mona = {
    email: `${unique('mona')}@netdesk.test`,
    password: 'mona-password-1',
    role: 'manager',
    name: 'Mona Manager',
  };
  const viewer = { email: `${unique('vic')}@netdesk.test`, password: 'vic-password-1', role: 'viewer' };
  type Dev = { id: string; name: string };
  const d = {} as Record<'rtr' | 'sw1' | 'sw2' | 'fw' | 'flappy' | 'mail' | 'up1' | 'up2', Dev>;
  let hq: { id: string; name: string };
  let branch: { id: string; name: string };
  let rtrTicket: { id: string; number: number };

  const RTR_DOWN_AGO_MS = 720_000;
  let rtrDownAt = 0;
  /** How long the router has been down, in whole minutes as shown (measured now: setup may be slow). */
  const expectDownMinutes = (text: string) => {
    const shown = Number(/for (\d+)m/.exec(text)?.[1]);
    const down = Math.floor((Date.now() - rtrDownAt) / 60_000);
    expect(shown).toBeGreaterThanOrEqual(down - 1);
    expect(shown).toBeLessThanOrEqual(down);
  };
  const happen = (...changes: MonitoringChange[]) => monitoringDriver(t.app).happen(...changes);
  const status = (deviceId: string, from: string, to: string, reason = `${from} → ${to}`, ago = 0) =>
    ({
      kind: 'device_status',
      deviceId,
      from,
      to,
      reason,
      causes: [],
      at: new Date(Date.now() - ago),
    }) as MonitoringChange;
  const api = async (method: 'get' | 'post', path: string, body?: object, token = admin) => {
    const res = await t.http[method](path).set('Authorization', token).send(body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const open = async (viewport: Viewport, url: string, who: { email: string; password: string }): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: VIEWPORTS[viewport], baseURL: base });
    contexts.push(ctx);
    const page = await ctx.newPage();
    // signing in lands on the board (or the wall): then the page asked for
    await page.goto(url.includes('kiosk') ? url : '/');
    await signIn(page, who.email, who.password);
    if (!url.includes('kiosk') && url !== '/') await page.goto(url);
    return page;
  };
  /** No sideways scrolling on a phone. */
  const fitsWidth = async (page: Page) => {
    const { scroll, inner } = await page.evaluate(() => ({
      scroll: document.scrollingElement!.scrollWidth,
      inner: window.innerWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(inner);
  };
  const px = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

  beforeAll(async () => {
    t = await startTestApp('living', { NETDESK_DEFAULT_TEAM: 'noc' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    admin = `Bearer ${await t.tokenFor('admin')}`;
    for (const u of [alice, bob, mona, viewer]) await api('post', '/api/users', u);
    hq = await siteFactory.create(t, { name: unique('HQ') });
    branch = await siteFactory.create(t, { name: unique('Branch') });
    d.rtr = await deviceFactory.create(t, {
      name: unique('core-rtr'),
      kind: 'router',
      criticality: 'critical',
      siteId: hq.id,
    });
    d.sw1 = await deviceFactory.create(t, { name: unique('access-sw1'), parentId: d.rtr.id, siteId: hq.id });
    d.sw2 = await deviceFactory.create(t, { name: unique('access-sw2'), parentId: d.rtr.id, siteId: hq.id });
    d.fw = await deviceFactory.create(t, { name: unique('edge-fw'), kind: 'firewall', siteId: hq.id });
    d.flappy = await deviceFactory.create(t, { name: unique('dist-sw'), kind: 'switch', siteId: branch.id });
    d.mail = await deviceFactory.create(t, { name: unique('mail-srv'), kind: 'server', siteId: branch.id });
    d.up1 = await deviceFactory.create(t, { name: unique('ap-lobby'), kind: 'access-point', siteId: branch.id });
    d.up2 = await deviceFactory.create(t, { name: unique('nas'), kind: 'server', siteId: branch.id });
    await happen(...Object.values(d).map((x) => status(x.id, 'unknown', 'up', 'up', 3_600_000)));

    // the firewall's planned work, the router's real outage (acknowledged by Alice), a flapping switch,
    // and a server degraded by an uplink
    await api('post', '/api/maintenance-windows', {
      name: 'firmware upgrade',
      deviceId: d.fw.id,
      startsAt: new Date(Date.now() - 600_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await happen(status(d.fw.id, 'up', 'down', 'no answer to ping', 300_000));
    rtrDownAt = Date.now() - RTR_DOWN_AGO_MS;
    await happen(
      status(d.rtr.id, 'up', 'down', 'no answer to ping', RTR_DOWN_AGO_MS),
      status(d.sw1.id, 'up', 'unreachable', 'behind core-rtr', 710_000),
      status(d.sw2.id, 'up', 'unreachable', 'behind core-rtr', 710_000),
    );
    [rtrTicket] = await api('get', `/api/tickets?deviceId=${d.rtr.id}`);
    const aliceToken = `Bearer ${(await t.http.post('/api/auth/login').send({ email: alice.email, password: alice.password })).body.accessToken}`;
    await api('post', `/api/tickets/${rtrTicket.id}/acknowledge`, {}, aliceToken);
    await happen({
      kind: 'flapping',
      deviceId: d.flappy.id,
      ifIndex: null,
      flapping: true,
      percentStateChange: 55,
      at: new Date(),
    } as MonitoringChange);
    await happen(status(d.mail.id, 'up', 'degraded', 'interface ge-0/0/1 (uplink) down', 420_000));
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  describe('the board', () => {
    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: maintenance and flapping are states, problems carry duration, ticket and acknowledger',
      async (viewport) => {
        const page = await open(viewport, '/', alice);
        const tile = (id: string) => page.locator(`li.tile[data-device="${id}"]`);
        await tile(d.fw.id).waitFor();
        // maintenance: wrench + word, blue, measured status beside it
        expect(await tile(d.fw.id).getAttribute('data-state')).toBe('maintenance');
        expect(await tile(d.fw.id).locator('svg.wrench').count()).toBe(1);
        expect(await tile(d.fw.id).innerText()).toMatch(/maintenance · down/);
        const blue = await tile(d.fw.id)
          .locator('a')
          .evaluate((a) => getComputedStyle(a).borderLeftColor);
        expect(blue).toBe('rgb(88, 166, 255)');
        // flapping: its own state, not green "up"
        expect(await tile(d.flappy.id).getAttribute('data-state')).toBe('flapping');
        expect(await tile(d.flappy.id).innerText()).toMatch(/flapping · up/);
        // the down router: duration, priority, ticket and who acknowledged
        const rtr = await tile(d.rtr.id).innerText();
        expect(rtr).toMatch(/down/);
        expect(rtr).toMatch(/1[12]m \d+s/);
        expect(rtr).toContain(`#${rtrTicket.number}`);
        expect(rtr).toMatch(/P1/);
        expect(rtr).toContain('Alice Agent');
        // degraded: why, on the tile
        expect(await tile(d.mail.id).innerText()).toContain('interface ge-0/0/1 (uplink) down');
        // tile text readable: 13 px at least
        expect(await px(page, `li.tile[data-device="${d.rtr.id}"] .t-name`)).toBeGreaterThanOrEqual(14);
        expect(await px(page, `li.tile[data-device="${d.rtr.id}"] .t-st`)).toBeGreaterThanOrEqual(13);
        // the Down box says the same
        const cause = page.locator('[data-testid="root-cause"]', { hasText: d.rtr.name });
        expectDownMinutes(await cause.innerText());
        expect(await cause.innerText()).toContain('Alice Agent');
        expect(await cause.innerText()).toContain(`#${rtrTicket.number}`);

        // Problems holds the flapping switch and the maintenance, not the healthy ones
        await page.locator('button.count-btn', { hasText: 'Problems' }).click();
        await tile(d.flappy.id).waitFor();
        expect(await tile(d.fw.id).count()).toBe(1);
        expect(await tile(d.up1.id).count()).toBe(0);
        await page.locator('button.count-btn', { hasText: 'Problems' }).click();
        await page.locator('button.count-btn[data-status="maintenance"]').click();
        await page.waitForFunction("document.querySelectorAll('li.tile').length === 1");
        await page.locator('button.count-btn[data-status="maintenance"]').click();

        // search by kind
        await page.getByLabel('Search devices').fill('firewall');
        await page.waitForFunction("document.querySelectorAll('li.tile').length === 1");
        expect(await tile(d.fw.id).count()).toBe(1);
        await page.getByLabel('Search devices').fill('');
        await tile(d.up1.id).waitFor();
        await screenshot(page, `living-board-${viewport}.png`);
        if (viewport === 'phone') await fitsWidth(page);
      },
    );

    it('the favicon is served', async () => {
      const res = await t.http.get('/favicon.ico').expect(200);
      expect(res.body.length).toBeGreaterThan(100);
    });
  });

  describe('the wall screen', () => {
    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: readable, complete, with clock and update time',
      async (viewport) => {
        const page = await open(viewport, '/?kiosk=1', viewer);
        await page.waitForSelector('.kiosk-board[data-ready="true"]');
        const row = (id: string) => page.locator(`.k-problems li[data-device="${id}"]`);
        const first = page.locator('.k-problems li').first();
        expect(await first.getAttribute('data-device')).toBe(d.rtr.id);
        const rtr = await row(d.rtr.id).innerText();
        expectDownMinutes(rtr);
        expect(rtr).toContain(`#${rtrTicket.number}`);
        expect(rtr).toContain('Alice Agent');
        expect(rtr).toMatch(/2 unreachable behind it/);
        expect(await row(d.flappy.id).getAttribute('data-state')).toBe('flapping');
        expect(await row(d.fw.id).getAttribute('data-state')).toBe('maintenance');
        expect(await row(d.fw.id).innerText()).toMatch(/until/);
        expect(await row(d.mail.id).innerText()).toContain('interface ge-0/0/1 (uplink) down');
        // maintenance is listed last
        const states = await page
          .locator('.k-problems li')
          .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state')));
        expect(states[states.length - 1]).toBe('maintenance');
        expect(await page.getByTestId('wall-clock').innerText()).toMatch(/\d{1,2}:\d\d/);
        expect(await page.getByTestId('wall-updated').innerText()).toMatch(/updated \d{1,2}:\d\d/);
        if (viewport === 'wall') {
          expect(await px(page, '.k-name')).toBeGreaterThanOrEqual(40);
          expect(await px(page, '.k-detail')).toBeGreaterThanOrEqual(22);
        }
        if (viewport === 'phone') await fitsWidth(page);
        await screenshot(page, `living-wall-${viewport}.png`);
      },
    );

    it('when the connection is lost, says so across the screen, greys the rows and stops the durations', async () => {
      const page = await open('wall', '/?kiosk=1', viewer);
      await page.waitForSelector('.kiosk-board[data-ready="true"]');
      await t.restart();
      await page.getByTestId('wall-disconnected').waitFor();
      expect(await page.getByTestId('wall-disconnected').innerText()).toMatch(/DISCONNECTED since \d{1,2}:\d\d/);
      const filter = await page.locator('.k-problems').evaluate((el) => getComputedStyle(el).filter);
      expect(filter).toContain('grayscale(1)');
      const since = () => page.locator(`.k-problems li[data-device="${d.rtr.id}"] .k-since`).innerText();
      const before = await since();
      await page.waitForTimeout(6000);
      expect(await since()).toBe(before);
      await screenshot(page, 'living-wall-disconnected.png');
      await t.app.listen(port, '127.0.0.1');
      await page.getByTestId('wall-disconnected').waitFor({ state: 'detached', timeout: 30_000 });
    });
  });
  describe('tickets', () => {
    let manual: { id: string; number: number };
    const ref = unique('PRV-REF');

    beforeAll(async () => {
      const aliceToken = `Bearer ${(await t.http.post('/api/auth/login').send({ email: alice.email, password: alice.password })).body.accessToken}`;
      // what the notifier writes when email is off: one line per recipient per step, ISO times inside
      const at = (s: number) => new Date(Date.now() - 600_000 + s * 1000);
      await t.app.get(TicketWriter).addEvents(rtrTicket.id, [
        ...[alice.email, bob.email, 'maria@netdesk.test'].map((n, i) => ({
          at: at(i),
          type: 'notified' as const,
          actor: 'system',
          message: `notified email:${n} (escalated)`,
        })),
        ...[1, 2].flatMap((step) =>
          [alice.email, bob.email, 'maria@netdesk.test'].map((n, i) => ({
            at: at(10 * step + i),
            type: 'notified' as const,
            actor: 'system',
            message: `could not notify email:${n}: email is not configured (after 0 attempt(s))`,
          })),
        ),
        ...[1, 2, 3, 4].map((i) => ({
          at: at(40 + i),
          type: 'impact' as const,
          actor: 'system',
          message: `impact: ${i} more devices behind`,
        })),
        {
          at: at(50),
          type: 'escalated' as const,
          actor: 'system',
          message: 'level 1; step due 2026-12-02T03:59:17.950Z',
        },
      ]);
      manual = await api('post', '/api/tickets', { title: unique('printer jam'), priority: 'P4' }, aliceToken);
      await api('post', `/api/tickets/${manual.id}/comments`, { body: `carrier case ${ref}` }, aliceToken);
      await api('post', `/api/tickets/${manual.id}/resolve`, { resolution: 'paper path cleaned' }, aliceToken);
      await api('post', `/api/tickets/${manual.id}/close`, {}, aliceToken);
      for (let i = 0; i < 27; i++)
        await api('post', '/api/tickets', { title: `bulk ${i}`, priority: 'P4' }, aliceToken);
    });

    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: the queue names owners and assigns from a list of people',
      async (viewport) => {
        const page = await open(viewport, '/tickets', alice);
        await page.getByRole('button', { name: 'All', exact: true }).click();
        const row = page.locator(`tr[data-ticket="${rtrTicket.id}"]`);
        await row.waitFor();
        // unassigned: Take is offered; assigning to Bob goes through a list of names
        if (viewport === 'desktop') {
          await row.getByRole('button', { name: `Assign #${rtrTicket.number} to someone or a team` }).click();
          const select = row.getByLabel('Assign to');
          await page.waitForFunction(() => document.querySelectorAll('select option[value^="user:"]').length > 0);
          const options = await select.locator('option').allInnerTexts();
          expect(options.join('|')).toContain('Bob Builder');
          expect(options.join('|')).not.toMatch(/@/);
          await select.selectOption({ label: 'Bob Builder' });
          await row.getByRole('button', { name: 'Assign', exact: true }).click();
          await row.getByTestId('assigned').filter({ hasText: 'Bob Builder' }).waitFor();
        }
        await row.getByTestId('assigned').filter({ hasText: 'Bob Builder' }).waitFor();
        // someone else's ticket: no "Take"
        expect(await row.getByRole('button', { name: `Assign #${rtrTicket.number} to me` }).count()).toBe(0);
        expect(await page.getByRole('button', { name: '+ New ticket' }).count()).toBe(1);
        await screenshot(page, `living-queue-${viewport}.png`);
        if (viewport === 'phone') {
          expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
          await fitsWidth(page);
        }
      },
    );

    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: the ticket names people, folds the noise, speaks local time, and the comment box works',
      async (viewport) => {
        const bobId = (await api('get', '/api/tickets/assignees')).people.find(
          (p: { name: string }) => p.name === 'Bob Builder',
        ).id;
        await api('post', `/api/tickets/${rtrTicket.id}/assign`, { assigneeId: bobId });
        const page = await open(viewport, `/tickets/${rtrTicket.id}`, alice);
        await page.waitForSelector('ol.timeline li');
        expect(await page.getByTestId('assignee').innerText()).toContain('Bob Builder');
        const timeline = page.locator('ol.timeline');
        const text = await timeline.innerText();
        expect(text).toContain('notified Alice Agent, Bob Builder, maria (escalated)');
        expect(text.match(/email is not configured/g)).toHaveLength(1);
        expect(text).toContain('not sent to Alice Agent, Bob Builder, maria (same reason as above)');
        expect(text).toMatch(/4 × impact/);
        expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
        expect(text).not.toMatch(/@netdesk\.test/);
        expect(await page.locator('ol.timeline li[data-event="acknowledged"]').innerText()).toContain('Alice Agent');

        // the comment box: focused, a space does not close it, the text stays until sent
        await page.getByRole('button', { name: `Comment on #${rtrTicket.number}` }).click();
        const box = page.getByRole('textbox', { name: 'Comment' });
        expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.type(`on my way ${viewport}`);
        expect(await box.inputValue()).toBe(`on my way ${viewport}`);
        await box.press('Enter');
        await box.waitFor({ state: 'detached' });
        const talk = page.locator('ol.timeline li.ev-talk', { hasText: `on my way ${viewport}` });
        await talk.waitFor();
        expect(await talk.innerText()).toContain('Alice Agent');
        await screenshot(page, `living-ticket-${viewport}.png`);
        if (viewport === 'phone') await fitsWidth(page);
      },
    );

    it('a resolved ticket shows no SLA countdown', async () => {
      const page = await open('desktop', `/tickets/${manual.id}`, alice);
      await page.getByTestId('sla-done').waitFor();
      const facts = await page.locator('.facts').innerText();
      expect(facts).not.toMatch(/resolve in|ack in|overdue/);
      expect(facts).toMatch(/resolved in/);
    });

    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: search finds closed tickets by a comment and pages',
      async (viewport) => {
        const page = await open(viewport, '/tickets/search', alice);
        await page.getByTestId('search-total').waitFor();
        expect(await page.getByTestId('search-total').innerText()).toMatch(/page 1 of 2/);
        await page.getByRole('button', { name: 'Older →' }).click();
        await page.getByTestId('search-total').filter({ hasText: 'page 2 of 2' }).waitFor();
        await page.getByLabel('Text').fill(ref);
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        // the row may already be on the previous page: wait for the new answer's total, not for the row
        await page
          .getByTestId('search-total')
          .filter({ hasText: /^1 ticket/ })
          .waitFor();
        await page.locator(`tr[data-ticket="${manual.id}"]`).waitFor();
        await page.getByLabel('closed').check();
        await page.getByLabel('open', { exact: true }).check();
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        await page.waitForURL(/status=closed%2Copen|status=closed,open/);
        await page.locator(`tr[data-ticket="${manual.id}"]`).waitFor();
        await screenshot(page, `living-search-${viewport}.png`);
        if (viewport === 'phone') await fitsWidth(page);
      },
    );

    it('a manual ticket from the queue', async () => {
      const page = await open('desktop', '/tickets', alice);
      await page.getByRole('button', { name: '+ New ticket' }).click();
      expect(await page.getByLabel('Title').evaluate((el) => el === document.activeElement)).toBe(true);
      await page.getByLabel('Title').fill('VPN slow for finance');
      await page.getByLabel('Device').selectOption({ label: d.mail.name });
      await page.getByRole('button', { name: 'Create ticket' }).click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      await page.locator('#ticket-title', { hasText: 'VPN slow for finance' }).waitFor();
    });
  });
  describe('the device page', () => {
    beforeAll(async () => {
      const db = t.app.get(DataSource);
      const now = Date.now();
      await db.query(
        `INSERT INTO device_interfaces (device_id, if_index, name, alias, admin_status, oper_status, oper_since,
                                        speed_bps, in_bps, out_bps, monitored, updated_at)
         VALUES ($1, 1, 'ge-0/0/0', 'uplink to core', 'up', 'up', now(), 1000000000, 53000000, 21000000, true, now()),
                ($1, 2, 'ge-0/0/1', 'to branch', 'up', 'down', now(), 1000000000, 0, 0, true, now()),
                ($1, 62, 'eth2', '', 'up', 'up', now(), 100000000, 1000, 2000, false, now())`,
        [d.rtr.id],
      );
      // 30 s samples for 50 minutes with 20 minutes of silence in the middle (the outage)
      const rows: string[] = [];
      for (let m = 50 * 60; m >= 0; m -= 30)
        if (m > 40 * 60 || m < 20 * 60) rows.push(new Date(now - m * 1000).toISOString());
      await db.query(
        `INSERT INTO device_samples (device_id, at, rtt_ms, loss_pct) SELECT $1, unnest($2::timestamptz[]), 2.5, 0`,
        [d.rtr.id, rows],
      );
      const old = await api('post', '/api/tickets', { title: unique('fan noise'), deviceId: d.rtr.id, priority: 'P4' });
      await api('post', `/api/tickets/${old.id}/resolve`, { resolution: 'fan replaced' });
    });

    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: a down router shows last-known values, opens on the failed interface, breaks the chart at the outage',
      async (viewport) => {
        const page = await open(viewport, `/devices/${d.rtr.id}`, ADMIN);
        await page.locator('#device-title').waitFor();
        await page.locator('tr[data-if="1"]').waitFor();
        expect(await page.getByTestId('stale-note').innerText()).toMatch(/last known, not current/);
        const uplink = await page.locator('tr[data-if="1"]').innerText();
        expect(uplink).toMatch(/last known up/);
        expect(uplink).toMatch(/was 53 Mbit\/s/);
        expect(uplink).not.toMatch(/\t53 Mbit\/s/);
        // the traffic chart opens on the failed, watched interface
        expect(await page.locator('.chart-head select').nth(1).inputValue()).toBe('2');
        expect(await page.locator('tr[data-if="2"]').getAttribute('class')).toContain('chosen');
        // the outage is a break in the line
        await page.getByTestId('health-chart').waitFor();
        expect(Number(await page.getByTestId('health-chart').getAttribute('data-gaps'))).toBeGreaterThanOrEqual(1);
        // watched column, past tickets, New ticket
        expect(await page.locator('tr[data-if="62"] [data-testid="watched"]').innerText()).toMatch(/ignored/);
        expect(await page.getByTestId('past-tickets').innerText()).toMatch(/fan noise/);
        expect(await page.getByRole('button', { name: '+ New ticket' }).count()).toBe(1);
        await screenshot(page, `living-device-${viewport}.png`);
        if (viewport === 'phone') await fitsWidth(page);
      },
    );

    it('an admin watches an interface from the table', async () => {
      const page = await open('desktop', `/devices/${d.rtr.id}`, ADMIN);
      await page.getByLabel('Watch eth2').check();
      await page.locator('tr[data-if="62"] [data-testid="watched"]', { hasText: 'watched' }).waitFor();
      const ifs = await api('get', `/api/devices/${d.rtr.id}/interfaces`);
      expect(ifs.find((i: { ifIndex: number }) => i.ifIndex === 62).monitoredOverride).toBe(true);
    });

    it('an unreachable switch links to the ticket that covers it; maintenance is said on the device page', async () => {
      const page = await open('desktop', `/devices/${d.sw1.id}`, alice);
      const note = page.getByTestId('covering-ticket');
      await note.waitFor();
      expect(await note.innerText()).toContain(d.rtr.name);
      expect(await note.getByRole('link', { name: new RegExp(`ticket #${rtrTicket.number}`) }).count()).toBe(1);
      await page.goto(`/devices/${d.fw.id}`);
      await page.getByTestId('maintenance-note').waitFor();
      expect(await page.locator('#device-title [data-state="maintenance"]').count()).toBe(1);
      await screenshot(page, 'living-device-maintenance.png');
    });
  });
  describe('the reports', () => {
    beforeAll(async () => {
      for (let i = 0; i < 22; i++) await deviceFactory.create(t, { name: unique(`leaf-${i}`), siteId: branch.id });
      const iface = (from: string, to: string, ago: number) =>
        ({
          kind: 'interface_status',
          deviceId: d.mail.id,
          ifIndex: 62,
          name: 'ge-0/0/62',
          alias: 'uplink to HQ',
          monitored: true,
          from,
          to,
          at: new Date(Date.now() - ago),
        }) as MonitoringChange;
      for (const m of [50, 40, 30]) {
        await happen(iface('up', 'down', m * 60_000));
        await happen(iface('down', 'up', (m - 2) * 60_000));
      }
    });

    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: recurring faults name interfaces and state the rule; problems follow the window',
      async (viewport) => {
        const page = await open(viewport, '/reports?days=7', mona);
        const row = page.locator(`tr[data-fault="${d.mail.id}:interface_down"]`);
        await row.filter({ hasText: 'interface down (ge-0/0/62 — uplink to HQ)' }).waitFor();
        expect(await row.innerText()).not.toMatch(/\bif 62\b/);
        expect(await page.getByTestId('rules').innerText()).toMatch(/at least 3 times.*3 times within 7 days/s);
        const problems = page.locator('tr[data-problem]');
        await problems.filter({ hasText: 'ge-0/0/62 — uplink to HQ' }).first().waitFor();
        expect(await problems.first().innerText()).not.toMatch(/ifIndex|interface_down/);
        await screenshot(page, `living-reports-${viewport}.png`);
        if (viewport === 'phone') await fitsWidth(page);
        // a window before anything happened: no problem listed
        await page.goto('/reports?from=2020-01-01&to=2020-01-31');
        await page.getByText('No problem had a fault in this window.').waitFor();
      },
    );

    it.each(Object.keys(VIEWPORTS) as Viewport[])(
      'at %s: availability by site, outages as in top offenders, every row printed',
      async (viewport) => {
        const page = await open(viewport, '/reports/activity?days=7', mona);
        await page.locator(`tr[data-site-availability="${hq.id}"]`).waitFor();
        expect(await page.locator(`tr[data-site-availability="${hq.id}"]`).innerText()).toContain(hq.name);
        const total = await page.locator('tr[data-availability]').count();
        expect(total).toBeGreaterThan(25);
        const visible = () => page.locator('tr[data-availability]:visible').count();
        expect(await visible()).toBe(25);
        await page.locator('.offenders').waitFor();
        expect(await page.locator('.offenders thead').innerText()).toMatch(/Outages/);
        await page.locator('.chart canvas').first().waitFor();
        await screenshot(page, `living-activity-${viewport}.png`);
        if (viewport === 'phone') await fitsWidth(page);
        await page.emulateMedia({ media: 'print' });
        expect(await visible()).toBe(total);
        expect(await page.locator('.print-only').first().innerText()).toMatch(new RegExp(`All ${total} devices`));
      },
    );

    it('an agent opening /reports is told reports are for managers', async () => {
      const page = await open('desktop', '/reports', alice);
      expect(await page.getByTestId('for-managers').innerText()).toMatch(/manager role/);
      await page.goto('/problems/00000000-0000-4000-8000-000000000000');
      expect(await page.getByRole('heading', { name: 'Reports are for managers' }).count()).toBe(1);
    });
  });
});
