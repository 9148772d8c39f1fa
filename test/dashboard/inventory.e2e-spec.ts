/**
 * The inventory screens in headless Chromium against the whole app on a fresh database: sites,
 * devices, import and discovery, each created, edited and deleted through the page and checked
 * through the API, with one bad input per form shown next to the field it names. Discovery sweeps
 * 127.0.0.0/30 (loopback answers ping) with an in-process SNMP agent on 127.0.0.1.
 *
 *   npm run build:dashboard && npx jest test/dashboard/inventory
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { LoopbackAgent, startCiscoAgent } from '../support/cisco-agent';
import { ARTIFACTS, launchChromium, screenshot } from './browser';

jest.setTimeout(120_000);

const COMMUNITY = 'inv-ui-ro';

interface ApiDevice {
  id: string;
  name: string;
  host: string;
  siteId: string | null;
  parentId: string | null;
  kind: string;
  criticality: string;
  pollIntervalSec: number;
  tags: string[];
  team: string | null;
  escalationPolicyId: string | null;
  snmp: { version: string; port: number; configured: true } | null;
}

describe('inventory screens (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let cisco: { agent: LoopbackAgent; port: number };
  let tmp: string;
  const contexts: BrowserContext[] = [];
  const viewer = { email: `${unique('viewer')}@netdesk.test`, password: 'viewer-password-1', role: 'viewer' };

  const auth = async () => `Bearer ${await t.tokenFor('admin')}`;
  const rest = async <T>(p: string, status = 200): Promise<T> =>
    (
      await t.http
        .get(p)
        .set('Authorization', await auth())
        .expect(status)
    ).body as T;
  const devices = () => rest<ApiDevice[]>('/api/devices');
  const deviceNamed = async (name: string) => (await devices()).find((d) => d.name === name);

  /** A signed-in page at `url` (sign-in through the form, then the page itself). */
  const open = async (url: string, user = ADMIN, viewport = { width: 1366, height: 768 }): Promise<Page> => {
    const ctx = await browser.newContext({ viewport, baseURL: base, acceptDownloads: true });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(url);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#content').waitFor();
    return page;
  };

  /** Retries `read` until it gives `expected` (5 s), then asserts. */
  const eventually = async <T>(read: () => Promise<T>, expected: T) => {
    const until = Date.now() + 5000;
    let value = await read();
    while (value !== expected && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      value = await read();
    }
    expect(value).toBe(expected);
  };

  /** The control is marked invalid, its described-by error says `text`, it keeps `value` and has the focus. */
  const expectFieldError = async (control: Locator, text: RegExp, value?: string) => {
    await eventually(() => control.getAttribute('aria-invalid'), 'true');
    const ids = (await control.getAttribute('aria-describedby')) ?? '';
    const described = await Promise.all(
      ids
        .split(' ')
        .filter(Boolean)
        .map((id) => control.page().locator(`[id="${id}"]`).innerText()),
    );
    expect(described.join(' ')).toMatch(text);
    if (value !== undefined) expect(await control.inputValue()).toBe(value);
    // focus moves there after the render that marks it (an effect): give it that frame
    await eventually(() => control.evaluate((el) => el === el.ownerDocument.activeElement), true);
  };

  /** No horizontal scroll: the page is no wider than the window. */
  const expectNoHorizontalScroll = async (page: Page) => {
    const { scroll, client, wide } = await page.evaluate<{ scroll: number; client: number; wide: string[] }>(`(() => {
      const root = document.documentElement;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 5)
        .map((el) => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
      return { scroll: root.scrollWidth, client: root.clientWidth, wide };
    })()`);
    expect({ scroll: Math.max(scroll, client), wide }).toEqual({ scroll: client, wide: [] });
  };

  beforeAll(async () => {
    [t, cisco] = await Promise.all([startTestApp('inventory_ui'), startCiscoAgent(COMMUNITY)]);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await t.http
      .post('/api/users')
      .set('Authorization', await auth())
      .send(viewer)
      .expect(201);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-inv-ui-'));
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (cisco ? cisco.agent.close(() => r()) : r()));
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('sites: adds, refuses a bad name beside the field, edits and deletes', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'Inventory', exact: true }).click();
    await page.getByRole('link', { name: 'Sites', exact: true }).click();
    await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
    const add = page.getByRole('form', { name: 'Add a site' });

    // bad input: too long a name; the API's message shows under the field, what was typed stays
    const longName = 'x'.repeat(129);
    await add.getByLabel('Site name').fill(longName);
    await add.getByLabel('Location').fill('Rua Augusta 1');
    await add.getByRole('button', { name: 'Add site' }).click();
    await expectFieldError(
      add.getByLabel('Site name'),
      /name must be shorter than or equal to 128 characters/,
      longName,
    );
    expect(await add.getByLabel('Location').inputValue()).toBe('Rua Augusta 1');

    const name = unique('Lisbon');
    await add.getByLabel('Site name').fill(name);
    await add.getByRole('button', { name: 'Add site' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Site "${name}" added.` })
      .waitFor();
    const site = (await rest<{ id: string; name: string; location: string }[]>('/api/sites')).find(
      (s) => s.name === name,
    );
    expect(site).toMatchObject({ name, location: 'Rua Augusta 1' });
    expect(await add.getByLabel('Site name').inputValue()).toBe('');

    // a duplicate is the API's 409, shown at the name
    await add.getByLabel('Site name').fill(name);
    await add.getByRole('button', { name: 'Add site' }).click();
    await expectFieldError(add.getByLabel('Site name'), /already exists/, name);
    await add.getByLabel('Site name').fill('');

    await page.getByRole('button', { name: `Edit site ${name}` }).click();
    const edit = page.getByRole('form', { name: `Edit site ${name}` });
    await edit.getByLabel('Location').fill('Praça do Comércio 2');
    await edit.getByRole('button', { name: 'Save site' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Site "${name}" saved.` })
      .waitFor();
    expect(await rest(`/api/sites/${site!.id}`)).toMatchObject({ location: 'Praça do Comércio 2' });
    await page.getByLabel('Search sites').fill('Comércio');
    await eventually(() => page.locator('table.inv-table tbody tr').count(), 1);
    await screenshot(page, 'inventory-sites-1366.png');
    await page.getByLabel('Search sites').fill('no such site anywhere');
    await eventually(() => page.locator('table.inv-table tbody tr').count(), 0);
    await page.getByLabel('Search sites').fill('');

    await page.getByRole('button', { name: `Delete site ${name}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Site "${name}" deleted.` })
      .waitFor();
    await rest(`/api/sites/${site!.id}`, 404);
  });

  it('devices: adds one with every field through the form, keeps SNMP secrets write-only, edits, refuses a cycle and deletes', async () => {
    const site = await siteFactory.create(t, { name: unique('Porto') });
    const router = await deviceFactory.create(t, { name: unique('core-rtr'), kind: 'router', siteId: site.id });
    const policy = (
      await t.http
        .post('/api/escalation-policies')
        .set('Authorization', await auth())
        .send({ name: unique('night-shift'), steps: [{ delaySeconds: 300 }] })
        .expect(201)
    ).body as { id: string; name: string };
    const name = unique('access-sw');
    const secret = 'never-shown-community-42';

    const page = await open('/inventory/devices');
    await page.getByRole('link', { name: 'Add device' }).click();
    await page.getByRole('heading', { name: 'Add a device' }).waitFor();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Host').fill('not a host!');
    await page.getByLabel('Site').selectOption({ label: site.name });
    await page.getByLabel('Kind').selectOption('switch');
    await page.getByLabel('Criticality').selectOption('high');
    await page.getByLabel('Parent device').fill(router.name.slice(0, 10));
    await page.getByRole('option', { name: new RegExp(router.name) }).click();
    await page.getByLabel('Poll interval (seconds)').fill('15');
    await page.getByLabel('Tags', { exact: true }).fill('lab');
    await page.getByLabel('Tags', { exact: true }).press('Enter');
    await page.getByLabel('Tags', { exact: true }).fill('floor-2');
    await page.getByLabel('Tags', { exact: true }).press('Enter');
    await page.getByLabel('Team').fill('noc');
    await page.getByLabel('Escalation policy').selectOption({ label: policy.name });
    await page.getByLabel('SNMP version').selectOption('2c');
    await page.getByLabel('Community').fill(secret);
    expect(await page.getByLabel('Community').getAttribute('type')).toBe('password');
    await screenshot(page, 'inventory-device-form-1366.png');

    // bad input: the host; the API's message is under the Host field and nothing else is lost
    await page.getByRole('button', { name: 'Add device' }).click();
    await expectFieldError(page.getByLabel('Host'), /host must be an IPv4\/IPv6 address or a DNS name/, 'not a host!');
    expect(await page.getByLabel('Name').inputValue()).toBe(name);
    expect(await page.getByLabel('Community').inputValue()).toBe(secret);
    expect(await page.getByLabel('Parent device').inputValue()).toBe(router.name);
    await screenshot(page, 'inventory-device-error-1366.png');
    expect(await deviceNamed(name)).toBeUndefined();

    await page.getByLabel('Host').fill('192.0.2.77');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Device "${name}" added.` })
      .waitFor();
    const created = await deviceNamed(name);
    expect(created).toMatchObject({
      host: '192.0.2.77',
      siteId: site.id,
      kind: 'switch',
      criticality: 'high',
      parentId: router.id,
      pollIntervalSec: 15,
      tags: ['lab', 'floor-2'],
      team: 'noc',
      escalationPolicyId: policy.id,
      snmp: { version: '2c', port: 161, configured: true },
    });
    expect(JSON.stringify(await rest(`/api/devices/${created!.id}`))).not.toContain(secret);

    // search and filters
    const rows = page.locator('table[aria-label="Devices"] tbody tr');
    await page.getByLabel('Search').fill('floor-2');
    await eventually(() => rows.count(), 1);
    await page.getByLabel('Search').fill(site.name);
    await eventually(() => rows.count(), 2);
    await page.getByLabel('Kind').selectOption('router');
    await eventually(() => rows.count(), 1);
    expect(await rows.first().innerText()).toContain(router.name);
    await page.getByLabel('Kind').selectOption('');
    await page.getByLabel('Status').selectOption('down');
    await eventually(() => rows.count(), 0);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Site').selectOption({ label: site.name });
    await eventually(() => rows.count(), 2);
    await screenshot(page, 'inventory-devices-1366.png');

    // edit: the secret is never in the page; "configured" and Replace instead
    await page.getByRole('link', { name: `Edit device ${name}` }).click();
    await page.getByRole('heading', { name: `Edit ${name}` }).waitFor();
    expect(await page.getByTestId('snmp-configured').innerText()).toMatch(/configured/);
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByLabel('Community').count()).toBe(0);
    await page.getByLabel('Poll interval (seconds)').fill('60');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Device "${name}" saved.` })
      .waitFor();
    expect(await rest(`/api/devices/${created!.id}`)).toMatchObject({
      pollIntervalSec: 60,
      snmp: { version: '2c', configured: true },
    });

    // replace SNMP with v3: a short key is refused at its field, then a good one is saved
    await page.getByRole('link', { name: `Edit device ${name}` }).click();
    await page.getByRole('button', { name: 'Replace SNMP credentials' }).click();
    await page.getByLabel('SNMP version').selectOption('3');
    await page.getByLabel('SNMPv3 user name').fill('netdesk');
    await page.getByLabel('Authentication protocol').selectOption('sha256');
    await page.getByLabel('Authentication key').fill('short');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectFieldError(page.getByLabel('Authentication key'), /authKey must be longer than or equal to 8/, 'short');
    await page.getByLabel('Authentication key').fill('long-enough-auth-key');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Device "${name}" saved.` })
      .waitFor();
    expect((await rest<ApiDevice>(`/api/devices/${created!.id}`)).snmp).toMatchObject({ version: '3' });

    // the router cannot take its own child as parent: the API's cycle message is under the parent field
    await page.getByRole('link', { name: `Edit device ${router.name}` }).click();
    await page.getByLabel('Parent device').fill(name);
    await page.getByLabel('Parent device').press('ArrowDown');
    await page.getByLabel('Parent device').press('Enter');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expectFieldError(page.getByLabel('Parent device'), /dependency cycle/);
    expect((await rest<ApiDevice>(`/api/devices/${router.id}`)).parentId).toBeNull();
    await screenshot(page, 'inventory-device-cycle-1366.png');

    // delete
    await page.goto(`/inventory/devices/${created!.id}/edit`);
    await page.getByRole('button', { name: 'Delete device' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Device "${name}" deleted.` })
      .waitFor();
    await rest(`/api/devices/${created!.id}`, 404);
  });

  it('import: a file with bad rows lists each with its line and writes nothing; a good CSV is imported; templates download', async () => {
    const page = await open('/inventory/import');
    const before = (await devices()).length;
    const good = unique('imp-good');
    const bad = unique('imp-bad');
    const yamlFile = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(
      yamlFile,
      [
        'devices:',
        `  - name: ${good}`,
        '    host: 192.0.2.90',
        `  - name: ${bad}`,
        '    host: "not a host"',
        '    kind: toaster',
        '',
      ].join('\n'),
    );
    await page.getByLabel('Inventory file (YAML or CSV)').setInputFiles(yamlFile);
    await page.getByRole('button', { name: 'Import file' }).click();
    await page.getByRole('heading', { name: /Nothing was imported: 2 problems in bad\.yaml/ }).waitFor();
    const problems = page.locator('table[aria-label="Problems"] tbody tr');
    expect(await problems.count()).toBe(2);
    const texts = await problems.allInnerTexts();
    expect(texts.join('\n')).toMatch(/4\s+host\s+host must be an IPv4\/IPv6 address or a DNS name/);
    expect(texts.join('\n')).toMatch(/4\s+kind\s+kind must be one of/);
    expect((await devices()).length).toBe(before);
    expect(await deviceNamed(good)).toBeUndefined();
    await screenshot(page, 'inventory-import-problems-1366.png');

    const csvFile = path.join(tmp, 'good.csv');
    const siteName = unique('Faro');
    fs.writeFileSync(
      csvFile,
      ['name,host,site,kind,tags', `${good},192.0.2.91,${siteName},server,a;b`, `${bad},192.0.2.92,,router,`, ''].join(
        '\n',
      ),
    );
    await page.getByLabel('Inventory file (YAML or CSV)').setInputFiles(csvFile);
    await page.getByRole('button', { name: 'Import file' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /2 devices added, 0 updated, sites created: / })
      .waitFor();
    expect(await deviceNamed(good)).toMatchObject({ host: '192.0.2.91', kind: 'server', tags: ['a', 'b'] });
    expect(await deviceNamed(bad)).toMatchObject({ host: '192.0.2.92', kind: 'router' });

    for (const [button, expected] of [
      ['Download YAML template', /^devices:/m],
      ['Download CSV template', /^name,host,site,parent,kind/],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ]);
      const file = await download.path();
      expect(fs.readFileSync(file!, 'utf8')).toMatch(expected);
    }
  });

  it('discovery: refuses a bad range at its field, sweeps 127.0.0.0/30 with SNMP, and adds the selected devices to a site in one step', async () => {
    const site = await siteFactory.create(t, { name: unique('Braga') });
    const page = await open('/inventory/discovery');
    const range = page.getByLabel('Range (CIDR)');
    await range.fill('10.0.0.300/24');
    await page.getByRole('button', { name: 'Start discovery' }).click();
    await expectFieldError(range, /cidr must be an IPv4 network in CIDR notation/, '10.0.0.300/24');

    await range.fill('127.0.0.0/30');
    await page.getByLabel('SNMP version').selectOption('2c');
    await page.getByLabel('Community').fill(COMMUNITY);
    await page.getByLabel('SNMP port').fill(String(cisco.port));
    await page.getByRole('button', { name: 'Start discovery' }).click();
    // progress while the sweep runs (the SNMP timeout on 127.0.0.2 keeps it going for a second or two)
    await page
      .getByRole('status')
      .filter({ hasText: /Scanning 2 addresses… \d+ s/ })
      .waitFor();
    const table = page.getByRole('table', { name: 'Discovered devices' });
    await table.waitFor({ timeout: 60_000 });
    const row1 = table.locator('tr[data-host="127.0.0.1"]');
    const row2 = table.locator('tr[data-host="127.0.0.2"]');
    expect(await row1.innerText()).toMatch(/access-sw-7[\s\S]*Cisco[\s\S]*switch[\s\S]*no/);
    expect(await row2.innerText()).toMatch(/127\.0\.0\.2/);
    await page.getByLabel('Select all').check();
    await page.getByLabel('Select 127.0.0.2').uncheck();
    await page.getByLabel('Select 127.0.0.2').check();
    await page.getByLabel('Add to site').selectOption({ label: site.name });
    await screenshot(page, 'inventory-discovery-1366.png');
    // the whole flow in one picture (README)
    await page.screenshot({ path: path.join(ARTIFACTS, 'inventory-discovery-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'Add 2 selected devices' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Added 2 devices to ${site.name}.` })
      .waitFor();

    const all = await devices();
    const sw = all.find((d) => d.host === '127.0.0.1');
    const other = all.find((d) => d.host === '127.0.0.2');
    expect(sw).toMatchObject({
      name: 'access-sw-7',
      kind: 'switch',
      siteId: site.id,
      snmp: { version: '2c', port: cisco.port, configured: true },
    });
    expect(other).toMatchObject({ siteId: site.id, snmp: null });
    expect(await row1.locator('td[data-label="In inventory"]').innerText()).toBe('yes');
    expect(await page.getByLabel('Select 127.0.0.1').isDisabled()).toBe(true);
  });

  it('GET /api/discovery/defaults names the subnets a discovery without cidr sweeps, for admins only', async () => {
    const defaults = await rest<{ cidrs: string[]; addresses: number; maxAddresses: number; skipped: string[] }>(
      '/api/discovery/defaults',
    );
    expect(defaults).toEqual({
      cidrs: expect.any(Array),
      addresses: expect.any(Number),
      maxAddresses: 65536,
      skipped: expect.any(Array),
    });
    for (const c of defaults.cidrs) expect(c).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    await t.http
      .get('/api/discovery/defaults')
      .set('Authorization', `Bearer ${await t.tokenFor('manager')}`)
      .expect(403);
  });

  it('lower roles see no Inventory link and no forms', async () => {
    const page = await open('/', viewer);
    await page.locator('[data-ready="true"]').waitFor();
    expect(await page.getByRole('link', { name: 'Inventory', exact: true }).count()).toBe(0);
    await page.goto('/inventory/devices/new');
    await page.getByText('Only an admin can change the inventory.').waitFor();
    expect(await page.getByRole('button', { name: 'Add device' }).count()).toBe(0);
    await page.goto('/inventory/devices');
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Add device' }).count()).toBe(0);
  });

  it('phone width (390 px): every inventory screen fits without horizontal scrolling', async () => {
    const d = await deviceFactory.create(t, { name: unique('phone-dev'), tags: ['a-rather-long-tag-name'] });
    const page = await open('/inventory/devices', ADMIN, { width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await page.locator(`tr[data-device="${d.id}"]`).waitFor();
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'inventory-devices-390.png');
    for (const [url, shot] of [
      [`/inventory/devices/${d.id}/edit`, 'inventory-device-form-390.png'],
      ['/inventory/sites', 'inventory-sites-390.png'],
      ['/inventory/import', 'inventory-import-390.png'],
      ['/inventory/discovery', 'inventory-discovery-390.png'],
    ]) {
      await page.goto(url);
      await page.locator('main.inventory h1').waitFor();
      await page.waitForTimeout(200);
      await expectNoHorizontalScroll(page);
      await screenshot(page, shot);
    }
  });
});
