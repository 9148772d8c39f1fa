import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { NetdeskConfig } from '@netdesk/config';
import { FakeClock } from '@netdesk/core';
import type { MetricsService } from '@netdesk/observability';
import type { DeliveryOutcome } from './delivery-outcome';
import type { EmailRequest, EmailTransport } from './email.transport';
import { NotificationService } from './notification.service';
import type { NotificationOptions } from './notification-options';
import type { NotificationMessage, NotificationResult } from './notification.types';
import type { WebhookRequest, WebhookTransport } from './webhook.transport';

const message = (over: Partial<NotificationMessage> = {}): NotificationMessage => ({
  ticketId: 'ticket-1',
  ticketNumber: 7,
  event: 'opened',
  priority: 'P2',
  title: 'edge-rtr-2 unreachable',
  text: 'Lost 100% of pings.',
  ...over,
});

type Responder = (request: WebhookRequest) => Promise<DeliveryOutcome> | DeliveryOutcome;

class FakeWebhook implements WebhookTransport {
  readonly kind = 'webhook';
  readonly configured = true;
  readonly requests: WebhookRequest[] = [];
  constructor(public respond: Responder = () => ({ ok: true })) {}
  async send(request: WebhookRequest): Promise<DeliveryOutcome> {
    this.requests.push(request);
    return this.respond(request);
  }
}

class FakeEmail implements EmailTransport {
  readonly kind = 'email';
  readonly configured = true;
  readonly sent: EmailRequest[] = [];
  closed = false;
  async send(request: EmailRequest): Promise<DeliveryOutcome> {
    this.sent.push(request);
    return { ok: true };
  }
  close(): void {
    this.closed = true;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

function setup(options: Partial<NotificationOptions> = {}, withEmail = true) {
  const registry = new Registry();
  const clock = new FakeClock();
  const webhook = new FakeWebhook();
  const email = new FakeEmail();
  const sleeps: number[] = [];
  const service = new NotificationService(
    { smtpUrl: undefined, smtpFrom: 'NetDesk <netdesk@localhost>' } as NetdeskConfig,
    { registry } as unknown as MetricsService,
    [webhook, ...(withEmail ? [email] : [])],
    clock,
    {
      random: () => 0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    },
  );
  const results: NotificationResult[] = [];
  const onResult = (r: NotificationResult) => {
    results.push(r);
  };
  const metric = async (channel: string, result: string) => {
    const values = (await registry.getSingleMetric('netdesk_notifications_total')!.get()).values;
    return values.find((v) => v.labels.channel === channel && v.labels.result === result)?.value ?? 0;
  };
  return { service, clock, webhook, email, sleeps, results, onResult, metric };
}

describe('NotificationService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('returns at once and reports each target once, later, with a log-safe description', async () => {
    const { service, webhook, email, results, onResult, clock } = setup();
    service.notify(message(), ['email:ops@example.com', 'webhook:https://hooks.example.com/in/SECRET'], onResult);
    expect(results).toHaveLength(0);
    await until(() => results.length === 2);
    expect(results).toEqual(
      expect.arrayContaining([
        { target: 'email:ops@example.com', channel: 'email', ok: true, attempts: 1, at: clock.now() },
        { target: 'webhook:https://hooks.example.com', channel: 'webhook', ok: true, attempts: 1, at: clock.now() },
      ]),
    );
    expect(email.sent[0].to).toBe('ops@example.com');
    expect(email.sent[0].content.subject).toBe('[NetDesk #7] Opened: edge-rtr-2 unreachable (P2)');
    expect(webhook.requests[0].url).toBe('https://hooks.example.com/in/SECRET');
    expect(JSON.stringify(results)).not.toContain('SECRET');
  });

  it('sends the Slack shape to slack: targets and the generic shape to webhook: targets', async () => {
    const { service, webhook, results, onResult } = setup();
    service.notify(message(), ['slack:https://hooks.slack.com/services/A', 'webhook:https://example.com/h'], onResult);
    await until(() => results.length === 2);
    const byUrl = Object.fromEntries(webhook.requests.map((r) => [r.url, r.body as Record<string, unknown>]));
    expect(Object.keys(byUrl['https://hooks.slack.com/services/A'])).toEqual(['text', 'blocks']);
    expect(byUrl['https://example.com/h']).toMatchObject({ source: 'netdesk', event: 'opened', ticket: { number: 7 } });
  });

  it('retries transient failures with backoff and keeps one delivery id', async () => {
    const { service, webhook, sleeps, results, onResult, metric } = setup();
    let calls = 0;
    webhook.respond = () => (++calls < 3 ? { ok: false, retryable: true, error: 'HTTP 503' } : { ok: true });
    service.notify(message(), ['webhook:https://example.com/h'], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ ok: true, attempts: 3 });
    expect(sleeps).toEqual([1000, 2000]);
    expect(new Set(webhook.requests.map((r) => r.deliveryId)).size).toBe(1);
    expect(await metric('webhook', 'sent')).toBe(1);
  });

  it('gives up after maxAttempts and reports the last error', async () => {
    const { service, webhook, sleeps, results, onResult, metric } = setup();
    webhook.respond = () => ({ ok: false, retryable: true, error: 'timeout after 5000 ms' });
    service.notify(message(), ['webhook:https://example.com/h'], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ ok: false, attempts: 4, error: 'timeout after 5000 ms' });
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(await metric('webhook', 'failed')).toBe(1);
  });

  it('honours Retry-After', async () => {
    const { service, webhook, sleeps, results, onResult } = setup();
    let calls = 0;
    webhook.respond = () =>
      ++calls === 1 ? { ok: false, retryable: true, error: 'HTTP 429', retryAfterMs: 7000 } : { ok: true };
    service.notify(message(), ['webhook:https://example.com/h'], onResult);
    await until(() => results.length === 1);
    expect(sleeps).toEqual([7000]);
  });

  it('does not retry final failures', async () => {
    const { service, webhook, results, onResult } = setup();
    webhook.respond = () => ({ ok: false, retryable: false, error: 'HTTP 400' });
    service.notify(message(), ['webhook:https://example.com/h'], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ ok: false, attempts: 1, error: 'HTTP 400' });
  });

  it('fails email targets fast when SMTP is not configured', async () => {
    const { service, results, onResult, metric } = setup({}, false);
    expect(service.emailConfigured).toBe(false);
    service.notify(message(), ['email:ops@example.com'], onResult);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ channel: 'email', ok: false, attempts: 0, error: 'email is not configured' });
    expect(await metric('email', 'not_configured')).toBe(1);
  });

  it('reports invalid and unresolved entries without stopping the others', async () => {
    const { service, webhook, results, onResult } = setup();
    service.notify(
      message(),
      ['team:noc', 'pager:1', 'slack:ftp://x/SECRET', 'webhook:https://example.com/h'],
      onResult,
    );
    await until(() => results.length === 4);
    expect(results.filter((r) => r.channel === 'invalid').map((r) => [r.target, r.error])).toEqual([
      ['team:noc', expect.stringMatching(/must be resolved to email targets by the caller/)],
      ['invalid', expect.stringMatching(/must start with one of/)],
      ['slack:(invalid)', expect.stringMatching(/scheme must be http or https/)],
    ]);
    expect(JSON.stringify(results)).not.toContain('SECRET');
    expect(webhook.requests).toHaveLength(1);
  });

  it('rate-limits per ticket without sending, and lets the window slide', async () => {
    const { service, webhook, clock, results, onResult, metric } = setup({
      rateLimit: { perTicket: 2, windowMs: 60_000 },
    });
    const targets = ['webhook:https://example.com/a', 'webhook:https://example.com/b'];
    for (let i = 0; i < 3; i++) service.notify(message(), targets, onResult);
    service.notify(message({ ticketId: 'ticket-2' }), targets, onResult);
    await until(() => results.length === 8);
    expect(results.filter((r) => r.error === 'rate limited')).toHaveLength(2);
    expect(webhook.requests).toHaveLength(6);
    expect(await metric('webhook', 'rate_limited')).toBe(2);
    clock.advance(60_001);
    service.notify(message(), targets, onResult);
    await until(() => results.length === 10);
    expect(results.slice(8).every((r) => r.ok)).toBe(true);
  });

  it('keeps at most `concurrency` deliveries in flight', async () => {
    const { service, webhook, results, onResult } = setup({ concurrency: 2 });
    const gate = deferred();
    let inFlight = 0;
    let peak = 0;
    webhook.respond = async () => {
      peak = Math.max(peak, ++inFlight);
      await gate.promise;
      inFlight -= 1;
      return { ok: true };
    };
    service.notify(
      message(),
      [1, 2, 3, 4, 5].map((i) => `webhook:https://example.com/${i}`),
      onResult,
    );
    await until(() => webhook.requests.length === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(webhook.requests).toHaveLength(2);
    gate.resolve();
    await until(() => results.length === 5);
    expect(peak).toBe(2);
  });

  it('drops beyond the queue bound, reporting and counting each', async () => {
    const { service, webhook, results, onResult, metric } = setup({ concurrency: 1, maxQueued: 2 });
    const gate = deferred();
    webhook.respond = async () => {
      await gate.promise;
      return { ok: true };
    };
    const targets = [1, 2, 3, 4, 5].map((i) => `webhook:https://example.com/${i}`);
    service.notify(message(), targets.slice(0, 3), onResult); // 1 starts, 2 wait
    await until(() => webhook.requests.length === 1);
    service.notify(message(), targets.slice(3), onResult); // the queue is full
    await until(() => results.length === 2);
    expect(results.map((r) => r.error)).toEqual([
      'dropped: notification queue full',
      'dropped: notification queue full',
    ]);
    expect(await metric('webhook', 'dropped')).toBe(2);
    gate.resolve();
    await until(() => results.length === 5);
    expect(results.filter((r) => r.ok)).toHaveLength(3);
  });

  it('is not disturbed by a throwing or rejecting onResult, nor by a throwing transport', async () => {
    const { service, webhook } = setup();
    webhook.respond = () => {
      throw new Error('boom');
    };
    const seen: NotificationResult[] = [];
    expect(() =>
      service.notify(message(), ['webhook:https://example.com/a'], (r) => {
        seen.push(r);
        throw new Error('handler bug');
      }),
    ).not.toThrow();
    service.notify(message({ ticketId: 't2' }), ['webhook:https://example.com/b'], async (r) => {
      seen.push(r);
      throw new Error('async handler bug');
    });
    await until(() => seen.length === 2);
    expect(seen.map((r) => r.error)).toEqual(['internal error', 'internal error']);
    expect(() => service.notify(null as unknown as NotificationMessage, ['x'], () => undefined)).not.toThrow();
  });

  it('on shutdown reports queued and backing-off deliveries, waits briefly for those in flight', async () => {
    const { service, webhook, email, results, onResult } = setup({
      concurrency: 1,
      shutdownGraceMs: 100,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    let first = true;
    webhook.respond = (request) => {
      if (first) {
        first = false;
        return { ok: false, retryable: true, error: 'HTTP 503' };
      }
      // hangs until the shutdown grace period is over
      return new Promise((resolve) =>
        request.signal!.addEventListener('abort', () =>
          resolve({ ok: false, retryable: false, error: 'aborted: shutting down' }),
        ),
      );
    };
    service.notify(message(), ['webhook:https://example.com/backoff'], onResult);
    await until(() => service.pending === 1 && webhook.requests.length === 1);
    service.notify(message(), ['webhook:https://example.com/hangs', 'webhook:https://example.com/queued'], onResult);
    await until(() => webhook.requests.length === 2);
    const started = Date.now();
    await service.onModuleDestroy();
    expect(Date.now() - started).toBeLessThan(1000);
    await until(() => results.length === 3);
    expect(results.map((r) => r.error).sort()).toEqual([
      'HTTP 503; not retried: shutting down',
      'aborted: shutting down',
      'not sent: shutting down',
    ]);
    expect(email.closed).toBe(true);
    service.notify(message({ ticketId: 'late' }), ['email:a@example.com'], onResult);
    await until(() => results.length === 4);
    expect(results[3].error).toBe('not sent: shutting down');
  });
});
