import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { monitoringDriver, statusChange } from '../support/monitoring-driver';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';
import { Dovecot } from '../requests/dovecot';
import { rawMail, SentMail, startSmtp, waitFor } from '../requests/mail-fixtures';
import { launchChromium, screenshot, signIn } from './browser';

jest.setTimeout(120_000);

/** People's requests in the dashboard: the conversation and reply box, contacts, the knowledge base. */
describe('requests, contacts and articles (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let dovecot: Dovecot;
  let smtp: { server: SMTPServer; port: number; mails: SentMail[] };
  let admin: string;
  const agent = { email: `${unique('agnes')}@netdesk.test`, password: 'agnes-password-1', role: 'agent' };

  beforeAll(async () => {
    dovecot = await Dovecot.start({ helpdesk: 'browser-pass-1' });
    smtp = await startSmtp();
    t = await startTestApp('requests-ui', {
      NETDESK_IMAP_URL: dovecot.url('helpdesk'),
      NETDESK_IMAP_POLL_MS: '300',
      NETDESK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      NETDESK_SMTP_FROM: 'helpdesk@netdesk.test',
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    admin = `Bearer ${await t.tokenFor('admin')}`;
    await t.http.post('/api/users').set('Authorization', admin).send(agent).expect(201);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await page.goto(base);
    await signIn(page, agent.email, agent.password);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise<void>((r) => (smtp ? smtp.server.close(() => r()) : r()));
    await dovecot?.stop();
  });

  const apiGet = async (path: string) => (await t.http.get(path).set('Authorization', admin).expect(200)).body;

  it('shows the conversation with quoted text folded, and sends a reply from the ticket', async () => {
    const from = `${unique('paula')}@people.test`;
    const subject = unique('Wifi in meeting room');
    await dovecot.deliver(
      'helpdesk',
      rawMail({
        from: `Paula P <${from}>`,
        subject,
        body: 'The wifi drops every minute.\n\nOn Monday IT wrote:\n> old quoted advice',
      }).raw,
    );
    const ticket = await waitFor('the ticket', async () =>
      (await apiGet('/api/tickets?limit=100')).find((x: { title: string }) => x.title === subject),
    );
    await waitFor('the receipt', async () => smtp.mails.find((m) => m.to.includes(from)));
    await page.goto(`${base}/tickets/${ticket.id}`);
    const conversation = page.getByRole('list', { name: 'Conversation, oldest first' });
    await conversation.getByText('The wifi drops every minute.').waitFor();
    await page
      .getByText('Paula P <' + from + '>')
      .first()
      .waitFor();
    expect(await page.getByText('old quoted advice').isVisible()).toBe(false);
    await page.getByText('Quoted text').first().click();
    expect(await page.getByText('old quoted advice').isVisible()).toBe(true);
    await conversation.locator('[data-kind="auto_answer"]').waitFor();

    await page.getByLabel(`Reply to ${from}`).fill('Please restart the access point.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Reply queued for sending.').waitFor();
    const sent = await waitFor('the reply by SMTP', async () =>
      smtp.mails.find((m) => m.to.includes(from) && m.text.includes('restart the access point')),
    );
    expect(sent.subject).toContain(`[#${ticket.number}]`);
    await conversation.locator('[data-kind="agent_reply"]').waitFor();
    await screenshot(page, 'requests-conversation.png');
  });

  it('shows an incident’s linked requests on its page and their count on the board', async () => {
    const site = await siteFactory.create(t, { name: unique('Cologne') });
    const router = await deviceFactory.create(t, { kind: 'router', siteId: site.id, name: unique('cgn-gw') });
    const user = `${unique('ida')}@cologne.people.test`;
    await t.http.post('/api/contacts').set('Authorization', admin).send({ email: user, siteId: site.id }).expect(201);
    const driver = monitoringDriver(t.app);
    await driver.happen(statusChange(router.id, 'unknown', 'up', new Date(Date.now() - 60_000)));
    await driver.happen(statusChange(router.id, 'up', 'down', new Date()));
    const [incident] = await apiGet(`/api/tickets?deviceId=${router.id}`);
    const subject = unique('no internet');
    await dovecot.deliver('helpdesk', rawMail({ from: user, subject }).raw);
    const request = await waitFor('the linked request', async () =>
      (await apiGet('/api/tickets?limit=100')).find(
        (x: { title: string; parentTicketId: string | null }) => x.title === subject && x.parentTicketId,
      ),
    );
    await page.goto(`${base}/tickets/${incident.id}`);
    await page.getByRole('heading', { name: 'Requests linked to this incident (1)' }).waitFor();
    await page.getByRole('link', { name: `#${request.number} ${subject}` }).waitFor();
    await page.goto(`${base}/`);
    await page.locator(`[aria-label="1 requests linked"]`).first().waitFor();
  });

  it('adds a contact through the form, and says what is wrong with a bad one', async () => {
    const site = await siteFactory.create(t, { name: unique('Munich') });
    await page.goto(`${base}/contacts`);
    const email = `${unique('carl')}@munich.people.test`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Carl');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: site.name });
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('table', { name: 'Contacts' }).getByRole('cell', { name: email, exact: true }).waitFor();
    expect(await apiGet('/api/contacts')).toContainEqual(expect.objectContaining({ email, siteId: site.id }));

    await page.getByLabel('Email').fill('not an email');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: site.name });
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page
      .getByRole('alert')
      .getByText(/email must be an email address/)
      .waitFor();
    expect((await apiGet('/api/contacts')).some((c: { email: string }) => c.email === 'not an email')).toBe(false);
  });

  it('creates, finds, reads and revises an article', async () => {
    const title = unique('Meeting room wifi drops');
    await page.goto(`${base}/articles`);
    await page.getByRole('link', { name: 'New article' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Body (markdown)').fill('Restart the **access point**.\n\n<script>window.pwned = 1</script>');
    await page.getByLabel('Device kinds (comma-separated)').fill('access-point');
    await page.getByLabel('Tags (comma-separated)').fill('wifi');
    await page.getByRole('button', { name: 'Create article' }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    await page.locator('article strong', { hasText: 'access point' }).waitFor();
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');

    await page.goto(`${base}/articles`);
    await page.getByLabel('Search articles').fill('access point wifi');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('list', { name: 'Articles' }).getByRole('link', { name: title }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Body (markdown)').fill('Power-cycle the **access point**, then check the channel.');
    await page.getByRole('button', { name: 'Save revision' }).click();
    await page.getByText('revision 2 by').first().waitFor();
    const [hit] = await apiGet(`/api/articles?q=${encodeURIComponent('channel')}`);
    expect(hit).toMatchObject({ title, revision: 2, updatedBy: agent.email });

    await page.getByLabel('Title').waitFor({ state: 'detached' });
    await page.goto(`${base}/articles/new`);
    await page.getByLabel('Title').fill('x');
    await page.getByLabel('Body (markdown)').fill('y');
    await page.getByLabel('Tags (comma-separated)').fill('has space');
    await page.getByRole('button', { name: 'Create article' }).click();
    await page
      .getByRole('alert')
      .getByText(/tags must each be/)
      .waitFor();
  });
});
