/**
 * POST /api/notifications/test and GET /api/notifications/channels against the whole app, with a real SMTP
 * receiver (smtp-server) on loopback and a real webhook receiver (node:http); "unreachable" is a loopback
 * port with nothing listening.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RawMail, SmtpReceiver, startRawSmtp } from '../support/smtp-receiver';
import { startTestApp, TestApp } from '../support/test-app';

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('notification test API', () => {
  let t: TestApp;
  let smtp: SmtpReceiver<RawMail>;
  let hooks: http.Server;
  let hookBase: string;
  let mails: RawMail[] = [];
  const posts: { path: string; body: string }[] = [];

  beforeAll(async () => {
    smtp = await startRawSmtp();
    mails = smtp.mails;
    const smtpPort = smtp.port;
    hooks = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts.push({ path: req.url ?? '', body });
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    t = await startTestApp('notification-test-api', {
      NETDESK_SMTP_URL: `smtp://user:s3cret-pw@127.0.0.1:${smtpPort}`,
      NETDESK_SMTP_FROM: 'NetDesk <netdesk@example.test>',
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp.close();
    await new Promise<void>((resolve) => hooks.close(() => resolve()));
  });
  const admin = async () => `Bearer ${await t.tokenFor('admin')}`;

  it('shows where notifications go, without the SMTP credentials', async () => {
    const res = await t.http
      .get('/api/notifications/channels')
      .set('Authorization', await admin())
      .expect(200);
    expect(res.body).toEqual({
      email: {
        configured: true,
        server: expect.stringMatching(/^smtp:\/\/127\.0\.0\.1:\d+$/),
        from: 'NetDesk <netdesk@example.test>',
      },
      webhook: { configured: true },
    });
    expect(JSON.stringify(res.body)).not.toContain('s3cret');
  });

  it('sends a test email through the SMTP server and says it was delivered', async () => {
    const res = await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({ target: 'email:noc@example.test' })
      .expect(200);
    expect(res.body).toEqual({
      target: 'email:noc@example.test',
      channel: 'email',
      ok: true,
      attempts: 1,
      durationMs: expect.any(Number),
    });
    const mail = mails.find((m) => m.to.includes('noc@example.test'));
    expect(mail?.raw).toMatch(/Test notification from NetDesk/);
  });

  it("posts a test webhook and reports the receiver's failure status", async () => {
    const ok = await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({ target: `webhook:${hookBase}/hook?token=abc` })
      .expect(200);
    expect(ok.body).toMatchObject({ ok: true, channel: 'webhook', target: `webhook:${hookBase}` });
    expect(JSON.parse(posts.find((p) => p.path === '/hook?token=abc')!.body)).toMatchObject({ event: 'test' });
    const missing = await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({ target: `webhook:${hookBase}/missing` })
      .expect(200);
    expect(missing.body).toMatchObject({ ok: false, error: 'HTTP 404' });
    const down = await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({ target: `webhook:http://127.0.0.1:${await closedPort()}/x` })
      .expect(200);
    expect(down.body).toMatchObject({ ok: false, error: 'network error: ECONNREFUSED' });
  });

  it('names a bad target in a 400 and keeps it from agents and managers', async () => {
    const bad = await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({ target: 'email:not-an-address' })
      .expect(400);
    expect(bad.body.message[0]).toMatch(/^target: invalid notify target .*not a valid email address/);
    await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({})
      .expect(400);
    await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({ target: 'email:a@example.test', extra: 1 })
      .expect(400);
    for (const role of ['agent', 'manager'] as const) {
      const bearer = `Bearer ${await t.tokenFor(role)}`;
      await t.http
        .post('/api/notifications/test')
        .set('Authorization', bearer)
        .send({ target: 'email:a@b.test' })
        .expect(403);
      await t.http.get('/api/notifications/channels').set('Authorization', bearer).expect(403);
    }
  });

  it('reports an unreachable SMTP server as the transport error', async () => {
    await smtp.close();
    const res = await t.http
      .post('/api/notifications/test')
      .set('Authorization', await admin())
      .send({ target: 'email:noc@example.test' })
      .expect(200);
    expect(res.body).toMatchObject({ ok: false, attempts: 1, channel: 'email' });
    expect(res.body.error).toMatch(/^SMTP error: E[A-Z]+$/);
  });
});
