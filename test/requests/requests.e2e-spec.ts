/**
 * People's requests end to end: a real Dovecot (IMAP) as the help desk's mailbox, a real SMTP
 * receiver for what NetDesk sends, the whole service in-process on its own database.
 */
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { statusChange, monitoringDriver } from '../support/monitoring-driver';
import { startTestApp, TestApp } from '../support/test-app';
import { deviceFactory, siteFactory } from '../factories/device.factory';
import { unique } from '../factories/unique';
import { Dovecot } from './dovecot';
import { rawMail, SentMail, startSmtp, waitFor } from './mail-fixtures';

jest.setTimeout(120_000);

type Ticket = {
  id: string;
  number: number;
  title: string;
  status: string;
  source: string;
  requesters: { email: string; name?: string }[];
  parentTicketId: string | null;
  events: { type: string; actor: string; message: string }[];
};

describe('requests by email', () => {
  let t: TestApp;
  let dovecot: Dovecot;
  let smtp: { server: SMTPServer; port: number; mails: SentMail[] };
  let agent: string;

  beforeAll(async () => {
    dovecot = await Dovecot.start({ helpdesk: 'mailbox-pass-1' });
    smtp = await startSmtp();
    t = await startTestApp('requests', {
      NETDESK_IMAP_URL: dovecot.url('helpdesk'),
      NETDESK_IMAP_POLL_MS: '300',
      NETDESK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      NETDESK_SMTP_FROM: 'NetDesk <helpdesk@netdesk.test>',
      NETDESK_MAIL_LOOP_MAX: '3',
      NETDESK_MAIL_MAX_BYTES: String(20 * 1024 * 1024),
      NETDESK_TICKETING_SWEEP_MS: '300',
    });
    agent = await t.tokenFor('agent');
  });

  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => (smtp ? smtp.server.close(() => r()) : r()));
    await dovecot?.stop();
  });

  const api = () => ({
    get: (url: string) => t.http.get(url).set('Authorization', `Bearer ${agent}`),
    post: (url: string, body?: object) =>
      t.http
        .post(url)
        .set('Authorization', `Bearer ${agent}`)
        .send(body ?? {}),
  });

  const emailTickets = async (): Promise<Ticket[]> =>
    (await api().get('/api/tickets?limit=1000').expect(200)).body.filter((x: Ticket) => x.source === 'email');
  const ticketTitled = (title: string) =>
    waitFor(`a ticket titled ${title}`, async () => (await emailTickets()).find((x) => x.title === title));
  const full = async (id: string): Promise<Ticket> => (await api().get(`/api/tickets/${id}`).expect(200)).body;
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
  const logged = (re: RegExp) => waitFor(`a log line ${re}`, async () => t.logs.find((l) => re.test(l)));

  it('opens a ticket from a new mail, answers it in the same thread, and threads the reply into it', async () => {
    const from = `${unique('anna')}@people.test`;
    const subject = unique('Printer on floor 3 jams');
    const first = rawMail({ from: `Anna Berg <${from}>`, subject, body: 'It jams on every page.' });
    await dovecot.deliver('helpdesk', first.raw);

    const ticket = await ticketTitled(subject);
    expect(ticket).toMatchObject({ status: 'open', source: 'email', parentTicketId: null });
    expect(ticket.requesters).toEqual([{ email: from, name: 'Anna Berg' }]);
    const answer = await waitFor('the receipt', async () => mailsTo(from)[0]);
    expect(answer.inReplyTo).toBe(first.messageId);
    expect(answer.subject).toContain(`[#${ticket.number}]`);
    expect(answer.headers.get('auto-submitted')).toBe('auto-replied');

    // the requester answers the receipt: the reply lands on the same ticket
    const reply = rawMail({
      from,
      subject: `Re: ${answer.subject}`,
      body: 'Also the toner is empty.\n\nOn Monday NetDesk wrote:\n> we received your request',
      inReplyTo: answer.messageId,
      references: `${first.messageId} ${answer.messageId}`,
    });
    await dovecot.deliver('helpdesk', reply.raw);
    const threaded = await waitFor('the reply on the timeline', async () => {
      const x = await full(ticket.id);
      return x.events.some((e) => e.type === 'email_received' && e.message.includes('toner')) && x;
    });
    expect(threaded.events.filter((e) => e.type === 'email_received')).toHaveLength(2);
    expect((await emailTickets()).filter((x) => x.title.includes(subject))).toHaveLength(1);

    // an agent replies from the ticket: one mail to the requester, threaded, then `email_sent`
    await api().post(`/api/tickets/${ticket.id}/replies`, { body: 'A technician is on the way.' }).expect(201);
    const agentMail = await waitFor('the agent reply', async () =>
      mailsTo(from).find((m) => m.text.includes('technician')),
    );
    expect(agentMail.inReplyTo).toBe(reply.messageId);
    expect(agentMail.references).toEqual(expect.arrayContaining([first.messageId, answer.messageId, reply.messageId]));
    await waitFor('email_sent', async () => (await full(ticket.id)).events.some((e) => e.type === 'email_sent'));
    const conversation = (await api().get(`/api/tickets/${ticket.id}/messages`).expect(200)).body;
    expect(conversation.map((m: { direction: string; kind: string }) => `${m.direction}:${m.kind}`)).toEqual([
      'in:request',
      'out:auto_answer',
      'in:reply',
      'out:agent_reply',
    ]);
    // every message was flagged done on the server only after it was stored
    const flags = await dovecot.flags('helpdesk');
    expect([...flags.values()].every((f) => f.has('$NetDeskDone'))).toBe(true);
  });

  it('links a request during an outage of the sender’s site router, answers it, resolves it on recovery, and reopens on "still broken"', async () => {
    const site = await siteFactory.create(t, { name: unique('Berlin') });
    const router = await deviceFactory.create(t, { kind: 'router', siteId: site.id, name: unique('ber-gw') });
    const user = `${unique('bob')}@berlin.people.test`;
    await api().post('/api/contacts', { email: user.toUpperCase(), name: 'Bob', siteId: site.id }).expect(201);
    expect((await api().get('/api/contacts').expect(200)).body).toContainEqual(
      expect.objectContaining({ email: user, siteId: site.id }),
    );
    const driver = monitoringDriver(t.app);
    await driver.happen(statusChange(router.id, 'up', 'down', new Date()));
    const incident = await waitFor('the incident', async () =>
      (await api().get(`/api/tickets?deviceId=${router.id}`).expect(200)).body.find((x: Ticket) => x.source === 'auto'),
    );

    const subject = unique('internet is down in our office');
    const mail = rawMail({ from: user, subject, body: 'Nothing loads since 9:00.' });
    await dovecot.deliver('helpdesk', mail.raw);
    const request = await ticketTitled(subject);
    expect(request.parentTicketId).toBe(incident.id);
    expect((await full(request.id)).events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['opened', 'email_received', 'linked']),
    );
    expect(
      (await full(incident.id)).events.some((e) => e.type === 'linked' && e.message.includes(`#${request.number}`)),
    ).toBe(true);
    expect(
      (await api().get(`/api/tickets?parentTicketId=${incident.id}`).expect(200)).body.map((x: Ticket) => x.id),
    ).toEqual([request.id]);
    const auto = await waitFor('the automatic answer', async () => mailsTo(user)[0]);
    expect(auto.text).toContain(`incident #${incident.number}`);
    expect(auto.inReplyTo).toBe(mail.messageId);

    // recovery: the incident resolves, the request with it, and the requester is told
    await driver.happen(statusChange(router.id, 'down', 'up', new Date()));
    const resolved = await waitFor('the request resolved', async () => {
      const x = await full(request.id);
      return x.status === 'resolved' && x;
    });
    expect(resolved.events.at(-1)).toMatchObject({ type: 'resolved', actor: 'system' });
    const notice = await waitFor('the resolution notice', async () =>
      mailsTo(user).find((m) => /has been fixed/.test(m.text)),
    );
    expect(notice.subject).toContain(`[#${request.number}]`);

    // "still not working": the request reopens and the incident is flagged
    await dovecot.deliver(
      'helpdesk',
      rawMail({
        from: user,
        subject: `Re: ${notice.subject}`,
        body: 'Sorry, it is still not working here.',
        inReplyTo: notice.messageId,
      }).raw,
    );
    const reopened = await waitFor('the request reopened', async () => {
      const x = await full(request.id);
      return x.status === 'open' && x;
    });
    expect(reopened.events.some((e) => e.type === 'reopened' && e.actor === user)).toBe(true);
    expect(
      (await full(incident.id)).events.some((e) => e.type === 'commented' && /still does not work/.test(e.message)),
    ).toBe(true);
    // the sweep does not resolve it again with the old resolution
    await new Promise((r) => setTimeout(r, 1000));
    expect((await full(request.id)).status).toBe('open');

    // agents link and unlink by hand
    await api().post(`/api/tickets/${request.id}/unlink`).expect(200);
    expect((await full(request.id)).parentTicketId).toBeNull();
    await api().post(`/api/tickets/${request.id}/unlink`).expect(409);
    const relinked = await api().post(`/api/tickets/${request.id}/link`, { parentTicketId: incident.id }).expect(200);
    expect(relinked.body.parentTicketId).toBe(incident.id);
    await api().post(`/api/tickets/${request.id}/link`, { parentTicketId: request.id }).expect(400);
  });

  it('links by a site mail domain and by a device named in the text', async () => {
    const site = await siteFactory.create(t, { name: unique('Hamburg') });
    const router = await deviceFactory.create(t, { kind: 'router', siteId: site.id, name: unique('ham-gw') });
    const domain = `${unique('ham')}.example.org`.toLowerCase();
    await api().post('/api/contacts/domains', { domain, siteId: site.id }).expect(201);
    await api().post('/api/contacts/domains', { domain, siteId: site.id }).expect(409);
    await monitoringDriver(t.app).happen(statusChange(router.id, 'up', 'down', new Date()));
    const incident = await waitFor('the incident', async () =>
      (await api().get(`/api/tickets?deviceId=${router.id}`).expect(200)).body.find((x: Ticket) => x.source === 'auto'),
    );
    const s1 = unique('no network');
    await dovecot.deliver('helpdesk', rawMail({ from: `carla@${domain}`, subject: s1 }).raw);
    expect((await ticketTitled(s1)).parentTicketId).toBe(incident.id);
    const s2 = unique('slow');
    await dovecot.deliver(
      'helpdesk',
      rawMail({ from: `dan@elsewhere.test`, subject: s2, body: `is ${router.name} broken?` }).raw,
    );
    expect((await ticketTitled(s2)).parentTicketId).toBe(incident.id);
  });

  it('never answers an out-of-office or a bounce', async () => {
    const from = `${unique('eve')}@people.test`;
    const subject = unique('VPN drops');
    const first = rawMail({ from, subject });
    await dovecot.deliver('helpdesk', first.raw);
    const ticket = await ticketTitled(subject);
    const receipt = await waitFor('the receipt', async () => mailsTo(from)[0]);

    await dovecot.deliver(
      'helpdesk',
      rawMail({
        from,
        subject: `Out of Office: ${receipt.subject}`,
        body: 'I am away until Monday.',
        inReplyTo: receipt.messageId,
        headers: { 'Auto-Submitted': 'auto-replied' },
      }).raw,
    );
    const bounce = rawMail({
      from: 'MAILER-DAEMON@mx.people.test',
      to: 'helpdesk@netdesk.test',
      subject: 'Undelivered Mail Returned to Sender',
      contentType: 'multipart/report; report-type=delivery-status; boundary="b1"',
      body: '--b1\nContent-Type: text/plain\n\nuser unknown\n--b1\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--b1--',
    });
    await dovecot.deliver('helpdesk', bounce.raw);
    await waitFor('the out-of-office on the timeline', async () =>
      (await full(ticket.id)).events.some((e) => e.type === 'email_received' && /automatic reply/.test(e.message)),
    );
    await logged(/bounce from mailer-daemon@mx.people.test to no known conversation/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(from)).toHaveLength(1); // only the receipt
    expect(mailsTo('mailer-daemon@mx.people.test')).toHaveLength(0);
    expect((await emailTickets()).some((x) => /Undelivered|Out of Office/.test(x.title))).toBe(false);
  });

  it('stops answering a sender that writes in a loop', async () => {
    const robot = `${unique('robot')}@people.test`;
    for (let i = 0; i < 6; i++)
      await dovecot.deliver('helpdesk', rawMail({ from: robot, subject: `Ticket received ${unique('x')}` }).raw);
    await waitFor(
      'six tickets',
      async () => (await emailTickets()).filter((x) => x.requesters[0]?.email === robot).length === 6,
    );
    await logged(/mail loop suspected/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(robot)).toHaveLength(3); // NETDESK_MAIL_LOOP_MAX
  });

  it('refuses bad mail with a clear log line, stores nothing half-way and keeps reading', async () => {
    const from = `${unique('mallory')}@people.test`;
    // malformed MIME: a multipart whose boundary never appears
    const broken = rawMail({
      from,
      subject: unique('broken'),
      contentType: 'multipart/mixed; boundary="nope"',
      body: 'just text',
    });
    await dovecot.deliver('helpdesk', broken.raw);
    // 30 MB: over the 20 MB limit of this test's service
    const big = rawMail({ from, subject: unique('huge'), body: 'x'.repeat(76) });
    const padding = Buffer.alloc(30 * 1024 * 1024, 'A\r\n'.repeat(1));
    dovecot.deliverToMaildir('helpdesk', Buffer.concat([Buffer.from(big.raw), padding]));
    // 1,000 recipients
    const many = rawMail({
      from,
      subject: unique('to everyone'),
      to: Array.from({ length: 1000 }, (_, i) => `person${i}@people.test`).join(', '),
    });
    await dovecot.deliver('helpdesk', many.raw);
    // script in HTML
    const scriptSubject = unique('html with script');
    await dovecot.deliver(
      'helpdesk',
      rawMail({
        from,
        subject: scriptSubject,
        contentType: 'text/html; charset=utf-8',
        body: '<p onclick="steal()">Hello <b>there</b></p><script>alert(document.cookie)</script><a href="javascript:x()">x</a>',
      }).raw,
    );
    // and a good one after all of them
    const after = unique('after the bad ones');
    await dovecot.deliver('helpdesk', rawMail({ from: `${unique('ok')}@people.test`, subject: after }).raw);

    await ticketTitled(after);
    await logged(/mail rejected: malformed MIME: boundary \\"--nope\\" never appears/);
    await logged(/mail rejected: message of \d+ bytes is over the limit/);
    await logged(/mail to 1000 recipients: keeping the first 100, no automatic answer/);
    await logged(/HTML mail sanitised: removed script, event handler, javascript: URL/);

    const titles = (await emailTickets()).map((x) => x.title);
    expect(titles.some((x) => x.startsWith('broken'))).toBe(false);
    expect(titles.some((x) => x.startsWith('huge'))).toBe(false);
    const crowd = await ticketTitled(many.raw.match(/Subject: (.*)\r/)![1]);
    expect(crowd.requesters).toEqual([{ email: from }]);
    const html = await ticketTitled(scriptSubject);
    const [message] = (await api().get(`/api/tickets/${html.id}/messages`).expect(200)).body;
    expect(message.html).toContain('<b>there</b>');
    expect(message.html).not.toMatch(/script|onclick|javascript:/i);
    // the outbox sends in order: once the script mail's receipt is out, a crowd answer would be too
    await waitFor("the script mail's receipt", async () => mailsTo(from)[0]);
    expect(mailsTo(from)).toHaveLength(1); // the script mail's receipt; not the crowd mail
    const flags = await dovecot.flags('helpdesk');
    expect([...flags.values()].every((f) => f.has('$NetDeskDone'))).toBe(true);
  });

  it('counts requests in the activity report and the digest: channel, linked, first response, follow-up', async () => {
    const manager = await t.tokenFor('manager');
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await t.http
      .get(`/api/reports/activity?from=${from}&to=${to}`)
      .set('Authorization', `Bearer ${manager}`)
      .expect(200);
    const requests = res.body.requests;
    const email = (await emailTickets()).length;
    expect(requests.byChannel).toContainEqual({ channel: 'email', opened: email });
    expect(requests.linked).toBe(3); // Bob's, Carla's and Dan's
    expect(requests.unlinked).toBe(
      requests.byChannel.reduce((n: number, c: { opened: number }) => n + c.opened, 0) - 3,
    );
    expect(requests.answered).toBe(1); // the agent's reply to Anna
    expect(requests.meanFirstResponseSec).toEqual(expect.any(Number));
    expect(requests.followUpStillBroken).toBe(1);
    const csv = await t.http
      .get(`/api/reports/activity?from=${from}&to=${to}&format=csv`)
      .set('Authorization', `Bearer ${manager}`)
      .expect(200);
    expect(csv.text).toContain(`requests,email,requests by email,${email}`);
  });

  it('after a crash between the commit and the flag (flags lost), a restart stores nothing twice', async () => {
    const subject = unique('before the crash');
    await dovecot.deliver('helpdesk', rawMail({ from: `${unique('zoe')}@people.test`, subject }).raw);
    await ticketTitled(subject);
    const before = (await emailTickets()).length;
    const receipts = async () =>
      Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM mailbox_receipts'))[0].n);
    const stored = await receipts();
    const c = await dovecot.client('helpdesk');
    await c.mailboxOpen('INBOX');
    await c.messageFlagsRemove('1:*', ['$NetDeskDone']);
    await c.logout();
    await t.restart();
    agent = await t.tokenFor('agent');
    await waitFor('every message flagged again', async () => {
      const flags = await dovecot.flags('helpdesk');
      return [...flags.values()].every((f) => f.has('$NetDeskDone'));
    });
    expect((await emailTickets()).length).toBe(before);
    expect(await receipts()).toBe(stored);
  });

  it('validates contacts and replies', async () => {
    await api()
      .post('/api/contacts', { email: 'not-an-email', siteId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    const res = await api()
      .post('/api/contacts', { email: `${unique('x')}@people.test`, siteId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(JSON.stringify(res.body.message)).toContain('siteId');
    const manual = await api().post('/api/tickets', { title: 'no requesters' }).expect(201);
    await api().post(`/api/tickets/${manual.body.id}/replies`, { body: 'hi' }).expect(400);
    await api().post(`/api/tickets/${manual.body.id}/replies`, { body: '' }).expect(400);
    expect(manual.body).toMatchObject({ requesters: [], parentTicketId: null });
  });
});
