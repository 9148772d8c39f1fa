import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { RawMail, SmtpReceiver, startRawSmtp } from '../support/smtp-receiver';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { launchChromium, screenshot, signIn } from './browser';

/**
 * The settings screens in headless Chromium against the whole app: each one creates, edits and deletes
 * through the form and checks the result through the REST API; one bad input per form must show the
 * API's message next to the field it names, with focus on that field and what was typed kept. Test
 * notifications go to a real SMTP receiver on loopback, then to the same address once it is closed.
 */
describe('dashboard settings (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let smtp: SmtpReceiver<RawMail>;
  let mails: RawMail[] = [];
  const manager = { email: `${unique('manager')}@netdesk.test`, password: 'manager-password-1', role: 'manager' };
  const agent = { email: `${unique('agent')}@netdesk.test`, password: 'agent-password-1', role: 'agent' };
  let site: { id: string; name: string };
  let device: { id: string; name: string };
  const contexts: BrowserContext[] = [];

  const rest = async (path: string) =>
    (
      await t.http
        .get(path)
        .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
        .expect(200)
    ).body;
  const newPage = async (who: { email: string; password: string }, width = 1366, height = 768): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width, height }, baseURL: base });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto('/');
    await signIn(page, who.email, who.password);
    return page;
  };
  const openSettings = async (page: Page, section: string) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: section }).click();
  };
  /** A control's label exactly, whether or not it carries the required mark. */
  const field = (label: string) => new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?\\s*$`);
  /** The error shown under the control labelled `label`, and whether that control has focus. */
  const fieldError = async (page: Page, label: string) => {
    const control = page.getByLabel(field(label));
    await page.waitForFunction((el) => el?.getAttribute('aria-invalid') === 'true', await control.elementHandle(), {
      timeout: 5000,
    });
    const errorId = (await control.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-err'))!;
    return {
      text: await page.locator(`[id="${errorId}"]`).innerText(),
      focused: await control.evaluate((el) => el.ownerDocument.activeElement === el),
      value: await control.inputValue(),
    };
  };
  /** Nothing sticks out to the right: the page does not scroll sideways (the culprits are named if it does). */
  const noHorizontalScroll = (page: Page): Promise<true | string> =>
    page.evaluate(`(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth) return true;
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => el.tagName.toLowerCase() + '.' + el.className)
        .slice(0, 8)
        .join(' | ');
    })()`);
  /** The keyboard focus is on the button with this aria-label (or, given `text`, this text). */
  const focusOn = (page: Page, label: string | null, text?: string) =>
    page.waitForFunction(
      label !== null
        ? `document.activeElement?.getAttribute('aria-label') === ${JSON.stringify(label)}`
        : `document.activeElement?.textContent?.trim() === ${JSON.stringify(text)}`,
    );

  beforeAll(async () => {
    smtp = await startRawSmtp();
    mails = smtp.mails;
    const smtpPort = smtp.port;
    t = await startTestApp('dashboard-settings', {
      NETDESK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      NETDESK_DIGEST_CRON: 'off',
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const admin = `Bearer ${await t.tokenFor('admin')}`;
    for (const u of [manager, agent]) await t.http.post('/api/users').set('Authorization', admin).send(u).expect(201);
    site = await siteFactory.create(t, { name: unique('Braga') });
    device = await deviceFactory.create(t, { name: unique('core-sw'), siteId: site.id });
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp.close();
  });

  it('shows an agent no settings, and a manager only the policy screens', async () => {
    const page = await newPage(agent);
    expect(await page.locator('header nav').innerText()).not.toMatch(/Settings/);
    await page.goto('/settings/maintenance');
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add window' }).count()).toBe(0);

    const m = await newPage(manager);
    await openSettings(m, 'Maintenance');
    const links = await m.getByRole('navigation', { name: 'Settings' }).getByRole('link').allInnerTexts();
    expect(links).toEqual(['Maintenance', 'Escalation', 'Routing', 'Thresholds']);
    await m.goto('/settings/users');
    await m.getByRole('alert').filter({ hasText: 'Users settings need the admin role' }).waitFor();
    expect(await m.getByRole('button', { name: 'Add user' }).count()).toBe(0);
  });

  it('maintenance: adds a one-off window (a bad end first), edits it to weekly, deletes it', async () => {
    const page = await newPage(manager);
    await openSettings(page, 'Maintenance');
    // the editor takes the focus when it opens; Escape closes it and gives the focus back
    await page.getByRole('button', { name: 'Add window' }).click();
    await page.waitForFunction(`document.activeElement?.textContent === 'New maintenance window'`);
    await page.keyboard.press('Escape');
    await focusOn(page, null, 'Add window');
    await page.getByRole('button', { name: 'Add window' }).click();
    const name = unique('Firmware');
    await page.getByLabel(field('Name')).fill(name);
    await page.getByLabel(field('Device')).selectOption(device.id);
    await page.getByLabel(field('Starts')).fill('2030-03-01T04:00');
    await page.getByLabel(field('Ends')).fill('2030-03-01T02:00');
    await page.getByRole('button', { name: 'Add window' }).click();
    const err = await fieldError(page, 'Ends');
    expect(err).toEqual({ text: 'endsAt must be after startsAt', focused: true, value: '2030-03-01T02:00' });
    expect(await page.getByLabel(field('Name')).inputValue()).toBe(name);
    await screenshot(page, 'settings-maintenance-error.png');
    expect((await rest('/api/maintenance-windows')).some((w: { name: string }) => w.name === name)).toBe(false);

    await page.getByLabel(field('Ends')).fill('2030-03-01T06:00');
    await page.getByRole('button', { name: 'Add window' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Added window "${name}".` })
      .waitFor();
    const [made] = (await rest('/api/maintenance-windows')).filter((w: { name: string }) => w.name === name);
    expect(made).toMatchObject({ deviceId: device.id, siteId: null, weekly: null });
    expect(new Date(made.endsAt).getTime() - new Date(made.startsAt).getTime()).toBe(2 * 3600_000);
    await page.locator(`tr[data-window="${made.id}"]`).waitFor();
    await screenshot(page, 'settings-maintenance.png');

    // edit: the whole site, every Monday and Thursday at 01:30 in New York for 45 minutes
    await page.getByRole('button', { name: `Edit window ${name}` }).click();
    await page.getByLabel(field('Applies to')).selectOption('site');
    await page.getByLabel(field('Site')).selectOption(site.id);
    await page.getByLabel(field('Repeats')).selectOption('weekly');
    await page.getByLabel(field('Monday')).check();
    await page.getByLabel(field('Thursday')).check();
    await page.getByLabel(field('Start time')).fill('01:30');
    await page.getByLabel(field('Duration (minutes)')).fill('45');
    await page.getByLabel(field('Time zone')).selectOption('America/New_York');
    await page.getByRole('button', { name: 'Save window' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved window "${name}".` })
      .waitFor();
    const [edited] = (await rest('/api/maintenance-windows')).filter((w: { id: string }) => w.id === made.id);
    expect(edited).toEqual({
      id: made.id,
      name,
      deviceId: null,
      siteId: site.id,
      startsAt: null,
      endsAt: null,
      weekly: { days: ['mon', 'thu'], start: '01:30', durationMinutes: 45, timezone: 'America/New_York' },
    });
    expect(await page.locator(`tr[data-window="${made.id}"]`).innerText()).toMatch(/Weekly Mon, Thu at 01:30/);

    await page.getByRole('button', { name: `Delete window ${name}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Deleted window "${name}".` })
      .waitFor();
    expect((await rest('/api/maintenance-windows')).some((w: { id: string }) => w.id === made.id)).toBe(false);
  });

  it('escalation: adds a policy with two steps (a bad delay first), reorders and removes steps, deletes it', async () => {
    const page = await newPage(manager);
    await openSettings(page, 'Escalation');
    await page.getByRole('button', { name: 'Add policy' }).click();
    const name = unique('Core network');
    await page.getByLabel(field('Name')).fill(name);
    await page.getByLabel(field('Step 1 delay (seconds after opening)')).fill('300');
    await page.getByLabel(field('Step 1 notify')).fill('email:noc@example.test');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel(field('Step 2 delay (seconds after opening)')).fill('60');
    await page.getByLabel(field('Step 2 hand over to team')).fill('network');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const err = await fieldError(page, 'Step 2 delay (seconds after opening)');
    expect(err).toEqual({
      text: 'steps.1.delaySeconds must be greater than steps.0.delaySeconds',
      focused: true,
      value: '60',
    });
    expect(await page.getByLabel(field('Step 1 notify')).inputValue()).toBe('email:noc@example.test');
    await screenshot(page, 'settings-escalation-error.png');

    await page.getByLabel(field('Step 2 delay (seconds after opening)')).fill('1800');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Added policy "${name}".` })
      .waitFor();
    const [made] = (await rest('/api/escalation-policies')).filter((p: { name: string }) => p.name === name);
    expect(made.steps).toEqual([
      { delaySeconds: 300, notify: ['email:noc@example.test'] },
      { delaySeconds: 1800, team: 'network' },
    ]);
    await screenshot(page, 'settings-escalation.png');

    // edit: add a third step, move it up with the keyboard, fix the delays, remove the old second step
    await page.getByRole('button', { name: `Edit policy ${name}` }).click();
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel(field('Step 3 delay (seconds after opening)')).fill('900');
    await page.getByLabel(field('Step 3 notify')).fill('team:noc');
    await page.getByRole('button', { name: 'Move step 3 up' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.getByLabel(field('Step 2 delay (seconds after opening)')).inputValue()).toBe('900');
    expect(await page.getByLabel(field('Step 3 delay (seconds after opening)')).inputValue()).toBe('1800');
    await page.getByRole('button', { name: 'Remove step 3' }).click();
    await page.getByLabel(field('Repeat the steps while nobody acknowledges')).check();
    await page.getByLabel(field('Repeat at most (times)')).fill('2');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved policy "${name}".` })
      .waitFor();
    const edited = await rest(`/api/escalation-policies/${made.id}`);
    expect(edited).toMatchObject({
      name,
      repeat: true,
      maxRepeats: 2,
      steps: [
        { delaySeconds: 300, notify: ['email:noc@example.test'] },
        { delaySeconds: 900, notify: ['team:noc'] },
      ],
    });

    await page.getByRole('button', { name: `Delete policy ${name}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Deleted policy "${name}".` })
      .waitFor();
    await t.http
      .get(`/api/escalation-policies/${made.id}`)
      .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
      .expect(404);
  });

  it('routing: adds rules (a bad tag first), reorders them with the keyboard, edits and deletes one', async () => {
    const page = await newPage(manager);
    await openSettings(page, 'Routing');
    const add = async (team: string, fill: (p: Page) => Promise<void>) => {
      await page.getByRole('button', { name: 'Add rule' }).click();
      await fill(page);
      await page.getByLabel(field('Team')).fill(team);
      await page.getByRole('button', { name: 'Add rule' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Added a rule for team ${team}.` })
        .waitFor();
    };
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel(field('Tag')).fill('bad tag!');
    await page.getByLabel(field('Team')).fill('security');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const err = await fieldError(page, 'Tag');
    expect(err).toEqual({ text: 'tag must be 1-64 letters, digits or . : / - _', focused: true, value: 'bad tag!' });
    expect(await page.getByLabel(field('Team')).inputValue()).toBe('security');
    await page.getByLabel(field('Tag')).fill('pci');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Added a rule for team security.' }).waitFor();
    await add('branches', async (p) => {
      await p.getByLabel(field('Site')).selectOption(site.id);
    });
    await add('firewalls', async (p) => {
      await p.getByLabel(field('Device kind')).selectOption('firewall');
    });
    const teams = async () => (await rest('/api/routing-rules')).map((r: { team: string }) => r.team);
    expect(await teams()).toEqual(['security', 'branches', 'firewalls']);
    await screenshot(page, 'settings-routing.png');

    // keyboard: Tab to "up" of the last rule, Enter twice: it goes to the top and keeps the focus
    await page.getByRole('button', { name: 'Move rule 3 (team firewalls) up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Moved rule for team firewalls to position 2.' }).waitFor();
    await focusOn(page, 'Move rule 2 (team firewalls) up');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Moved rule for team firewalls to position 1.' }).waitFor();
    expect(await teams()).toEqual(['firewalls', 'security', 'branches']);
    // at the top, "up" is disabled: focus moved to "down" of the same rule
    await focusOn(page, 'Move rule 1 (team firewalls) down');

    await page.getByRole('button', { name: 'Edit rule 3 (team branches)' }).click();
    await page.getByLabel(field('Team')).fill('branch-ops');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the rule for team branch-ops.' }).waitFor();
    expect((await rest('/api/routing-rules'))[2]).toMatchObject({ team: 'branch-ops', siteId: site.id, position: 2 });

    await page.getByRole('button', { name: 'Delete rule 2 (team security)' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted the rule for team security.' }).waitFor();
    expect(await teams()).toEqual(['firewalls', 'branch-ops']);
  });

  it('users: adds a user (a short password first), changes role and team, disables, resets the password', async () => {
    const page = await newPage(ADMIN);
    await openSettings(page, 'Users');
    await page.getByRole('button', { name: 'Add user' }).click();
    const email = `${unique('ana')}@netdesk.test`;
    await page.getByLabel(field('Email')).fill(email);
    await page.getByLabel(field('Name')).fill('Ana');
    await page.getByLabel(field('Password')).fill('short');
    await page.getByLabel(field('Role')).selectOption('agent');
    await page.getByRole('button', { name: 'Add user' }).click();
    const err = await fieldError(page, 'Password');
    expect(err).toEqual({
      text: 'password must be longer than or equal to 8 characters',
      focused: true,
      value: 'short',
    });
    expect(await page.getByLabel(field('Email')).inputValue()).toBe(email);
    await screenshot(page, 'settings-users-error.png');
    await page.getByLabel(field('Password')).fill('ana-password-1');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Added ${email} (agent).` })
      .waitFor();
    const find = async () => (await rest('/api/users')).find((u: { email: string }) => u.email === email);
    const made = await find();
    expect(made).toMatchObject({ name: 'Ana', role: 'agent', team: null, disabled: false });
    await screenshot(page, 'settings-users.png');

    await page.getByRole('button', { name: `Edit user ${email}` }).click();
    await page.getByLabel(field('Role')).selectOption('manager');
    await page.getByLabel(field('Team')).fill('network');
    await page.getByRole('button', { name: 'Save user' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved ${email}.` })
      .waitFor();
    expect(await find()).toMatchObject({ role: 'manager', team: 'network' });

    await page.getByRole('button', { name: `Disable user ${email}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Disabled ${email}` })
      .waitFor();
    expect(await find()).toMatchObject({ disabled: true });
    await t.http.post('/api/auth/login').send({ email, password: 'ana-password-1' }).expect(401);
    await page.getByRole('button', { name: `Enable user ${email}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Enabled ${email}.` })
      .waitFor();

    await page.getByRole('button', { name: `Edit user ${email}` }).click();
    await page.getByLabel(field('New password')).fill('ana-password-2');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Password of ${email} changed.` })
      .waitFor();
    await t.http.post('/api/auth/login').send({ email, password: 'ana-password-1' }).expect(401);
    await t.http.post('/api/auth/login').send({ email, password: 'ana-password-2' }).expect(200);
  });

  it('notifications: shows the channels, sends a test to the SMTP receiver, then shows the error once it is gone', async () => {
    const page = await newPage(ADMIN);
    await openSettings(page, 'Notifications');
    expect(await page.locator('[data-channel="email"]').innerText()).toBe('on');
    await page.getByLabel(field('Email address')).fill('not-an-address');
    await page.getByRole('button', { name: 'Send a test' }).click();
    const err = await fieldError(page, 'Email address');
    expect(err.text).toMatch(/^target: invalid notify target .*not a valid email address/);
    expect(err).toMatchObject({ focused: true, value: 'not-an-address' });

    await page.getByLabel(field('Email address')).fill('noc@example.test');
    await page.getByRole('button', { name: 'Send a test' }).click();
    const ok = page.locator('[data-result="ok"]');
    await ok.waitFor();
    expect(await ok.innerText()).toMatch(/^Delivered to email:noc@example\.test in \d+ ms\.$/);
    expect(mails.some((m) => m.to.includes('noc@example.test') && /Test notification/.test(m.raw))).toBe(true);
    await screenshot(page, 'settings-notifications.png');

    await smtp.close();
    await page.getByRole('button', { name: 'Send a test' }).click();
    const failed = page.locator('[data-result="failed"]');
    await failed.waitFor();
    expect(await failed.innerText()).toMatch(/^Not delivered to email:noc@example\.test: SMTP error: E[A-Z]+$/);
    await screenshot(page, 'settings-notifications-failed.png');
  });

  it('fits a 390 px phone without horizontal scrolling', async () => {
    const page = await newPage(ADMIN, 390, 844);
    await t.http
      .post('/api/maintenance-windows')
      .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
      .send({
        name: unique('Weekly reboot of every access switch in the building'),
        siteId: site.id,
        weekly: { days: ['sun'], start: '03:00', durationMinutes: 30, timezone: 'Europe/Lisbon' },
      })
      .expect(201);
    for (const [section, file, open] of [
      ['maintenance', 'settings-maintenance-390.png', 'Add window'],
      ['escalation', 'settings-escalation-390.png', 'Add policy'],
      ['routing', 'settings-routing-390.png', 'Add rule'],
      ['users', 'settings-users-390.png', 'Add user'],
      ['notifications', 'settings-notifications-390.png', null],
    ] as const) {
      await page.goto(`/settings/${section}`);
      await page.locator('.settings-body h2').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect({ section, fits: await noHorizontalScroll(page) }).toEqual({ section, fits: true });
      await screenshot(page, file);
      if (!open) continue;
      await page.getByRole('button', { name: open }).first().click();
      expect({ section, form: true, fits: await noHorizontalScroll(page) }).toEqual({
        section,
        form: true,
        fits: true,
      });
      await screenshot(page, file.replace('.png', '-form.png'));
    }
  });
});
