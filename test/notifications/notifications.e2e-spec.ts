/**
 * NotificationService against real receivers on loopback: a real SMTP server (smtp-server) and real
 * HTTP webhook receivers (node:http). Every URL is an IP literal on 127.0.0.1; nothing is resolved and
 * no other host is contacted. The module is built as the app builds it (a Nest application context)
 * with the real config schema. Retry waits are shortened through the injected retry policy.
 *
 *   npx jest --selectProjects e2e --testPathPatterns test/notifications
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Global, INestApplicationContext, Logger, LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';
import { RawMail, SmtpReceiver, startRawSmtp } from '../support/smtp-receiver';
import { ConfigModule, loadConfig } from '@netdesk/config';
import { MetricsService } from '@netdesk/observability';
import {
  NOTIFICATION_OPTIONS,
  NotificationService,
  NotificationsModule,
  type NotificationMessage,
  type NotificationOptions,
  type NotificationResult,
} from '@netdesk/notifications';

interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** Everything the service logs, to check that no webhook secret ever reaches the log. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private capture = (...args: unknown[]) => {
    this.lines.push(JSON.stringify(args));
  };
  log = this.capture;
  error = this.capture;
  warn = this.capture;
  debug = this.capture;
  verbose = this.capture;
  fatal = this.capture;
}

/** Webhook receivers, one behaviour per path. */
async function startReceiver(): Promise<{ server: http.Server; base: string; hooks: ReceivedHook[] }> {
  const hooks: ReceivedHook[] = [];
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const text = Buffer.concat(chunks).toString('utf8');
      hooks.push({ path, headers: req.headers, body: text ? JSON.parse(text) : undefined });
      if (path.startsWith('/hang')) return; // never answers
      if (path.startsWith('/flaky') && n <= 2) return void res.writeHead(503).end('busy');
      if (path.startsWith('/throttled') && n === 1) return void res.writeHead(429, { 'retry-after': '1' }).end();
      if (path.startsWith('/bad')) return void res.writeHead(400).end('{"error":"bad payload"}');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}`, hooks };
}

/** A loopback port with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const message = (over: Partial<NotificationMessage> = {}): NotificationMessage => ({
  ticketId: `ticket-${Math.random().toString(36).slice(2)}`,
  ticketNumber: 1042,
  event: 'escalated',
  priority: 'P1',
  title: 'core-sw-1 is down',
  text: 'No reply to ping for 3 minutes.',
  url: 'http://127.0.0.1:3000/tickets/1042',
  fields: { Device: 'core-sw-1', Site: 'HQ' },
  ...over,
});

/** Undoes quoted-printable soft line breaks and escapes, enough to read a body. */
const decodeQp = (s: string): string =>
  s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

describe('notifications (real SMTP and webhook receivers on loopback)', () => {
  let smtp: SmtpReceiver<RawMail>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let moduleRef: INestApplicationContext;
  let service: NotificationService;
  let registry: Registry;
  const logger = new CapturingLogger();

  async function build(options: Partial<NotificationOptions>, smtpUrl?: string) {
    registry = new Registry();
    @Global()
    @Module({
      providers: [
        { provide: MetricsService, useValue: { registry } },
        { provide: NOTIFICATION_OPTIONS, useValue: options },
      ],
      exports: [MetricsService, NOTIFICATION_OPTIONS],
    })
    class TestSupportModule {}
    const config = loadConfig(smtpUrl ? { NETDESK_SMTP_URL: smtpUrl } : {});
    // @nestjs/testing is not installed; an application context builds the module graph the same way.
    @Module({ imports: [ConfigModule.forRoot(config), TestSupportModule, NotificationsModule] })
    class TestRootModule {}
    return NestFactory.createApplicationContext(TestRootModule, { logger, abortOnError: false });
  }

  const fast: Partial<NotificationOptions> = {
    timeoutMs: 300,
    retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200, jitterRatio: 0.2, maxRetryAfterMs: 5000 },
    rateLimit: { perTicket: 3, windowMs: 60_000 },
  };

  beforeAll(async () => {
    Logger.overrideLogger(logger);
    smtp = await startRawSmtp();
    receiver = await startReceiver();
    moduleRef = await build(fast, `smtp://127.0.0.1:${smtp.port}`);
    service = moduleRef.get(NotificationService);
  });

  afterAll(async () => {
    await moduleRef?.close();
    receiver.server.closeAllConnections();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    await smtp.close();
  });

  function collect(): { results: NotificationResult[]; onResult: (r: NotificationResult) => void } {
    const results: NotificationResult[] = [];
    return { results, onResult: (r) => void results.push(r) };
  }

  const count = async (channel: string, result: string): Promise<number> => {
    const values = (await registry.getSingleMetric('netdesk_notifications_total')!.get()).values;
    return values.find((v) => v.labels.channel === channel && v.labels.result === result)?.value ?? 0;
  };

  it('delivers an email through a real SMTP server', async () => {
    const { results, onResult } = collect();
    service.notify(message(), ['email:NOC@Example.com'], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ target: 'email:noc@example.com', channel: 'email', ok: true, attempts: 1 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail.to).toEqual(['noc@example.com']);
    expect(mail.from).toBe('netdesk@localhost');
    expect(mail.raw).toMatch(/^Subject: \[NetDesk #1042\] Escalated: core-sw-1 is down \(P1\)\r?$/m);
    expect(mail.raw).toMatch(/^From: NetDesk <netdesk@localhost>\r?$/m);
    const body = decodeQp(
      mail.raw
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join('\n\n'),
    );
    expect(body).toContain('No reply to ping for 3 minutes.');
    expect(body).toContain('Device: core-sw-1');
    expect(body).toContain('Open the ticket: http://127.0.0.1:3000/tickets/1042');
    expect(await count('email', 'sent')).toBe(1);
  });

  it('posts the generic JSON payload to a webhook', async () => {
    const { results, onResult } = collect();
    const m = message();
    service.notify(m, [`webhook:${receiver.base}/generic?token=SECRET-GENERIC`], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ target: `webhook:${receiver.base}`, channel: 'webhook', ok: true, attempts: 1 });
    const hook = receiver.hooks.find((h) => h.path === '/generic?token=SECRET-GENERIC')!;
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-netdesk-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.body).toEqual({
      source: 'netdesk',
      event: 'escalated',
      ticket: { id: m.ticketId, number: 1042, priority: 'P1', title: 'core-sw-1 is down', url: m.url },
      text: 'No reply to ping for 3 minutes.',
      fields: { Device: 'core-sw-1', Site: 'HQ' },
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('posts a Slack-compatible payload to a slack target', async () => {
    const { results, onResult } = collect();
    service.notify(message(), [`slack:${receiver.base}/services/T0/B0/SECRET-SLACK`], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ target: `slack:${receiver.base}`, channel: 'slack', ok: true });
    const body = receiver.hooks.find((h) => h.path === '/services/T0/B0/SECRET-SLACK')!.body as {
      text: string;
      blocks: { type: string }[];
    };
    expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
    expect(body.text).toBe('[P1] #1042 Escalated: core-sw-1 is down');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
  });

  it('retries a receiver that answers 503 twice and reports success once, after 3 attempts', async () => {
    const { results, onResult } = collect();
    service.notify(message(), [`webhook:${receiver.base}/flaky`], onResult);
    await until(() => results.length === 1);
    await until(() => service.pending === 0); // the delivery is over: no attempt is left to arrive
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: true, attempts: 3 });
    const attempts = receiver.hooks.filter((h) => h.path === '/flaky');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((h) => h.headers['x-netdesk-delivery'])).size).toBe(1);
  });

  it('honours Retry-After on 429', async () => {
    const { results, onResult } = collect();
    const started = Date.now();
    service.notify(message(), [`webhook:${receiver.base}/throttled`], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ ok: true, attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('does not retry a 400: final failure after 1 attempt', async () => {
    const { results, onResult } = collect();
    service.notify(message(), [`webhook:${receiver.base}/bad`], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ ok: false, attempts: 1, error: 'HTTP 400' });
    expect(receiver.hooks.filter((h) => h.path === '/bad')).toHaveLength(1);
    expect(await count('webhook', 'failed')).toBeGreaterThanOrEqual(1);
  });

  it('times out a receiver that hangs and retries it', async () => {
    const { results, onResult } = collect();
    service.notify(message(), [`webhook:${receiver.base}/hang`], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ ok: false, attempts: 4, error: 'timeout after 300 ms' });
    expect(receiver.hooks.filter((h) => h.path === '/hang')).toHaveLength(4);
  });

  it('rate-limits notifications per ticket without sending', async () => {
    const { results, onResult } = collect();
    const m = message();
    for (let i = 0; i < 4; i++) service.notify(m, [`webhook:${receiver.base}/limit`], onResult);
    await until(() => results.length === 4);
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => r.error === 'rate limited')).toEqual([
      expect.objectContaining({ ok: false, attempts: 0, target: `webhook:${receiver.base}` }),
    ]);
    expect(receiver.hooks.filter((h) => h.path === '/limit')).toHaveLength(3);
    expect(await count('webhook', 'rate_limited')).toBe(1);
  });

  it('never throws into or delays the caller, even when every delivery fails', async () => {
    const { results, onResult } = collect();
    const dead = await closedPort();
    const targets = [
      `webhook:http://127.0.0.1:${dead}/x`,
      `webhook:${receiver.base}/hang-caller`,
      `email:nobody@example.com`,
      'team:noc',
      'not a target',
    ];
    let returned: unknown = 'not called';
    expect(() => (returned = service.notify(message(), targets, onResult))).not.toThrow();
    // Nothing to await and nothing delivered yet: every delivery runs after the caller has moved on.
    expect(returned).toBeUndefined();
    expect(results).toHaveLength(0);
    await until(() => results.length === 5);
    const byTarget = Object.fromEntries(results.map((r) => [r.target, r]));
    expect(byTarget[`webhook:http://127.0.0.1:${dead}`]).toMatchObject({
      ok: false,
      attempts: 4,
      error: 'network error: ECONNREFUSED',
    });
    expect(byTarget['team:noc']).toMatchObject({ channel: 'invalid', ok: false, attempts: 0 });
  });

  it('fails email fast when NETDESK_SMTP_URL is unset', async () => {
    const ref = await build(fast);
    try {
      const { results, onResult } = collect();
      ref.get(NotificationService).notify(message(), ['email:ops@example.com'], onResult);
      await until(() => results.length === 1);
      expect(results[0]).toMatchObject({ ok: false, attempts: 0, error: 'email is not configured' });
    } finally {
      await ref.close();
    }
  });

  it('never logs a webhook URL path or query', () => {
    const log = logger.lines.join('\n');
    expect(log).toContain('notification sent');
    expect(log).not.toContain('SECRET');
  });
});
